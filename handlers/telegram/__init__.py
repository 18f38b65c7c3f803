"""Connect the assistant to Telegram with python-telegram-bot.

``build_channel(settings, handle)`` bundles everything below for the
composition root. ``build_application(settings, handle)`` builds the Application;
``start``/``stop`` (or ``running``) run it inside an existing event loop;
``build_webhook_router`` serves webhook mode from FastAPI; ``TelegramSender``
is the outbound port for notifications.
"""

from .app import Handle, build_application, run_polling, running, start, stop
from .channel import TelegramChannel, build_channel
from .commands import CommandMenu
from .inbound import to_incoming
from .outbound import TelegramSender, render
from .webhook import build_webhook_router

__all__ = [
    "CommandMenu",
    "Handle",
    "TelegramChannel",
    "TelegramSender",
    "build_application",
    "build_channel",
    "build_webhook_router",
    "render",
    "run_polling",
    "running",
    "start",
    "stop",
    "to_incoming",
]
