"""Answer the questions passed to the Secretariat; turn good answers into knowledge."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import col, select

from bot.app import relay_secretariat_answer
from bot.errors import NotFound
from bot.services import audit
from bot.services.questions import answer_escalated
from bot.storage.tables import QuestionLog
from bot.web.console.base import Console
from bot.web.console.kb_files import ingest_file, write_answer_document
from bot.web.console.pagination import paginate

VIEWS = {
    "waiting": "Passed to the Secretariat, waiting",
    "declined": "The assistant could not answer",
    "rated-down": "Rated unhelpful",
    "answered": "Answered by the Secretariat",
    "all": "All questions",
}


def question_query(view: str) -> Any:
    """Return the query of one view of the question log, newest first."""
    query = select(QuestionLog).order_by(col(QuestionLog.id).desc())
    match view:
        case "waiting":
            return query.where(
                QuestionLog.escalated == True,  # noqa: E712  (SQL expression)
                col(QuestionLog.secretariat_answer).is_(None),
            )
        case "declined":
            return query.where(QuestionLog.answered == False)  # noqa: E712
        case "rated-down":
            return query.where(QuestionLog.feedback == -1)
        case "answered":
            return query.where(col(QuestionLog.secretariat_answer).is_not(None))
    return query


def routes(console: Console) -> APIRouter:
    """Return the question routes (Secretariat only)."""
    router = APIRouter()

    @router.get("/questions")
    def list_page(request: Request, show: str = "waiting", page: int = 1) -> Response:
        """List the questions of one view."""
        staff = console.require(request, secretariat=True)
        view = show if show in VIEWS else "waiting"
        with console.db() as session:
            rows = paginate(session, question_query(view), number=page, filters={"show": view})
        return console.page(
            request, "console/questions.html", staff, page=rows, view=view, views=VIEWS
        )

    def _entry(entry_id: int) -> QuestionLog:
        with console.db() as session:
            entry = session.get(QuestionLog, entry_id)
        if entry is None:
            raise HTTPException(status_code=404, detail="not found")
        return entry

    @router.get("/questions/{entry_id}")
    def detail_page(request: Request, entry_id: int) -> Response:
        """Show a question with its context, the assistant's answer and the answer form."""
        staff = console.require(request, secretariat=True)
        return console.page(request, "console/question.html", staff, entry=_entry(entry_id))

    @router.post("/questions/{entry_id}/answer")
    def answer(
        request: Request,
        entry_id: int,
        text: Annotated[str, Form(max_length=8000)],
        csrf: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        """Store the Secretariat's answer and queue it for the asker."""
        staff = console.require(request, secretariat=True)
        console.check_csrf(request, csrf)
        if not text.strip():
            return console.page(
                request,
                "console/question.html",
                staff,
                entry=_entry(entry_id),
                error="Write an answer first.",
                status_code=400,
            )
        with console.db() as session:
            try:
                entry = answer_escalated(
                    session=session, entry_id=entry_id, text=text, actor=staff.actor
                )
            except NotFound as exc:
                raise HTTPException(status_code=404, detail="not found") from exc
            relayed = relay_secretariat_answer(console.context, session=session, entry=entry)
        notice = "answered" if relayed else "answered-unrelayed"
        return console.redirect(f"/questions/{entry_id}", notice=notice)

    @router.post("/questions/{entry_id}/knowledge")
    def to_knowledge(
        request: Request,
        entry_id: int,
        title: Annotated[str, Form(max_length=300)],
        text: Annotated[str, Form(max_length=8000)],
        csrf: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        """Write the answer as a knowledge-base document and index it at once."""
        staff = console.require(request, secretariat=True)
        console.check_csrf(request, csrf)
        entry = _entry(entry_id)
        if not title.strip() or not text.strip():
            return console.page(
                request,
                "console/question.html",
                staff,
                entry=entry,
                error="The entry needs a title and a text.",
                status_code=400,
            )
        path = write_answer_document(
            console.context,
            entry_id=entry_id,
            title=title.strip(),
            question=entry.question,
            answer=text,
            language=entry.language,
        )
        ok, why = ingest_file(console.context, path)
        if not ok:
            return console.page(
                request, "console/question.html", staff, entry=entry, error=why, status_code=400
            )
        with console.db() as session:
            audit.record(
                session=session,
                actor=staff.actor,
                action="knowledge.add_answer",
                target=f"q:{entry_id}",
                path=str(path),
            )
        return console.redirect(f"/questions/{entry_id}", notice="kb-added")

    return router
