"""Broadcast to many Telegram chats through a fake Bot API that enforces 30 messages a second.

The fake (the tests' FakeTelegramAPI, plus a sliding one-second window of 30
accepted ``sendMessage`` calls; the 31st gets a 429 with ``retry_after``)
runs in its own process on 127.0.0.1, as Telegram runs on its own servers.
The real dispatcher sends through the real ``TelegramSender`` and
python-telegram-bot ``Bot``. Printed: throughput as a fraction of the limit
(target >= 0.9), and lost and duplicated messages (target 0 and 0).

    .venv/bin/python benchmarks/bench_broadcast.py [--recipients 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import multiprocessing
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.fakes

from sqlmodel import col, func, select  # noqa: E402
from telegram import Bot  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bot.core import Channel  # noqa: E402
from bot.notify.dispatcher import Dispatcher, DispatcherConfig  # noqa: E402
from bot.services import broadcasts  # noqa: E402
from bot.storage.db import make_engine, session_scope, upgrade  # noqa: E402
from bot.storage.notify_tables import OutboxMessage  # noqa: E402
from bot.storage.tables import ChannelAccount, FocalPoint  # noqa: E402
from handlers.telegram.outbound import TelegramSender  # noqa: E402
from tests.fakes.telegram_api import FakeTelegramAPI, _error  # noqa: E402

LIMIT_PER_SECOND = 30
WINDOW = 1.0


class ThrottledTelegramAPI(FakeTelegramAPI):
    """Accept at most 30 sendMessage calls in any one-second window; count deliveries per chat."""

    def __init__(self) -> None:
        super().__init__()
        self.accepted: collections.deque[float] = collections.deque()
        self.per_chat: collections.Counter[int] = collections.Counter()
        self.refused = 0

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        now = time.monotonic()
        while self.accepted and now - self.accepted[0] >= WINDOW:
            self.accepted.popleft()
        if len(self.accepted) >= LIMIT_PER_SECOND:
            self.refused += 1
            return _error(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        self.accepted.append(now)
        self.per_chat[int(params["chat_id"])] += 1
        self.calls.clear()  # the base class keeps every call; a long run does not need them
        return await super()._api_sendMessage(params)


def serve_fake(conn: Connection) -> None:
    """Run the throttled fake Bot API in this (child) process until told to stop."""

    async def serve() -> None:
        async with ThrottledTelegramAPI() as fake:
            conn.send((fake.token, fake.base_url))
            loop = asyncio.get_running_loop()
            while await loop.run_in_executor(None, conn.recv) != "stop":
                conn.send((sum(fake.per_chat.values()), fake.refused))
            conn.send((dict(fake.per_chat), fake.refused))

    asyncio.run(serve())


def prepare(database_url: str, recipients: int) -> set[int]:
    """Add ``recipients`` focal points with a Telegram account each, and queue a broadcast."""
    engine = make_engine(database_url)
    upgrade(engine)
    chats = set()
    with session_scope(engine) as session:
        for n in range(recipients):
            person = FocalPoint(name=f"FP {n}", country="SN", language="en", verified=True)
            session.add(person)
            session.flush()
            chat = 1_000_000 + n
            chats.add(chat)
            session.add(
                ChannelAccount(
                    channel="telegram", platform_user_id=str(chat), chat_id=str(chat),
                    focal_point_id=person.id,
                )
            )  # fmt: skip
        session.flush()
        broadcasts.create_broadcast(
            session=session, text="Benchmark announcement", segment=broadcasts.Segment(),
            actor="bench",
        )  # fmt: skip
    engine.dispose()
    return chats


async def report_progress(conn: Connection, total: int, started: float) -> None:
    while True:
        await asyncio.sleep(30)
        conn.send("progress")
        done, refused = await asyncio.to_thread(conn.recv)
        rate = done / (time.monotonic() - started)
        print(f"  … {done}/{total} delivered, {rate:.1f} msg/s, {refused} 429s", flush=True)


async def run(database_url: str, recipients: int) -> None:
    chats = prepare(database_url, recipients)
    engine = make_engine(database_url)
    conn, child_conn = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve_fake, args=(child_conn,), daemon=True)
    server.start()
    token, base_url = conn.recv()
    request = HTTPXRequest(connection_pool_size=16)
    async with Bot(token, base_url=base_url, request=request) as bot:
        dispatcher = Dispatcher(
            engine=engine,
            senders={Channel.TELEGRAM: TelegramSender(bot)},
            config=DispatcherConfig(batch_size=100, poll_interval=0.2),
        )
        started = time.monotonic()
        progress = asyncio.create_task(report_progress(conn, recipients, started))
        await dispatcher.run(until_idle=True)
        elapsed = time.monotonic() - started
        progress.cancel()
    await asyncio.sleep(0.2)
    conn.send("stop")
    per_chat, refused = conn.recv()
    while isinstance(per_chat, int):  # a progress answer was still in the pipe
        per_chat, refused = conn.recv()
    server.join(timeout=5)
    with session_scope(engine) as session:
        states = dict(
            session.exec(
                select(OutboxMessage.state, func.count()).group_by(col(OutboxMessage.state))
            ).all()
        )
    lost = len(chats - set(per_chat))
    duplicated = sum(count - 1 for count in per_chat.values() if count > 1)
    throughput = sum(per_chat.values()) / elapsed
    print(f"recipients:            {recipients}")
    print(f"elapsed:               {elapsed:.1f} s")
    print(f"throughput:            {throughput:.2f} msg/s")
    print(f"fraction of the limit: {throughput / LIMIT_PER_SECOND:.3f} (target >= 0.9)")
    print(f"429 answers:           {refused}")
    print(f"lost:                  {lost} (target 0)")
    print(f"duplicated:            {duplicated} (target 0)")
    print(f"outbox states:         {states}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        asyncio.run(run(url, args.recipients))


if __name__ == "__main__":
    main()
