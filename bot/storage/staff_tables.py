"""Declare the tables of the staff console: accounts, sessions, login attempts, its secret."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, DateTime
from sqlmodel import Field, SQLModel

from bot.storage.tables import utcnow


def _timestamp(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), **kwargs))


def _moment(**kwargs: Any) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), **kwargs))


class StaffRole(StrEnum):
    """What a staff member may see: everything, or one UN region."""

    SECRETARIAT = "secretariat"
    REGIONAL_CENTRE = "regional-centre"


class StaffAccount(SQLModel, table=True):
    """A person of the Secretariat or of a regional centre who signs in to the console.

    ``region`` is set for regional-centre staff only. ``locked_until`` is set
    after too many wrong passwords in a row.
    """

    __tablename__ = "staff_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True, index=True)
    name: str = Field(default="", max_length=200)
    role: str = Field(max_length=20)
    region: str | None = Field(default=None, max_length=30)
    password_hash: str = Field(max_length=200)
    active: bool = Field(default=True)
    failed_logins: int = Field(default=0)
    locked_until: datetime | None = _moment()
    last_login_at: datetime | None = _moment()
    created_at: datetime = _timestamp(nullable=False)


class StaffSession(SQLModel, table=True):
    """A signed-in browser; the cookie holds the token, the table only its hash."""

    __tablename__ = "staff_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    staff_id: int = Field(foreign_key="staff_account.id", index=True, ondelete="CASCADE")
    created_at: datetime = _timestamp(nullable=False)
    last_seen_at: datetime = _timestamp(nullable=False)
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    user_agent: str = Field(default="", max_length=300)


class LoginAttempt(SQLModel, table=True):
    """A failed sign-in, by address and e-mail, for rate limiting."""

    __tablename__ = "staff_login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, index=True)
    address: str = Field(max_length=64, index=True)
    at: datetime = _timestamp(nullable=False, index=True)


class ConsoleSecret(SQLModel, table=True):
    """The key that signs console cookies when ``ARTICLE16_WEB_SECRET`` is not set."""

    __tablename__ = "console_secret"

    name: str = Field(primary_key=True, max_length=50)
    value: str = Field(max_length=200)
    created_at: datetime = _timestamp(nullable=False)
