"""Build the ASGI app: health check, platform webhooks and the staff pages."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from bot.app import AppContext

logger = logging.getLogger(__name__)


def create_app(context: AppContext, routers: Iterable[APIRouter] = ()) -> FastAPI:
    """Return the FastAPI app; channel adapters contribute their routers."""
    app = FastAPI(title="Article 16 Assistant", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        """Report whether the process is up and the database answers."""
        try:
            with context.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            logger.exception("health check: the database does not answer")
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok"})

    for router in routers:
        app.include_router(router)
    from bot.web.console import build_console_router

    app.include_router(build_console_router(context))
    return app
