"""Keep technical-assistance needs: drafts, submissions, new versions, withdrawals, visibility."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, or_, select

from bot import vocab
from bot.errors import NotAllowed, NotFound
from bot.services import audit
from bot.services.identities import Who
from bot.storage.needs_tables import Need, NeedVersion
from bot.storage.tables import utcnow

#: The answers key that carries the id of the need a questionnaire run is about.
NEED_ID_KEY = "_need"
#: Statuses a focal point's need goes through; ``withdrawn`` ends it.
OPEN_STATUSES = ("submitted", "under_review", "matched")
#: A need counted in summaries and exports.
COUNTED_STATUSES = (*OPEN_STATUSES, "closed")
#: How old a draft must be before it is offered again on the next contact.
DRAFT_OFFER_AFTER = timedelta(days=1)

#: Called with the session and the need after each submission or edit (matching attaches here).
NeedSubmittedHook = Callable[[Session, Need], object]

_LIST_FIELDS = ("roles", "conventions", "types", "languages")
_TEXT_FIELDS = ("other_area", "priority", "description", "audience", "format", "timeframe")


def _clean(answers: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in answers.items() if key != NEED_ID_KEY}


def _ordered_areas(codes: Iterable[str]) -> list[str]:
    order = {code: i for i, code in enumerate(vocab.ASSISTANCE_AREAS)}
    return sorted(dict.fromkeys(codes), key=lambda code: order.get(code, len(order)))


def apply_answers(need: Need, answers: Mapping[str, Any], person: Who) -> None:
    """Copy questionnaire answers onto ``need``; country and roles come from the profile first."""
    focal_point = person.focal_point
    need.answers = _clean(answers)
    if focal_point is not None and focal_point.country:
        need.country, need.verified = focal_point.country, focal_point.verified
    else:
        need.country, need.verified = answers.get("country") or need.country, False
    need.region = vocab.region_of(need.country) if need.country else None
    need.focal_point_id = focal_point.id if focal_point is not None else need.focal_point_id
    roles = list(focal_point.roles) if focal_point is not None and focal_point.roles else []
    need.roles = roles or list(answers.get("roles") or [])
    for name in _LIST_FIELDS[1:]:
        setattr(need, name, list(answers.get(name) or []))
    need.areas = _ordered_areas(
        [*(answers.get("areas") or []), *(answers.get("convention_areas") or [])]
    )
    for name in _TEXT_FIELDS:
        value = answers.get(name)
        setattr(need, name, str(value) if value is not None else None)
    participants = answers.get("participants")
    need.participants = int(participants) if participants is not None else None
    start = answers.get("earliest_start")
    need.earliest_start = date.fromisoformat(start) if isinstance(start, str) else None
    need.updated_at = utcnow()


def snapshot(need: Need) -> dict[str, Any]:
    """Return the need's content as plain data, for its version history."""
    data = need.model_dump(
        exclude={"answers", "created_at", "updated_at", "submitted_at", "draft_offered_at"}
    )
    data["earliest_start"] = need.earliest_start.isoformat() if need.earliest_start else None
    return data


def get_need(*, session: Session, need_id: int) -> Need:
    """Return the need ``need_id`` or raise NotFound."""
    need = session.get(Need, need_id)
    if need is None:
        raise NotFound(f"no need {need_id}")
    return need


def _owner_filter(person: Who) -> Any:
    clauses = [col(Need.account_id) == person.account_id]
    if person.focal_point is not None and person.focal_point.id is not None:
        clauses.append(col(Need.focal_point_id) == person.focal_point.id)
    return or_(*clauses)


def is_owner(person: Who, need: Need) -> bool:
    """Tell whether ``person`` entered ``need`` (from any of their chat accounts)."""
    if need.account_id == person.account_id:
        return True
    fp = person.focal_point
    return fp is not None and fp.id is not None and need.focal_point_id == fp.id


def can_see(person: Who, need: Need, *, is_admin: bool) -> bool:
    """Tell whether ``person`` may read ``need``: their own, their country's if verified, or all."""
    if is_admin or is_owner(person, need):
        return True
    fp = person.focal_point
    return fp is not None and fp.verified and need.country == fp.country and need.status != "draft"


def needs_of(*, session: Session, person: Who) -> list[Need]:
    """Return the person's own needs, newest first, drafts included."""
    query = select(Need).where(_owner_filter(person)).order_by(col(Need.updated_at).desc())
    return list(session.exec(query).all())


def country_needs(*, session: Session, country: str) -> list[Need]:
    """Return the submitted needs of a country, newest first."""
    query = (
        select(Need)
        .where(Need.country == country, col(Need.status) != "draft")
        .order_by(col(Need.updated_at).desc())
    )
    return list(session.exec(query).all())


def all_needs(*, session: Session, round_id: int | None = None) -> list[Need]:
    """Return every counted need (not drafts, not withdrawn), oldest first."""
    query = select(Need).where(col(Need.status).in_(COUNTED_STATUSES))
    if round_id is not None:
        query = query.where(Need.round_id == round_id)
    return list(session.exec(query.order_by(col(Need.id))).all())


def latest_draft(*, session: Session, person: Who) -> Need | None:
    """Return the person's most recent draft, if any."""
    query = (
        select(Need)
        .where(_owner_filter(person), Need.status == "draft")
        .order_by(col(Need.updated_at).desc())
    )
    return session.exec(query).first()


def save_draft(
    *, session: Session, person: Who, answers: Mapping[str, Any], language: str, actor: str
) -> Need | None:
    """Keep unfinished answers as a draft; return None when nothing was answered yet.

    Answers of a submitted need being edited are not a draft: the submitted
    version stays as it was.
    """
    content = _clean(answers)
    if not content:
        return None
    need_id = answers.get(NEED_ID_KEY)
    need = session.get(Need, need_id) if isinstance(need_id, int) else None
    if need is not None and need.status != "draft":
        return None
    if need is None:
        need = latest_draft(session=session, person=person) or Need(
            account_id=person.account_id, status="draft"
        )
    apply_answers(need, content, person)
    need.language, need.draft_offered_at = language, None
    session.add(need)
    session.flush()
    audit.record(session=session, actor=actor, action="need.draft", target=f"need:{need.id}")
    return need


def discard_draft(*, session: Session, need: Need, actor: str) -> None:
    """Delete a draft the user no longer wants."""
    if need.status != "draft":
        raise NotAllowed("needs.not_a_draft")
    audit.record(session=session, actor=actor, action="need.discard", target=f"need:{need.id}")
    session.delete(need)


def stale_draft(*, session: Session, person: Who, now: datetime | None = None) -> Need | None:
    """Return a draft left for a day that was not offered since, marking it offered."""
    draft = latest_draft(session=session, person=person)
    moment = now or utcnow()
    if draft is None or _aware(draft.updated_at) > moment - DRAFT_OFFER_AFTER:
        return None
    offered = draft.draft_offered_at
    if offered is not None and _aware(offered) > moment - DRAFT_OFFER_AFTER:
        return None
    draft.draft_offered_at = moment
    session.add(draft)
    return draft


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were stored in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=utcnow().tzinfo)


def submit_need(
    *,
    session: Session,
    person: Who,
    answers: Mapping[str, Any],
    language: str,
    actor: str,
    assign_round: Callable[[Need], int | None] | None = None,
    hooks: Iterable[NeedSubmittedHook] = (),
) -> Need:
    """Submit a new need, a draft, or a new version of a submitted need; keep each version.

    ``assign_round`` picks the needs-assessment round a first submission answers.
    """
    need_id = answers.get(NEED_ID_KEY)
    need = session.get(Need, need_id) if isinstance(need_id, int) else None
    if need is not None and not is_owner(person, need):
        raise NotAllowed("needs.not_yours")
    if need is None:
        need = latest_draft(session=session, person=person) if need_id is None else None
    first = need is None or need.status == "draft"
    if need is None:
        need = Need(account_id=person.account_id)
    apply_answers(need, answers, person)
    need.language = language
    if first:
        need.status, need.submitted_at = "submitted", utcnow()
        need.round_id = assign_round(need) if assign_round is not None else None
    need.version += 1
    session.add(need)
    session.flush()
    assert need.id is not None
    note = "submitted" if first else "edited"
    session.add(
        NeedVersion(
            need_id=need.id, version=need.version, data=snapshot(need), changed_by=actor, note=note
        )
    )
    audit.record(
        session=session,
        actor=actor,
        action=f"need.{'submit' if first else 'edit'}",
        target=f"need:{need.id}",
        version=need.version,
    )
    for hook in hooks:
        hook(session, need)
    return need


def withdraw_need(*, session: Session, person: Who, need: Need, reason: str, actor: str) -> Need:
    """Withdraw a submitted need with the user's reason, keeping a version of it."""
    if not is_owner(person, need):
        raise NotAllowed("needs.not_yours")
    if need.status not in OPEN_STATUSES:
        raise NotAllowed("needs.cannot_withdraw")
    need.status, need.withdrawn_reason = "withdrawn", reason
    need.version += 1
    need.updated_at = utcnow()
    session.add(need)
    assert need.id is not None
    session.add(
        NeedVersion(
            need_id=need.id,
            version=need.version,
            data=snapshot(need),
            changed_by=actor,
            note=f"withdrawn: {reason}",
        )
    )
    audit.record(
        session=session,
        actor=actor,
        action="need.withdraw",
        target=f"need:{need.id}",
        reason=reason,
    )
    return need


def versions_of(*, session: Session, need_id: int) -> list[NeedVersion]:
    """Return the version history of a need, oldest first."""
    query = (
        select(NeedVersion).where(NeedVersion.need_id == need_id).order_by(col(NeedVersion.version))
    )
    return list(session.exec(query).all())
