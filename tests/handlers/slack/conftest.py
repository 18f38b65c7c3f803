"""Fixtures for the Slack channel: a fake Web API, the bolt app behind FastAPI, signed requests."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from bot.app import AppContext
from bot.config import Settings
from bot.core import Incoming, Reply
from bot.web.app import create_app
from handlers.slack import Handle, Home, build_bolt_app, build_slack_router, claim_with_database
from tests.fakes.slack_api import BOT_USER_ID, TEAM_ID, FakeSlackApi

SIGNING_SECRET = "test-signing-secret"


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlackApi]:
    async with FakeSlackApi() as api:
        yield api


@pytest.fixture
def settings(slack_api: FakeSlackApi, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite:///{tmp_path / 'article16.db'}",
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_base_url=slack_api.base_url,
    )


@pytest.fixture
def claim(context: AppContext) -> Callable[[str], bool]:
    """Return the real durable claim, on the test's SQLite database."""
    return claim_with_database(context.engine)


class ScriptedCore:
    """Stand in for ``Assistant.handle``: record what came in, answer what the test scripted."""

    def __init__(self) -> None:
        self.received: list[Incoming] = []
        self.replies: list[Reply] = [Reply(text="Hello from the core")]
        self.delay = 0.0
        self.error: Exception | None = None
        self._lock = threading.Lock()

    def __call__(self, incoming: Incoming) -> list[Reply]:
        with self._lock:
            self.received.append(incoming)
        if self.delay:
            time.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return list(self.replies)


@pytest.fixture
def core() -> ScriptedCore:
    return ScriptedCore()


def sign(
    body: str, *, timestamp: int | None = None, secret: str = SIGNING_SECRET
) -> dict[str, str]:
    """Return the headers Slack sends: ``v0=HMAC-SHA256(secret, "v0:ts:body")``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


class SlackDriver:
    """Send Slack-shaped, signed requests to ``POST /slack/events`` of a FastAPI app."""

    _ids = itertools.count(1)

    def __init__(self, http: httpx.AsyncClient, api: FakeSlackApi) -> None:
        self.http = http
        self.api = api

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
    ) -> httpx.Response:
        all_headers = {
            "Content-Type": content_type,
            **sign(body, timestamp=timestamp, secret=secret),
        }
        all_headers.update(headers or {})
        return await self.http.post("/slack/events", content=body, headers=all_headers)

    def event_body(self, event: dict[str, Any], *, event_id: str | None = None) -> str:
        return json.dumps(
            {
                "token": "legacy",
                "team_id": TEAM_ID,
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": event_id or f"Ev{next(self._ids):06d}",
                "event_time": int(time.time()),
                "event": event,
                "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
            }
        )

    async def event(
        self, event: dict[str, Any], *, event_id: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        return await self.post(
            self.event_body(event, event_id=event_id), "application/json", **kwargs
        )

    async def dm(self, text: str, *, user: str = "U1", **kwargs: Any) -> httpx.Response:
        return await self.event(
            {
                "type": "message",
                "channel_type": "im",
                "channel": f"D{user}",
                "user": user,
                "text": text,
                "ts": f"1700000001.{next(self._ids):06d}",
            },
            **kwargs,
        )

    async def command(
        self, text: str, *, user: str = "U1", channel: str = "C1", **kwargs: Any
    ) -> httpx.Response:
        form = {
            "token": "legacy",
            "team_id": TEAM_ID,
            "team_domain": "test",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "amina",
            "command": "/article16",
            "text": text,
            "api_app_id": "A1",
            "response_url": self.api.response_url("cmd"),
            "trigger_id": "1.2.3",
        }
        return await self.post(urlencode(form), "application/x-www-form-urlencoded", **kwargs)

    async def press(
        self,
        value: str,
        *,
        user: str = "U1",
        channel: str | None = "DU1",
        message_ts: str = "1700000000.000009",
        **kwargs: Any,
    ) -> httpx.Response:
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "username": "amina", "name": "amina", "team_id": TEAM_ID},
            "api_app_id": "A1",
            "token": "legacy",
            "trigger_id": "1.2.3",
            "team": {"id": TEAM_ID, "domain": "test"},
            "response_url": self.api.response_url("act"),
            "actions": [
                {
                    "type": "button",
                    "action_id": "a16:0",
                    "block_id": "b1",
                    "value": value,
                    "action_ts": "1700000002.0",
                }
            ],
        }
        if channel is None:
            payload["container"] = {"type": "view", "view_id": "V1"}
            payload["view"] = {"id": "V1", "type": "home"}
        else:
            payload["container"] = {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": False,
            }
            payload["channel"] = {"id": channel, "name": "directmessage"}
            payload["message"] = {"type": "message", "ts": message_ts, "text": "menu"}
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded", **kwargs)


@pytest.fixture
def build_driver(
    settings: Settings, context: AppContext, claim: Callable[[str], bool], slack_api: FakeSlackApi
) -> Callable[..., Any]:
    """Return an async context factory: ``async with build_driver(handle=...) as slack``."""
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def factory(*, handle: Handle, home: Home | None = None) -> AsyncIterator[SlackDriver]:
        bolt_app = build_bolt_app(settings, handle=handle, claim=claim, home=home)
        web = create_app(context, [build_slack_router(bolt_app)])
        transport = httpx.ASGITransport(app=web)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield SlackDriver(http, slack_api)

    return factory
