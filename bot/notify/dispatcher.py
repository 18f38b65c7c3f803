"""Send the outbox: claim due rows, render them, pace them, deliver them, record the outcome.

Delivery is at least once. A row is claimed under a lease before it is sent
and marked sent after; a process that dies between the two leaves the row
``sending`` with a lease that runs out, and the next claim takes it again.
So a crash can repeat at most the rows that were in flight: ``batch_size``
per dispatcher process. Nothing is lost, because a row leaves the due set
only when it is sent, dead, skipped or held.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from bot.core import Channel, Reply
from bot.errors import PermanentSendError, RateLimited, SendError, TransientSendError
from bot.notify.ratelimit import RateLimiter
from bot.notify.render import Unrenderable, render
from bot.ports import Sender
from bot.services import outbox
from bot.services.preferences import allows, get_preferences
from bot.storage.db import session_scope
from bot.storage.notify_tables import OutboxMessage, OutboxState
from bot.storage.tables import ChannelAccount, FocalPoint, utcnow

logger = logging.getLogger(__name__)

#: How long a row waits when this dispatcher has no sender for the person's channel.
UNSERVED_DELAY = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class DispatcherConfig:
    """How the dispatcher claims and retries."""

    #: Rows one process holds at a time: also the most a crash can repeat.
    batch_size: int = 50
    #: How long a claim lasts before another process may take the row again.
    lease: timedelta = timedelta(seconds=120)
    max_attempts: int = 8
    #: First retry delay in seconds; it doubles each attempt, with jitter.
    backoff_base: float = 2.0
    backoff_cap: float = 3600.0
    poll_interval: float = 1.0


@dataclass(frozen=True, slots=True)
class _Prepared:
    row_id: int
    attempts: int
    account_id: int
    channel: Channel
    chat_id: str
    reply: Reply


def worker_name() -> str:
    """Return a name for this dispatcher process, unique among its peers."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Dispatcher:
    """Deliver due outbox rows through the channels' senders."""

    def __init__(
        self,
        *,
        engine: Engine,
        senders: Mapping[Channel, Sender],
        limiter: RateLimiter | None = None,
        config: DispatcherConfig | None = None,
        worker: str | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.engine = engine
        self.senders = dict(senders)
        self.limiter = limiter or RateLimiter()
        self.config = config or DispatcherConfig()
        self.worker = worker or worker_name()
        self._rng = rng or random.Random()

    # ---- the loop --------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event | None = None, *, until_idle: bool = False) -> None:
        """Deliver until ``stop`` is set, or (``until_idle``) until nothing is left to do.

        New rows are claimed as soon as half the batch is done, so the
        channel never waits for the slowest message of a batch.
        """
        stop = stop or asyncio.Event()
        inflight: set[asyncio.Task[None]] = set()
        size = self.config.batch_size
        while not stop.is_set():
            claimed: list[int] = []
            if len(inflight) <= size // 2:
                claimed = await asyncio.to_thread(
                    outbox.claim,
                    engine=self.engine,
                    worker=self.worker,
                    limit=size - len(inflight),
                    lease=self.config.lease,
                )
                ready = await asyncio.to_thread(self._prepare_many, claimed)
                inflight.update(asyncio.create_task(self._deliver(p)) for p in ready)
            if inflight:
                _done, inflight = await asyncio.wait(
                    inflight, timeout=self.config.poll_interval, return_when=asyncio.FIRST_COMPLETED
                )
                continue
            if until_idle and await asyncio.to_thread(self.unfinished) == 0:
                break
            try:
                await asyncio.wait_for(stop.wait(), self.config.poll_interval)
            except TimeoutError:
                pass
        if inflight:
            await asyncio.wait(inflight)

    async def run_once(self) -> int:
        """Claim one batch, deliver it, and return how many rows were claimed."""
        claimed = await asyncio.to_thread(
            outbox.claim,
            engine=self.engine,
            worker=self.worker,
            limit=self.config.batch_size,
            lease=self.config.lease,
        )
        ready = await asyncio.to_thread(self._prepare_many, claimed)
        await asyncio.gather(*(self._deliver(prepared) for prepared in ready))
        return len(claimed)

    def unfinished(self) -> int:
        """Count the rows still to send (pending, to retry, or being sent)."""
        waiting = (OutboxState.PENDING.value, OutboxState.RETRY.value, OutboxState.SENDING.value)
        with Session(self.engine) as session:
            query = select(func.count()).where(col(OutboxMessage.state).in_(waiting))
            return int(session.exec(query).one())

    # ---- one row ---------------------------------------------------------------------------

    async def _deliver(self, prepared: _Prepared) -> None:
        try:
            await self._send(prepared)
        except Exception:
            logger.exception("outbox row %s could not be sent; it will be retried", prepared.row_id)
            await asyncio.to_thread(
                self._failed, prepared.row_id, prepared, "internal error", permanent=False
            )

    async def _send(self, prepared: _Prepared) -> None:
        sender = self.senders[prepared.channel]
        await self.limiter.acquire(prepared.channel, prepared.chat_id)
        try:
            delivery = await sender.send(chat_id=prepared.chat_id, reply=prepared.reply)
        except RateLimited as exc:
            self.limiter.pause(prepared.channel, exc.retry_after)
            await asyncio.to_thread(self._rate_limited, prepared, exc.retry_after)
        except TransientSendError as exc:
            await asyncio.to_thread(
                self._failed, prepared.row_id, prepared, str(exc), permanent=False
            )
        except PermanentSendError as exc:
            await asyncio.to_thread(self._account_gone, prepared, str(exc))
        except SendError as exc:
            await asyncio.to_thread(
                self._failed, prepared.row_id, prepared, str(exc), permanent=True
            )
        else:
            await asyncio.to_thread(self._sent, prepared, delivery.message_id)

    def _prepare_many(self, row_ids: list[int]) -> list[_Prepared]:
        """Prepare a claimed batch in one transaction.

        One thread doing the whole batch, rather than a thread per row, keeps
        the event loop free to fire each send on time.
        """
        ready: list[_Prepared] = []
        broken: list[int] = []
        with session_scope(self.engine) as session:
            for row_id in row_ids:
                try:
                    prepared = self._prepare(session, row_id)
                except Exception:
                    logger.exception("outbox row %s could not be prepared", row_id)
                    broken.append(row_id)
                    continue
                if prepared is not None:
                    ready.append(prepared)
        for row_id in broken:
            self._failed(row_id, None, "internal error", permanent=False)
        return ready

    def _prepare(self, session: Session, row_id: int) -> _Prepared | None:
        """Pick the account, check the preferences and render; settle rows that go nowhere."""
        row = session.get(OutboxMessage, row_id)
        if row is None or row.state != OutboxState.SENDING or row.claimed_by != self.worker:
            return None  # another dispatcher took it after our lease ran out
        account, language = self._recipient(session, row)
        if account is None or account.id is None:
            self._settle(session, row, OutboxState.SKIPPED, "no active chat account")
            return None
        if Channel(account.channel) not in self.senders:
            # A dispatcher that serves that channel (another process, or after
            # a restart with its token) will send it; keep it due for them.
            why = f"no {account.channel} sender in dispatcher {self.worker}"
            later = utcnow() + UNSERVED_DELAY
            outbox.finish(session=session, row_id=row_id, state=OutboxState.RETRY, error=why,
                          next_attempt_at=later)  # fmt: skip
            return None
        preferences = get_preferences(session=session, account_id=account.id)
        if not allows(preferences, kind=row.kind, critical=row.critical):
            self._settle(session, row, OutboxState.SKIPPED, "turned off by the recipient")
            return None
        if preferences.digest != "off" and row.kind in outbox.DIGESTIBLE and not row.critical:
            self._settle(session, row, OutboxState.HELD, None)
            return None
        try:
            reply = render(session=session, row=row, language=language)
        except Unrenderable as exc:
            self._settle(session, row, OutboxState.SKIPPED, str(exc))
            return None
        return _Prepared(
            row_id=row_id,
            attempts=row.attempts,
            account_id=account.id,
            channel=Channel(account.channel),
            chat_id=account.chat_id,
            reply=reply,
        )

    def _recipient(self, session: Session, row: OutboxMessage) -> tuple[ChannelAccount | None, str]:
        """Pick one active account of the person: the last used among the channels served here."""
        query = select(ChannelAccount).where(ChannelAccount.active == True)  # noqa: E712
        if row.account_id is not None:
            query = query.where(ChannelAccount.id == row.account_id)
        else:
            query = query.where(ChannelAccount.focal_point_id == row.focal_point_id)
        accounts = session.exec(query.order_by(col(ChannelAccount.last_seen_at).desc())).all()
        served = [a for a in accounts if a.channel in {c.value for c in self.senders}]
        # One message per person, even with accounts on several channels.
        account = served[0] if served else (accounts[0] if accounts else None)
        if account is None:
            return None, "en"
        person = session.get(FocalPoint, account.focal_point_id) if account.focal_point_id else None
        return account, account.language or (person.language if person else None) or "en"

    def _settle(
        self, session: Session, row: OutboxMessage, state: OutboxState, why: str | None
    ) -> None:
        assert row.id is not None
        outbox.finish(session=session, row_id=row.id, state=state, error=why)

    # ---- outcomes --------------------------------------------------------------------------

    def _sent(self, prepared: _Prepared, message_id: str) -> None:
        with session_scope(self.engine) as session:
            outbox.finish(
                session=session, row_id=prepared.row_id, state=OutboxState.SENT,
                channel=prepared.channel.value, chat_id=prepared.chat_id, message_id=message_id,
            )  # fmt: skip

    def _rate_limited(self, prepared: _Prepared, retry_after: float) -> None:
        # Not the message's fault: back in the queue without using up an attempt.
        with session_scope(self.engine) as session:
            outbox.finish(
                session=session, row_id=prepared.row_id, state=OutboxState.RETRY,
                next_attempt_at=utcnow() + timedelta(seconds=retry_after),
            )  # fmt: skip

    def backoff(self, attempts: int) -> float:
        """Return the delay before attempt ``attempts + 1``: doubling, capped, with jitter."""
        base = min(self.config.backoff_cap, self.config.backoff_base * 2 ** (attempts - 1))
        return float(base * self._rng.uniform(0.5, 1.5))

    def _failed(
        self, row_id: int, prepared: _Prepared | None, error: str, *, permanent: bool
    ) -> None:
        with session_scope(self.engine) as session:
            row = session.get(OutboxMessage, row_id)
            if row is None:
                return
            attempts = row.attempts + 1
            values: dict[str, Any] = {"error": error, "attempts": attempts}
            if prepared is not None:
                values |= {"channel": prepared.channel.value, "chat_id": prepared.chat_id}
            if permanent or attempts >= self.config.max_attempts:
                outbox.finish(session=session, row_id=row_id, state=OutboxState.DEAD, **values)
                return
            due: datetime = utcnow() + timedelta(seconds=self.backoff(attempts))
            outbox.finish(
                session=session, row_id=row_id, state=OutboxState.RETRY, next_attempt_at=due,
                **values,
            )  # fmt: skip

    def _account_gone(self, prepared: _Prepared, error: str) -> None:
        # The account is closed for good; another account of the person may still be reached.
        with session_scope(self.engine) as session:
            account = session.get(ChannelAccount, prepared.account_id)
            if account is not None:
                account.active = False
                session.add(account)
            outbox.finish(
                session=session, row_id=prepared.row_id, state=OutboxState.RETRY,
                error=error, attempts=prepared.attempts + 1, next_attempt_at=utcnow(),
                channel=prepared.channel.value, chat_id=prepared.chat_id,
            )  # fmt: skip
