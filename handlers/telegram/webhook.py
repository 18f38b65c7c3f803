"""Serve Telegram's webhook from the project's FastAPI app."""

from __future__ import annotations

import hmac
import json
import logging

from fastapi import APIRouter, Request, Response
from telegram import Update

from .app import TelegramApplication

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def build_webhook_router(
    application: TelegramApplication, *, secret: str, path: str = "/telegram/webhook"
) -> APIRouter:
    """Return a router whose POST ``path`` queues Telegram's updates for ``application``.

    A request without the right secret header is refused (403) and a body
    that is not an update is rejected (400); neither reaches the bot.
    """
    if not secret:
        raise ValueError("a Telegram webhook needs a secret token")
    expected = secret.encode()
    router = APIRouter()

    @router.post(path, include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            logger.warning("telegram webhook call with a missing or wrong secret refused")
            return Response(status_code=403)
        try:
            payload = json.loads(await request.body())
            if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
                raise ValueError("an update is a JSON object with an integer update_id")
            update = Update.de_json(payload, application.bot)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            logger.warning("malformed telegram webhook body rejected: %s", exc)
            return Response(status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)

    return router
