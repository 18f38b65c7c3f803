"""Declare the tables of opportunities, notifications and their preferences.

An :class:`OutboxMessage` is one notification to one person, written in the
same transaction as what caused it; its ``dedupe_key`` is unique, so doing
the same thing twice (re-publishing, re-running a job) never queues a second
message. The dispatcher moves it through the states of :class:`OutboxState`.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.storage.tables import utcnow


def _timestamp(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), **kwargs))


def _moment(**kwargs: Any) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), **kwargs))


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class OpportunityStatus(StrEnum):
    """Where an opportunity stands."""

    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    CLOSED = "closed"


class OutboxState(StrEnum):
    """Where a notification stands.

    ``pending`` → ``sending`` (claimed under a lease) → ``sent`` | ``retry``
    (due again at ``next_attempt_at``) | ``dead`` (gave up, with the error) |
    ``skipped`` (nobody to send to, or the person turned it off) | ``held``
    (kept for the person's digest).
    """

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    RETRY = "retry"
    DEAD = "dead"
    SKIPPED = "skipped"
    HELD = "held"


class Opportunity(SQLModel, table=True):
    """A training or assistance opportunity published by the Secretariat, a centre or a partner.

    Empty ``regions``, ``countries`` or ``languages`` mean "all".
    """

    __tablename__ = "opportunity"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=30)
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=4000)
    provider_type: str = Field(default="secretariat", max_length=20)
    provider: str = Field(default="BRS Secretariat", max_length=200)
    areas: list[str] = _json_list()
    types: list[str] = _json_list()
    conventions: list[str] = _json_list()
    regions: list[str] = _json_list()
    countries: list[str] = _json_list()
    languages: list[str] = _json_list()
    format: str | None = Field(default=None, max_length=20)
    starts_on: date | None = Field(default=None, sa_column=Column(Date))
    ends_on: date | None = Field(default=None, sa_column=Column(Date))
    deadline: date | None = Field(default=None, sa_column=Column(Date, index=True))
    url: str | None = Field(default=None, max_length=500)
    capacity: int | None = None
    status: str = Field(default=OpportunityStatus.DRAFT, max_length=20, index=True)
    cancel_reason: str | None = Field(default=None, max_length=1000)
    created_by: str = Field(default="", max_length=200)
    created_at: datetime = _timestamp(nullable=False)
    updated_at: datetime = _timestamp(nullable=False)
    published_at: datetime | None = _moment()


class OpportunityMatch(SQLModel, table=True):
    """Why one opportunity suits one person (a focal point, or an account without one)."""

    __tablename__ = "opportunity_match"
    __table_args__ = (UniqueConstraint("opportunity_id", "recipient"),)

    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True, ondelete="CASCADE")
    #: ``fp:<focal point id>`` or ``acct:<account id>``.
    recipient: str = Field(max_length=40, index=True)
    focal_point_id: int | None = Field(
        default=None, foreign_key="focal_point.id", ondelete="CASCADE"
    )
    account_id: int | None = Field(
        default=None, foreign_key="channel_account.id", ondelete="CASCADE"
    )
    need_id: int | None = Field(default=None, foreign_key="need.id", ondelete="SET NULL")
    score: float = 0.0
    reasons: list[dict[str, Any]] = _json_list()
    created_at: datetime = _timestamp(nullable=False)


class Dismissal(SQLModel, table=True):
    """A person said "not interested" in an opportunity: no reminders about it."""

    __tablename__ = "opportunity_dismissal"
    __table_args__ = (UniqueConstraint("opportunity_id", "recipient"),)

    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True, ondelete="CASCADE")
    recipient: str = Field(max_length=40)
    at: datetime = _timestamp(nullable=False)


class Follow(SQLModel, table=True):
    """An interest without a need: an assistance area or a kind of opportunity."""

    __tablename__ = "follow"
    __table_args__ = (UniqueConstraint("account_id", "topic", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="channel_account.id", index=True, ondelete="CASCADE")
    #: ``area`` or ``kind``.
    topic: str = Field(max_length=10)
    code: str = Field(max_length=60)
    created_at: datetime = _timestamp(nullable=False)


class NotificationPreference(SQLModel, table=True):
    """What one account wants to receive; no row means the defaults (everything, at once)."""

    __tablename__ = "notification_preference"

    account_id: int = Field(foreign_key="channel_account.id", primary_key=True, ondelete="CASCADE")
    opportunities: bool = True
    announcements: bool = True
    #: ``off``, ``daily`` or ``weekly``.
    digest: str = Field(default="off", max_length=10)
    digest_sent_at: datetime | None = _moment()
    updated_at: datetime = _timestamp(nullable=False)


class Broadcast(SQLModel, table=True):
    """An announcement of the Secretariat to a segment of focal points."""

    __tablename__ = "broadcast"

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(max_length=4000)
    filters: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    critical: bool = False
    #: ``draft`` (previewed in the chat) or ``queued``.
    status: str = Field(default="queued", max_length=10)
    recipients: int = 0
    created_by: str = Field(default="", max_length=200)
    created_at: datetime = _timestamp(nullable=False)


class OutboxMessage(SQLModel, table=True):
    """One notification to one person, and how its delivery went.

    It addresses a focal point or an account; the dispatcher picks the
    channel account when it sends. The message is either a catalogue
    ``render_key`` with ``params`` (rendered in the reader's language at send
    time) or a ready ``text`` (broadcasts).
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "state", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=30, index=True)
    priority: int = Field(default=5)
    critical: bool = False
    focal_point_id: int | None = Field(
        default=None, foreign_key="focal_point.id", index=True, ondelete="CASCADE"
    )
    account_id: int | None = Field(
        default=None, foreign_key="channel_account.id", index=True, ondelete="CASCADE"
    )
    render_key: str | None = Field(default=None, max_length=100)
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    text: str | None = Field(default=None, max_length=4000)
    broadcast_id: int | None = Field(
        default=None, foreign_key="broadcast.id", index=True, ondelete="SET NULL"
    )
    opportunity_id: int | None = Field(
        default=None, foreign_key="opportunity.id", index=True, ondelete="SET NULL"
    )
    state: str = Field(default=OutboxState.PENDING, max_length=10)
    attempts: int = 0
    next_attempt_at: datetime = _timestamp(nullable=False)
    claimed_by: str | None = Field(default=None, max_length=60)
    lease_until: datetime | None = _moment()
    channel: str | None = Field(default=None, max_length=20)
    chat_id: str | None = Field(default=None, max_length=100)
    platform_message_id: str | None = Field(default=None, max_length=100)
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = _timestamp(nullable=False)
    sent_at: datetime | None = _moment()
