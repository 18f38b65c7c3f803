"""Follow the needs: filter, read one with its history, change its status, download."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, select

from bot import vocab
from bot.errors import NotAllowed
from bot.services import needs_export, needs_report
from bot.services.need_review import REVIEW_STATUSES, change_status
from bot.services.needs import versions_of
from bot.services.rounds import list_rounds
from bot.services.staff import Staff
from bot.storage.needs_tables import Need, Round
from bot.storage.tables import FocalPoint
from bot.web.console.base import Console, country_choices, region_countries
from bot.web.console.focal_points import json_contains
from bot.web.console.pagination import paginate

LISTED_STATUSES = tuple(s for s in vocab.NEED_STATUSES if s != "draft")
FILTERS = ("round", "region", "country", "area", "type", "priority", "status")


def clean_filters(staff: Staff, raw: dict[str, str]) -> dict[str, str]:
    """Keep the filters whose values are known codes."""
    allowed = {
        "round": None,
        "region": vocab.REGIONS,
        "country": vocab.COUNTRY_REGIONS,
        "area": vocab.ASSISTANCE_AREAS,
        "type": vocab.ASSISTANCE_TYPES,
        "priority": vocab.PRIORITIES,
        "status": LISTED_STATUSES,
    }
    filters: dict[str, str] = {}
    for name, known in allowed.items():
        value = raw.get(name, "").strip()
        if name == "round":
            filters[name] = value if value.isdigit() else ""
        else:
            filters[name] = value if value in (known or ()) else ""
    if not staff.is_secretariat:
        filters["region"] = ""
    return filters


def need_query(staff: Staff, filters: dict[str, str]) -> Any:
    """Return the query of the needs matching ``filters`` within the staff's region."""
    query = select(Need).where(col(Need.status) != "draft")
    if staff.region is not None and not staff.is_secretariat:
        query = query.where(Need.region == staff.region)
    if filters["round"]:
        query = query.where(Need.round_id == int(filters["round"]))
    if filters["region"]:
        query = query.where(Need.region == filters["region"])
    if filters["country"]:
        query = query.where(Need.country == filters["country"])
    if filters["area"]:
        query = query.where(json_contains(Need.areas, filters["area"]))
    if filters["type"]:
        query = query.where(json_contains(Need.types, filters["type"]))
    if filters["priority"]:
        query = query.where(Need.priority == filters["priority"])
    if filters["status"]:
        query = query.where(Need.status == filters["status"])
    return query.order_by(col(Need.id).desc())


def _visible_need(console: Console, staff: Staff, session: Session, need_id: int) -> Need:
    need = session.get(Need, need_id)
    if need is None or need.status == "draft":
        raise HTTPException(status_code=404, detail="not found")
    if not staff.is_secretariat and need.region != staff.region:
        raise HTTPException(status_code=404, detail="not found")
    return need


def export_rows(session: Session, needs: Iterable[Need]) -> list[list[str]]:
    """Return the export rows of ``needs``, with their focal points and rounds."""
    rows = []
    for need in needs:
        focal_point = session.get(FocalPoint, need.focal_point_id) if need.focal_point_id else None
        round_ = session.get(Round, need.round_id) if need.round_id else None
        rows.append(needs_export.need_row(need, focal_point=focal_point, round_=round_))
    return rows


def regional_summary(session: Session, round_id: int | None, region: str) -> Any:
    """Return the report's summary restricted to one region's needs."""
    summary = needs_report.summarise(session=session, round_id=round_id)
    full = needs_report.NeedsSummary(
        generated=summary.generated,
        round=summary.round,
        needs=[n for n in summary.needs if n.region == region],
        regions=[(code, text) for code, text in summary.regions if code == region],
    )
    full.region_area = {region: summary.region_area[region]}
    for need in full.needs:
        full.by_region[region] += 1
        full.by_area.update(need.areas)
        full.by_type.update(need.types)
        full.by_convention.update(need.conventions)
        full.by_priority.update([need.priority] if need.priority else [])
        full.by_format.update([need.format] if need.format else [])
        full.by_timeframe.update([need.timeframe] if need.timeframe else [])
    return full


def routes(console: Console) -> APIRouter:
    """Return the needs routes."""
    router = APIRouter()

    @router.get("/needs")
    def list_page(request: Request, page: int = 1) -> Response:
        """List the needs, filtered, one page at a time."""
        staff = console.require(request)
        filters = clean_filters(staff, dict(request.query_params))
        allowed = region_countries(staff)
        with console.db() as session:
            rows = paginate(session, need_query(staff, filters), number=page, filters=filters)
            rounds = list_rounds(session=session)
        return console.page(
            request,
            "console/needs.html",
            staff,
            page=rows,
            filters=filters,
            rounds=[(str(r.id), r.title) for r in rounds],
            statuses=[(s, vocab.NEED_STATUS.label(s)) for s in LISTED_STATUSES],
            countries=country_choices(allowed),
            query=request.url.query,
        )

    @router.get("/needs/export.{fmt}")
    def download(request: Request, fmt: str) -> Response:
        """Download the filtered needs as CSV or XLSX (labels, not codes)."""
        staff = console.require(request)
        if fmt not in ("csv", "xlsx"):
            raise HTTPException(status_code=404, detail="not found")
        filters = clean_filters(staff, dict(request.query_params))
        with console.db() as session:
            rows = export_rows(session, session.exec(need_query(staff, filters)).all())
        stamp = date.today().isoformat()
        if fmt == "csv":
            body, media = needs_export.to_csv(rows), "text/csv; charset=utf-8"
        else:
            body = needs_export.to_xlsx(rows)
            media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(
            body,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="needs-{stamp}.{fmt}"'},
        )

    @router.get("/needs/report")
    def report(request: Request, round: str = "") -> Response:  # noqa: A002
        """Show the needs report (of one round, if chosen) as a page to print or save."""
        staff = console.require(request)
        round_id = int(round) if round.isdigit() else None
        with console.db() as session:
            if round_id is not None and session.get(Round, round_id) is None:
                raise HTTPException(status_code=404, detail="not found")
            if staff.is_secretariat or staff.region is None:
                html = needs_report.build_report(session=session, round_id=round_id)
            else:
                html = needs_report.render_report(regional_summary(session, round_id, staff.region))
        return HTMLResponse(html)

    @router.get("/needs/{need_id}")
    def detail_page(request: Request, need_id: int) -> Response:
        """Show a need, its version history and the status form."""
        staff = console.require(request)
        with console.db() as session:
            need = _visible_need(console, staff, session, need_id)
            history = versions_of(session=session, need_id=need_id)
            focal_point = (
                session.get(FocalPoint, need.focal_point_id) if need.focal_point_id else None
            )
            round_ = session.get(Round, need.round_id) if need.round_id else None
        return console.page(
            request,
            "console/need.html",
            staff,
            need=need,
            history=history,
            fp=focal_point,
            round=round_,
            review_statuses=[(s, vocab.NEED_STATUS.label(s)) for s in REVIEW_STATUSES],
        )

    @router.post("/needs/{need_id}/status")
    def set_status(
        request: Request,
        need_id: int,
        status: Annotated[str, Form(max_length=20)],
        note: Annotated[str, Form(max_length=1000)] = "",
        csrf: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        """Change a need's status and tell its author, with the note."""
        staff = console.require(request)
        console.check_csrf(request, csrf)
        with console.db() as session:
            _visible_need(console, staff, session, need_id)
            try:
                change_status(
                    session=session, need_id=need_id, status=status, note=note, actor=staff.actor
                )
            except NotAllowed as exc:
                raise HTTPException(status_code=400, detail=str(exc)) from exc
        return console.redirect(f"/needs/{need_id}", notice="status")

    return router
