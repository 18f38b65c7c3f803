"""Check the pure converters from Slack payloads to ``Incoming``."""

from __future__ import annotations

import pytest

from bot.core import Channel
from handlers.slack import inbound

BODY = {"type": "event_callback", "team_id": "T1", "event_id": "Ev1"}


def test_direct_message_becomes_private_text_from_a_team_qualified_user():
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D9",
        "user": "U1",
        "text": "  hello  ",
        "ts": "1.2",
    }
    incoming = inbound.message_to_incoming(BODY, event)
    assert incoming is not None
    assert (incoming.channel, incoming.user_id, incoming.chat_id) == (Channel.SLACK, "T1/U1", "D9")
    assert incoming.text == "hello"
    assert incoming.is_private
    assert incoming.metadata["event_id"] == "Ev1"


@pytest.mark.parametrize(
    "extra",
    [
        {"bot_id": "B1"},
        {"subtype": "message_changed"},
        {"subtype": "file_share"},
        {"channel_type": "channel", "channel": "C1"},
        {"text": "   "},
    ],
)
def test_messages_not_typed_by_a_person_in_a_dm_are_ignored(extra):
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D9",
        "user": "U1",
        "text": "hi",
        **extra,
    }
    assert inbound.message_to_incoming(BODY, event) is None


def test_mention_loses_the_bot_mention_and_keeps_its_thread():
    event = {
        "type": "app_mention",
        "channel": "C1",
        "user": "U1",
        "ts": "5.5",
        "thread_ts": "4.4",
        "text": "<@UBOT|article16> what is the plan?",
    }
    incoming = inbound.mention_to_incoming(BODY, event)
    assert incoming is not None
    assert incoming.text == "what is the plan?"
    assert incoming.metadata["thread_ts"] == "4.4"
    assert incoming.is_private is False


def test_bare_mention_asks_for_help():
    event = {"type": "app_mention", "channel": "C1", "user": "U1", "ts": "5.5", "text": "<@UBOT>"}
    incoming = inbound.mention_to_incoming(BODY, event)
    assert incoming is not None and incoming.text == "/help"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "/help"),
        ("help", "/help"),
        ("ask  What is Article 16? ", "/ask What is Article 16?"),
        ("ASK x", "/ask x"),
        ("need", "/need"),
        ("needs", "/needs"),
        ("opportunities", "/opportunities"),
        ("settings", "/settings"),
        ("/needs", "/needs"),
        ("how do we ask for help?", "how do we ask for help?"),
    ],
)
def test_sub_commands_map_to_core_commands(text, expected):
    assert inbound.command_text(text) == expected


def test_command_answers_go_to_the_given_chat():
    command = {
        "team_id": "T1",
        "user_id": "U1",
        "user_name": "amina",
        "channel_id": "C1",
        "text": "needs",
    }
    incoming = inbound.command_to_incoming(command, chat_id="DU1")
    assert (incoming.user_id, incoming.chat_id, incoming.text) == ("T1/U1", "DU1", "/needs")
    assert incoming.is_private
    assert incoming.display_name == "amina"


def test_button_press_carries_the_buttons_value_as_action():
    body = {
        "type": "block_actions",
        "user": {"id": "U1", "team_id": "T1", "name": "amina"},
        "channel": {"id": "C1"},
        "message": {"ts": "9.9", "thread_ts": "8.8"},
    }
    incoming = inbound.action_to_incoming(body, {"value": "m:help"}, chat_id="C1")
    assert incoming is not None
    assert (incoming.action, incoming.text, incoming.user_id) == ("m:help", None, "T1/U1")
    assert incoming.metadata["message_ts"] == "9.9"
    assert incoming.metadata["thread_ts"] == "8.8"
    assert incoming.is_private is False


def test_home_tab_only_becomes_a_home_request():
    event = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "messages"}
    assert inbound.home_to_incoming(BODY, event) is None
    incoming = inbound.home_to_incoming(BODY, {**event, "tab": "home"})
    assert incoming is not None and incoming.text == inbound.HOME_TEXT


def test_apology_goes_to_the_thread_of_a_channel_event_and_to_a_dm_plainly():
    channel_event = {"event": {"channel": "C1", "ts": "1.1", "user": "U1"}}
    assert inbound.apology_target(channel_event) == ("C1", "1.1", "U1")
    dm_event = {"event": {"channel": "D1", "ts": "1.1", "user": "U1"}}
    assert inbound.apology_target(dm_event) == ("D1", None, "U1")
    command = {"channel_id": "C2", "user_id": "U2"}
    assert inbound.apology_target(command) == ("C2", None, "U2")


def test_event_id_is_read_only_from_event_callbacks():
    assert inbound.event_id(BODY) == "Ev1"
    assert inbound.event_id({"type": "block_actions", "event_id": "Ev1"}) is None


def test_mention_in_a_direct_message_is_left_to_the_message_listener():
    event = {
        "type": "app_mention",
        "channel": "D1",
        "user": "U1",
        "ts": "1.1",
        "text": "<@UBOT> hi",
    }
    assert inbound.mention_to_incoming(BODY, event) is None


def test_redeem_is_reachable_from_the_slash_command():
    assert inbound.command_text("redeem AB12-CD34") == "/redeem AB12-CD34"
