"""Publish the bot's command menu in every language the assistant speaks."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

from telegram import Bot, BotCommand
from telegram.constants import BotCommandLimit
from telegram.error import TelegramError

from bot.i18n import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, translate

logger = logging.getLogger(__name__)

#: Give the menu in a language: ``(command, description)`` pairs, commands without "/".
CommandMenu = Callable[[str], Sequence[tuple[str, str]]]

#: The commands shown when the caller passes no menu of its own.
DEFAULT_COMMANDS: tuple[str, ...] = ("start", "help", "menu", "profile", "language", "cancel")

_VALID_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


def default_menu(language: str) -> list[tuple[str, str]]:
    """Return the default menu in ``language``, described by the Telegram catalogue."""
    return [(name, translate(f"telegram.command.{name}", language)) for name in DEFAULT_COMMANDS]


def to_bot_commands(entries: Sequence[tuple[str, str]]) -> list[BotCommand]:
    """Turn menu entries into the commands Telegram accepts, dropping invalid names."""
    commands = []
    for name, description in entries:
        if not _VALID_COMMAND.match(name):
            logger.warning("command /%s cannot appear in Telegram's menu", name)
            continue
        text = description.strip()[: BotCommandLimit.MAX_DESCRIPTION] or name
        commands.append(BotCommand(name, text))
    return commands[: BotCommandLimit.MAX_COMMAND_NUMBER]


async def publish_commands(bot: Bot, menu: CommandMenu = default_menu) -> bool:
    """Set the command menu: English by default, then one per supported language.

    The menu is a convenience, so a failure is logged and start-up goes on;
    return whether every call succeeded.
    """
    targets: list[tuple[str | None, str]] = [(None, DEFAULT_LANGUAGE)]
    targets += [(language, language) for language in SUPPORTED_LANGUAGES]
    ok = True
    for language_code, language in targets:
        try:
            await bot.set_my_commands(to_bot_commands(menu(language)), language_code=language_code)
        except TelegramError:
            ok = False
            logger.warning(
                "could not set the Telegram command menu for %s",
                language_code or "default",
                exc_info=True,
            )
    return ok
