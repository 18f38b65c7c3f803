"""Compose a broadcast with a live recipient count, preview it, send it, watch delivery."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import update
from sqlmodel import col, select

from bot import vocab
from bot.i18n import translate
from bot.services import audit, outbox
from bot.services.broadcasts import Segment, create_broadcast, recipients, send_draft
from bot.storage.notify_tables import Broadcast, OutboxMessage, OutboxState
from bot.storage.tables import utcnow
from bot.web.console.base import Console
from bot.web.console.pagination import paginate

SEGMENT_FIELDS = ("region", "country", "role", "convention", "language")
#: States after which a message needs no more work.
FINISHED = (OutboxState.SENT, OutboxState.DEAD, OutboxState.SKIPPED, OutboxState.HELD)


def segment_of(values: dict[str, str]) -> Segment:
    """Return the segment the form chose, or raise ``ValueError`` for an unknown code."""
    chosen = {name: (values.get(name) or "").strip() or None for name in SEGMENT_FIELDS}
    return Segment(**chosen).check()


def preview_text(text: str, *, critical: bool, language: str = "en") -> str:
    """Return the message as a reader sees it (the header the dispatcher adds, then the text)."""
    key = "notify.broadcast.critical" if critical else "notify.broadcast.header"
    return f"{translate(key, language)}\n\n{text}"


def progress(console: Console, broadcast_id: int) -> dict[str, Any]:
    """Count a broadcast's messages by state; tell how much is done."""
    with console.db() as session:
        status = outbox.status(session=session, broadcast_id=broadcast_id, errors=20)
    total = sum(status.counts.values())
    done = sum(status.counts.get(state.value, 0) for state in FINISHED)
    return {
        "counts": status.counts,
        "total": total,
        "done_percent": round(100 * done / total) if total else 100,
        "finished": done == total,
        "errors": status.errors,
    }


def routes(console: Console) -> APIRouter:
    """Return the broadcast routes (Secretariat only)."""
    router = APIRouter()

    def compose(request: Request, values: dict[str, Any], error: str = "") -> Response:
        staff = console.require(request, secretariat=True)
        return console.page(
            request,
            "console/broadcast_form.html",
            staff,
            values=values,
            error=error,
            status_code=400 if error else 200,
        )

    @router.get("/broadcasts")
    def list_page(request: Request, page: int = 1) -> Response:
        """List the broadcasts, newest first."""
        staff = console.require(request, secretariat=True)
        query: Any = select(Broadcast).order_by(col(Broadcast.id).desc())
        with console.db() as session:
            rows = paginate(session, query, number=page, filters={})
        return console.page(request, "console/broadcasts.html", staff, page=rows)

    @router.get("/broadcasts/new")
    def new_page(request: Request) -> Response:
        """Show the compose form."""
        return compose(request, {"text": "", "critical": False})

    @router.get("/broadcasts/count")
    def count(
        request: Request,
        region: str = "",
        country: str = "",
        role: str = "",
        convention: str = "",
        language: str = "",
    ) -> Response:
        """Return how many people a segment reaches (the compose form asks as you choose)."""
        console.require(request, secretariat=True)
        try:
            segment = segment_of(
                {"region": region, "country": country, "role": role,
                 "convention": convention, "language": language}
            )  # fmt: skip
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        with console.db() as session:
            found = recipients(session=session, segment=segment)
        return JSONResponse({"recipients": len(found)})

    @router.post("/broadcasts/new")
    async def preview(request: Request) -> Response:
        """Save the broadcast as a draft and show its preview."""
        staff = console.require(request, secretariat=True)
        form = await request.form()
        console.check_csrf(request, str(form.get("csrf") or ""))
        values = {name: str(form.get(name) or "") for name in (*SEGMENT_FIELDS, "text")}
        critical = form.get("critical") == "on"
        text = values["text"].strip()
        if not text:
            return compose(request, {**values, "critical": critical}, "Write the announcement.")
        try:
            segment = segment_of(values)
        except ValueError as exc:
            return compose(request, {**values, "critical": critical}, str(exc))
        with console.db() as session:
            broadcast = create_broadcast(
                session=session,
                text=text,
                segment=segment,
                actor=staff.actor,
                critical=critical,
                draft=True,
            )
            audit.record(
                session=session, actor=staff.actor, action="broadcast.draft",
                target=f"broadcast:{broadcast.id}", filters=broadcast.filters,
            )  # fmt: skip
        return console.redirect(f"/broadcasts/{broadcast.id}")

    @router.get("/broadcasts/{broadcast_id}")
    def detail_page(request: Request, broadcast_id: int) -> Response:
        """Show a draft's preview, or a sent broadcast's delivery progress."""
        staff = console.require(request, secretariat=True)
        with console.db() as session:
            broadcast = session.get(Broadcast, broadcast_id)
            if broadcast is None:
                raise HTTPException(status_code=404, detail="not found")
            scheduled = session.exec(
                select(OutboxMessage.next_attempt_at)
                .where(OutboxMessage.broadcast_id == broadcast_id)
                .order_by(col(OutboxMessage.next_attempt_at).desc())
                .limit(1)
            ).first()
        filters = [
            (name, vocab.country_name(value) if name == "country" else
             vocab.get_vocabulary(f"{name}s").label(value))
            for name, value in broadcast.filters.items()
        ]  # fmt: skip
        return console.page(
            request,
            "console/broadcast.html",
            staff,
            broadcast=broadcast,
            filters=filters,
            preview=preview_text(broadcast.text, critical=broadcast.critical),
            progress=progress(console, broadcast_id) if broadcast.status != "draft" else None,
            scheduled=scheduled,
        )

    @router.get("/broadcasts/{broadcast_id}/progress")
    def progress_json(request: Request, broadcast_id: int) -> Response:
        """Return the delivery figures (the page refreshes itself with them)."""
        console.require(request, secretariat=True)
        figures = progress(console, broadcast_id)
        figures.pop("errors")
        return JSONResponse(figures)

    @router.post("/broadcasts/{broadcast_id}/send")
    def send(
        request: Request,
        broadcast_id: int,
        when: Annotated[str, Form(max_length=10)] = "now",
        send_at: Annotated[str, Form(max_length=30)] = "",
        csrf: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        """Queue a previewed broadcast now, or for a set time (UTC)."""
        staff = console.require(request, secretariat=True)
        console.check_csrf(request, csrf)
        moment: datetime | None = None
        if when == "later":
            try:
                moment = datetime.fromisoformat(send_at).replace(tzinfo=UTC)
            except ValueError as exc:
                raise HTTPException(status_code=400, detail="give the date and time") from exc
            if moment <= utcnow():
                raise HTTPException(status_code=400, detail="the time has passed")
        with console.db() as session:
            broadcast = session.get(Broadcast, broadcast_id)
            if broadcast is None:
                raise HTTPException(status_code=404, detail="not found")
            if broadcast.status == "draft":
                send_draft(session=session, broadcast_id=broadcast_id, actor=staff.actor)
                if moment is not None:
                    session.execute(
                        update(OutboxMessage)
                        .where(col(OutboxMessage.broadcast_id) == broadcast_id)
                        .values(next_attempt_at=moment)
                    )
                    audit.record(
                        session=session, actor=staff.actor, action="broadcast.schedule",
                        target=f"broadcast:{broadcast_id}", at=moment.isoformat(),
                    )  # fmt: skip
        notice = "scheduled" if moment is not None else "sent"
        return console.redirect(f"/broadcasts/{broadcast_id}", notice=notice)

    return router
