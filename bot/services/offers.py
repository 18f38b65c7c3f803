"""Keep offers of technical assistance: submit, review, match against needs, introduce.

An offer is entered with ``/offer`` and reviewed by the Secretariat. Approving
it publishes an opportunity of kind ``offer_of_assistance``, which notifies the
people whose needs it fits exactly as any other opportunity does (the outbox's
dedupe keys make a second approval notify nobody twice). The offerer hears the
outcome either way.

The offerer sees how many recorded needs the offer matches, by region and by
area, never whose; the Secretariat sees the pairs in full
(:func:`matching_needs`) and may introduce the two sides
(:mod:`bot.services.introductions`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, or_, select

from bot import vocab
from bot.errors import NotAllowed, NotFound, UserInputError
from bot.services import audit, outbox
from bot.services.identities import Who
from bot.services.matching import Match, match_need_to_opportunity
from bot.services.opportunities import (
    ACTIVE_NEED_STATUSES,
    cancel_opportunity,
    publish_opportunity,
)
from bot.storage.needs_tables import Need
from bot.storage.notify_tables import Opportunity, OpportunityStatus
from bot.storage.offer_tables import Offer, OfferStatus
from bot.storage.tables import FocalPoint, utcnow

#: Who may offer, as asked by the questionnaire (labels: ``offers.kind.<code>``).
OFFERER_KINDS = ("party", "regional_centre", "secretariat", "organization", "partner")
#: Conditions an offer may come with (labels: ``offers.condition.<code>``).
CONDITIONS = ("none", "cost_sharing", "co_financing", "other")
#: How an offerer kind is listed as an opportunity's provider type.
PROVIDER_TYPES = {"regional_centre": "regional_centre", "secretariat": "secretariat"}
_COUNTRY_CODE = re.compile(r"\(([A-Z]{2})\)")


# ---- the questionnaire's countries ----------------------------------------------------------


def parse_countries(text: str, language: str) -> str:
    """Read a comma-separated list of countries; return it as ``Name (CODE), …``.

    The names make the summary readable; the codes in brackets are what is stored.
    """
    parts = [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]
    if not parts:
        raise UserInputError("flow.error.empty")
    codes: list[str] = []
    for part in parts:
        code = vocab.parse_country(part, language)
        if code is None:
            raise UserInputError("offers.error.country", {"name": part[:60]})
        if code not in codes:
            codes.append(code)
    return ", ".join(f"{vocab.country_name(code, language)} ({code})" for code in codes)


def countries_from_answer(value: object) -> list[str]:
    """Return the country codes of a ``countries`` answer."""
    return _COUNTRY_CODE.findall(value) if isinstance(value, str) else []


# ---- offers ---------------------------------------------------------------------------------


def is_verified_offerer(focal_point: FocalPoint | None) -> bool:
    """Tell whether offers from this person are marked verified.

    A verified profile is one the Secretariat imported: a designated focal
    point, or staff of a regional centre or the Secretariat.
    """
    return focal_point is not None and focal_point.verified


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def submit_offer(
    *, session: Session, person: Who, answers: Mapping[str, Any], language: str, actor: str
) -> Offer:
    """Record an offer from the questionnaire's answers, for the Secretariat to review."""
    focal_point = person.focal_point
    if focal_point is None:
        raise NotAllowed("offers.need_profile")
    offer = Offer(
        focal_point_id=focal_point.id,
        account_id=person.account_id,
        offerer_kind=str(answers["offerer_kind"]),
        organisation=str(answers["organisation"]).strip(),
        contact=str(answers.get("contact") or "").strip(),
        verified=is_verified_offerer(focal_point),
        areas=list(answers.get("areas") or []),
        types=list(answers.get("types") or []),
        conventions=list(answers.get("conventions") or []),
        regions=list(answers.get("regions") or []),
        countries=countries_from_answer(answers.get("countries")),
        languages=list(answers.get("languages") or []),
        format=_text(answers.get("format")),
        capacity=_text(answers.get("capacity")),
        starts_on=_day(answers.get("starts_on")),
        ends_on=_day(answers.get("ends_on")),
        period=_text(answers.get("period")),
        conditions=list(answers.get("conditions") or []),
        conditions_note=_text(answers.get("conditions_note")),
        description=str(answers.get("description") or "").strip(),
        answers=dict(answers),
        language=language,
    )
    session.add(offer)
    session.flush()
    audit.record(session=session, actor=actor, action="offer.submit", target=f"offer:{offer.id}")
    return offer


def get_offer(*, session: Session, offer_id: int) -> Offer:
    """Return offer ``offer_id`` or raise NotFound."""
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise NotFound(f"no offer {offer_id}")
    return offer


def list_offers(*, session: Session, status: str | None = None) -> list[Offer]:
    """Return the offers (of one status, if given), newest first."""
    query = select(Offer).order_by(col(Offer.id).desc())
    if status is not None:
        query = query.where(Offer.status == status)
    return list(session.exec(query).all())


def offers_of(*, session: Session, person: Who) -> list[Offer]:
    """Return the offers a person entered from any of their accounts, newest first."""
    mine: Any = col(Offer.account_id) == person.account_id
    if person.focal_point is not None and person.focal_point.id is not None:
        mine = or_(mine, col(Offer.focal_point_id) == person.focal_point.id)
    return list(session.exec(select(Offer).where(mine).order_by(col(Offer.id).desc())).all())


def is_offerer(person: Who, offer: Offer) -> bool:
    """Tell whether ``person`` entered ``offer``."""
    fp = person.focal_point
    return offer.account_id == person.account_id or (
        fp is not None and fp.id is not None and offer.focal_point_id == fp.id
    )


def as_opportunity(offer: Offer) -> Opportunity:
    """Return the offer as the opportunity it becomes when approved (not added to the session)."""
    capacity = offer.capacity.strip() if offer.capacity else ""
    summary = offer.description.split(". ")[0].strip().rstrip(".")
    return Opportunity(
        kind="offer_of_assistance",
        title=f"{offer.organisation}: {summary}"[:300],
        description=offer.description,
        provider_type=PROVIDER_TYPES.get(offer.offerer_kind, "partner"),
        provider=offer.organisation[:200],
        areas=list(offer.areas),
        types=list(offer.types),
        conventions=list(offer.conventions),
        regions=list(offer.regions),
        countries=list(offer.countries),
        languages=list(offer.languages),
        format=offer.format,
        starts_on=offer.starts_on,
        ends_on=offer.ends_on,
        capacity=int(capacity) if capacity.isdigit() else None,
        status=OpportunityStatus.PUBLISHED,
        created_by=f"offer:{offer.id}",
    )


@dataclass(frozen=True, slots=True)
class Address:
    """Whom a notification goes to: a focal point (all their accounts) or one account."""

    focal_point_id: int | None = None
    account_id: int | None = None

    @classmethod
    def of(cls, focal_point_id: int | None, account_id: int | None) -> Address:
        """Prefer the focal point, so the person is reached on whichever channel they use."""
        return cls(focal_point_id) if focal_point_id is not None else cls(None, account_id)


def notify(
    *, session: Session, to: Address, dedupe_key: str, render_key: str, params: dict[str, Any]
) -> bool:
    """Queue a notice rendered from ``render_key`` in the reader's language.

    Returns False when it was queued before, or when nobody is left to tell
    (the person's account was deleted).
    """
    if to.focal_point_id is None and to.account_id is None:
        return False
    return outbox.enqueue(
        session=session, dedupe_key=dedupe_key, kind="notice", render_key=render_key,
        params=params, focal_point_id=to.focal_point_id, account_id=to.account_id,
    )  # fmt: skip


def offerer_address(offer: Offer) -> Address:
    """Return where the offerer is told of their offer."""
    return Address.of(offer.focal_point_id, offer.account_id)


@dataclass(frozen=True, slots=True)
class Approval:
    """What approving did: the opportunity, the people it fits and the notifications queued."""

    offer: Offer
    opportunity_id: int
    matched: int
    queued: int


def approve_offer(
    *, session: Session, offer_id: int, actor: str, note: str | None = None,
    today: date | None = None,
) -> Approval:  # fmt: skip
    """Approve an offer: publish it as an opportunity, notify whom it fits and the offerer.

    Approving an approved offer publishes nothing new and notifies nobody twice.
    """
    offer = get_offer(session=session, offer_id=offer_id)
    if offer.status not in (OfferStatus.SUBMITTED, OfferStatus.APPROVED):
        raise UserInputError(f"offer {offer_id} is {offer.status}; only a submitted offer")
    if offer.opportunity_id is None:
        opportunity = as_opportunity(offer)
        opportunity.status = OpportunityStatus.DRAFT
        session.add(opportunity)
        session.flush()
        offer.opportunity_id = opportunity.id
    assert offer.opportunity_id is not None
    first = offer.status == OfferStatus.SUBMITTED
    if first:
        offer.status, offer.reviewed_by, offer.reviewed_at = OfferStatus.APPROVED, actor, utcnow()
        offer.review_note = note
    offer.updated_at = utcnow()
    session.add(offer)
    session.flush()
    report = publish_opportunity(
        session=session, opportunity_id=offer.opportunity_id, actor=actor, today=today
    )
    notify(
        session=session,
        to=offerer_address(offer),
        dedupe_key=f"offer:{offer.id}:approved",
        render_key="offers.notice.approved",
        params={"id": offer.id, "matched": report.matched, "note": offer.review_note or ""},
    )
    if first:
        audit.record(
            session=session, actor=actor, action="offer.approve", target=f"offer:{offer.id}",
            opportunity=offer.opportunity_id, queued=report.queued, note=note,
        )  # fmt: skip
    return Approval(offer, offer.opportunity_id, report.matched, report.queued)


def decline_offer(*, session: Session, offer_id: int, actor: str, note: str) -> Offer:
    """Decline a submitted offer with a note, which the offerer is sent."""
    offer = get_offer(session=session, offer_id=offer_id)
    if offer.status != OfferStatus.SUBMITTED:
        raise UserInputError(f"offer {offer_id} is {offer.status}; only a submitted offer")
    offer.status, offer.reviewed_by, offer.reviewed_at = OfferStatus.DECLINED, actor, utcnow()
    offer.review_note, offer.updated_at = note[:1000], utcnow()
    session.add(offer)
    notify(
        session=session,
        to=offerer_address(offer),
        dedupe_key=f"offer:{offer.id}:declined",
        render_key="offers.notice.declined",
        params={"id": offer.id, "note": note[:1000]},
    )
    audit.record(
        session=session, actor=actor, action="offer.decline", target=f"offer:{offer.id}", note=note
    )
    return offer


def withdraw_offer(*, session: Session, person: Who, offer_id: int, actor: str) -> Offer:
    """Withdraw one's own offer; a published one stops being shown and notified."""
    offer = get_offer(session=session, offer_id=offer_id)
    if not is_offerer(person, offer):
        raise NotAllowed("offers.not_yours")
    if offer.status not in (OfferStatus.SUBMITTED, OfferStatus.APPROVED):
        raise NotAllowed("offers.cannot_withdraw")
    if offer.opportunity_id is not None:
        cancel_opportunity(
            session=session, opportunity_id=offer.opportunity_id,
            reason="withdrawn by the offerer", actor=actor,
        )  # fmt: skip
    offer.status, offer.updated_at = OfferStatus.WITHDRAWN, utcnow()
    session.add(offer)
    audit.record(session=session, actor=actor, action="offer.withdraw", target=f"offer:{offer_id}")
    return offer


# ---- what an offer matches --------------------------------------------------------------------


def matching_needs(
    *, session: Session, offer: Offer, today: date | None = None
) -> list[tuple[Need, Match]]:
    """Return the active needs the offer fits, best first (for the Secretariat only)."""
    opportunity = as_opportunity(offer)
    found = []
    for need in session.exec(select(Need).where(col(Need.status).in_(ACTIVE_NEED_STATUSES))):
        match = match_need_to_opportunity(need, opportunity, today=today)
        if match.matched:
            found.append((need, match))
    return sorted(found, key=lambda pair: (-pair[1].score, pair[0].id or 0))


@dataclass(slots=True)
class MatchCounts:
    """How many needs an offer matches, by UN region and by area: counts, never who."""

    total: int = 0
    by_region: Counter[str] = field(default_factory=Counter)
    by_area: Counter[str] = field(default_factory=Counter)


def match_counts(*, session: Session, offer: Offer, today: date | None = None) -> MatchCounts:
    """Count the active needs the offer fits, by region and by the areas they share."""
    counts = MatchCounts()
    for need, _match in matching_needs(session=session, offer=offer, today=today):
        counts.total += 1
        counts.by_region[need.region or "unknown"] += 1
        shared = [code for code in need.areas if code in offer.areas] or list(need.areas)
        counts.by_area.update(shared)
    return counts
