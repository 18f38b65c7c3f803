"""The worker runs the dispatcher and the scheduler together and stops when told."""

from __future__ import annotations

import asyncio

from bot.app import AppContext
from bot.cli_notify import build_senders
from bot.core import Channel
from bot.notify.dispatcher import DispatcherConfig
from bot.notify.worker import notification_worker, run_workers
from bot.services import broadcasts
from bot.storage.db import session_scope
from tests.helpers.notify import RecordingSender, person


async def test_the_worker_delivers_what_is_queued_and_stops_on_the_event(
    context: AppContext,
) -> None:
    with session_scope(context.engine) as session:
        person(session, language="en")
        broadcasts.create_broadcast(
            session=session, text="Hi", segment=broadcasts.Segment(), actor="t"
        )
    sender = RecordingSender()
    stop = asyncio.Event()
    config = DispatcherConfig(poll_interval=0.02)
    task = asyncio.create_task(
        run_workers(context.engine, {Channel.CONSOLE: sender}, stop, config=config)
    )
    for _ in range(200):
        if sender.delivered:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert len(sender.delivered) == 1


async def test_the_runtime_worker_stops_at_once_when_asked(context: AppContext) -> None:
    stop = asyncio.Event()
    stop.set()
    await asyncio.wait_for(notification_worker(context, {}, stop), 5)


def test_senders_given_in_the_context_replace_the_built_ones(context: AppContext) -> None:
    sender = RecordingSender()
    context.extras["senders"] = {Channel.CONSOLE: sender}
    assert build_senders(context) == {Channel.CONSOLE: sender}


def test_without_platforms_the_console_sender_is_built(context: AppContext) -> None:
    assert list(build_senders(context)) == [Channel.CONSOLE]
