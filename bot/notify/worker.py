"""Run the dispatcher and the scheduler together until told to stop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from bot.core import Channel
from bot.notify.dispatcher import Dispatcher, DispatcherConfig
from bot.notify.scheduler import run_scheduler
from bot.ports import Sender

if TYPE_CHECKING:
    from bot.app import AppContext

logger = logging.getLogger(__name__)


async def run_workers(
    engine: Engine,
    senders: Mapping[Channel, Sender],
    stop: asyncio.Event,
    *,
    config: DispatcherConfig | None = None,
    schedule_every: float = 60.0,
) -> None:
    """Deliver the outbox and run the scheduled jobs until ``stop`` is set."""
    dispatcher = Dispatcher(engine=engine, senders=senders, config=config)
    logger.info(
        "dispatcher %s sending on %s", dispatcher.worker, ", ".join(c.value for c in senders)
    )
    await asyncio.gather(dispatcher.run(stop), run_scheduler(engine, stop, every=schedule_every))


async def notification_worker(
    context: AppContext, senders: dict[Channel, Sender], stop: asyncio.Event
) -> None:
    """Run the dispatcher and the scheduler as a ``bot.runtime.Worker`` of ``article16 run``."""
    await run_workers(context.engine, senders, stop)
