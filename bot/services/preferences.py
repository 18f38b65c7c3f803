"""Keep what each account wants to receive: opportunities, announcements, digests, follows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot import vocab
from bot.storage.notify_tables import Follow, NotificationPreference, OutboxMessage, OutboxState
from bot.storage.tables import ChannelAccount, utcnow

DIGESTS = ("off", "daily", "weekly")
TOPICS = ("area", "kind")


@dataclass(frozen=True, slots=True)
class Preferences:
    """One account's choices (the defaults when it never chose)."""

    opportunities: bool = True
    announcements: bool = True
    digest: str = "off"


def get_preferences(*, session: Session, account_id: int) -> Preferences:
    """Return the account's preferences."""
    row = session.get(NotificationPreference, account_id)
    if row is None:
        return Preferences()
    return Preferences(row.opportunities, row.announcements, row.digest)


def _row(session: Session, account_id: int) -> NotificationPreference:
    row = session.get(NotificationPreference, account_id)
    return row if row is not None else NotificationPreference(account_id=account_id)


def set_preferences(
    *,
    session: Session,
    account_id: int,
    opportunities: bool | None = None,
    announcements: bool | None = None,
    digest: str | None = None,
) -> Preferences:
    """Change some of the account's preferences; leave the others as they are."""
    row = _row(session, account_id)
    if opportunities is not None:
        row.opportunities = opportunities
    if announcements is not None:
        row.announcements = announcements
    if digest is not None:
        if digest not in DIGESTS:
            raise ValueError(f"digest must be one of {', '.join(DIGESTS)}")
        if digest == "off" and row.digest != "off":
            _release_held(session, account_id)
        row.digest = digest
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return Preferences(row.opportunities, row.announcements, row.digest)


def _release_held(session: Session, account_id: int) -> None:
    """Send at once what was kept for the digest of someone who no longer wants one."""
    account = session.get(ChannelAccount, account_id)
    addressed = col(OutboxMessage.account_id) == account_id
    if account is not None and account.focal_point_id is not None:
        addressed = addressed | (col(OutboxMessage.focal_point_id) == account.focal_point_id)
    session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.state) == OutboxState.HELD.value, addressed)
        .values(state=OutboxState.PENDING.value, next_attempt_at=utcnow())
    )


def stop_all(*, session: Session, account_id: int) -> Preferences:
    """Turn every optional notification off (critical notices still arrive)."""
    return set_preferences(
        session=session, account_id=account_id, opportunities=False, announcements=False
    )


def allows(preferences: Preferences, *, kind: str, critical: bool) -> bool:
    """Tell whether a notification of ``kind`` may be sent to someone with ``preferences``."""
    if critical or kind in ("answer", "notice", "digest", "round_invitation", "round_reminder"):
        return True
    if kind == "broadcast":
        return preferences.announcements
    return preferences.opportunities


def follow(*, session: Session, account_id: int, topic: str, code: str) -> bool:
    """Follow an assistance area or a kind of opportunity; return False if already followed."""
    if topic not in TOPICS:
        raise ValueError(f"topic must be one of {', '.join(TOPICS)}")
    vocabulary = vocab.ASSISTANCE_AREA if topic == "area" else vocab.OPPORTUNITY_KIND
    vocabulary.require(code)
    exists = session.exec(
        select(Follow.id).where(
            Follow.account_id == account_id, Follow.topic == topic, Follow.code == code
        )
    ).first()
    if exists is not None:
        return False
    session.add(Follow(account_id=account_id, topic=topic, code=code))
    session.flush()
    return True


def unfollow(*, session: Session, account_id: int, topic: str, code: str) -> bool:
    """Stop following; return False if it was not followed."""
    row = session.exec(
        select(Follow).where(
            Follow.account_id == account_id, Follow.topic == topic, Follow.code == code
        )
    ).first()
    if row is None:
        return False
    session.delete(row)
    return True


def follows_of(*, session: Session, account_id: int) -> list[Follow]:
    """Return what the account follows."""
    query = select(Follow).where(Follow.account_id == account_id).order_by(col(Follow.id))
    return list(session.exec(query).all())
