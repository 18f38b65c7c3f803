"""Show "typing…" in a chat while the core prepares an answer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from telegram import Bot
from telegram.constants import ChatAction
from telegram.error import TelegramError

logger = logging.getLogger(__name__)

#: Telegram shows a chat action for about five seconds; renew it a little sooner.
RENEW_EVERY = 4.5
#: How long the answer may wait for a chat action already on its way.
SETTLE_TIMEOUT = 2.0


@contextlib.asynccontextmanager
async def typing(
    bot: Bot, chat_id: int | str, *, every: float = RENEW_EVERY
) -> AsyncIterator[None]:
    """Keep the "typing…" indicator on in ``chat_id`` until the block ends.

    The indicator runs alongside the block, so it adds no delay; on exit a
    request already on its way is let finish, so "typing…" never arrives
    after the answer (which would show it for five more seconds).
    """
    done = asyncio.Event()
    task = asyncio.create_task(_keep_typing(bot, chat_id, every, done))
    try:
        yield
    finally:
        done.set()
        try:
            await asyncio.wait_for(task, SETTLE_TIMEOUT)
        except TimeoutError:
            logger.debug("typing indicator in %s still pending; dropped", chat_id)


async def _keep_typing(bot: Bot, chat_id: int | str, every: float, done: asyncio.Event) -> None:
    while not done.is_set():
        try:
            await bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
        except TelegramError as exc:
            # Cosmetic only: never let the indicator hold up or break an answer.
            logger.debug("typing indicator failed in %s: %s", chat_id, exc)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), every)
