"""Drive the Slack channel over HTTP: signed requests in, Web API calls out to the fake."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest

from bot.core import Button, Reply
from tests.fakes.slack_api import FakeSlackApi


def section_texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [block["text"]["text"] for block in blocks if block["type"] == "section"]


async def test_direct_message_is_answered_in_the_dm(build_driver, core, slack_api):
    slack_api.locales["U1"] = "fr-FR"
    async with build_driver(handle=core) as slack:
        response = await slack.dm("What is the technical assistance plan?")
        assert response.status_code == 200
        [post] = await slack_api.wait_for("chat.postMessage")
    assert post.params["channel"] == "DU1"
    assert section_texts(post.params["blocks"]) == ["Hello from the core"]
    [incoming] = core.received
    assert incoming.text == "What is the technical assistance plan?"
    assert incoming.user_id == "T1/U1"
    assert incoming.chat_id == "DU1"
    assert incoming.is_private
    assert incoming.language_hint == "fr-FR"
    assert incoming.display_name == "name-U1"


async def test_event_is_acked_before_the_core_answers(build_driver, core, slack_api):
    core.delay = 1.0
    async with build_driver(handle=core) as slack:
        started = time.monotonic()
        response = await slack.dm("hello")
        assert response.status_code == 200
        assert time.monotonic() - started < 0.5
        await slack_api.wait_for("chat.postMessage")
    assert time.monotonic() - started >= 1.0


async def test_bot_messages_and_edits_are_not_answered(build_driver, core, slack_api):
    async with build_driver(handle=core) as slack:
        base = {"type": "message", "channel_type": "im", "channel": "DU1", "ts": "1.1"}
        await slack.event({**base, "bot_id": "B9", "text": "from a bot"})
        await slack.event({**base, "subtype": "message_changed", "user": "U1", "text": "x"})
        await slack.event({**base, "user": "U1", "text": "real"})
        await slack_api.wait_for("chat.postMessage")
        await asyncio.sleep(0.2)
    assert [incoming.text for incoming in core.received] == ["real"]


async def test_mention_is_answered_in_the_thread_of_the_mention(build_driver, core, slack_api):
    async with build_driver(handle=core) as slack:
        await slack.event(
            {
                "type": "app_mention",
                "channel": "C42",
                "user": "U1",
                "text": "<@UBOT> how do we request an expert mission?",
                "ts": "1700000005.000100",
            }
        )
        [post] = await slack_api.wait_for("chat.postMessage")
    assert post.params["channel"] == "C42"
    assert post.params["thread_ts"] == "1700000005.000100"
    [incoming] = core.received
    assert incoming.text == "how do we request an expert mission?"
    assert incoming.is_private is False


async def test_slash_command_is_acked_at_once_and_answered_after(build_driver, core, slack_api):
    core.delay = 1.0
    async with build_driver(handle=core) as slack:
        started = time.monotonic()
        response = await slack.command("ask What is Article 16?")
        acked_after = time.monotonic() - started
        assert response.status_code == 200
        assert acked_after < 0.5
        [post] = await slack_api.wait_for("chat.postMessage")
    assert time.monotonic() - started >= 1.0
    assert post.params["channel"] == "DU1"
    [incoming] = core.received
    assert incoming.text == "/ask What is Article 16?"
    [pointer] = slack_api.calls_to("response_url")
    assert pointer.params["response_type"] == "ephemeral"
    assert "direct messages" in pointer.params["text"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "/help"),
        ("needs", "/needs"),
        ("opportunities", "/opportunities"),
        ("settings", "/settings"),
        ("need", "/need"),
    ],
)
async def test_slash_sub_commands_map_to_core_commands(
    build_driver, core, slack_api, text, expected
):
    async with build_driver(handle=core) as slack:
        await slack.command(text, channel="DU1")
        await slack_api.wait_for("chat.postMessage")
    assert core.received[0].text == expected
    assert slack_api.calls_to("response_url") == []


async def test_button_press_reaches_the_core_and_edits_the_message(build_driver, core, slack_api):
    core.replies = [Reply(text="Step 2 of 8", buttons=((Button("Back", "f:back"),),), edit=True)]
    async with build_driver(handle=core) as slack:
        response = await slack.press("m:needs", message_ts="1700000000.000042")
        assert response.status_code == 200
        [update] = await slack_api.wait_for("chat.update")
    assert update.params["channel"] == "DU1"
    assert update.params["ts"] == "1700000000.000042"
    assert update.params["blocks"][-1]["elements"][0]["value"] == "f:back"
    assert slack_api.calls_to("chat.postMessage") == []
    [incoming] = core.received
    assert incoming.action == "m:needs"
    assert incoming.text is None


async def test_button_press_without_edit_posts_a_new_message(build_driver, core, slack_api):
    async with build_driver(handle=core) as slack:
        await slack.press("m:help")
        [post] = await slack_api.wait_for("chat.postMessage")
    assert post.params["channel"] == "DU1"
    assert slack_api.calls_to("chat.update") == []


async def test_button_on_the_app_home_is_answered_in_the_dm(build_driver, core, slack_api):
    async with build_driver(handle=core) as slack:
        await slack.press("m:ask", channel=None)
        [post] = await slack_api.wait_for("chat.postMessage")
    assert post.params["channel"] == "DU1"
    assert slack_api.calls_to("conversations.open")[0].params["users"] == "U1"


async def test_forged_signature_is_rejected_and_nothing_processed(build_driver, core, slack_api):
    async with build_driver(handle=core) as slack:
        response = await slack.dm("hello", secret="not-the-secret")
        command = await slack.command("help", secret="not-the-secret")
        await asyncio.sleep(0.2)
    assert response.status_code == 401
    assert command.status_code == 401
    assert core.received == []
    assert slack_api.calls == []


async def test_request_older_than_five_minutes_is_rejected(build_driver, core, slack_api):
    async with build_driver(handle=core) as slack:
        response = await slack.dm("hello", timestamp=int(time.time()) - 6 * 60)
        await asyncio.sleep(0.2)
    assert response.status_code == 401
    assert core.received == []


async def test_retried_event_is_answered_once(build_driver, core, slack_api):
    async with build_driver(handle=core) as slack:
        first = await slack.dm("hello", event_id="Ev0RETRY")
        await slack_api.wait_for("chat.postMessage")
        retry = await slack.dm(
            "hello",
            event_id="Ev0RETRY",
            headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
        )
        await asyncio.sleep(0.3)
    assert first.status_code == retry.status_code == 200
    assert len(core.received) == 1
    assert len(slack_api.calls_to("chat.postMessage")) == 1


async def test_reply_of_4000_characters_is_split_into_sections(build_driver, core, slack_api):
    paragraph = "Regional centres deliver training and technology transfer. " * 10
    text = "\n\n".join([paragraph.strip()] * 7)[:4000]
    core.replies = [Reply(text=text)]
    async with build_driver(handle=core) as slack:
        await slack.dm("tell me everything")
        [post] = await slack_api.wait_for("chat.postMessage")
    sections = section_texts(post.params["blocks"])
    assert len(sections) == 2
    assert all(len(section) <= 3000 for section in sections)
    assert " ".join(" ".join(sections).split()) == " ".join(text.split())


async def test_app_home_is_published_when_opened(build_driver, core, slack_api):
    seen: list[Any] = []

    def home(incoming):
        seen.append(incoming)
        return [
            Reply(text="*Your profile*\nAmina, Ghana"),
            Reply(
                text="Your needs: 1 submitted",
                buttons=((Button("Start a need", "m:need"), Button("Ask", "m:ask")),),
            ),
        ]

    async with build_driver(handle=core, home=home) as slack:
        await slack.event(
            {"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home"}
        )
        [publish] = await slack_api.wait_for("views.publish")
    assert publish.params["user_id"] == "U1"
    view = publish.params["view"]
    assert view["type"] == "home"
    assert section_texts(view["blocks"])[0].startswith("*Your profile*")
    buttons = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [button["value"] for button in buttons] == ["m:need", "m:ask"]
    assert seen[0].user_id == "T1/U1"


async def test_app_home_without_a_home_source_shows_a_welcome(build_driver, core, slack_api):
    async with build_driver(handle=core) as slack:
        await slack.event(
            {"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home"}
        )
        [publish] = await slack_api.wait_for("views.publish")
    assert "Article 16" in section_texts(publish.params["view"]["blocks"])[0]


async def test_failing_listener_logs_an_error_id_and_apologises(
    build_driver, core, slack_api: FakeSlackApi, caplog
):
    core.error = RuntimeError("database gone")
    caplog.set_level(logging.ERROR, logger="handlers.slack.listeners")
    async with build_driver(handle=core) as slack:
        await slack.dm("hello")
        [post] = await slack_api.wait_for("chat.postMessage")
    [record] = [r for r in caplog.records if "error id" in r.getMessage()]
    error_id = record.args[0]
    assert record.exc_info and record.exc_info[1] is core.error
    assert post.params["channel"] == "DU1"
    assert error_id in post.params["text"]


async def test_apology_is_in_the_persons_language(build_driver, core, slack_api):
    slack_api.locales["U1"] = "es-ES"
    core.error = RuntimeError("boom")
    async with build_driver(handle=core) as slack:
        await slack.dm("hola")
        [post] = await slack_api.wait_for("chat.postMessage")
    assert post.params["text"].startswith("Lo siento")


async def test_url_verification_challenge_is_answered(build_driver, core):
    async with build_driver(handle=core) as slack:
        body = '{"token": "legacy", "challenge": "abc123", "type": "url_verification"}'
        response = await slack.post(body, "application/json")
    assert response.status_code == 200
    assert response.json() == {"challenge": "abc123"}


async def test_the_real_core_answers_help_in_the_dm(build_driver, context, slack_api):
    async with build_driver(handle=context.assistant.handle) as slack:
        await slack.dm("/help")
        [post] = await slack_api.wait_for("chat.postMessage")
        await slack.press("m:help")
        await slack_api.wait_for("chat.postMessage", count=2)
    assert "/help" in section_texts(post.params["blocks"])[0]
