"""Drop Events API deliveries already handled (Slack resends when it did not hear back fast)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from sqlalchemy import Engine

from bot.services.dedupe import claim_event
from bot.storage.db import session_scope
from handlers.slack.inbound import Payload, event_id

logger = logging.getLogger(__name__)

#: Record a key; True the first time it is seen, False afterwards (durable: the database).
Claim = Callable[[str], bool]
Middleware = Callable[..., Awaitable[BoltResponse | None]]


def claim_with_database(engine: Engine) -> Claim:
    """Return a claim backed by the database's processed-events table."""

    def claim(key: str) -> bool:
        with session_scope(engine) as session:
            return claim_event(session=session, key=key)

    return claim


def dedupe_key(event: str) -> str:
    """Return the claim key of one Events API event id."""
    return f"slack:event:{event}"


def build_dedupe_middleware(claim: Claim) -> Middleware:
    """Build a bolt global middleware that acks a repeated event without handling it again."""

    async def skip_repeated_events(
        body: Payload, request: AsyncBoltRequest, next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        event = event_id(body)
        if event is not None and not await asyncio.to_thread(claim, dedupe_key(event)):
            retry = request.headers.get("x-slack-retry-num", ["0"])[0]
            logger.info("Slack event %s already handled; ignoring retry %s", event, retry)
            return BoltResponse(status=200, body="")
        await next()
        return None

    return skip_repeated_events
