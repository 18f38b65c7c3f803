"""Run the configured channels, the web endpoints and the background workers together."""

from __future__ import annotations

import logging

from fastapi import APIRouter, FastAPI

from bot.app import AppContext
from bot.web.app import create_app

logger = logging.getLogger(__name__)


def channel_routers(context: AppContext) -> list[APIRouter]:
    """Return the HTTP routers of the channels that receive traffic over HTTP."""
    return []


def build_web_app(context: AppContext) -> FastAPI:
    """Return the ASGI app with every enabled channel's endpoint mounted."""
    return create_app(context, channel_routers(context))


def serve(context: AppContext) -> None:
    """Serve the enabled platform channels until interrupted."""
    raise NotImplementedError("platform channels arrive with the Telegram and Slack adapters")
