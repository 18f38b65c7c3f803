"""List, filter and import focal points; make an invite with its link and QR code."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import segno
from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import String, cast, exists, or_
from sqlmodel import col, select

from bot import vocab
from bot.core import Channel
from bot.services.focal_points import import_focal_points
from bot.services.identities import accounts_of
from bot.services.invites import issue_invite
from bot.services.staff import Staff
from bot.storage.tables import ChannelAccount, FocalPoint, Invite
from bot.web.console.base import Console, country_choices, ensure_in_region, region_countries
from bot.web.console.pagination import paginate

MAX_IMPORT_BYTES = 5 * 1024 * 1024
CHANNEL_CHOICES = [(c.value, c.value.capitalize()) for c in Channel] + [("none", "No chat yet")]


def json_contains(column: Any, code: str) -> Any:
    """Return a condition true when a JSON list column holds ``code`` (a vetted code)."""
    return cast(column, String).like(f'%"{code}"%')


def _checked(value: str, allowed: Any) -> str:
    return value if value in allowed else ""


def focal_point_query(staff: Staff, filters: dict[str, str]) -> Any:
    """Return the query of the focal points that match ``filters`` within the staff's region."""
    query = select(FocalPoint)
    allowed = region_countries(staff)
    if allowed is not None:
        query = query.where(col(FocalPoint.country).in_(allowed))
    if filters["q"]:
        pattern = f"%{filters['q'].lower()}%"
        query = query.where(
            or_(
                col(FocalPoint.name).ilike(pattern),
                col(FocalPoint.email).ilike(pattern),
            )
        )
    if filters["country"]:
        query = query.where(FocalPoint.country == filters["country"])
    if filters["region"]:
        query = query.where(col(FocalPoint.country).in_(vocab.countries_in(filters["region"])))
    if filters["role"]:
        query = query.where(json_contains(FocalPoint.roles, filters["role"]))
    if filters["convention"]:
        query = query.where(json_contains(FocalPoint.conventions, filters["convention"]))
    if filters["verified"]:
        query = query.where(FocalPoint.verified == (filters["verified"] == "yes"))
    if filters["channel"]:
        linked = (
            select(ChannelAccount.id)
            .where(
                col(ChannelAccount.focal_point_id) == col(FocalPoint.id),
                ChannelAccount.active == True,  # noqa: E712  (SQL expression)
            )
            .correlate(FocalPoint)
        )
        if filters["channel"] == "none":
            query = query.where(~exists(linked))
        else:
            query = query.where(exists(linked.where(ChannelAccount.channel == filters["channel"])))
    return query.order_by(col(FocalPoint.name), col(FocalPoint.id))


def _channels_of(console: Console, ids: list[int]) -> dict[int, list[str]]:
    with console.db() as session:
        rows = session.exec(
            select(ChannelAccount.focal_point_id, ChannelAccount.channel).where(
                col(ChannelAccount.focal_point_id).in_(ids),
                ChannelAccount.active == True,  # noqa: E712  (SQL expression)
            )
        ).all()
    found: dict[int, list[str]] = {}
    for fp_id, channel in rows:
        if fp_id is not None and channel not in found.setdefault(fp_id, []):
            found[fp_id].append(channel)
    return found


def invite_links(code: str, bot_username: str | None) -> dict[str, str]:
    """Return how to use an invite: the Telegram deep link (if the bot is named) and commands."""
    links = {"slack": f"/redeem {code}", "console": f"/redeem {code}"}
    if bot_username:
        links["telegram"] = f"https://t.me/{bot_username}?start={code}"
    return links


def qr_data_uri(text: str) -> str:
    """Return a QR code of ``text`` as an SVG data URI (scanned with a phone's camera)."""
    return str(segno.make(text, error="m").svg_data_uri(scale=6, border=2))


def routes(console: Console) -> APIRouter:
    """Return the focal-point routes."""
    router = APIRouter()

    @router.get("/focal-points")
    def list_page(
        request: Request,
        q: str = "",
        country: str = "",
        region: str = "",
        role: str = "",
        convention: str = "",
        verified: str = "",
        channel: str = "",
        page: int = 1,
    ) -> Response:
        """List the focal points, filtered, one page at a time."""
        staff = console.require(request)
        filters = {
            "q": q.strip()[:100],
            "country": _checked(country.upper(), vocab.COUNTRY_REGIONS),
            "region": _checked(region, vocab.REGIONS),
            "role": _checked(role, vocab.ROLES),
            "convention": _checked(convention, vocab.CONVENTIONS),
            "verified": _checked(verified, ("yes", "no")),
            "channel": _checked(channel, [code for code, _ in CHANNEL_CHOICES]),
        }
        with console.db() as session:
            rows = paginate(
                session, focal_point_query(staff, filters), number=page, filters=filters
            )
        ids = [fp.id for fp in rows.rows if fp.id is not None]
        allowed = region_countries(staff)
        return console.page(
            request,
            "console/focal_points.html",
            staff,
            page=rows,
            filters=filters,
            channels=_channels_of(console, ids),
            channel_choices=CHANNEL_CHOICES,
            countries=country_choices(allowed),
        )

    @router.post("/focal-points/import")
    def import_csv(
        request: Request,
        file: Annotated[UploadFile, File()],
        csrf: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        """Import the Secretariat's CSV list and show what was refused and why."""
        staff = console.require(request, secretariat=True)
        console.check_csrf(request, csrf)
        data = file.file.read(MAX_IMPORT_BYTES + 1)
        error = ""
        report = None
        if len(data) > MAX_IMPORT_BYTES:
            error = "The file is larger than 5 MB."
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                error = "The file is not UTF-8 text: save it as “CSV UTF-8” and try again."
            else:
                with console.db() as session:
                    report = import_focal_points(session=session, text=text, actor=staff.actor)
        return console.page(
            request,
            "console/import_report.html",
            staff,
            report=report,
            error=error,
            filename=file.filename or "",
            status_code=400 if error else 200,
        )

    @router.get("/focal-points/{fp_id}")
    def detail_page(request: Request, fp_id: int) -> Response:
        """Show one focal point, their chat accounts and their invites."""
        staff = console.require(request)
        with console.db() as session:
            focal_point = session.get(FocalPoint, fp_id)
            if focal_point is None:
                raise HTTPException(status_code=404, detail="not found")
            ensure_in_region(staff, focal_point.country)
            accounts = accounts_of(session=session, focal_point_id=fp_id)
            invites = list(
                session.exec(
                    select(Invite)
                    .where(Invite.focal_point_id == fp_id)
                    .order_by(col(Invite.id).desc())
                    .limit(10)
                ).all()
            )
        return console.page(
            request,
            "console/focal_point.html",
            staff,
            fp=focal_point,
            accounts=accounts,
            invites=invites,
            issued=None,
        )

    @router.post("/focal-points/{fp_id}/invite")
    def invite(
        request: Request, fp_id: int, csrf: Annotated[str, Form(max_length=100)] = ""
    ) -> Response:
        """Make a one-time invite and show its code, link and QR code (shown only once)."""
        staff = console.require(request)
        console.check_csrf(request, csrf)
        settings = console.context.settings
        with console.db() as session:
            focal_point = session.get(FocalPoint, fp_id)
            if focal_point is None:
                raise HTTPException(status_code=404, detail="not found")
            ensure_in_region(staff, focal_point.country)
            issued = issue_invite(
                session=session,
                focal_point=focal_point,
                created_by=staff.actor,
                ttl=timedelta(hours=settings.invite_ttl_hours),
            )
            accounts = accounts_of(session=session, focal_point_id=fp_id)
        links = invite_links(issued.code, settings.telegram_bot_username)
        return console.page(
            request,
            "console/focal_point.html",
            staff,
            fp=focal_point,
            accounts=accounts,
            invites=[],
            issued=issued,
            links=links,
            qr=qr_data_uri(links.get("telegram", issued.code)),
        )

    return router
