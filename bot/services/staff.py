"""Keep the console's staff accounts: passwords, sign-in with rate limits, sessions.

Passwords are hashed with Argon2id (argon2-cffi's defaults: memory-hard, 64 MiB).
A session is a random token: the browser keeps it in a signed cookie, the
database only its SHA-256, so a leaked database opens no session.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from bot import vocab
from bot.errors import NotFound, UserInputError
from bot.services import audit
from bot.storage.staff_tables import (
    ConsoleSecret,
    LoginAttempt,
    StaffAccount,
    StaffRole,
    StaffSession,
)
from bot.storage.tables import utcnow

MIN_PASSWORD_LENGTH = 12
#: Wrong passwords for one e-mail within the window before it is locked for the window.
MAX_FAILURES_PER_EMAIL = 5
#: Wrong passwords from one address within the window before the address must wait.
MAX_FAILURES_PER_ADDRESS = 20
ATTEMPT_WINDOW = timedelta(minutes=15)
#: A session ends after this long whatever happens, or after this long unused.
SESSION_LIFETIME = timedelta(hours=12)
SESSION_IDLE = timedelta(hours=2)

_hasher = PasswordHasher()
# Compared against when the e-mail is unknown, so the reply takes as long either way.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


@dataclass(frozen=True, slots=True)
class Staff:
    """The signed-in staff member, as the console's pages see them."""

    id: int
    email: str
    name: str
    role: StaffRole
    region: str | None

    @property
    def is_secretariat(self) -> bool:
        """Tell whether this person sees every region."""
        return self.role is StaffRole.SECRETARIAT

    @property
    def actor(self) -> str:
        """Return how the audit log names this person."""
        return f"staff:{self.email}"

    @classmethod
    def of(cls, account: StaffAccount) -> Staff:
        """Return the view of a stored account."""
        assert account.id is not None
        return cls(
            id=account.id,
            email=account.email,
            name=account.name,
            role=StaffRole(account.role),
            region=account.region,
        )


class LoginRefused(UserInputError):
    """Sign-in failed; the message is safe to show and never says which part was wrong."""


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were stored in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=utcnow().tzinfo)


def hash_password(password: str) -> str:
    """Return the Argon2id hash of a password, refusing one that is too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserInputError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def add_staff(
    *,
    session: Session,
    email: str,
    password: str,
    role: str,
    region: str | None,
    actor: str,
    name: str = "",
) -> StaffAccount:
    """Create a staff account; regional-centre staff need a UN region, the Secretariat none."""
    address = email.strip().lower()
    if "@" not in address or "." not in address.partition("@")[2]:
        raise UserInputError(f"not an e-mail address: {email!r}")
    try:
        staff_role = StaffRole(role)
    except ValueError as exc:
        raise UserInputError(
            f"role must be one of: {', '.join(r.value for r in StaffRole)}"
        ) from exc
    code: str | None = None
    if staff_role is StaffRole.REGIONAL_CENTRE:
        code = vocab.REGION.parse(region or "", "en") if region else None
        if code is None:
            raise UserInputError(
                f"regional-centre staff need --region, one of: {', '.join(vocab.REGIONS)}"
            )
    elif region:
        raise UserInputError("Secretariat staff see every region; leave --region out")
    if session.exec(select(StaffAccount).where(StaffAccount.email == address)).first():
        raise UserInputError(f"{address} already has an account")
    account = StaffAccount(
        email=address,
        name=name,
        role=staff_role.value,
        region=code,
        password_hash=hash_password(password),
    )
    session.add(account)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="staff.add",
        target=f"staff:{address}",
        role=staff_role.value,
        region=code,
    )
    return account


def list_staff(*, session: Session) -> list[StaffAccount]:
    """Return every staff account, by e-mail."""
    return list(session.exec(select(StaffAccount).order_by(col(StaffAccount.email))).all())


def find_staff(*, session: Session, email: str) -> StaffAccount:
    """Return the account of ``email`` or raise NotFound."""
    address = email.strip().lower()
    account = session.exec(select(StaffAccount).where(StaffAccount.email == address)).first()
    if account is None:
        raise NotFound(f"no staff account {address}")
    return account


def disable_staff(*, session: Session, email: str, actor: str) -> StaffAccount:
    """Disable an account and end its sessions at once."""
    account = find_staff(session=session, email=email)
    account.active = False
    session.add(account)
    session.execute(delete(StaffSession).where(col(StaffSession.staff_id) == account.id))
    audit.record(session=session, actor=actor, action="staff.disable", target=f"staff:{email}")
    return account


def _recent_failures(session: Session, column: object, value: str) -> int:
    since = utcnow() - ATTEMPT_WINDOW
    return int(
        session.exec(
            select(func.count())
            .select_from(LoginAttempt)
            .where(column == value, col(LoginAttempt.at) >= since)
        ).one()
    )


def authenticate(*, session: Session, email: str, password: str, address: str) -> StaffAccount:
    """Return the account if the password is right, or raise :class:`LoginRefused`.

    Failures are counted by e-mail and by client address; past the limits,
    even the right password is refused until the window has passed.
    """
    address_key = address[:64]
    email_key = email.strip().lower()[:320]
    refused = LoginRefused("wrong e-mail or password")
    if _recent_failures(session, col(LoginAttempt.address), address_key) >= (
        MAX_FAILURES_PER_ADDRESS
    ):
        raise LoginRefused("too many failed sign-ins from here; wait 15 minutes")
    account = session.exec(select(StaffAccount).where(StaffAccount.email == email_key)).first()
    locked = bool(
        account is not None and account.locked_until and _aware(account.locked_until) > utcnow()
    )
    ok = False
    try:
        ok = _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        ok = False
    if account is None or not account.active or not ok or locked:
        session.add(LoginAttempt(email=email_key, address=address_key))
        if account is not None and not locked:
            account.failed_logins += 1
            if account.failed_logins >= MAX_FAILURES_PER_EMAIL:
                account.locked_until = utcnow() + ATTEMPT_WINDOW
                account.failed_logins = 0
                audit.record(
                    session=session,
                    actor="console",
                    action="staff.lock",
                    target=f"staff:{email_key}",
                )
            session.add(account)
        if locked:
            raise LoginRefused("too many failed sign-ins for this account; wait 15 minutes")
        raise refused
    account.failed_logins, account.locked_until, account.last_login_at = 0, None, utcnow()
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    session.add(account)
    return account


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(*, session: Session, account: StaffAccount, user_agent: str = "") -> str:
    """Open a session for a signed-in account; return the token for the cookie."""
    assert account.id is not None
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=_token_hash(token),
            staff_id=account.id,
            expires_at=utcnow() + SESSION_LIFETIME,
            user_agent=user_agent[:300],
        )
    )
    audit.record(session=session, actor=f"staff:{account.email}", action="staff.login")
    return token


def resume_session(*, session: Session, token: str) -> Staff | None:
    """Return the staff member of a live session, touching it; None when it has ended."""
    row = session.exec(
        select(StaffSession).where(StaffSession.token_hash == _token_hash(token))
    ).first()
    if row is None:
        return None
    now = utcnow()
    if _aware(row.expires_at) <= now or _aware(row.last_seen_at) <= now - SESSION_IDLE:
        session.delete(row)
        return None
    account = session.get(StaffAccount, row.staff_id)
    if account is None or not account.active:
        session.delete(row)
        return None
    # Touch at most once a minute: most requests then only read.
    if _aware(row.last_seen_at) <= now - timedelta(minutes=1):
        row.last_seen_at = now
        session.add(row)
    return Staff.of(account)


def end_session(*, session: Session, token: str, actor: str) -> None:
    """Forget a session (sign-out)."""
    session.execute(delete(StaffSession).where(col(StaffSession.token_hash) == _token_hash(token)))
    audit.record(session=session, actor=actor, action="staff.logout")


def console_secret(*, session: Session) -> str:
    """Return the stored cookie-signing key, making it on first use."""
    row = session.get(ConsoleSecret, "cookies")
    if row is None:
        row = ConsoleSecret(name="cookies", value=secrets.token_urlsafe(48))
        session.add(row)
        session.flush()
    return row.value
