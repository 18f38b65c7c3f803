"""Drive the real python-telegram-bot over HTTP against the fake Bot API (polling mode)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from pydantic import SecretStr
from telegram.error import InvalidToken

from bot.config import Settings
from handlers.telegram import build_application, running, start
from handlers.telegram.app import TelegramApplication
from tests.fakes.telegram_api import BLOCKED, EDIT_NOT_FOUND, NOT_MODIFIED, FakeTelegramAPI
from tests.handlers.telegram.echo_core import EchoCore


async def test_text_message_gets_an_escaped_html_reply_with_buttons(
    fake: FakeTelegramAPI, telegram_bot: TelegramApplication, core: EchoCore
) -> None:
    fake.inject_message("Hello <there>")

    [sent] = await fake.wait_for("sendMessage")

    assert sent["chat_id"] == 42
    assert sent["parse_mode"] == "HTML"
    assert sent["text"] == "You said: Hello &lt;there&gt; &lt;ok&gt; &amp; fine"
    buttons = sent["reply_markup"]["inline_keyboard"]
    assert [[b["callback_data"] for b in row] for row in buttons] == [["yes", "no"]]
    assert "reply_parameters" not in sent  # no quoting in a private chat
    incoming = core.seen[0]
    assert (incoming.user_id, incoming.chat_id, incoming.is_private) == ("42", "42", True)
    assert incoming.language_hint == "en"
    assert incoming.display_name == "Ama Mensah"


async def test_typing_action_is_shown_while_the_answer_is_prepared(
    fake: FakeTelegramAPI, telegram_bot: TelegramApplication
) -> None:
    fake.inject_message("Hello")
    await fake.wait_for("sendMessage")

    [action] = fake.calls_to("sendChatAction")
    assert action == {"chat_id": 42, "action": "typing"}
    methods = [call.method for call in fake.calls]
    assert methods.index("sendChatAction") < methods.index("sendMessage")


async def test_deep_link_start_code_reaches_the_core_as_text(
    fake: FakeTelegramAPI, telegram_bot: TelegramApplication, core: EchoCore
) -> None:
    fake.inject_message("/start INV-7Q2X")
    await fake.wait_for("sendMessage")

    assert core.seen[0].text == "/start INV-7Q2X"


async def test_button_press_is_answered_and_edits_the_question_in_place(
    fake: FakeTelegramAPI, telegram_bot: TelegramApplication, core: EchoCore
) -> None:
    fake.inject_message("Hello")
    await fake.wait_for("sendMessage")
    question = list(fake.messages.values())[-1]

    fake.inject_callback("yes", message=question)
    [edit] = await fake.wait_for("editMessageText")

    assert len(fake.calls_to("answerCallbackQuery")) == 1
    assert edit["message_id"] == question["message_id"]
    assert edit["text"] == "You chose yes"
    assert "reply_markup" not in edit  # the old keyboard goes away
    assert core.seen[-1].action == "yes"
    assert core.seen[-1].metadata == {"message_id": str(question["message_id"])}
    assert len(fake.calls_to("sendMessage")) == 1


@pytest.mark.parametrize("failure", [EDIT_NOT_FOUND, NOT_MODIFIED])
async def test_press_on_a_message_that_cannot_be_edited_falls_back_to_sending(
    fake: FakeTelegramAPI, telegram_bot: TelegramApplication, failure: tuple[int, str]
) -> None:
    fake.inject_message("Hello")
    await fake.wait_for("sendMessage")
    question = list(fake.messages.values())[-1]
    fake.fail_next("editMessageText", failure)

    fake.inject_callback("no", message=question)
    sent = await fake.wait_for("sendMessage", 2)

    assert len(fake.calls_to("editMessageText")) == 1
    assert sent[-1]["text"] == "You chose no"
    assert len(fake.calls_to("answerCallbackQuery")) == 1


async def test_long_reply_is_split_on_a_paragraph_with_buttons_on_the_last_part(
    fake: FakeTelegramAPI, telegram_bot: TelegramApplication
) -> None:
    fake.inject_message("/long")
    first, second = await fake.wait_for("sendMessage", 2)

    assert len(first["text"]) <= 4096 and len(second["text"]) <= 4096
    assert first["text"] == second["text"]  # the two paragraphs are the same
    assert "reply_markup" not in first
    assert second["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "more"


async def test_command_menu_is_published_in_english_french_and_spanish(
    fake: FakeTelegramAPI, telegram_bot: TelegramApplication
) -> None:
    calls = fake.calls_to("setMyCommands")

    by_language = {call.get("language_code"): call["commands"] for call in calls}
    assert set(by_language) == {None, "en", "fr", "es"}
    assert by_language["fr"][0]["command"] == "start"
    assert by_language["fr"][0]["description"] != by_language["en"][0]["description"]
    assert by_language["es"][0]["description"] != by_language["en"][0]["description"]


async def test_failing_command_menu_does_not_stop_the_bot(
    fake: FakeTelegramAPI, settings: Settings, core: EchoCore, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail_next("setMyCommands", (500, "Internal Server Error"), times=4)
    application = build_application(settings, core)

    async with running(application, settings, poll_timeout=1):
        fake.inject_message("still there?")
        [sent] = await fake.wait_for("sendMessage")

    assert sent["text"].startswith("You said: still there?")
    assert "could not set the Telegram command menu" in caplog.text


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        ({"photo": [{"file_id": "p", "file_unique_id": "p", "width": 9, "height": 9}]}, "message"),
        (
            {
                "sticker": {
                    "file_id": "s",
                    "file_unique_id": "s",
                    "type": "regular",
                    "width": 9,
                    "height": 9,
                    "is_animated": False,
                    "is_video": False,
                }
            },
            "message",
        ),
        ({"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}}, "message"),
        ({"location": {"latitude": 5.6, "longitude": -0.2}}, "message"),
        ({"document": {"file_id": "d", "file_unique_id": "d"}}, "message"),
        ({"text": "corrected"}, "edited_message"),
        ({"text": "news"}, "channel_post"),
    ],
)
async def test_non_text_update_gets_a_short_note_and_no_crash(
    fake: FakeTelegramAPI,
    telegram_bot: TelegramApplication,
    core: EchoCore,
    content: dict[str, Any],
    kind: str,
) -> None:
    chat_type = "channel" if kind == "channel_post" else "private"
    chat_id = -1001 if kind == "channel_post" else 42
    fake.inject_message(chat_id=chat_id, chat_type=chat_type, kind=kind, **content)

    [sent] = await fake.wait_for("sendMessage")

    assert sent["chat_id"] == chat_id
    assert "text messages" in sent["text"] or "new messages" in sent["text"]
    assert core.seen == []


async def test_note_is_in_the_users_language(
    fake: FakeTelegramAPI, telegram_bot: TelegramApplication
) -> None:
    fake.inject_message(
        language_code="es", voice={"file_id": "v", "file_unique_id": "v", "duration": 1}
    )

    [sent] = await fake.wait_for("sendMessage")

    assert sent["text"].startswith("Solo leo mensajes de texto")


async def test_group_chat_ignores_plain_text_but_answers_a_mention(
    fake: FakeTelegramAPI, telegram_bot: TelegramApplication, core: EchoCore
) -> None:
    fake.inject_message("just chatting", chat_id=-100, chat_type="supergroup")
    question = fake.inject_message(
        f"@{fake.bot_username} where are the trainings?", chat_id=-100, chat_type="supergroup"
    )

    [sent] = await fake.wait_for("sendMessage")
    await fake.wait_until_idle(0.2)

    assert len(fake.calls_to("sendMessage")) == 1
    assert sent["chat_id"] == -100
    assert sent["reply_parameters"]["message_id"] == question["message"]["message_id"]
    [incoming] = core.seen
    assert incoming.text == "where are the trainings?"
    assert incoming.is_private is False


async def test_group_chat_takes_commands_for_this_bot_only(
    fake: FakeTelegramAPI, telegram_bot: TelegramApplication, core: EchoCore
) -> None:
    fake.inject_message("/help@other_bot", chat_id=-100, chat_type="group")
    fake.inject_message(f"/help@{fake.bot_username}", chat_id=-100, chat_type="group")

    await fake.wait_for("sendMessage")
    await fake.wait_until_idle(0.2)

    assert [incoming.text for incoming in core.seen] == ["/help"]


async def test_core_failure_is_logged_with_an_id_and_the_user_gets_an_apology(
    fake: FakeTelegramAPI,
    telegram_bot: TelegramApplication,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake.inject_message("/boom", language_code="fr")

    [sent] = await fake.wait_for("sendMessage")

    error_id = sent["text"].rsplit(" ", 1)[-1]
    assert sent["text"].startswith("Désolé")
    assert len(error_id) == 8
    [record] = [r for r in caplog.records if error_id in r.getMessage()]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and "the core failed" in str(record.exc_info[1])


async def test_blocked_user_while_answering_does_not_stop_the_bot(
    fake: FakeTelegramAPI, telegram_bot: TelegramApplication
) -> None:
    fake.fail_next("sendMessage", BLOCKED)
    fake.inject_message("Hello", user_id=7, chat_id=7)
    await fake.wait_for("sendMessage")

    fake.inject_message("Hello again")
    sent = await fake.wait_for("sendMessage", 2)

    assert sent[-1]["text"].startswith("You said: Hello again")  # no apology to a blocked user
    assert sent[-1]["chat_id"] == 42


async def test_reply_waits_out_short_flood_control_and_is_delivered(
    fake: FakeTelegramAPI, telegram_bot: TelegramApplication
) -> None:
    fake.fail_next("sendMessage", retry_after=1)
    fake.inject_message("Hello")

    sent = await fake.wait_for("sendMessage", 2)

    assert sent[0] == sent[1]  # the same message, tried twice
    assert fake.calls_to("sendMessage")[-1]["text"].startswith("You said: Hello")


async def test_one_slow_chat_does_not_hold_up_another(
    fake: FakeTelegramAPI, settings: Settings
) -> None:
    release = asyncio.Event()
    loop = asyncio.get_running_loop()

    def handle(incoming):  # type: ignore[no-untyped-def]
        from bot.core import Reply

        if incoming.chat_id == "1":
            asyncio.run_coroutine_threadsafe(release.wait(), loop).result(timeout=5)
        return [Reply(text=f"done {incoming.chat_id}")]

    application = build_application(settings, handle)
    async with running(application, settings, poll_timeout=1):
        fake.inject_message("slow", chat_id=1, user_id=1)
        fake.inject_message("fast", chat_id=2, user_id=2)
        [first] = await fake.wait_for("sendMessage")
        release.set()
        await fake.wait_for("sendMessage", 2)

    assert first["text"] == "done 2"


async def test_wrong_token_fails_start_up_and_leaves_nothing_running(
    fake: FakeTelegramAPI, settings: Settings, core: EchoCore
) -> None:
    wrong = settings.model_copy(update={"telegram_bot_token": SecretStr("999:wrong")})
    application = build_application(wrong, core)

    with pytest.raises(InvalidToken):
        await start(application, wrong)

    assert not application.running
    assert fake.calls_to("getUpdates") == []
