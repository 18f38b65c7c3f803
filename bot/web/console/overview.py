"""Show where things stand at a glance: focal points, needs, opportunities, questions, outbox."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import bindparam, func, text
from sqlmodel import Session, col, select

from bot import vocab
from bot.services import outbox
from bot.services.needs import COUNTED_STATUSES
from bot.services.staff import Staff
from bot.storage.needs_tables import Need
from bot.storage.notify_tables import Opportunity, OpportunityMatch, OpportunityStatus
from bot.storage.tables import ChannelAccount, FocalPoint, QuestionLog
from bot.web.console.base import Console


@dataclass(slots=True)
class RegionRow:
    """Focal points of one region: on the list, verified, reachable in a chat."""

    code: str
    label: str
    total: int = 0
    verified: int = 0
    registered: int = 0


@dataclass(slots=True)
class Overview:
    """Every figure of the overview page."""

    regions: list[RegionRow]
    needs_by_status: list[tuple[str, int]]
    needs_by_area: list[tuple[str, int]]
    opportunities: list[tuple[Opportunity, int]]
    questions_waiting: int | None
    outbox: outbox.OutboxStatus | None
    extra: dict[str, Any] = field(default_factory=dict)


def _region(country: str | None) -> str | None:
    return vocab.COUNTRY_REGIONS.get(country) if country else None


def focal_points_by_region(session: Session, region: str | None) -> list[RegionRow]:
    """Count focal points per region (or in one): all, verified, linked to a chat account."""
    countries = vocab.countries_in(region) if region is not None else None
    rows: dict[str, RegionRow] = {
        code: RegionRow(code, vocab.REGION.label(code, "en")) for code in vocab.REGIONS
    }
    query: Any = select(FocalPoint.country, FocalPoint.verified, func.count()).group_by(
        col(FocalPoint.country), col(FocalPoint.verified)
    )
    linked: Any = (
        select(FocalPoint.country, func.count(func.distinct(FocalPoint.id)))
        .join(ChannelAccount, col(ChannelAccount.focal_point_id) == col(FocalPoint.id))
        .where(ChannelAccount.active == True)  # noqa: E712  (SQL expression)
        .group_by(col(FocalPoint.country))
    )
    if countries is not None:
        query = query.where(col(FocalPoint.country).in_(countries))
        linked = linked.where(col(FocalPoint.country).in_(countries))
    for country, verified, count in session.exec(query).all():
        where = _region(country)
        if where is not None:
            rows[where].total += count
            rows[where].verified += count if verified else 0
    for country, count in session.exec(linked).all():
        where = _region(country)
        if where is not None:
            rows[where].registered += count
    return [rows[region]] if region is not None else list(rows.values())


def needs_figures(
    session: Session, region: str | None
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Count needs by status, and the counted needs by assistance area (most asked first)."""
    by_status: Any = select(Need.status, func.count()).group_by(col(Need.status))
    if region is not None:
        by_status = by_status.where(Need.region == region)
    statuses = dict(session.exec(by_status).all())
    status_rows: list[tuple[str, int]] = [
        (code, int(statuses.get(code, 0))) for code in vocab.NEED_STATUSES
    ]
    return status_rows, areas_requested(session, region)


def areas_requested(session: Session, region: str | None, limit: int = 10) -> list[tuple[str, int]]:
    """Count the counted needs per assistance area in SQL (the lists are JSON arrays)."""
    dialect = session.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):
        counter: Counter[str] = Counter()
        query: Any = select(Need.areas).where(col(Need.status).in_(COUNTED_STATUSES))
        if region is not None:
            query = query.where(Need.region == region)
        for codes in session.exec(query).all():
            counter.update(codes or [])
        return counter.most_common(limit)
    expand = (
        "json_each(need.areas) AS area"
        if dialect == "sqlite"
        else "json_array_elements_text(need.areas) AS area(value)"
    )
    in_region = "AND need.region = :region " if region is not None else ""
    statement = text(
        f"SELECT area.value, count(*) AS n FROM need, {expand} "
        f"WHERE need.status IN :statuses {in_region}"
        "GROUP BY area.value ORDER BY n DESC, area.value LIMIT :limit"
    ).bindparams(bindparam("statuses", expanding=True))
    values: dict[str, Any] = {"statuses": list(COUNTED_STATUSES), "limit": limit}
    if region is not None:
        values["region"] = region
    rows = session.connection().execute(statement, values)
    return [(str(code), int(count)) for code, count in rows]


def open_opportunities(session: Session, staff: Staff) -> list[tuple[Opportunity, int]]:
    """Return the published opportunities (a centre's own, for its staff) with their reach."""
    reach = (
        select(OpportunityMatch.opportunity_id, func.count().label("reach"))
        .group_by(col(OpportunityMatch.opportunity_id))
        .subquery()
    )
    query: Any = (
        select(Opportunity, func.coalesce(reach.c.reach, 0))
        .outerjoin(reach, reach.c.opportunity_id == col(Opportunity.id))
        .where(Opportunity.status == OpportunityStatus.PUBLISHED)
        .order_by(col(Opportunity.id).desc())
        .limit(20)
    )
    if not staff.is_secretariat:
        query = query.where(Opportunity.created_by == staff.actor)
    return [(opportunity, int(count)) for opportunity, count in session.exec(query).all()]


def questions_waiting(session: Session) -> int:
    """Count the questions passed to the Secretariat and not answered yet."""
    query: Any = select(func.count()).where(
        QuestionLog.escalated == True,  # noqa: E712  (SQL expression)
        col(QuestionLog.secretariat_answer).is_(None),
    )
    return int(session.exec(query).one())


def build_overview(session: Session, staff: Staff) -> Overview:
    """Gather the overview's figures within what ``staff`` may see."""
    status_rows, area_rows = needs_figures(session, staff.region)
    return Overview(
        regions=focal_points_by_region(session, staff.region),
        needs_by_status=status_rows,
        needs_by_area=area_rows,
        opportunities=open_opportunities(session, staff),
        questions_waiting=questions_waiting(session) if staff.is_secretariat else None,
        outbox=outbox.status(session=session) if staff.is_secretariat else None,
    )


def routes(console: Console) -> APIRouter:
    """Return the overview route."""
    router = APIRouter()

    @router.get("/")
    def overview_page(request: Request) -> Response:
        """Show the overview."""
        staff = console.require(request)
        with console.db() as session:
            figures = build_overview(session, staff)
        return console.page(request, "console/overview.html", staff, figures=figures)

    return router
