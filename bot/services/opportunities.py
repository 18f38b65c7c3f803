"""Publish, cancel and list training opportunities; notify the people they fit.

Publishing finds everyone an opportunity fits (through their needs and the
areas and kinds they follow), keeps the best match per person with its
reasons, and queues one notification per person in the same transaction.
The dedupe key ``opp:<id>:<recipient>`` makes publishing again, or a need
submitted later, never notify the same person twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.errors import NotFound, UserInputError
from bot.services import audit, outbox
from bot.services.matching import (
    Match,
    eligibility,
    is_open,
    match_interests,
    match_need_to_opportunity,
)
from bot.storage.needs_tables import Need
from bot.storage.notify_tables import (
    Dismissal,
    Follow,
    Opportunity,
    OpportunityMatch,
    OpportunityStatus,
)
from bot.storage.tables import ChannelAccount, FocalPoint, utcnow

#: Needs that still wait for help.
ACTIVE_NEED_STATUSES = ("submitted", "under_review", "matched")


# ---- reading and changing opportunities ----------------------------------------------------


def get_opportunity(*, session: Session, opportunity_id: int) -> Opportunity:
    """Return an opportunity by id, or raise :class:`NotFound`."""
    opportunity = session.get(Opportunity, opportunity_id)
    if opportunity is None:
        raise NotFound(f"no opportunity {opportunity_id}")
    return opportunity


def list_opportunities(
    *, session: Session, open_only: bool = False, today: date | None = None
) -> list[Opportunity]:
    """Return opportunities, newest first; ``open_only`` keeps the published, not yet past."""
    rows = list(session.exec(select(Opportunity).order_by(col(Opportunity.id).desc())).all())
    if open_only:
        day = today or date.today()
        rows = [row for row in rows if is_open(row, day)]
    return rows


def cancel_opportunity(
    *, session: Session, opportunity_id: int, reason: str, actor: str
) -> Opportunity:
    """Cancel an opportunity; queued notifications about it that are not yet sent are dropped."""
    opportunity = get_opportunity(session=session, opportunity_id=opportunity_id)
    opportunity.status = OpportunityStatus.CANCELLED
    opportunity.cancel_reason = reason[:1000]
    opportunity.updated_at = utcnow()
    session.add(opportunity)
    audit.record(
        session=session, actor=actor, action="opportunity.cancel",
        target=f"opportunity:{opportunity_id}", reason=reason,
    )  # fmt: skip
    return opportunity


# ---- who an opportunity fits ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """The best match of one person for one opportunity."""

    recipient: str
    match: Match
    need_id: int | None = None


def recipient_of(*, focal_point_id: int | None, account_id: int | None) -> str:
    """Name a person the way matches and dedupe keys do: ``fp:<id>`` or ``acct:<id>``."""
    if focal_point_id is not None:
        return f"fp:{focal_point_id}"
    if account_id is None:
        raise ValueError("a recipient needs a focal point or an account")
    return f"acct:{account_id}"


def address(recipient: str) -> tuple[int | None, int | None]:
    """Return the ``(focal_point_id, account_id)`` a recipient name stands for."""
    kind, _, number = recipient.partition(":")
    return (int(number), None) if kind == "fp" else (None, int(number))


def _account_links(session: Session) -> dict[int, int | None]:
    rows = session.exec(select(ChannelAccount.id, ChannelAccount.focal_point_id)).all()
    return {int(account_id): fp_id for account_id, fp_id in rows if account_id is not None}


def find_candidates(
    *, session: Session, opportunity: Opportunity, today: date | None = None
) -> list[Candidate]:
    """Return everyone ``opportunity`` fits, best match per person, best first."""
    links = _account_links(session)
    best: dict[str, Candidate] = {}

    def consider(candidate: Candidate) -> None:
        if not candidate.match.matched:
            return
        known = best.get(candidate.recipient)
        if known is None or candidate.match.score > known.match.score:
            best[candidate.recipient] = candidate

    needs = session.exec(select(Need).where(col(Need.status).in_(ACTIVE_NEED_STATUSES)))
    for need in needs:
        fp_id = need.focal_point_id or links.get(need.account_id or -1)
        if fp_id is None and need.account_id is None:
            continue
        recipient = recipient_of(focal_point_id=fp_id, account_id=need.account_id)
        consider(
            Candidate(recipient, match_need_to_opportunity(need, opportunity, today=today), need.id)
        )
    for recipient, interests in _interests(session, links).items():
        consider(
            Candidate(recipient, match_interests(opportunity=opportunity, today=today, **interests))
        )
    return sorted(best.values(), key=lambda c: (-c.match.score, c.recipient))


def _interests(session: Session, links: Mapping[int, int | None]) -> dict[str, dict[str, Any]]:
    people: dict[str, dict[str, Any]] = {}
    for follow in session.exec(select(Follow)):
        recipient = recipient_of(
            focal_point_id=links.get(follow.account_id), account_id=follow.account_id
        )
        entry = people.setdefault(
            recipient, {"areas": set(), "kinds": set(), "country": None, "language": None}
        )
        entry["areas" if follow.topic == "area" else "kinds"].add(follow.code)
    for recipient, entry in people.items():
        if recipient.startswith("fp:"):
            person = session.get(FocalPoint, int(recipient[3:]))
            if person is not None:
                entry["country"], entry["language"] = person.country, person.language
    return people


@dataclass(frozen=True, slots=True)
class PublishReport:
    """What publishing did: the people it fits and the notifications newly queued."""

    matched: int
    queued: int


def record_match(*, session: Session, opportunity_id: int, candidate: Candidate) -> None:
    """Keep why an opportunity fits a person (the first match recorded wins)."""
    exists = session.exec(
        select(OpportunityMatch.id).where(
            OpportunityMatch.opportunity_id == opportunity_id,
            OpportunityMatch.recipient == candidate.recipient,
        )
    ).first()
    if exists is not None:
        return
    fp_id, account_id = address(candidate.recipient)
    try:
        with session.begin_nested():
            session.add(
                OpportunityMatch(
                    opportunity_id=opportunity_id,
                    recipient=candidate.recipient,
                    focal_point_id=fp_id,
                    account_id=account_id,
                    need_id=candidate.need_id,
                    score=candidate.match.score,
                    reasons=[reason.as_dict() for reason in candidate.match.reasons],
                )
            )
    except IntegrityError:
        pass  # another process recorded the same match first


def notify_candidate(*, session: Session, opportunity: Opportunity, candidate: Candidate) -> bool:
    """Record the match and queue its notification; return False if already queued."""
    assert opportunity.id is not None
    record_match(session=session, opportunity_id=opportunity.id, candidate=candidate)
    fp_id, account_id = address(candidate.recipient)
    return outbox.enqueue(
        session=session,
        dedupe_key=f"opp:{opportunity.id}:{candidate.recipient}",
        kind="opportunity",
        render_key="notify.opportunity",
        params={
            "opportunity_id": opportunity.id,
            "reasons": [reason.as_dict() for reason in candidate.match.reasons],
        },
        opportunity_id=opportunity.id,
        focal_point_id=fp_id,
        account_id=account_id,
    )


def publish_opportunity(
    *, session: Session, opportunity_id: int, actor: str, today: date | None = None
) -> PublishReport:
    """Publish an opportunity and queue one notification per person it fits."""
    opportunity = get_opportunity(session=session, opportunity_id=opportunity_id)
    if opportunity.status == OpportunityStatus.CANCELLED:
        raise UserInputError("notify.opp.cancelled_cannot_publish")
    if opportunity.status != OpportunityStatus.PUBLISHED:
        opportunity.status = OpportunityStatus.PUBLISHED
        opportunity.published_at = utcnow()
        opportunity.updated_at = utcnow()
        session.add(opportunity)
        session.flush()
    candidates = find_candidates(session=session, opportunity=opportunity, today=today)
    queued = sum(
        notify_candidate(session=session, opportunity=opportunity, candidate=candidate)
        for candidate in candidates
    )
    audit.record(
        session=session, actor=actor, action="opportunity.publish",
        target=f"opportunity:{opportunity_id}", matched=len(candidates), queued=queued,
    )  # fmt: skip
    return PublishReport(matched=len(candidates), queued=queued)


def on_need_submitted(session: Session, need: Need, *, today: date | None = None) -> int:
    """Queue the open opportunities that fit a newly submitted need; return how many.

    A hook for :attr:`bot.conversation.needs.NeedsCapability.on_need_submitted`:
    the person hears at once of what is already open, and only once.
    """
    links = _account_links(session)
    fp_id = need.focal_point_id or links.get(need.account_id or -1)
    if fp_id is None and need.account_id is None:
        return 0
    recipient = recipient_of(focal_point_id=fp_id, account_id=need.account_id)
    queued = 0
    for opportunity in list_opportunities(session=session, open_only=True, today=today):
        match = match_need_to_opportunity(need, opportunity, today=today)
        if match.matched:
            candidate = Candidate(recipient, match, need.id)
            queued += notify_candidate(
                session=session, opportunity=opportunity, candidate=candidate
            )
    return queued


# ---- what a person sees ---------------------------------------------------------------------


def dismiss(*, session: Session, recipient: str, opportunity_id: int) -> None:
    """Remember that a person is not interested in an opportunity."""
    exists = session.exec(
        select(Dismissal.id).where(
            Dismissal.recipient == recipient, Dismissal.opportunity_id == opportunity_id
        )
    ).first()
    if exists is None:
        session.add(Dismissal(opportunity_id=opportunity_id, recipient=recipient))


def open_for_person(
    *,
    session: Session,
    focal_point: FocalPoint | None,
    account_ids: Iterable[int],
    today: date | None = None,
) -> list[tuple[Opportunity, Match]]:
    """Return the open opportunities a person is eligible for, best match first.

    Matches are worked out afresh from the person's active needs and what
    they follow; dismissed opportunities are left out.
    """
    day = today or date.today()
    accounts = list(account_ids)
    fp_id = focal_point.id if focal_point is not None else None
    owner: Any = col(Need.account_id).in_(accounts)
    if fp_id is not None:
        owner = owner | (col(Need.focal_point_id) == fp_id)
    needs = list(
        session.exec(select(Need).where(owner, col(Need.status).in_(ACTIVE_NEED_STATUSES))).all()
    )
    follows = list(session.exec(select(Follow).where(col(Follow.account_id).in_(accounts))).all())
    recipients = {recipient_of(focal_point_id=fp_id, account_id=a) for a in accounts} or {"-"}
    dismissed = set(
        session.exec(
            select(Dismissal.opportunity_id).where(col(Dismissal.recipient).in_(recipients))
        ).all()
    )
    country = focal_point.country if focal_point is not None else None
    found: list[tuple[Opportunity, Match]] = []
    for opportunity in list_opportunities(session=session, open_only=True, today=day):
        if opportunity.id in dismissed or eligibility(opportunity, country) is False:
            continue
        options = [match_need_to_opportunity(need, opportunity, today=day) for need in needs]
        options.append(
            match_interests(
                areas=[f.code for f in follows if f.topic == "area"],
                kinds=[f.code for f in follows if f.topic == "kind"],
                country=country,
                language=focal_point.language if focal_point is not None else None,
                opportunity=opportunity,
                today=day,
            )
        )
        best = max(options, key=lambda m: (m.matched, m.score))
        found.append((opportunity, best))
    return sorted(
        found, key=lambda pair: (not pair[1].matched, -pair[1].score, pair[0].deadline or date.max)
    )
