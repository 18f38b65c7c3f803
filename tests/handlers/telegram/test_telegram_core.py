"""Run the real core behind the real python-telegram-bot against the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import AppContext, build_context
from bot.config import Settings
from bot.i18n import translate
from handlers.telegram import build_application, running
from handlers.telegram.app import TelegramApplication
from handlers.telegram.commands import CommandMenu
from tests.fakes.telegram_api import FakeTelegramAPI


@pytest.fixture
def context(settings: Settings) -> AppContext:
    return build_context(settings)


def core_menu(context: AppContext) -> CommandMenu:
    """Build the command menu from the core's own commands, as the composition root may."""

    def menu(language: str) -> list[tuple[str, str]]:
        commands = context.assistant.router.commands.values()
        unique = {c.name: c for c in commands if not c.admin_only}
        return [(name, translate(c.help_key, language)) for name, c in unique.items()]

    return menu


@pytest.fixture
async def telegram_core_bot(
    fake: FakeTelegramAPI, settings: Settings, context: AppContext
) -> AsyncIterator[TelegramApplication]:
    application = build_application(settings, context.assistant.handle)
    async with running(application, settings, poll_timeout=1, command_menu=core_menu(context)):
        yield application


async def test_start_greets_in_the_users_language_and_shows_the_menu(
    fake: FakeTelegramAPI, telegram_core_bot: TelegramApplication
) -> None:
    fake.inject_message("/start", language_code="fr")

    greeting, menu = await fake.wait_for("sendMessage", 2)

    assert greeting["text"].startswith("Bienvenue")
    assert menu["reply_markup"]["inline_keyboard"]
    assert "reply_markup" not in greeting


async def test_menu_button_then_language_button_switch_to_spanish(
    fake: FakeTelegramAPI, telegram_core_bot: TelegramApplication
) -> None:
    fake.inject_message("/start", language_code="fr")
    await fake.wait_for("sendMessage", 2)
    menu = list(fake.messages.values())[-1]

    fake.inject_callback("m:language", message=menu, language_code="fr")
    sent = await fake.wait_for("sendMessage", 3)
    choices = list(fake.messages.values())[-1]
    actions = [row[0]["callback_data"] for row in sent[-1]["reply_markup"]["inline_keyboard"]]
    assert "lang:es" in actions

    fake.inject_callback("lang:es", message=choices, language_code="fr")
    sent = await fake.wait_for("sendMessage", 4)

    assert "Español" in sent[-1]["text"]
    assert len(fake.calls_to("answerCallbackQuery")) == 2


async def test_personal_command_in_a_group_is_sent_to_a_private_chat(
    fake: FakeTelegramAPI, telegram_core_bot: TelegramApplication
) -> None:
    fake.inject_message(f"/profile@{fake.bot_username}", chat_id=-100, chat_type="group")

    [sent] = await fake.wait_for("sendMessage")

    assert sent["chat_id"] == -100
    assert sent["text"] == translate("command.private_only", "en")


async def test_command_menu_comes_from_the_core(
    fake: FakeTelegramAPI, telegram_core_bot: TelegramApplication
) -> None:
    calls = {call.get("language_code"): call["commands"] for call in fake.calls_to("setMyCommands")}

    names = [command["command"] for command in calls["es"]]
    assert {"start", "help", "language"} <= set(names)
    descriptions = {command["command"]: command["description"] for command in calls["es"]}
    assert descriptions["start"] == translate("help.start", "es")
