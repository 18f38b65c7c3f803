"""Serve the staff console: ``build_console_router(context)`` returns its routes under /console.

Secretariat staff see everything; regional-centre staff see and act on their
UN region only. Every page needs a signed-in session (a signed, HTTP-only,
SameSite cookie); every form carries a CSRF token bound to that session.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, Response

from bot.app import AppContext
from bot.web.console import auth as auth
from bot.web.console import broadcasts as broadcasts
from bot.web.console import focal_points as focal_points
from bot.web.console import knowledge_pages as knowledge_pages
from bot.web.console import needs as needs
from bot.web.console import offers as offers
from bot.web.console import opportunities as opportunities
from bot.web.console import overview as overview
from bot.web.console import questions as questions
from bot.web.console import rounds as rounds
from bot.web.console.base import PREFIX, Console
from bot.web.console.signing import Signer, load_secret

STATIC = Path(__file__).resolve().parents[1] / "static"
_STATIC_FILES = {"console.css": "text/css", "console.js": "text/javascript"}


#: The modules whose ``routes(console)`` make up the console, in menu order.
PAGE_MODULES = (
    auth,
    overview,
    focal_points,
    needs,
    opportunities,
    offers,
    broadcasts,
    questions,
    knowledge_pages,
    rounds,
)


def build_console_router(context: AppContext, *, secret: bytes | None = None) -> APIRouter:
    """Return the console's routes; ``secret`` overrides the cookie-signing key."""
    console = Console.build(context, Signer(secret or (lambda: load_secret(context.engine))))
    router = APIRouter(prefix=PREFIX, include_in_schema=False)

    @router.get("/static/{name}")
    def static(name: str) -> Response:
        """Serve the console's stylesheet and script."""
        if name not in _STATIC_FILES:
            raise HTTPException(status_code=404)
        return FileResponse(
            STATIC / name,
            media_type=_STATIC_FILES[name],
            headers={"Cache-Control": "public, max-age=3600"},
        )

    for module in PAGE_MODULES:
        router.include_router(module.routes(console))
    return router
