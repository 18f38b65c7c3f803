"""Declare the tables of technical-assistance needs and needs-assessment rounds."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.storage.tables import utcnow


def _timestamp(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), **kwargs))


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Need(SQLModel, table=True):
    """One technical-assistance need of a Party, as told by a focal point.

    ``verified`` is True when the country came from a focal-point record the
    Secretariat verified; a need entered by someone without one is kept but
    flagged for the Secretariat. ``version`` counts the submitted versions;
    each is kept in :class:`NeedVersion`.
    """

    __tablename__ = "need"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = Field(
        default=None, foreign_key="channel_account.id", index=True, ondelete="SET NULL"
    )
    focal_point_id: int | None = Field(
        default=None, foreign_key="focal_point.id", index=True, ondelete="SET NULL"
    )
    round_id: int | None = Field(
        default=None, foreign_key="needs_round.id", index=True, ondelete="SET NULL"
    )
    status: str = Field(default="draft", max_length=20, index=True)
    country: str | None = Field(default=None, max_length=2, index=True)
    region: str | None = Field(default=None, max_length=30, index=True)
    verified: bool = Field(default=False)
    roles: list[str] = _json_list()
    conventions: list[str] = _json_list()
    areas: list[str] = _json_list()
    other_area: str | None = Field(default=None, max_length=500)
    types: list[str] = _json_list()
    priority: str | None = Field(default=None, max_length=20)
    description: str | None = Field(default=None, max_length=4000)
    audience: str | None = Field(default=None, max_length=500)
    participants: int | None = None
    format: str | None = Field(default=None, max_length=20)
    languages: list[str] = _json_list()
    timeframe: str | None = Field(default=None, max_length=30)
    earliest_start: date | None = Field(default=None, sa_column=Column(Date))
    #: The questionnaire's answers as last saved, to resume a draft or edit exactly.
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    language: str = Field(default="en", max_length=5)
    withdrawn_reason: str | None = Field(default=None, max_length=1000)
    version: int = Field(default=0)
    created_at: datetime = _timestamp(nullable=False)
    updated_at: datetime = _timestamp(nullable=False, index=True)
    submitted_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), index=True)
    )
    draft_offered_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True))
    )


class NeedVersion(SQLModel, table=True):
    """A snapshot of a need as submitted or changed, for the Secretariat's history."""

    __tablename__ = "need_version"
    __table_args__ = (UniqueConstraint("need_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    need_id: int = Field(foreign_key="need.id", index=True, ondelete="CASCADE")
    version: int
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    changed_by: str = Field(max_length=200)
    note: str = Field(default="", max_length=1000)
    at: datetime = _timestamp(nullable=False)


class Round(SQLModel, table=True):
    """A needs-assessment round: a period in which focal points in scope are asked to answer."""

    __tablename__ = "needs_round"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    opens_on: date = Field(sa_column=Column(Date, nullable=False))
    closes_on: date = Field(sa_column=Column(Date, nullable=False))
    region: str | None = Field(default=None, max_length=30)
    convention: str | None = Field(default=None, max_length=20)
    status: str = Field(default="open", max_length=10, index=True)
    created_by: str = Field(default="", max_length=200)
    created_at: datetime = _timestamp(nullable=False)
    closed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class RoundInvitation(SQLModel, table=True):
    """One focal point asked to answer a round; the outbox sets the sent and reminded times."""

    __tablename__ = "round_invitation"
    __table_args__ = (UniqueConstraint("round_id", "focal_point_id"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="needs_round.id", index=True, ondelete="CASCADE")
    focal_point_id: int = Field(foreign_key="focal_point.id", index=True, ondelete="CASCADE")
    created_at: datetime = _timestamp(nullable=False)
    invited_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    reminded_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
