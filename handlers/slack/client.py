"""Build the Slack Web API clients the channel uses."""

from __future__ import annotations

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    async_default_handlers,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import SlackSettings
from bot.errors import ConfigurationError

SLACK_API_BASE_URL = "https://slack.com/api/"


def build_web_client(settings: SlackSettings, *, interactive: bool) -> AsyncWebClient:
    """Build an ``AsyncWebClient`` for the bot token, pointed at ``SLACK_API_BASE_URL``.

    The interactive client (listeners) retries connection errors and waits
    once on a 429, as a person is waiting for the answer. The dispatcher's
    client retries nothing: the dispatcher owns retries and back-off, and a
    retried post could reach the user twice.
    """
    if settings.bot_token is None or not settings.bot_token.get_secret_value():
        raise ConfigurationError("SLACK_BOT_TOKEN is not set")
    handlers: list[AsyncRetryHandler] = []
    if interactive:
        handlers = [*async_default_handlers(), AsyncRateLimitErrorRetryHandler(max_retry_count=1)]
    return AsyncWebClient(
        token=settings.bot_token.get_secret_value(),
        base_url=settings.api_base_url or SLACK_API_BASE_URL,
        retry_handlers=handlers,
    )
