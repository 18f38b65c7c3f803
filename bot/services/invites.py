"""Issue and redeem one-time codes that link a chat account to a verified focal point."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from bot.errors import InviteError, NotFound
from bot.services import audit
from bot.storage.tables import ChannelAccount, FocalPoint, Invite, RedeemAttempt, utcnow

#: Wrong codes allowed per account within the window before redeeming is refused.
MAX_FAILED_ATTEMPTS = 5
ATTEMPT_WINDOW = timedelta(minutes=15)
# No 0/O/1/I/L: codes are read off screens and typed on phones.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


@dataclass(frozen=True, slots=True)
class IssuedInvite:
    """A freshly made invite; the plain code exists only here, never in the database."""

    code: str
    focal_point: FocalPoint
    expires_at: datetime


def hash_code(code: str) -> str:
    """Return the stored form of a code (case and spacing do not matter to users)."""
    normalised = "".join(code.split()).upper().replace("-", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


def find_focal_point(*, session: Session, ref: str) -> FocalPoint:
    """Return the focal point with this id or e-mail address."""
    ref = ref.strip()
    focal_point = (
        session.get(FocalPoint, int(ref))
        if ref.isdigit()
        else session.exec(select(FocalPoint).where(FocalPoint.email == ref.lower())).first()
    )
    if focal_point is None:
        raise NotFound(f"no focal point with id or e-mail {ref!r}")
    return focal_point


def issue_invite(
    *, session: Session, focal_point: FocalPoint, created_by: str, ttl: timedelta
) -> IssuedInvite:
    """Make a new single-use code for ``focal_point``, valid for ``ttl``."""
    code = "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))
    expires_at = utcnow() + ttl
    assert focal_point.id is not None
    session.add(
        Invite(
            focal_point_id=focal_point.id,
            code_hash=hash_code(code),
            expires_at=expires_at,
            created_by=created_by,
        )
    )
    audit.record(
        session=session, actor=created_by, action="invite.issue", target=f"fp:{focal_point.id}"
    )
    return IssuedInvite(code=code, focal_point=focal_point, expires_at=expires_at)


def _as_aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes even for timezone columns; they are UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def redeem_invite(*, session: Session, account: ChannelAccount, code: str) -> FocalPoint:
    """Link ``account`` to the invite's focal point, or raise :class:`InviteError`.

    The error message is a translation key the caller shows the user.
    """
    assert account.id is not None
    since = utcnow() - ATTEMPT_WINDOW
    failures = session.exec(
        select(func.count())
        .select_from(RedeemAttempt)
        .where(RedeemAttempt.account_id == account.id, RedeemAttempt.at >= since)
    ).one()
    if failures >= MAX_FAILED_ATTEMPTS:
        raise InviteError("invite.rate_limited")
    invite = session.exec(select(Invite).where(Invite.code_hash == hash_code(code))).first()
    problem: str | None = None
    if invite is None:
        problem = "invite.unknown"
    elif invite.used_at is not None:
        problem = "invite.used"
    elif _as_aware(invite.expires_at) < utcnow():
        problem = "invite.expired"
    if problem is not None or invite is None:
        session.add(RedeemAttempt(account_id=account.id))
        session.commit()
        raise InviteError(problem or "invite.unknown")
    focal_point = session.get(FocalPoint, invite.focal_point_id)
    if focal_point is None:
        raise InviteError("invite.unknown")
    invite.used_at = utcnow()
    invite.used_by_account_id = account.id
    account.focal_point_id = focal_point.id
    if account.language is None:
        account.language = focal_point.language
    session.add(invite)
    session.add(account)
    audit.record(
        session=session,
        actor=f"{account.channel}:{account.platform_user_id}",
        action="invite.redeem",
        target=f"fp:{focal_point.id}",
    )
    return focal_point
