"""Run the Slack channel over Socket Mode (no public HTTP endpoint needed)."""

from __future__ import annotations

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.config import Settings
from bot.errors import ConfigurationError


async def start_socket_mode(bolt_app: AsyncApp, settings: Settings) -> AsyncSocketModeHandler:
    """Connect to Slack over a WebSocket; return the handler for ``stop_socket_mode``."""
    token = settings.slack.app_token
    if token is None or not token.get_secret_value():
        raise ConfigurationError("Socket Mode needs SLACK_APP_TOKEN")
    handler = AsyncSocketModeHandler(bolt_app, app_token=token.get_secret_value())
    await handler.connect_async()  # type: ignore[no-untyped-call]
    return handler


async def stop_socket_mode(handler: AsyncSocketModeHandler) -> None:
    """Disconnect from Slack and release the handler's resources."""
    await handler.close_async()  # type: ignore[no-untyped-call]
