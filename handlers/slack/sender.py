"""Deliver the notification dispatcher's messages to Slack (the ``Sender`` port)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.core import Channel, Reply
from bot.errors import PermanentSendError, RateLimited, SendError, TransientSendError
from bot.ports import Delivery
from handlers.slack.client import build_web_client
from handlers.slack.posting import open_dm, post_reply

#: Slack errors after which writing to this person again is pointless.
PERMANENT_ERRORS = frozenset(
    {"account_inactive", "user_not_found", "channel_not_found", "user_disabled", "is_archived"}
)
#: Wait this long on a 429 that carries no ``Retry-After`` header.
DEFAULT_RETRY_AFTER = 1.0


def _retry_after(headers: Mapping[str, Any] | None) -> float:
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(float(raw), 0.0)
            except (TypeError, ValueError):
                break
    return DEFAULT_RETRY_AFTER


def map_send_error(exc: Exception) -> SendError:
    """Translate a Slack client failure into the core's send-error tree."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        error = str(response.data.get("error", "")) if isinstance(response.data, dict) else ""
        if response.status_code == 429 or error == "ratelimited":
            return RateLimited(
                f"Slack rate limit ({error or 429})", retry_after=_retry_after(response.headers)
            )
        if error in PERMANENT_ERRORS:
            return PermanentSendError(f"Slack refused delivery: {error}")
        return TransientSendError(f"Slack API error: {error or response.status_code}")
    return TransientSendError(f"Slack unreachable: {type(exc).__name__}: {exc}")


def _is_conversation_id(chat_id: str) -> bool:
    return "/" not in chat_id and chat_id[:1] in {"C", "D", "G"}


class SlackSender:
    """Send one reply to one Slack person or conversation.

    ``chat_id`` is a conversation id (``D…``, ``C…``, ``G…``) or a person
    (``U…`` or ``TEAM/USER``), whose direct-message conversation is opened
    first. The message id returned is ``<channel>:<ts>`` of the first message.
    """

    channel = Channel.SLACK

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def send(self, *, chat_id: str, reply: Reply) -> Delivery:
        """Deliver ``reply`` to ``chat_id``, mapping Slack failures to send errors."""
        try:
            channel = (
                chat_id if _is_conversation_id(chat_id) else await open_dm(self._client, chat_id)
            )
            sent = await post_reply(
                self._client, channel=channel, reply=dataclasses.replace(reply, edit=False)
            )
        except (TimeoutError, SlackApiError, SlackClientError, aiohttp.ClientError) as exc:
            raise map_send_error(exc) from exc
        if not sent:
            raise PermanentSendError("the reply is empty; nothing was sent")
        return Delivery(message_id=f"{channel}:{sent[0]}")


def build_slack_sender(settings: Settings) -> SlackSender:
    """Build the dispatcher's sender (a client without automatic retries)."""
    return SlackSender(build_web_client(settings.slack, interactive=False))
