"""The router: commands, menu buttons, outdated actions, free text, admin and group rules."""

from __future__ import annotations

from bot.app import AppContext
from bot.core import Channel, Incoming
from bot.router import parse_command
from tests.helpers.conversation import Conversation


def test_parse_command_splits_name_bot_suffix_and_arguments() -> None:
    assert parse_command("/start ABC123") == ("start", "ABC123")
    assert parse_command("/Help@article16_bot") == ("help", "")
    assert parse_command("what is /start?") is None
    assert parse_command("/") is None
    assert parse_command("/../etc") is None


def test_start_greets_and_shows_the_menu_as_buttons(chat: Conversation) -> None:
    chat.say("/start")
    assert "Article 16 Assistant" in chat.text
    assert chat.button("My profile").action == "m:profile"


def test_a_menu_button_runs_its_command(chat: Conversation) -> None:
    chat.say("/menu")
    chat.press("Help")
    assert "/profile" in chat.text and "/language" in chat.text


def test_an_unknown_command_is_named_and_the_menu_shown(chat: Conversation) -> None:
    chat.say("/frobnicate")
    assert "/frobnicate" in chat.text
    assert chat.button("Help")


def test_an_unknown_button_action_is_answered_politely(chat: Conversation) -> None:
    chat.press_action("zz:1")
    assert "no longer active" in chat.text


def test_a_flow_button_after_the_flow_ended_is_answered_politely(chat: Conversation) -> None:
    chat.press_action("f:abcd:c:1")
    assert "already ended" in chat.text


def test_language_button_switches_the_language_of_later_replies(chat: Conversation) -> None:
    chat.say("/language")
    chat.press("Français")
    assert "français" in chat.text.lower()
    chat.say("/start")
    assert "Bienvenue" in chat.text


def test_the_platform_language_hint_is_used_until_the_user_chooses(context: AppContext) -> None:
    chat = Conversation(context.assistant.handle, user_id="es1", language="es-ES")
    chat.say("/start")
    assert "Bienvenido" in chat.text


def test_cancel_outside_a_flow_says_there_is_nothing_to_cancel(chat: Conversation) -> None:
    chat.say("/cancel")
    assert "nothing to cancel" in chat.text


def test_empty_and_oversized_messages_get_a_clear_message(chat: Conversation) -> None:
    chat.say("   ")
    assert "empty message" in chat.text
    chat.say("x" * 5000)
    assert "too long" in chat.text


def test_admin_only_commands_refuse_everyone_else(context: AppContext) -> None:
    from bot.router import Command

    context.assistant.router.command(
        Command("secret", lambda turn, args: [turn.say("profile.saved")], "help.help",
                admin_only=True)
    )  # fmt: skip
    user = Conversation(context.assistant.handle, user_id="someone")
    user.say("/secret")
    assert "Only the Secretariat" in user.text
    admin = Conversation(context.assistant.handle, user_id="admin")
    admin.say("/secret")
    assert "saved" in admin.text


def test_personal_matters_stay_out_of_group_chats(context: AppContext) -> None:
    group = Conversation(context.assistant.handle, user_id="g1", private=False)
    group.say("/profile")
    assert "private chat" in group.text


def test_free_text_without_a_knowledge_base_says_it_is_not_available_yet(
    context: AppContext,
) -> None:
    from bot.assistant import _questions_unavailable

    context.assistant.answer_question = _questions_unavailable
    chat = Conversation(context.assistant.handle, user_id="q1")
    chat.say("What is Article 16?")
    assert "not available yet" in chat.text


def test_an_unexpected_error_is_logged_with_an_id_and_apologised_for(
    context: AppContext, caplog
) -> None:
    from bot.router import Command

    def explode(turn, args):
        raise RuntimeError("boom")

    context.assistant.router.command(Command("explode", explode, "help.help"))
    replies = context.assistant.handle(
        Incoming(channel=Channel.CONSOLE, user_id="x", chat_id="x", text="/explode")
    )
    assert "Sorry" in replies[0].text
    error_id = replies[0].text.rsplit(" ", 1)[-1]
    assert any(error_id in record.getMessage() and record.exc_info for record in caplog.records)
    # The process keeps serving others.
    ok = context.assistant.handle(
        Incoming(channel=Channel.CONSOLE, user_id="y", chat_id="y", text="/help")
    )
    assert "/profile" in ok[0].text


def test_a_lone_command_word_works_without_the_slash_in_any_language(chat: Conversation) -> None:
    chat.say("Help")
    assert "/profile" in chat.text
    chat.say("/profile")
    chat.say("annuler")
    assert "stop here" in chat.text
    chat.press("Yes, stop")
    chat.say("help me find the regional centre for the Pacific")
    assert "Apia" in chat.text  # a sentence is a question, not the command
