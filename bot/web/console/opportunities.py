"""Create, edit, publish and cancel opportunities; show who publishing will reach and why."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import func
from sqlmodel import Session, col, select

from bot import vocab
from bot.errors import UserInputError
from bot.services import audit
from bot.services.matching import explain
from bot.services.opportunities import (
    Candidate,
    cancel_opportunity,
    find_candidates,
    publish_opportunity,
)
from bot.services.opportunity_files import PROVIDER_TYPES, opportunity_from_dict
from bot.services.staff import Staff
from bot.storage.notify_tables import (
    Opportunity,
    OpportunityMatch,
    OpportunityStatus,
    OutboxMessage,
)
from bot.storage.tables import FocalPoint, utcnow
from bot.web.console.base import Console
from bot.web.console.pagination import paginate

LIST_FIELDS = ("areas", "types", "conventions", "regions", "countries", "languages")
TEXT_FIELDS = (
    "kind", "title", "description", "provider", "provider_type", "format",
    "starts_on", "ends_on", "deadline", "url", "capacity",
)  # fmt: skip
EDITABLE = (OpportunityStatus.DRAFT,)


def _visible(staff: Staff, session: Session, opportunity_id: int) -> Opportunity:
    opportunity = session.get(Opportunity, opportunity_id)
    if opportunity is None or not (staff.is_secretariat or opportunity.created_by == staff.actor):
        raise HTTPException(status_code=404, detail="not found")
    return opportunity


def form_values(staff: Staff, form: Any) -> dict[str, Any]:
    """Read the opportunity form; a regional centre's offers stay within its region."""
    raw: dict[str, Any] = {name: form.getlist(name) for name in LIST_FIELDS}
    raw.update({name: str(form.get(name) or "").strip() for name in TEXT_FIELDS})
    if not staff.is_secretariat and staff.region is not None:
        raw["provider_type"] = "regional_centre"
        raw["regions"] = [staff.region]
        raw["countries"] = [
            c for c in raw["countries"] if vocab.COUNTRY_REGIONS.get(c) == staff.region
        ]
    return raw


def _defaults(staff: Staff) -> dict[str, Any]:
    return {
        **{name: [] for name in LIST_FIELDS},
        **dict.fromkeys(TEXT_FIELDS, ""),
        "provider_type": "secretariat" if staff.is_secretariat else "regional_centre",
        "provider": "BRS Secretariat" if staff.is_secretariat else "",
        "regions": [] if staff.is_secretariat else [staff.region],
    }


def _as_form(opportunity: Opportunity) -> dict[str, Any]:
    values: dict[str, Any] = {name: list(getattr(opportunity, name)) for name in LIST_FIELDS}
    for name in TEXT_FIELDS:
        value = getattr(opportunity, name)
        values[name] = "" if value is None else str(value)
    return values


def reach_summary(session: Session, candidates: list[Candidate]) -> dict[str, Any]:
    """Count who publishing reaches: by region, by reason, with a sample explained."""
    by_reason: Counter[str] = Counter()
    by_area: Counter[str] = Counter()
    for candidate in candidates:
        for reason in candidate.match.reasons:
            by_reason[reason.code] += 1
            if reason.code in ("areas", "follow_area"):
                by_area.update(reason.values)
    fp_ids = [int(c.recipient[3:]) for c in candidates if c.recipient.startswith("fp:")]
    countries: dict[int, str | None] = {}
    names: dict[int, str] = {}
    for start in range(0, len(fp_ids), 500):
        for fp_id, name, code in session.exec(
            select(FocalPoint.id, FocalPoint.name, FocalPoint.country).where(
                col(FocalPoint.id).in_(fp_ids[start : start + 500])
            )
        ).all():
            if fp_id is not None:
                countries[fp_id], names[fp_id] = code, name
    by_region: Counter[str] = Counter(
        vocab.COUNTRY_REGIONS.get(countries.get(i) or "", "unknown") for i in fp_ids
    )
    by_region["unknown"] += len(candidates) - len(fp_ids)
    return {
        "total": len(candidates),
        "by_region": [(code, n) for code, n in by_region.most_common() if n],
        "by_reason": by_reason.most_common(),
        "by_area": by_area.most_common(8),
        "sample": [
            (_who(c.recipient, names, countries), explain(c.match.reasons, "en"))
            for c in candidates[:10]
        ],
    }


def _who(recipient: str, names: dict[int, str], countries: dict[int, str | None]) -> str:
    if not recipient.startswith("fp:"):
        return "A chat user without a focal-point record"
    fp_id = int(recipient[3:])
    code = countries.get(fp_id)
    where = vocab.country_name(code) if code in vocab.COUNTRY_REGIONS and code else "?"
    return f"{names.get(fp_id, recipient)} ({where})"


def delivery(session: Session, opportunity_id: int) -> dict[str, int]:
    """Count the opportunity's matches and its notifications by state."""
    matched = session.exec(
        select(func.count()).where(OpportunityMatch.opportunity_id == opportunity_id)
    ).one()
    states = dict(
        session.exec(
            select(OutboxMessage.state, func.count())
            .where(OutboxMessage.opportunity_id == opportunity_id)
            .group_by(col(OutboxMessage.state))
        ).all()
    )
    return {"matched": int(matched), **{str(k): int(v) for k, v in states.items()}}


def routes(console: Console) -> APIRouter:
    """Return the opportunity routes."""
    router = APIRouter()

    def edit_form(
        request: Request, staff: Staff, values: dict[str, Any], *, opp_id: int | None, error: str
    ) -> Response:
        return console.page(
            request,
            "console/opportunity_form.html",
            staff,
            values=values,
            opp_id=opp_id,
            error=error,
            provider_types=PROVIDER_TYPES,
            status_code=400 if error else 200,
        )

    @router.get("/opportunities")
    def list_page(request: Request, page: int = 1) -> Response:
        """List the opportunities (a centre's staff see their own)."""
        staff = console.require(request)
        query: Any = select(Opportunity).order_by(col(Opportunity.id).desc())
        if not staff.is_secretariat:
            query = query.where(Opportunity.created_by == staff.actor)
        with console.db() as session:
            rows = paginate(session, query, number=page, filters={})
        return console.page(request, "console/opportunities.html", staff, page=rows)

    @router.get("/opportunities/new")
    def new_page(request: Request) -> Response:
        """Show an empty opportunity form."""
        staff = console.require(request)
        return edit_form(request, staff, _defaults(staff), opp_id=None, error="")

    @router.post("/opportunities/new")
    async def create(request: Request) -> Response:
        """Save a new opportunity as a draft."""
        staff = console.require(request)
        form = await request.form()
        console.check_csrf(request, str(form.get("csrf") or ""))
        values = form_values(staff, form)
        try:
            opportunity = opportunity_from_dict(values, actor=staff.actor)
        except ValueError as exc:
            return edit_form(request, staff, values, opp_id=None, error=str(exc))
        with console.db() as session:
            session.add(opportunity)
            session.flush()
            audit.record(
                session=session, actor=staff.actor, action="opportunity.add",
                target=f"opportunity:{opportunity.id}",
            )  # fmt: skip
        return console.redirect(f"/opportunities/{opportunity.id}", notice="saved")

    @router.get("/opportunities/{opp_id}")
    def detail_page(request: Request, opp_id: int) -> Response:
        """Show an opportunity and, once published, its reach and delivery."""
        staff = console.require(request)
        with console.db() as session:
            opportunity = _visible(staff, session, opp_id)
            figures = delivery(session, opp_id)
        return console.page(
            request, "console/opportunity.html", staff, opp=opportunity, figures=figures
        )

    @router.get("/opportunities/{opp_id}/edit")
    def edit_page(request: Request, opp_id: int) -> Response:
        """Show the form of a draft opportunity."""
        staff = console.require(request)
        with console.db() as session:
            opportunity = _visible(staff, session, opp_id)
        if opportunity.status not in EDITABLE:
            raise HTTPException(status_code=409, detail="only a draft can be edited")
        return edit_form(request, staff, _as_form(opportunity), opp_id=opp_id, error="")

    @router.post("/opportunities/{opp_id}/edit")
    async def update(request: Request, opp_id: int) -> Response:
        """Save the changes of a draft opportunity."""
        staff = console.require(request)
        form = await request.form()
        console.check_csrf(request, str(form.get("csrf") or ""))
        values = form_values(staff, form)
        try:
            changed = opportunity_from_dict(values, actor=staff.actor)
        except ValueError as exc:
            return edit_form(request, staff, values, opp_id=opp_id, error=str(exc))
        with console.db() as session:
            opportunity = _visible(staff, session, opp_id)
            if opportunity.status not in EDITABLE:
                raise HTTPException(status_code=409, detail="only a draft can be edited")
            for name in (*LIST_FIELDS, *TEXT_FIELDS):
                setattr(opportunity, name, getattr(changed, name))
            opportunity.updated_at = utcnow()
            session.add(opportunity)
            audit.record(
                session=session, actor=staff.actor, action="opportunity.edit",
                target=f"opportunity:{opp_id}",
            )  # fmt: skip
        return console.redirect(f"/opportunities/{opp_id}", notice="saved")

    @router.get("/opportunities/{opp_id}/publish")
    def confirm_page(request: Request, opp_id: int) -> Response:
        """Show how many focal points publishing will reach and why, and ask to confirm."""
        staff = console.require(request)
        with console.db() as session:
            opportunity = _visible(staff, session, opp_id)
            # Matching considers published offers only: ask as if this one were.
            as_published = Opportunity(
                **opportunity.model_dump(exclude={"status"}), status=OpportunityStatus.PUBLISHED
            )
            candidates = find_candidates(session=session, opportunity=as_published)
            reach = reach_summary(session, candidates)
        return console.page(
            request, "console/opportunity_publish.html", staff, opp=opportunity, reach=reach
        )

    @router.post("/opportunities/{opp_id}/publish")
    def publish(
        request: Request, opp_id: int, csrf: Annotated[str, Form(max_length=100)] = ""
    ) -> Response:
        """Publish and queue one notification per person it fits."""
        staff = console.require(request)
        console.check_csrf(request, csrf)
        with console.db() as session:
            _visible(staff, session, opp_id)
            try:
                publish_opportunity(session=session, opportunity_id=opp_id, actor=staff.actor)
            except UserInputError as exc:
                raise HTTPException(status_code=409, detail="a cancelled offer stays so") from exc
        return console.redirect(f"/opportunities/{opp_id}", notice="published")

    @router.post("/opportunities/{opp_id}/cancel")
    def cancel(
        request: Request,
        opp_id: int,
        reason: Annotated[str, Form(max_length=1000)] = "",
        csrf: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        """Cancel an opportunity."""
        staff = console.require(request)
        console.check_csrf(request, csrf)
        with console.db() as session:
            _visible(staff, session, opp_id)
            cancel_opportunity(
                session=session, opportunity_id=opp_id, reason=reason, actor=staff.actor
            )
        return console.redirect(f"/opportunities/{opp_id}", notice="cancelled")

    return router
