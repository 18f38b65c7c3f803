"""Process updates of different chats concurrently and those of one chat in order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Serialise the updates of each chat so one person's messages are answered in order.

    Different chats run concurrently (up to ``max_concurrent_updates``), which
    keeps one slow answer from holding up everybody else.
    """

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await ``coroutine`` once no earlier update of the same chat is running."""
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._holders[chat.id] = self._holders.get(chat.id, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._holders[chat.id] -= 1
            if not self._holders[chat.id]:
                del self._holders[chat.id]
                del self._locks[chat.id]

    async def initialize(self) -> None:
        """Allocate nothing: the locks are created on demand."""

    async def shutdown(self) -> None:
        """Forget the locks."""
        self._locks.clear()
        self._holders.clear()
