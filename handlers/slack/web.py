"""Serve Slack's HTTP requests (events, commands, interactions) from the FastAPI app."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp

#: The one Request URL the Slack app declares for events, commands and interactivity.
EVENTS_PATH = "/slack/events"


def build_slack_router(bolt_app: AsyncApp) -> APIRouter:
    """Return a router with ``POST /slack/events``; bolt verifies each request's signature."""
    handler = AsyncSlackRequestHandler(bolt_app)
    router = APIRouter(tags=["slack"])

    @router.post(EVENTS_PATH, include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        return await handler.handle(request)

    return router
