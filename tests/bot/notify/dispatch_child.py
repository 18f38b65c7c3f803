"""Run one dispatcher process for the crash and concurrency tests.

Usage: python dispatch_child.py DATABASE_URL OUT_FILE BATCH LEASE_SECONDS SEND_DELAY

Each delivery appends ``<chat id>`` as a line to OUT_FILE and fsyncs it before
the dispatcher records the row as sent: the file is what the users received.
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import timedelta

from bot.core import Channel, Reply
from bot.notify.dispatcher import Dispatcher, DispatcherConfig
from bot.notify.ratelimit import ChannelLimits, RateLimiter
from bot.ports import Delivery
from bot.storage.db import make_engine


class FileSender:
    channel = Channel.CONSOLE

    def __init__(self, path: str, delay: float) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._delay = delay

    async def send(self, *, chat_id: str, reply: Reply) -> Delivery:
        await asyncio.sleep(self._delay)
        os.write(self._fd, f"{chat_id}\n".encode())
        os.fsync(self._fd)
        return Delivery(message_id=chat_id)


def main() -> None:
    url, path, batch, lease, delay = sys.argv[1:6]
    engine = make_engine(url)
    config = DispatcherConfig(
        batch_size=int(batch), lease=timedelta(seconds=float(lease)), poll_interval=0.05
    )
    limiter = RateLimiter(limits={Channel.CONSOLE: ChannelLimits(10_000.0, 10_000.0)})
    dispatcher = Dispatcher(
        engine=engine,
        senders={Channel.CONSOLE: FileSender(path, float(delay))},
        limiter=limiter,
        config=config,
    )
    asyncio.run(dispatcher.run(until_idle=True))


if __name__ == "__main__":
    main()
