"""Review offers of assistance: list, read with the needs they match, approve, decline, introduce.

The pages are the Secretariat's only. An offer's matching needs are shown in
full (who, where, why), across every region; rather than cut that list down
for regional-centre staff, the whole section is closed to them (403), as the
``/offer`` review always was the Secretariat's (issue #9). The services audit
every decision with the staff member as the actor.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import Session, col, select

from bot.errors import NotFound, UserInputError
from bot.i18n import translate
from bot.services.introductions import propose_introduction
from bot.services.matching import explain, match_need_to_opportunity
from bot.services.offers import (
    OFFERER_KINDS,
    approve_offer,
    as_opportunity,
    decline_offer,
    get_offer,
    matching_needs,
)
from bot.services.opportunities import ACTIVE_NEED_STATUSES
from bot.services.staff import Staff
from bot.storage.needs_tables import Need
from bot.storage.notify_tables import Opportunity
from bot.storage.offer_tables import Introduction, Offer, OfferStatus
from bot.storage.tables import FocalPoint
from bot.web.console.base import Console
from bot.web.console.opportunities import delivery
from bot.web.console.pagination import paginate

STATUSES = tuple(status.value for status in OfferStatus)
#: What a redirect back to an offer may say (by key, so a link cannot inject text).
DONE: dict[str, str] = {
    "approved": "The offer is approved and published; the matched focal points are being notified.",
    "declined": "The offer is declined; the offerer will be sent the note.",
    "introduced": "Both sides are asked whether they agree to be put in touch.",
    "already-introduced": "This introduction was proposed before; nobody is asked twice.",
}


def offer_label(group: str, code: str | None) -> str:
    """Return the English label of an offer's kind, status or condition."""
    return translate(f"offers.{group}.{code}", "en") if code else "—"


def clean_filters(raw: dict[str, str]) -> dict[str, str]:
    """Keep the filters whose values are known codes."""
    status = raw.get("status", "").strip()
    kind = raw.get("kind", "").strip()
    return {
        "status": status if status in STATUSES else "",
        "kind": kind if kind in OFFERER_KINDS else "",
    }


def offer_query(filters: dict[str, str]) -> Any:
    """Return the query of the offers matching ``filters``, newest first."""
    query = select(Offer).order_by(col(Offer.id).desc())
    if filters["status"]:
        query = query.where(Offer.status == filters["status"])
    if filters["kind"]:
        query = query.where(Offer.offerer_kind == filters["kind"])
    return query


def match_totals(
    session: Session, offers: Iterable[Offer], today: date | None = None
) -> dict[int | None, int]:
    """Count the active needs each offer fits, reading the needs once for the whole page.

    The same test as :func:`bot.services.offers.matching_needs`, without
    reading every active need again for each offer of the page.
    """
    chosen = list(offers)
    if not chosen:
        return {}
    needs = list(session.exec(select(Need).where(col(Need.status).in_(ACTIVE_NEED_STATUSES))))
    totals: dict[int | None, int] = {}
    for offer in chosen:
        opportunity = as_opportunity(offer)
        totals[offer.id] = sum(
            1 for need in needs if match_need_to_opportunity(need, opportunity, today=today).matched
        )
    return totals


def _offer(session: Session, offer_id: int) -> Offer:
    try:
        return get_offer(session=session, offer_id=offer_id)
    except NotFound as exc:
        raise HTTPException(status_code=404, detail="not found") from exc


def detail_values(session: Session, offer: Offer) -> dict[str, Any]:
    """Gather what the offer page shows: the offerer, the opportunity, matches, introductions."""
    offerer = session.get(FocalPoint, offer.focal_point_id) if offer.focal_point_id else None
    opportunity = session.get(Opportunity, offer.opportunity_id) if offer.opportunity_id else None
    introductions = list(
        session.exec(
            select(Introduction)
            .where(Introduction.offer_id == offer.id)
            .order_by(col(Introduction.id).desc())
        )
    )
    introduced = {intro.need_id: intro for intro in introductions}
    matches = []
    for need, match in matching_needs(session=session, offer=offer):
        owner = session.get(FocalPoint, need.focal_point_id) if need.focal_point_id else None
        matches.append(
            {
                "need": need,
                "owner": owner,
                "score": f"{match.score:g}",
                "why": explain(match.reasons, "en"),
                "introduction": introduced.get(need.id or -1),
            }
        )
    return {
        "offer": offer,
        "offerer": offerer,
        "opportunity": opportunity,
        "figures": delivery(session, opportunity.id) if opportunity and opportunity.id else None,
        "matches": matches,
        "introductions": introductions,
    }


def routes(console: Console) -> APIRouter:
    """Return the offer routes (the Secretariat's only)."""
    router = APIRouter()

    def detail(
        request: Request, staff: Staff, offer_id: int, *, error: str = "", note: str = ""
    ) -> Response:
        with console.db() as session:
            values = detail_values(session, _offer(session, offer_id))
        return console.page(
            request,
            "console/offer.html",
            staff,
            done=DONE.get(request.query_params.get("done", ""), ""),
            error=error,
            note=note,
            offer_label=offer_label,
            status_code=400 if error else 200,
            **values,
        )

    @router.get("/offers")
    def list_page(request: Request, page: int = 1) -> Response:
        """List the offers, filtered by status and kind, each with its number of matches."""
        staff = console.require(request, secretariat=True)
        filters = clean_filters(dict(request.query_params))
        with console.db() as session:
            rows = paginate(session, offer_query(filters), number=page, filters=filters)
            totals = match_totals(session, rows.rows)
        return console.page(
            request,
            "console/offers.html",
            staff,
            page=rows,
            filters=filters,
            totals=totals,
            offer_label=offer_label,
            statuses=[(code, offer_label("status", code)) for code in STATUSES],
            kinds=[(code, offer_label("kind", code)) for code in OFFERER_KINDS],
        )

    @router.get("/offers/{offer_id}")
    def detail_page(request: Request, offer_id: int) -> Response:
        """Show an offer as entered, its review, its opportunity and the needs it matches."""
        staff = console.require(request, secretariat=True)
        return detail(request, staff, offer_id)

    @router.post("/offers/{offer_id}/approve")
    def approve(
        request: Request,
        offer_id: int,
        note: Annotated[str, Form(max_length=1000)] = "",
        csrf: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        """Approve an offer: publish it and notify the people it fits and the offerer."""
        staff = console.require(request, secretariat=True)
        console.check_csrf(request, csrf)
        with console.db() as session:
            _offer(session, offer_id)
            try:
                approve_offer(
                    session=session, offer_id=offer_id, actor=staff.actor, note=note.strip() or None
                )
            except UserInputError as exc:
                raise HTTPException(status_code=409, detail=str(exc)) from exc
        return console.redirect(f"/offers/{offer_id}?done=approved")

    @router.post("/offers/{offer_id}/decline")
    def decline(
        request: Request,
        offer_id: int,
        note: Annotated[str, Form(max_length=1000)] = "",
        csrf: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        """Decline an offer with a note, which the offerer is sent."""
        staff = console.require(request, secretariat=True)
        console.check_csrf(request, csrf)
        if not note.strip():
            return detail(
                request,
                staff,
                offer_id,
                error="Say why the offer is declined: the offerer reads it.",
            )
        with console.db() as session:
            _offer(session, offer_id)
            try:
                decline_offer(
                    session=session, offer_id=offer_id, actor=staff.actor, note=note.strip()
                )
            except UserInputError as exc:
                raise HTTPException(status_code=409, detail=str(exc)) from exc
        return console.redirect(f"/offers/{offer_id}?done=declined")

    @router.post("/offers/{offer_id}/introduce/{need_id}")
    def introduce(
        request: Request,
        offer_id: int,
        need_id: int,
        csrf: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        """Ask the offerer and the need's owner whether they agree to be put in touch."""
        staff = console.require(request, secretariat=True)
        console.check_csrf(request, csrf)
        with console.db() as session:
            _offer(session, offer_id)
            try:
                _intro, created = propose_introduction(
                    session=session, offer_id=offer_id, need_id=need_id, actor=staff.actor
                )
            except NotFound as exc:
                raise HTTPException(status_code=404, detail="not found") from exc
            except UserInputError as exc:
                raise HTTPException(status_code=409, detail=str(exc)) from exc
        done = "introduced" if created else "already-introduced"
        return console.redirect(f"/offers/{offer_id}?done={done}")

    return router
