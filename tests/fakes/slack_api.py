"""Serve a fake Slack Web API on 127.0.0.1 for tests.

The real ``slack_sdk`` clients talk to it over HTTP (point their ``base_url``
at :attr:`FakeSlackApi.base_url`). It answers like Slack (``{"ok": true, ...}``),
records every call with its merged query, form and JSON parameters, and can be
told to fail the next calls of a method (429 with ``Retry-After``, or
``{"ok": false, "error": ...}``). It also serves ``response_url`` posts
(:meth:`FakeSlackApi.response_url`) and a Socket Mode WebSocket, which
``apps.connections.open`` points at: push envelopes with
:meth:`FakeSlackApi.push_envelope`; the client's acks are recorded as
``socket_ack`` calls.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T1"


@dataclass(frozen=True)
class Call:
    """One request the fake received."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]


@dataclass
class Failure:
    """A scripted answer for the next call of one method."""

    status: int = 200
    error: str | None = None
    retry_after: int | None = None


@dataclass
class FakeSlackApi:
    """A fake Slack Web API server; use ``async with FakeSlackApi() as api``."""

    locales: dict[str, str] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    _failures: dict[str, deque[Failure]] = field(default_factory=lambda: defaultdict(deque))
    _runner: web.AppRunner | None = None
    _port: int = 0
    _ts = itertools.count(1)
    _changed: asyncio.Condition | None = None
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)

    async def __aenter__(self) -> FakeSlackApi:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._on_api)
        app.router.add_post("/response/{key}", self._on_response_url)
        app.router.add_get("/link", self._on_socket)
        self._changed = asyncio.Condition()
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """Return the Web API base URL (``slack_sdk`` ``base_url`` semantics)."""
        return f"http://127.0.0.1:{self._port}/api/"

    def response_url(self, key: str = "r1") -> str:
        """Return a ``response_url`` served by this fake."""
        return f"http://127.0.0.1:{self._port}/response/{key}"

    def fail_next(
        self,
        method: str,
        *,
        error: str = "internal_error",
        status: int = 200,
        retry_after: int | None = None,
    ) -> None:
        """Make the next call of ``method`` fail."""
        self._failures[method].append(Failure(status=status, error=error, retry_after=retry_after))

    def calls_to(self, method: str) -> list[Call]:
        """Return the recorded calls of one method, oldest first."""
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until ``method`` was called ``count`` times; return those calls."""
        assert self._changed is not None
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: len(self.calls_to(method)) >= count), timeout
            )
        return self.calls_to(method)

    async def push_envelope(
        self, envelope_type: str, payload: dict[str, Any], *, envelope_id: str = "env-1"
    ) -> None:
        """Send a Socket Mode envelope (``events_api``, ``slash_commands``, ``interactive``)."""
        envelope = {
            "envelope_id": envelope_id,
            "type": envelope_type,
            "payload": payload,
            "accepts_response_payload": envelope_type != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        await self._sockets[-1].send_json(envelope)

    async def _on_socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1})
        await self._note(Call("socket_connected", {}, dict(request.headers)))
        async for message in socket:
            if message.type == web.WSMsgType.TEXT:
                await self._note(Call("socket_ack", json.loads(message.data), {}))
        return socket

    async def _note(self, call: Call) -> None:
        self.calls.append(call)
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    async def _record(self, method: str, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        raw = await request.read()
        if raw:
            if request.content_type == "application/json":
                params.update(json.loads(raw))
            else:
                params.update(dict(await request.post()))
        for key in ("blocks", "view"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        await self._note(Call(method, params, dict(request.headers)))
        return params

    async def _on_response_url(self, request: web.Request) -> web.Response:
        await self._record("response_url", request)
        return web.Response(text="ok")

    async def _on_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._record(method, request)
        if self._failures[method]:
            failure = self._failures[method].popleft()
            headers = (
                {} if failure.retry_after is None else {"Retry-After": str(failure.retry_after)}
            )
            return web.json_response(
                {"ok": False, "error": failure.error}, status=failure.status, headers=headers
            )
        return web.json_response({"ok": True, **self._answer(method, params)})

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        match method:
            case "auth.test":
                return {
                    "url": "https://test.slack.com/",
                    "team": "Test",
                    "user": "article16",
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "bot_id": BOT_ID,
                }
            case "chat.postMessage" | "chat.update":
                ts = params.get("ts") or f"1700000000.{next(self._ts):06d}"
                return {
                    "channel": params.get("channel"),
                    "ts": ts,
                    "message": {"text": params.get("text"), "ts": ts},
                }
            case "conversations.open":
                user = str(params.get("users", "")).split(",")[0]
                return {"channel": {"id": f"D{user}"}}
            case "apps.connections.open":
                return {"url": f"ws://127.0.0.1:{self._port}/link"}
            case "views.open" | "views.update" | "views.publish":
                return {"view": {"id": "V1", **(params.get("view") or {})}}
            case "users.info":
                user = str(params.get("user"))
                return {
                    "user": {
                        "id": user,
                        "locale": self.locales.get(user, "en-US"),
                        "profile": {"display_name": f"name-{user}", "real_name": f"Real {user}"},
                    }
                }
            case _:
                return {}
