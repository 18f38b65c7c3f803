"""Queue the notifications that come due with time: deadline reminders, rounds, digests.

Every job only writes outbox rows with dedupe keys, so running it twice, or
in two processes at once, queues nothing twice; the dispatcher sends them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.services import outbox, rounds
from bot.services.opportunities import address
from bot.storage.db import session_scope
from bot.storage.needs_tables import Round
from bot.storage.notify_tables import (
    Dismissal,
    NotificationPreference,
    Opportunity,
    OpportunityMatch,
    OutboxMessage,
    OutboxState,
)
from bot.storage.tables import ChannelAccount, QuestionLog, utcnow

logger = logging.getLogger(__name__)

#: Reminders go this many days before an application deadline.
REMIND_DAYS_BEFORE = 3
DIGEST_PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; they are UTC.
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def queue_deadline_reminders(*, session: Session, today: date) -> int:
    """Remind people of matched opportunities whose deadline is near and not dismissed."""
    rows = session.exec(
        select(OpportunityMatch, Opportunity)
        .join(Opportunity, col(Opportunity.id) == col(OpportunityMatch.opportunity_id))
        .where(
            Opportunity.status == "published",
            col(Opportunity.deadline) >= today,
            col(Opportunity.deadline) <= today + timedelta(days=REMIND_DAYS_BEFORE),
        )
    ).all()
    dismissed = set(session.exec(select(Dismissal.opportunity_id, Dismissal.recipient)).all())
    queued = 0
    for match, opportunity in rows:
        if (opportunity.id, match.recipient) in dismissed:
            continue
        fp_id, account_id = address(match.recipient)
        queued += outbox.enqueue(
            session=session,
            dedupe_key=f"remind:{opportunity.id}:{match.recipient}",
            kind="reminder",
            render_key="notify.reminder",
            params={"opportunity_id": opportunity.id},
            opportunity_id=opportunity.id,
            focal_point_id=fp_id,
            account_id=account_id,
        )
    return queued


def queue_round_messages(*, session: Session, today: date) -> int:
    """Invite focal points to open needs-assessment rounds, and remind those yet to answer."""
    queued = 0
    for round_ in session.exec(select(Round).where(Round.status == "open")).all():
        assert round_.id is not None
        if round_.opens_on > today:
            continue
        rounds.sync_invitations(session=session, round_=round_)
        params = {"title": round_.title, "closes": f"{round_.closes_on}"}
        for invitation in rounds.pending_invitations(session=session, round_id=round_.id):
            queued += outbox.enqueue(
                session=session,
                dedupe_key=f"round:{round_.id}:invite:{invitation.focal_point_id}",
                kind="round_invitation",
                focal_point_id=invitation.focal_point_id,
                render_key="notify.round_invitation",
                params=params,
            )
            rounds.mark_invited(session=session, invitation=invitation)
        for invitation in rounds.due_reminders(session=session, round_id=round_.id, today=today):
            queued += outbox.enqueue(
                session=session,
                dedupe_key=f"round:{round_.id}:remind:{invitation.focal_point_id}",
                kind="round_reminder",
                focal_point_id=invitation.focal_point_id,
                render_key="notify.round_reminder",
                params=params,
            )
            rounds.mark_reminded(session=session, invitation=invitation)
    return queued


def queue_digests(*, session: Session, now: datetime) -> int:
    """Gather each digest reader's held notifications into one message when their period ends."""
    queued = 0
    readers = session.exec(
        select(NotificationPreference).where(col(NotificationPreference.digest) != "off")
    ).all()
    for preference in readers:
        period = DIGEST_PERIODS.get(preference.digest)
        last = _aware(preference.digest_sent_at)
        if period is None:
            continue
        if last is None:
            preference.digest_sent_at = now  # the first period starts now
            session.add(preference)
            continue
        if now - last < period:
            continue
        account = session.get(ChannelAccount, preference.account_id)
        if account is None:
            continue
        addressed = col(OutboxMessage.account_id) == account.id
        if account.focal_point_id is not None:
            addressed = addressed | (col(OutboxMessage.focal_point_id) == account.focal_point_id)
        held = session.exec(
            select(OutboxMessage).where(OutboxMessage.state == OutboxState.HELD.value, addressed)
        ).all()
        preference.digest_sent_at = now
        session.add(preference)
        ids = sorted({row.opportunity_id for row in held if row.opportunity_id is not None})
        if not ids:
            continue
        key = f"digest:{account.id}:{now:%Y%m%d%H%M}"
        queued += outbox.enqueue(
            session=session,
            dedupe_key=key,
            kind="digest",
            account_id=account.id,
            render_key="notify.digest",
            params={"period": preference.digest, "opportunities": ids},
        )
        outbox.release_held(session=session, row_ids=[r.id for r in held if r.id], digest_key=key)
    return queued


def relay_answer(*, session: Session, entry: QuestionLog) -> bool:
    """Queue the Secretariat's answer to a question for the person who asked it.

    Returns False when there is no account to write to, or it was queued before.
    """
    if entry.account_id is None or entry.id is None or not entry.secretariat_answer:
        return False
    return outbox.enqueue(
        session=session,
        dedupe_key=f"answer:{entry.id}",
        kind="answer",
        account_id=entry.account_id,
        render_key="notify.answer",
        params={"question": entry.question[:500], "answer": entry.secretariat_answer},
    )


Job = Callable[[Session, datetime], int]
JOBS: dict[str, Job] = {
    "deadline reminders": lambda s, now: queue_deadline_reminders(session=s, today=now.date()),
    "needs rounds": lambda s, now: queue_round_messages(session=s, today=now.date()),
    "digests": lambda s, now: queue_digests(session=s, now=now),
}


def run_jobs(engine: Engine, *, now: datetime | None = None) -> dict[str, int]:
    """Run every job once, each in its own transaction; return how many rows each queued."""
    moment = now or utcnow()
    results: dict[str, int] = {}
    for name, job in JOBS.items():
        try:
            with session_scope(engine) as session:
                results[name] = job(session, moment)
        except Exception:
            logger.exception("scheduled job %r failed; it runs again next time", name)
            results[name] = -1
    return results


async def run_scheduler(engine: Engine, stop: asyncio.Event, *, every: float = 60.0) -> None:
    """Run the jobs every ``every`` seconds until ``stop`` is set."""
    while not stop.is_set():
        results = await asyncio.to_thread(run_jobs, engine)
        if any(results.values()):
            logger.info("scheduler queued %s", results)
        try:
            await asyncio.wait_for(stop.wait(), every)
        except TimeoutError:
            pass
