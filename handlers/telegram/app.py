"""Build the python-telegram-bot Application and run it inside an existing event loop.

The listeners are thin: convert the update (:mod:`.inbound`), call the core's
synchronous ``handle`` in a worker thread, send the replies (:mod:`.outbound`).
No business rule lives here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeAlias

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Settings
from bot.core import Incoming, Reply
from bot.errors import ConfigurationError
from bot.i18n import translate

from .chat_action import typing
from .commands import CommandMenu, default_menu, publish_commands
from .concurrency import PerChatUpdateProcessor
from .inbound import to_incoming, unsupported_note
from .outbound import edit_or_send, send_reply

logger = logging.getLogger(__name__)

#: The core's use case: one thing a user did in, the assistant's replies out.
Handle = Callable[[Incoming], list[Reply]]

#: The Application with its type parameters left open (PTB's defaults are used).
TelegramApplication: TypeAlias = Application[Any, Any, Any, Any, Any, Any]

#: The updates the bot asks Telegram for; the rest it would only ignore.
ALLOWED_UPDATES: list[str] = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CHANNEL_POST,
    Update.CALLBACK_QUERY,
]

#: How long a conversational reply may wait out Telegram's flood control before failing.
REPLY_PATIENCE = 20.0

#: How many chats are served at once; one chat's updates always run in order.
MAX_CONCURRENT_CHATS = 64


def build_application(
    settings: Settings,
    handle: Handle,
    *,
    max_concurrent_chats: int = MAX_CONCURRENT_CHATS,
) -> TelegramApplication:
    """Build the Application: polling by default, no updater in webhook mode."""
    token = settings.telegram_bot_token
    if token is None or not token.get_secret_value():
        raise ConfigurationError("TELEGRAM_BOT_TOKEN is not set; the Telegram channel is off")
    builder = Application.builder().token(token.get_secret_value())
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
    if settings.telegram_webhook_url:
        builder = builder.updater(None)
    builder = builder.concurrent_updates(PerChatUpdateProcessor(max_concurrent_chats))
    application = builder.build()
    listeners = Listeners(handle)
    application.add_handler(CallbackQueryHandler(listeners.on_button))
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, listeners.on_text)
    )
    application.add_handler(TypeHandler(Update, listeners.on_other))
    application.add_error_handler(listeners.on_error)
    return application


class Listeners:
    """The Application's callbacks: each converts, asks the core, and sends."""

    def __init__(self, handle: Handle) -> None:
        self._handle = handle

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Pass a text message addressed to the bot to the core."""
        incoming = to_incoming(update, bot_username=context.bot.username)
        if incoming is not None:
            await self._converse(context, incoming)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer the callback query, then pass the button's action to the core."""
        query = update.callback_query
        if query is None:
            return
        try:
            await query.answer()
        except TelegramError as exc:
            # An old query cannot be answered any more; the press still counts.
            logger.info("could not answer callback query %s: %s", query.id, exc)
        incoming = to_incoming(update, bot_username=context.bot.username)
        if incoming is not None:
            await self._converse(context, incoming)

    async def on_other(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Tell the user, briefly, what the bot understands (photos, stickers, edits, ...)."""
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        key = unsupported_note(update, bot_username=context.bot.username)
        if key is None:
            return
        user = update.effective_user
        language = user.language_code if user is not None else None
        await context.bot.send_message(
            chat_id=update.effective_chat.id, text=translate(key, language)
        )

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure under a short error id and apologise to the user with that id."""
        if isinstance(context.error, Forbidden):
            # The user blocked the bot or removed it from the group: nobody to apologise to.
            logger.info("telegram refused to deliver: %s", context.error)
            return
        error_id = uuid.uuid4().hex[:8]
        logger.error("telegram update failed (error id %s)", error_id, exc_info=context.error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        user = update.effective_user
        language = user.language_code if user is not None else None
        try:
            await context.bot.send_message(
                chat_id=update.effective_chat.id,
                text=translate("telegram.error", language, error_id=error_id),
            )
        except TelegramError:
            logger.warning("could not apologise for error %s", error_id, exc_info=True)

    async def _converse(self, context: ContextTypes.DEFAULT_TYPE, incoming: Incoming) -> None:
        async with typing(context.bot, incoming.chat_id):
            replies = await asyncio.to_thread(self._handle, incoming)
        edit_target = _edit_target(incoming)
        reply_to = _group_message(incoming)
        for reply in replies:
            if reply.edit and edit_target is not None:
                await edit_or_send(
                    context.bot,
                    chat_id=incoming.chat_id,
                    message_id=edit_target,
                    reply=reply,
                    patience=REPLY_PATIENCE,
                    reply_to=reply_to,
                )
                edit_target = None  # only the first edit can replace the pressed message
            else:
                await send_reply(
                    context.bot,
                    chat_id=incoming.chat_id,
                    reply=reply,
                    patience=REPLY_PATIENCE,
                    reply_to=reply_to,
                )
                reply_to = None  # quote once; the rest follows in the same place


def _edit_target(incoming: Incoming) -> int | None:
    message_id = incoming.metadata.get("message_id")
    if incoming.action is None or message_id is None:
        return None
    return int(message_id)


def _group_message(incoming: Incoming) -> int | None:
    if incoming.is_private:
        return None
    quoted = incoming.metadata.get("reply_to")
    if quoted is None and incoming.action is not None:
        quoted = incoming.metadata.get("message_id")  # the question whose button was pressed
    return int(quoted) if quoted else None


async def start(
    application: TelegramApplication,
    settings: Settings,
    *,
    poll_interval: float = 0.0,
    poll_timeout: float = 10.0,
    command_menu: CommandMenu = default_menu,
) -> None:
    """Initialise and start the Application, then poll or register the webhook.

    Runs inside the caller's event loop (unlike ``Application.run_polling``),
    so Telegram can run next to the web app, Slack and the dispatcher.
    ``command_menu`` gives the menu per language (the core's commands, say).
    If start-up fails (a wrong token, Telegram unreachable), what was started
    is stopped again and the error propagates.
    """
    try:
        await application.initialize()
        await publish_commands(application.bot, command_menu)
        await application.start()
        if settings.telegram_webhook_url:
            await _register_webhook(application, settings)
        elif application.updater is not None:
            await application.updater.start_polling(
                poll_interval=poll_interval,
                timeout=int(poll_timeout),
                allowed_updates=ALLOWED_UPDATES,
            )
    except BaseException:
        await stop(application)
        raise
    logger.info("telegram channel started as @%s", application.bot.username)


async def stop(application: TelegramApplication) -> None:
    """Stop polling, stop the Application and release its resources."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()


@contextlib.asynccontextmanager
async def running(
    application: TelegramApplication,
    settings: Settings,
    *,
    poll_interval: float = 0.0,
    poll_timeout: float = 10.0,
    command_menu: CommandMenu = default_menu,
) -> AsyncIterator[TelegramApplication]:
    """Run the Application for the duration of the ``async with`` block."""
    await start(
        application,
        settings,
        poll_interval=poll_interval,
        poll_timeout=poll_timeout,
        command_menu=command_menu,
    )
    try:
        yield application
    finally:
        await stop(application)


async def run_polling(
    settings: Settings,
    handle: Handle,
    *,
    stop_event: asyncio.Event,
    command_menu: CommandMenu = default_menu,
) -> None:
    """Build, start and run the Telegram channel until ``stop_event`` is set.

    For webhook mode build the Application yourself, mount
    :func:`~handlers.telegram.webhook.build_webhook_router` on it in the web
    app, and run it with :func:`running`.
    """
    if settings.telegram_webhook_url:
        raise ConfigurationError("TELEGRAM_WEBHOOK_URL is set: serve the webhook router instead")
    application = build_application(settings, handle)
    async with running(application, settings, command_menu=command_menu):
        await stop_event.wait()


async def _register_webhook(application: TelegramApplication, settings: Settings) -> None:
    secret = settings.telegram_webhook_secret
    try:
        await application.bot.set_webhook(
            url=settings.telegram_webhook_url or "",
            secret_token=secret.get_secret_value() if secret else None,
            allowed_updates=ALLOWED_UPDATES,
        )
    except TelegramError:
        # A webhook registered by an earlier run keeps working, so serve on.
        logger.exception("could not register the Telegram webhook")
