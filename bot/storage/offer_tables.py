"""Declare the tables of offers of technical assistance and of introductions.

An :class:`Offer` is what a developed-country Party, a regional centre, the
Secretariat or a partner has available. The Secretariat reviews it; an
approved offer becomes an :class:`~bot.storage.notify_tables.Opportunity` of
kind ``offer_of_assistance``. An :class:`Introduction` puts one offer and one
need in touch once both sides have agreed.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.storage.tables import utcnow


def _timestamp(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), **kwargs))


def _moment() -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True)))


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class OfferStatus(StrEnum):
    """Where an offer stands."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class IntroductionStatus(StrEnum):
    """Where an introduction stands: ``proposed`` until both sides answered."""

    PROPOSED = "proposed"
    CONNECTED = "connected"
    DECLINED = "declined"


class Offer(SQLModel, table=True):
    """Technical assistance someone has available, as entered with ``/offer``.

    Empty ``regions`` and ``countries`` mean "any eligible Party". ``verified``
    is True when the offerer is a verified focal point or verified staff of a
    regional centre or the Secretariat.
    """

    __tablename__ = "offer"

    id: int | None = Field(default=None, primary_key=True)
    focal_point_id: int | None = Field(
        default=None, foreign_key="focal_point.id", index=True, ondelete="SET NULL"
    )
    account_id: int | None = Field(
        default=None, foreign_key="channel_account.id", index=True, ondelete="SET NULL"
    )
    offerer_kind: str = Field(max_length=20)
    organisation: str = Field(max_length=300)
    contact: str = Field(default="", max_length=300)
    verified: bool = Field(default=False)
    areas: list[str] = _json_list()
    types: list[str] = _json_list()
    conventions: list[str] = _json_list()
    regions: list[str] = _json_list()
    countries: list[str] = _json_list()
    languages: list[str] = _json_list()
    format: str | None = Field(default=None, max_length=20)
    capacity: str | None = Field(default=None, max_length=300)
    starts_on: date | None = Field(default=None, sa_column=Column(Date))
    ends_on: date | None = Field(default=None, sa_column=Column(Date))
    period: str | None = Field(default=None, max_length=300)
    conditions: list[str] = _json_list()
    conditions_note: str | None = Field(default=None, max_length=1000)
    description: str = Field(default="", max_length=4000)
    #: The questionnaire's answers as submitted.
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    language: str = Field(default="en", max_length=5)
    status: str = Field(default=OfferStatus.SUBMITTED, max_length=20, index=True)
    review_note: str | None = Field(default=None, max_length=1000)
    reviewed_by: str | None = Field(default=None, max_length=200)
    reviewed_at: datetime | None = _moment()
    opportunity_id: int | None = Field(
        default=None, foreign_key="opportunity.id", index=True, ondelete="SET NULL"
    )
    created_at: datetime = _timestamp(nullable=False)
    updated_at: datetime = _timestamp(nullable=False)


class Introduction(SQLModel, table=True):
    """The Secretariat's proposal to put an offer and a need in touch, and each side's answer.

    A consent is None until that side answers. Contact details are shared
    only when both consents are True.
    """

    __tablename__ = "offer_introduction"
    __table_args__ = (UniqueConstraint("offer_id", "need_id"),)

    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(foreign_key="offer.id", index=True, ondelete="CASCADE")
    need_id: int = Field(foreign_key="need.id", index=True, ondelete="CASCADE")
    offerer_consent: bool | None = None
    need_owner_consent: bool | None = None
    status: str = Field(default=IntroductionStatus.PROPOSED, max_length=20, index=True)
    proposed_by: str = Field(default="", max_length=200)
    created_at: datetime = _timestamp(nullable=False)
    offerer_answered_at: datetime | None = _moment()
    need_owner_answered_at: datetime | None = _moment()
    connected_at: datetime | None = _moment()
