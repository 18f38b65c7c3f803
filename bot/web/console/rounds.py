"""Open and close needs-assessment rounds; chart the response rate by region and country."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response

from bot.errors import NotFound, UserInputError
from bot.services import report_charts
from bot.services.rounds import close_round, list_rounds, open_round, round_status
from bot.web.console.base import Console

#: Countries shown in the country chart (the rest are in the table).
CHART_COUNTRIES = 30


def routes(console: Console) -> APIRouter:
    """Return the round routes (Secretariat only)."""
    router = APIRouter()

    def listing(request: Request, *, error: str = "", status: int = 200) -> Response:
        staff = console.require(request, secretariat=True)
        with console.db() as session:
            rounds = list_rounds(session=session)
        return console.page(
            request, "console/rounds.html", staff, rounds=rounds, error=error, status_code=status
        )

    @router.get("/rounds")
    def list_page(request: Request) -> Response:
        """List the rounds and offer to open one."""
        return listing(request)

    @router.post("/rounds/open")
    def open_(
        request: Request,
        title: Annotated[str, Form(max_length=200)],
        closes_on: Annotated[str, Form(max_length=10)],
        opens_on: Annotated[str, Form(max_length=10)] = "",
        region: Annotated[str, Form(max_length=30)] = "",
        convention: Annotated[str, Form(max_length=20)] = "",
        csrf: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        """Open a round and invite the focal points in scope."""
        staff = console.require(request, secretariat=True)
        console.check_csrf(request, csrf)
        try:
            closes = date.fromisoformat(closes_on)
            opens = date.fromisoformat(opens_on) if opens_on else None
        except ValueError:
            return listing(request, error="Give the dates as calendar dates.", status=400)
        if not title.strip():
            return listing(request, error="Give the round a title.", status=400)
        try:
            with console.db() as session:
                round_ = open_round(
                    session=session,
                    title=title.strip(),
                    closes_on=closes,
                    opens_on=opens,
                    region=region or None,
                    convention=convention or None,
                    actor=staff.actor,
                )
        except UserInputError as exc:
            return listing(request, error=str(exc).capitalize() + ".", status=400)
        return console.redirect(f"/rounds/{round_.id}", notice="round-opened")

    @router.get("/rounds/{round_id}")
    def detail_page(request: Request, round_id: int) -> Response:
        """Show a round's response rate by region and country."""
        staff = console.require(request, secretariat=True)
        try:
            with console.db() as session:
                status = round_status(session=session, round_id=round_id)
        except NotFound as exc:
            raise HTTPException(status_code=404, detail="not found") from exc
        region_chart = report_charts.bar_chart(
            [(rate.label, rate.rate) for rate in status.by_region],
            maximum=1.0,
            percent=True,
            caption="Response rate by region",
        )
        busiest = sorted(status.by_country, key=lambda rate: -rate.invited)[:CHART_COUNTRIES]
        country_chart = report_charts.bar_chart(
            [(rate.label, rate.rate) for rate in busiest],
            maximum=1.0,
            percent=True,
            caption="Response rate by country",
        )
        return console.page(
            request,
            "console/round.html",
            staff,
            status=status,
            region_chart=region_chart,
            country_chart=country_chart,
        )

    @router.post("/rounds/{round_id}/close")
    def close(
        request: Request, round_id: int, csrf: Annotated[str, Form(max_length=100)] = ""
    ) -> Response:
        """Close a round."""
        staff = console.require(request, secretariat=True)
        console.check_csrf(request, csrf)
        try:
            with console.db() as session:
                close_round(session=session, round_id=round_id, actor=staff.actor)
        except NotFound as exc:
            raise HTTPException(status_code=404, detail="not found") from exc
        return console.redirect(f"/rounds/{round_id}", notice="round-closed")

    return router
