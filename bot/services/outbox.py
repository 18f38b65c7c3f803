"""Queue notifications in the outbox and move them through their delivery states.

:func:`enqueue` is the one way to send anyone a notification: call it inside
the transaction that causes the message, with a dedupe key that names the
cause and the recipient (``opp:12:fp:7``). A second call with the same key
does nothing, whichever process makes it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, func, select

from bot.storage.db import session_scope
from bot.storage.notify_tables import OutboxMessage, OutboxState
from bot.storage.tables import utcnow

#: Kinds of notification; the digest gathers the ``DIGESTIBLE`` ones.
KINDS = (
    "opportunity", "reminder", "broadcast", "round_invitation", "round_reminder", "answer",
    "digest", "notice",
)  # fmt: skip
DIGESTIBLE = frozenset({"opportunity", "reminder"})
#: Lower goes first: an answer to a person's question overtakes a big broadcast.
PRIORITIES = {"answer": 0, "notice": 1, "round_invitation": 3, "round_reminder": 3}


def enqueue(
    *,
    session: Session,
    dedupe_key: str,
    kind: str,
    focal_point_id: int | None = None,
    account_id: int | None = None,
    render_key: str | None = None,
    params: dict[str, Any] | None = None,
    text: str | None = None,
    critical: bool = False,
    broadcast_id: int | None = None,
    opportunity_id: int | None = None,
    not_before: datetime | None = None,
) -> bool:
    """Queue one notification in the caller's transaction; return False if the key was queued.

    Address it to a focal point (every active account of theirs is a
    candidate) or to one account. Give either a catalogue ``render_key``
    with ``params``, rendered in the reader's language when sent, or a
    ready ``text``.
    """
    if (focal_point_id is None) == (account_id is None):
        raise ValueError("address a notification to a focal point or to an account")
    if (render_key is None) == (text is None):
        raise ValueError("give a notification either a render key or a text")
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    values = {
        "dedupe_key": dedupe_key[:200],
        "kind": kind,
        "priority": 0 if critical else PRIORITIES.get(kind, 5),
        "critical": critical,
        "focal_point_id": focal_point_id,
        "account_id": account_id,
        "render_key": render_key,
        "params": params or {},
        "text": text,
        "broadcast_id": broadcast_id,
        "opportunity_id": opportunity_id,
        "state": OutboxState.PENDING.value,
        "attempts": 0,
        "next_attempt_at": not_before or utcnow(),
        "created_at": utcnow(),
    }
    return insert_ignoring_duplicates(session=session, rows=[values]) == 1


def insert_ignoring_duplicates(*, session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Insert outbox rows, skipping those whose dedupe key exists; return how many were new."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(OutboxMessage).values(list(rows))
    statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
    # RETURNING counts what was inserted on both backends (rowcount may be -1).
    return len(session.execute(statement.returning(col(OutboxMessage.id))).all())


def _due(now: datetime) -> Any:
    waiting = col(OutboxMessage.state).in_([OutboxState.PENDING.value, OutboxState.RETRY.value])
    abandoned = and_(
        col(OutboxMessage.state) == OutboxState.SENDING.value,
        col(OutboxMessage.lease_until) < now,
    )
    return or_(and_(waiting, col(OutboxMessage.next_attempt_at) <= now), abandoned)


def claim(*, engine: Engine, worker: str, limit: int, lease: timedelta) -> list[int]:
    """Take up to ``limit`` due rows for ``worker`` and return their ids, oldest first.

    A row is due when it is pending or to retry and its time has come, or
    when it was being sent under a lease that ran out (its process died).
    On PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED``, so two
    dispatchers never take the same row; on SQLite one ``UPDATE ... RETURNING``
    statement holds the database's single write lock while it picks and takes.
    """
    now = utcnow()
    taken = {
        "state": OutboxState.SENDING.value,
        "claimed_by": worker,
        "lease_until": now + lease,
    }
    order = (col(OutboxMessage.priority), col(OutboxMessage.id))
    with session_scope(engine) as session:
        if engine.dialect.name == "postgresql":
            ids = list(
                session.exec(
                    select(OutboxMessage.id)
                    .where(_due(now))
                    .order_by(*order)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                ).all()
            )
            if not ids:
                return []
            session.execute(
                update(OutboxMessage).where(col(OutboxMessage.id).in_(ids)).values(**taken)
            )
            return sorted(i for i in ids if i is not None)
        chosen = select(OutboxMessage.id).where(_due(now)).order_by(*order).limit(limit)
        result = session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(chosen.scalar_subquery()), _due(now))
            .values(**taken)
            .returning(col(OutboxMessage.id))
        )
        return sorted(int(row[0]) for row in result.all())


def finish(
    *,
    session: Session,
    row_id: int,
    state: OutboxState,
    error: str | None = None,
    attempts: int | None = None,
    next_attempt_at: datetime | None = None,
    channel: str | None = None,
    chat_id: str | None = None,
    message_id: str | None = None,
) -> None:
    """Record what became of a claimed row."""
    values: dict[str, Any] = {"state": state.value, "lease_until": None}
    if error is not None:
        values["last_error"] = error[:1000]
    if attempts is not None:
        values["attempts"] = attempts
    if next_attempt_at is not None:
        values["next_attempt_at"] = next_attempt_at
    if channel is not None:
        values["channel"], values["chat_id"] = channel, chat_id
    if state is OutboxState.SENT:
        values["platform_message_id"] = message_id
        values["sent_at"] = utcnow()
    session.execute(update(OutboxMessage).where(col(OutboxMessage.id) == row_id).values(**values))


@dataclass(frozen=True, slots=True)
class OutboxStatus:
    """Counts of rows by state, and the latest errors."""

    counts: dict[str, int]
    errors: list[tuple[int, str, str, str]]


def status(*, session: Session, broadcast_id: int | None = None, errors: int = 10) -> OutboxStatus:
    """Count the rows by state (of one broadcast, or all) and list the latest errors."""
    counting = select(OutboxMessage.state, func.count()).group_by(col(OutboxMessage.state))
    failing = (
        select(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.state, OutboxMessage.last_error)
        .where(col(OutboxMessage.last_error).is_not(None))
        .order_by(col(OutboxMessage.id).desc())
        .limit(errors)
    )
    if broadcast_id is not None:
        counting = counting.where(OutboxMessage.broadcast_id == broadcast_id)
        failing = failing.where(OutboxMessage.broadcast_id == broadcast_id)
    counts = Counter({state.value: 0 for state in OutboxState})
    counts.update({str(state): int(n) for state, n in session.exec(counting).all()})
    last = [
        (int(i or 0), str(kind), str(state), str(error or ""))
        for i, kind, state, error in session.exec(failing).all()
    ]
    return OutboxStatus(counts=dict(counts), errors=last)


def release_held(*, session: Session, row_ids: Iterable[int], digest_key: str) -> None:
    """Mark held rows as gathered into the digest queued under ``digest_key``."""
    ids = list(row_ids)
    if ids:
        session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(ids))
            .values(state=OutboxState.SKIPPED.value, platform_message_id=digest_key[:100])
        )
