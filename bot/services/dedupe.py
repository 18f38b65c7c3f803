"""Remember which platform events were handled, so a retry is not answered twice."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.storage.tables import ProcessedEvent


def claim_event(*, session: Session, key: str) -> bool:
    """Return True the first time ``key`` is seen, False on every later call.

    The primary key makes this safe across processes: two concurrent claims
    of one key cannot both insert.
    """
    session.add(ProcessedEvent(key=key[:200]))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True
