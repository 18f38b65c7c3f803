"""Bundle what the composition root needs from Telegram: app, webhook router, sender."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter

from bot.config import Settings
from bot.errors import ConfigurationError

from .app import Handle, TelegramApplication, build_application, start, stop
from .commands import CommandMenu, default_menu
from .outbound import TelegramSender
from .webhook import build_webhook_router


@dataclass
class TelegramChannel:
    """The Telegram channel, ready to start inside the caller's event loop.

    ``router`` is set in webhook mode: include it in the web app. ``sender``
    is the outbound port for the notification dispatcher; it shares the
    Application's bot, so use it while the channel is started.
    """

    settings: Settings
    application: TelegramApplication
    sender: TelegramSender
    router: APIRouter | None = None
    command_menu: CommandMenu = field(default=default_menu)

    async def start(self, *, poll_timeout: float = 10.0) -> None:
        """Start polling, or register the webhook, and publish the command menu."""
        await start(
            self.application,
            self.settings,
            poll_timeout=poll_timeout,
            command_menu=self.command_menu,
        )

    async def stop(self) -> None:
        """Stop the channel and release its connections."""
        await stop(self.application)


def build_channel(
    settings: Settings, handle: Handle, *, command_menu: CommandMenu = default_menu
) -> TelegramChannel:
    """Build the Telegram channel from the settings (polling, or webhook when configured)."""
    application = build_application(settings, handle)
    router = None
    if settings.telegram_webhook_url:
        secret = settings.telegram_webhook_secret
        if secret is None or not secret.get_secret_value():
            raise ConfigurationError("TELEGRAM_WEBHOOK_URL is set; set TELEGRAM_WEBHOOK_SECRET")
        router = build_webhook_router(application, secret=secret.get_secret_value())
    return TelegramChannel(
        settings=settings,
        application=application,
        sender=TelegramSender(application.bot),
        router=router,
        command_menu=command_menu,
    )
