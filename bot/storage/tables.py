"""Declare the database tables (SQLModel)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Return the current time in UTC, timezone-aware."""
    return datetime.now(UTC)


def _timestamp(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), **kwargs))


class FocalPoint(SQLModel, table=True):
    """A person who speaks for a Party (or a centre, or the Secretariat).

    ``verified`` is True only for people on the Secretariat's list of
    designated contacts (imported by ``article16 fp import``); a profile that
    a user fills in themselves stays unverified.
    """

    __tablename__ = "focal_point"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320, unique=True, index=True)
    country: str | None = Field(default=None, max_length=2, index=True)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    conventions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    language: str = Field(default="en", max_length=5)
    verified: bool = Field(default=False, index=True)
    created_at: datetime = _timestamp(nullable=False)
    updated_at: datetime = _timestamp(nullable=False)


class ChannelAccount(SQLModel, table=True):
    """One person's account on one channel, and where to write to them."""

    __tablename__ = "channel_account"
    __table_args__ = (UniqueConstraint("channel", "platform_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=20, index=True)
    platform_user_id: str = Field(max_length=100)
    chat_id: str = Field(max_length=100)
    display_name: str | None = Field(default=None, max_length=200)
    language: str | None = Field(default=None, max_length=5)
    focal_point_id: int | None = Field(
        default=None, foreign_key="focal_point.id", index=True, ondelete="SET NULL"
    )
    active: bool = Field(default=True)
    created_at: datetime = _timestamp(nullable=False)
    last_seen_at: datetime = _timestamp(nullable=False)


class ConversationState(SQLModel, table=True):
    """Where one account stands in a guided flow; survives restarts."""

    __tablename__ = "conversation_state"

    account_id: int = Field(foreign_key="channel_account.id", primary_key=True, ondelete="CASCADE")
    flow: str = Field(max_length=50)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = _timestamp(nullable=False)


class Invite(SQLModel, table=True):
    """A one-time code that links a chat account to a verified focal point."""

    __tablename__ = "invite"

    id: int | None = Field(default=None, primary_key=True)
    focal_point_id: int = Field(foreign_key="focal_point.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=64, unique=True)
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    used_by_account_id: int | None = Field(default=None, foreign_key="channel_account.id")
    created_by: str = Field(max_length=100)
    created_at: datetime = _timestamp(nullable=False)


class RedeemAttempt(SQLModel, table=True):
    """A failed attempt to redeem an invite code, for rate limiting."""

    __tablename__ = "redeem_attempt"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="channel_account.id", index=True, ondelete="CASCADE")
    at: datetime = _timestamp(nullable=False, index=True)


class AuditEntry(SQLModel, table=True):
    """One administrative action: who did what to what."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _timestamp(nullable=False, index=True)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=100, index=True)
    target: str = Field(default="", max_length=200)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ProcessedEvent(SQLModel, table=True):
    """A platform event id already handled (Slack retries must not be answered twice)."""

    __tablename__ = "processed_event"

    key: str = Field(primary_key=True, max_length=200)
    at: datetime = _timestamp(nullable=False)


class QuestionLog(SQLModel, table=True):
    """A question put to the assistant, what it answered, and what happened next.

    ``escalated`` marks a question the user passed to the Secretariat;
    ``secretariat_answer`` is the Secretariat's reply, relayed to the asker.
    """

    __tablename__ = "question_log"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = Field(
        default=None, foreign_key="channel_account.id", index=True, ondelete="SET NULL"
    )
    focal_point_id: int | None = Field(
        default=None, foreign_key="focal_point.id", index=True, ondelete="SET NULL"
    )
    channel: str = Field(max_length=20)
    question: str = Field(max_length=4000)
    language: str = Field(default="en", max_length=5)
    answer: str = Field(default="", max_length=8000)
    answered: bool = Field(default=False, index=True)
    confidence: float = 0.0
    sources: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    related: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    feedback: int | None = Field(default=None, index=True)
    escalated: bool = Field(default=False, index=True)
    escalated_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    context: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    secretariat_answer: str | None = Field(default=None, max_length=8000)
    secretariat_answered_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True))
    )
    secretariat_answered_by: str | None = Field(default=None, max_length=200)
    created_at: datetime = _timestamp(nullable=False, index=True)
