"""List the knowledge base's documents, upload a file to ingest, remove one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from bot.services import audit
from bot.web.console.base import Console
from bot.web.console.kb_files import (
    documents_dir,
    index_of,
    ingest_file,
    remove_document,
    safe_name,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ACCEPTED = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")


def routes(console: Console) -> APIRouter:
    """Return the knowledge-base routes (Secretariat only)."""
    router = APIRouter()

    def listing(request: Request, *, error: str = "", status: int = 200) -> Response:
        staff = console.require(request, secretariat=True)
        documents = index_of(console.context).list()
        return console.page(
            request,
            "console/knowledge.html",
            staff,
            documents=documents,
            accepted=",".join(ACCEPTED),
            error=error,
            status_code=status,
        )

    @router.get("/knowledge")
    def list_page(request: Request) -> Response:
        """List the indexed documents with their dates and sources."""
        return listing(request)

    @router.post("/knowledge/upload")
    def upload(
        request: Request,
        file: Annotated[UploadFile, File()],
        csrf: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        """Save an uploaded file beside the index and ingest it."""
        staff = console.require(request, secretariat=True)
        console.check_csrf(request, csrf)
        name = safe_name(file.filename or "")
        if not name.lower().endswith(ACCEPTED):
            return listing(request, error=f"Upload one of: {', '.join(ACCEPTED)}.", status=400)
        data = file.file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            return listing(request, error="The file is larger than 20 MB.", status=400)
        path = documents_dir(console.context) / name
        path.write_bytes(data)
        ok, why = ingest_file(console.context, path)
        if not ok:
            path.unlink(missing_ok=True)
            return listing(request, error=f"The file could not be read: {why}", status=400)
        with console.db() as session:
            audit.record(
                session=session, actor=staff.actor, action="knowledge.ingest", target=str(path)
            )
        return console.redirect("/knowledge", notice="kb-ingested")

    @router.post("/knowledge/remove")
    def remove(
        request: Request,
        key: Annotated[str, Form(max_length=1000)],
        csrf: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        """Remove a document so it is never cited again."""
        staff = console.require(request, secretariat=True)
        console.check_csrf(request, csrf)
        if not remove_document(console.context, key):
            return listing(request, error="No such document.", status=404)
        with console.db() as session:
            audit.record(session=session, actor=staff.actor, action="knowledge.remove", target=key)
        return console.redirect("/knowledge", notice="kb-removed")

    return router
