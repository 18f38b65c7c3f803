"""Serve a fake Telegram Bot API on 127.0.0.1 for tests.

The real python-telegram-bot talks to it over HTTP (``base_url=fake.base_url``).
A test injects what users do (messages, button presses), reads what the bot
sent (``fake.calls``), and can make the next calls of a method fail the way
Telegram fails (429 with ``retry_after``, 403 blocked, 400 chat not found).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

JSON_FIELDS = {
    "reply_markup",
    "commands",
    "scope",
    "entities",
    "allowed_updates",
    "link_preview_options",
    "reply_parameters",
    "caption_entities",
}
INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "user_id"}

BLOCKED = (403, "Forbidden: bot was blocked by the user")
CHAT_NOT_FOUND = (400, "Bad Request: chat not found")
NOT_MODIFIED = (
    400,
    "Bad Request: message is not modified: specified new message content and reply "
    "markup are exactly the same as a current content and reply markup of the message",
)
EDIT_NOT_FOUND = (400, "Bad Request: message to edit not found")


@dataclass
class ApiCall:
    """One request the bot made."""

    method: str
    params: dict[str, Any]


@dataclass
class _Failure:
    status: int
    description: str
    parameters: dict[str, Any] | None
    delay: float = 0.0


@dataclass
class FakeTelegramAPI:
    """A fake Bot API server; use ``async with FakeTelegramAPI() as fake``."""

    token: str = "123456:TEST-token"
    bot_id: int = 123456
    bot_username: str = "article16_test_bot"
    calls: list[ApiCall] = field(default_factory=list)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _failures: dict[str, list[_Failure]] = field(default_factory=dict)
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    _callback_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _port: int = 0
    _changed: asyncio.Condition | None = None

    async def __aenter__(self) -> FakeTelegramAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def start(self) -> None:
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        self._port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """Return the URL to give python-telegram-bot as ``base_url`` (token appended)."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Article 16",
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    # What users do.

    def inject_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (its ``update_id`` is assigned here) for getUpdates."""
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        self._notify()
        return update

    def inject_message(
        self,
        text: str | None = None,
        *,
        chat_id: int = 42,
        user_id: int = 42,
        chat_type: str = "private",
        language_code: str | None = "en",
        first_name: str = "Ama",
        last_name: str | None = "Mensah",
        kind: str = "message",
        reply_to: dict[str, Any] | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        """Queue a message a user sent (``kind`` may be ``edited_message`` or ``channel_post``)."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id, chat_type, first_name),
            **content,
        }
        if kind != "channel_post":
            message["from"] = self._user(user_id, first_name, last_name, language_code)
        else:
            message["sender_chat"] = message["chat"]
        if kind == "edited_message":
            message["edit_date"] = int(time.time())
        if text is not None:
            message["text"] = text
            entities = _entities(text)
            if entities:
                message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return self.inject_update({kind: message})

    def inject_callback(
        self,
        data: str,
        *,
        message: dict[str, Any],
        user_id: int = 42,
        language_code: str | None = "en",
        first_name: str = "Ama",
    ) -> dict[str, Any]:
        """Queue a button press on ``message`` (a message the bot sent, from ``messages``)."""
        query = {
            "id": str(next(self._callback_ids)),
            "from": self._user(user_id, first_name, None, language_code),
            "chat_instance": "1",
            "message": message,
            "data": data,
        }
        return self.inject_update({"callback_query": query})

    def fail_next(
        self,
        method: str,
        error: tuple[int, str] = BLOCKED,
        *,
        times: int = 1,
        retry_after: int | None = None,
        delay: float = 0.0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with ``error`` (status, description)."""
        status, description = error
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        if retry_after is not None:
            status, description = 429, f"Too Many Requests: retry after {retry_after}"
        failure = _Failure(status, description, parameters, delay)
        self._failures.setdefault(method, []).extend([failure] * times)

    # What the bot did.

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        """Return the parameters of every call of ``method``, oldest first."""
        return [call.params for call in self.calls if call.method == method]

    async def wait_for(
        self, method: str, count: int = 1, *, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        """Wait until ``method`` was called ``count`` times; return those calls."""
        assert self._changed is not None

        def enough() -> bool:
            return len(self.calls_to(method)) >= count

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(enough), timeout)
        return self.calls_to(method)

    async def wait_until_idle(self, quiet: float = 0.3) -> None:
        """Wait until no call but getUpdates arrived for ``quiet`` seconds."""
        seen = -1
        while True:
            count = len([c for c in self.calls if c.method != "getUpdates"])
            if count == seen:
                return
            seen = count
            await asyncio.sleep(quiet)

    # The HTTP side.

    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        params = await _read_params(request)
        if method != "getUpdates":
            self.calls.append(ApiCall(method, params))
            self._notify()
        failures = self._failures.get(method)
        if failures:
            failure = failures.pop(0)
            if failure.delay:
                await asyncio.sleep(failure.delay)
            if failure.status:
                return _error(failure.status, failure.description, failure.parameters)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        result = await handler(params)
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    async def _api_getMe(self, params: dict[str, Any]) -> Any:
        return self.bot_user

    async def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        assert self._changed is not None
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        if not self._updates and timeout:
            async with self._changed:
                try:
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._updates)), timeout
                    )
                except TimeoutError:
                    pass
        limit = int(params.get("limit") or 100)
        self.calls.append(ApiCall("getUpdates", params))
        return self._updates[:limit]

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        message_id = next(self._message_ids)
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat(chat_id, "private" if chat_id > 0 else "group", "Ama"),
            "from": self.bot_user,
            "text": params["text"],
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[(chat_id, message_id)] = message
        return message

    async def _api_sendDocument(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        message_id = next(self._message_ids)
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat(chat_id, "private", "Ama"),
            "from": self.bot_user,
            "document": {"file_id": "doc-1", "file_unique_id": "doc-1", "file_name": "file"},
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[(chat_id, message_id)] = message
        return message

    async def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None:
            return _error(*EDIT_NOT_FOUND)
        markup = params.get("reply_markup")
        if message.get("text") == params["text"] and message.get("reply_markup") == markup:
            return _error(*NOT_MODIFIED)
        message = {**message, "text": params["text"], "edit_date": int(time.time())}
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        self.messages[key] = message
        return message

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None:
            return _error(*EDIT_NOT_FOUND)
        message = {**message, "edit_date": int(time.time())}
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[key] = message
        return message

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_sendChatAction(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> Any:
        self._webhook = params.get("url", "")
        return True

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self._webhook = ""
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any]) -> Any:
        return {
            "url": getattr(self, "_webhook", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    # Builders.

    def _notify(self) -> None:
        if self._changed is None:
            return
        changed = self._changed

        async def wake() -> None:
            async with changed:
                changed.notify_all()

        asyncio.get_running_loop().create_task(wake())

    @staticmethod
    def _chat(chat_id: int, chat_type: str, first_name: str) -> dict[str, Any]:
        if chat_type == "private":
            return {"id": chat_id, "type": "private", "first_name": first_name}
        return {"id": chat_id, "type": chat_type, "title": "BRS focal points"}

    @staticmethod
    def _user(
        user_id: int, first_name: str, last_name: str | None, language_code: str | None
    ) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if language_code:
            user["language_code"] = language_code
        return user


def _entities(text: str) -> list[dict[str, Any]]:
    """Mark commands and mentions the way Telegram does (offsets in UTF-16 units)."""
    entities = []
    for match in re.finditer(r"(?<!\S)(/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?|@[A-Za-z0-9_]{5,})", text):
        kind = "bot_command" if match.group().startswith("/") else "mention"
        offset = len(text[: match.start()].encode("utf-16-le")) // 2
        length = len(match.group().encode("utf-16-le")) // 2
        entities.append({"type": kind, "offset": offset, "length": length})
    return entities


async def _read_params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        body = await request.json() if request.can_read_body else {}
        return dict(body or {})
    form = await request.post()
    params: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, web.FileField):  # an uploaded file
            params[key] = {"filename": value.filename, "content": value.file.read()}
        elif not isinstance(value, str):
            params[key] = bytes(value)
        elif key in JSON_FIELDS:
            params[key] = json.loads(value)
        elif key in INT_FIELDS and value.lstrip("-").isdigit():
            params[key] = int(value)
        else:
            params[key] = value
    return params


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)
