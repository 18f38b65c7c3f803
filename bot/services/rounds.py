"""Run needs-assessment rounds: open, invite focal points in scope, count responses, close."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from bot import vocab
from bot.errors import NotFound, UserInputError
from bot.services import audit
from bot.services.needs import COUNTED_STATUSES
from bot.storage.needs_tables import Need, Round, RoundInvitation
from bot.storage.tables import ChannelAccount, FocalPoint, utcnow

#: How long before the close date a focal point who has not answered is reminded.
REMIND_BEFORE = timedelta(days=7)


def conventions_of(focal_point: FocalPoint) -> set[str]:
    """Return the conventions a focal point works on: as listed, else read from their roles."""
    if focal_point.conventions:
        return set(focal_point.conventions)
    # Convention roles are named "<convention>_…" (basel_focal_point, …).
    prefixes = {role.split("_", 1)[0] for role in focal_point.roles}
    return {convention for convention in vocab.CONVENTIONS if convention in prefixes}


def in_scope(round_: Round, *, country: str | None, conventions: Iterable[str]) -> bool:
    """Tell whether a country (and its conventions) falls within a round."""
    if country is None or country not in vocab.COUNTRY_REGIONS:
        return False
    if round_.region is not None and vocab.region_of(country) != round_.region:
        return False
    listed = set(conventions)
    # Someone whose conventions are unknown is asked rather than left out.
    return round_.convention is None or not listed or round_.convention in listed


def open_round(
    *,
    session: Session,
    title: str,
    closes_on: date,
    actor: str,
    opens_on: date | None = None,
    region: str | None = None,
    convention: str | None = None,
) -> Round:
    """Open a round and invite every focal point in scope."""
    starts = opens_on or date.today()
    if closes_on <= starts:
        raise UserInputError("the close date must be after the opening date")
    if region is not None:
        region = vocab.REGION.parse(region) or _refuse("region", region, vocab.REGIONS)
    if convention is not None:
        convention = vocab.CONVENTION.parse(convention) or _refuse(
            "convention", convention, vocab.CONVENTIONS
        )
    round_ = Round(
        title=title,
        opens_on=starts,
        closes_on=closes_on,
        region=region,
        convention=convention,
        created_by=actor,
    )
    session.add(round_)
    session.flush()
    invited = sync_invitations(session=session, round_=round_)
    audit.record(
        session=session,
        actor=actor,
        action="round.open",
        target=f"round:{round_.id}",
        title=title,
        region=region,
        convention=convention,
        closes_on=closes_on.isoformat(),
        invited=invited,
    )
    return round_


def _refuse(what: str, value: str, known: Sequence[str]) -> str:
    raise UserInputError(f"unknown {what} {value!r}; use one of: {', '.join(known)}")


def get_round(*, session: Session, round_id: int) -> Round:
    """Return round ``round_id`` or raise NotFound."""
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise NotFound(f"no round {round_id}")
    return round_


def list_rounds(*, session: Session) -> list[Round]:
    """Return every round, newest first."""
    return list(session.exec(select(Round).order_by(col(Round.id).desc())).all())


def close_round(*, session: Session, round_id: int, actor: str) -> Round:
    """Close a round: no more invitations, reminders or new needs attached to it."""
    round_ = get_round(session=session, round_id=round_id)
    round_.status, round_.closed_at = "closed", utcnow()
    session.add(round_)
    audit.record(session=session, actor=actor, action="round.close", target=f"round:{round_id}")
    return round_


def round_for_need(
    *, session: Session, country: str | None, conventions: Iterable[str], today: date | None = None
) -> Round | None:
    """Return the newest open round a need from ``country`` answers, if any."""
    day = today or date.today()
    listed = list(conventions)
    for round_ in session.exec(
        select(Round).where(Round.status == "open").order_by(col(Round.id).desc())
    ):
        if round_.opens_on <= day <= round_.closes_on and in_scope(
            round_, country=country, conventions=listed
        ):
            return round_
    return None


def sync_invitations(*, session: Session, round_: Round) -> int:
    """Invite the focal points in scope who are not invited yet; return how many were added."""
    if round_.status != "open":
        return 0
    already = set(
        session.exec(
            select(RoundInvitation.focal_point_id).where(RoundInvitation.round_id == round_.id)
        ).all()
    )
    added = 0
    for focal_point in session.exec(select(FocalPoint).order_by(col(FocalPoint.id))):
        if focal_point.id in already or focal_point.id is None:
            continue
        if in_scope(round_, country=focal_point.country, conventions=conventions_of(focal_point)):
            assert round_.id is not None
            session.add(RoundInvitation(round_id=round_.id, focal_point_id=focal_point.id))
            added += 1
    session.flush()
    return added


def answered_focal_points(*, session: Session, round_id: int) -> set[int]:
    """Return the ids of focal points who submitted a need in the round."""
    rows = session.exec(
        select(Need.focal_point_id).where(
            Need.round_id == round_id,
            col(Need.status).in_(COUNTED_STATUSES),
            col(Need.focal_point_id).is_not(None),
        )
    ).all()
    return {fp_id for fp_id in rows if fp_id is not None}


def pending_invitations(*, session: Session, round_id: int) -> list[RoundInvitation]:
    """Return the invitations not sent yet (for the notification outbox), inviting newcomers."""
    sync_invitations(session=session, round_=get_round(session=session, round_id=round_id))
    query = select(RoundInvitation).where(
        RoundInvitation.round_id == round_id, col(RoundInvitation.invited_at).is_(None)
    )
    return list(session.exec(query).all())


def due_reminders(
    *, session: Session, round_id: int, today: date | None = None
) -> list[RoundInvitation]:
    """Return the invitations to remind: sent, not answered, not reminded, close date near."""
    round_ = get_round(session=session, round_id=round_id)
    day = today or date.today()
    if round_.status != "open" or not day >= round_.closes_on - REMIND_BEFORE:
        return []
    answered = answered_focal_points(session=session, round_id=round_id)
    query = select(RoundInvitation).where(
        RoundInvitation.round_id == round_id,
        col(RoundInvitation.invited_at).is_not(None),
        col(RoundInvitation.reminded_at).is_(None),
    )
    return [i for i in session.exec(query) if i.focal_point_id not in answered]


def mark_invited(
    *, session: Session, invitation: RoundInvitation, at: datetime | None = None
) -> None:
    """Record that an invitation went out."""
    invitation.invited_at = at or utcnow()
    session.add(invitation)


def mark_reminded(
    *, session: Session, invitation: RoundInvitation, at: datetime | None = None
) -> None:
    """Record that a reminder went out."""
    invitation.reminded_at = at or utcnow()
    session.add(invitation)


@dataclass(frozen=True, slots=True)
class Rate:
    """Invited and answered focal points of one region or country."""

    key: str
    label: str
    invited: int
    answered: int
    needs: int = 0

    @property
    def rate(self) -> float:
        """Return the share of invited focal points who answered (0 when none was invited)."""
        return self.answered / self.invited if self.invited else 0.0


@dataclass(frozen=True, slots=True)
class Pending:
    """A focal point invited to a round who has not answered."""

    focal_point_id: int
    name: str
    country: str
    reachable: bool
    invited: bool


@dataclass(slots=True)
class RoundStatus:
    """The response rate of a round, by region and country, and who has not answered."""

    round: Round
    invited: int
    answered: int
    needs: int
    by_region: list[Rate] = field(default_factory=list)
    by_country: list[Rate] = field(default_factory=list)
    not_answered: list[Pending] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Return the overall share of invited focal points who answered."""
        return self.answered / self.invited if self.invited else 0.0


def round_status(*, session: Session, round_id: int) -> RoundStatus:
    """Count a round's responses per region and per country, and list who has not answered."""
    round_ = get_round(session=session, round_id=round_id)
    sync_invitations(session=session, round_=round_)
    answered = answered_focal_points(session=session, round_id=round_id)
    rows = session.exec(
        select(RoundInvitation, FocalPoint)
        .join(FocalPoint, col(FocalPoint.id) == RoundInvitation.focal_point_id)
        .where(RoundInvitation.round_id == round_id)
        .order_by(col(FocalPoint.country), col(FocalPoint.name))
    ).all()
    reachable = set(
        session.exec(
            select(ChannelAccount.focal_point_id).where(ChannelAccount.active == True)  # noqa: E712
        ).all()
    )
    needs_by_country = Counter(
        country
        for country in session.exec(
            select(Need.country).where(
                Need.round_id == round_id, col(Need.status).in_(COUNTED_STATUSES)
            )
        ).all()
        if country
    )
    invited_c: Counter[str] = Counter()
    answered_c: Counter[str] = Counter()
    pending: list[Pending] = []
    for invitation, focal_point in rows:
        country = focal_point.country or "??"
        invited_c[country] += 1
        if focal_point.id in answered:
            answered_c[country] += 1
        else:
            assert focal_point.id is not None
            pending.append(
                Pending(
                    focal_point_id=focal_point.id,
                    name=focal_point.name,
                    country=country,
                    reachable=focal_point.id in reachable,
                    invited=invitation.invited_at is not None,
                )
            )
    countries = sorted(set(invited_c) | set(needs_by_country))
    by_country = [
        Rate(
            key=c,
            label=vocab.country_name(c) if c in vocab.COUNTRY_REGIONS else c,
            invited=invited_c[c],
            answered=answered_c[c],
            needs=needs_by_country[c],
        )
        for c in countries
    ]
    by_region = []
    for region in vocab.REGIONS:
        members = [r for r in by_country if _region(r.key) == region]
        if members or round_.region == region:
            by_region.append(
                Rate(
                    key=region,
                    label=vocab.REGION.label(region),
                    invited=sum(r.invited for r in members),
                    answered=sum(r.answered for r in members),
                    needs=sum(r.needs for r in members),
                )
            )
    return RoundStatus(
        round=round_,
        invited=sum(invited_c.values()),
        answered=sum(answered_c.values()),
        needs=sum(needs_by_country.values()),
        by_region=by_region,
        by_country=by_country,
        not_answered=pending,
    )


def _region(country: str) -> str | None:
    return vocab.region_of(country) if country in vocab.COUNTRY_REGIONS else None
