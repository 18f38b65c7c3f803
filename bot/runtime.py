"""Run the configured channels, the web endpoints and the background workers together.

Platform adapters are imported lazily, inside the functions that need them,
so the core never loads a platform SDK unless that channel is configured.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, FastAPI

from bot.app import AppContext
from bot.core import Channel, Incoming
from bot.ports import Sender
from bot.web.app import create_app

logger = logging.getLogger(__name__)

#: A background job started with the channels: given a stop event, it runs until set.
Worker = Callable[[AppContext, dict[Channel, Sender], asyncio.Event], Coroutine[Any, Any, None]]


@dataclass(slots=True)
class Channels:
    """The platform channels built from the settings."""

    telegram: Any = None
    slack_app: Any = None
    routers: list[APIRouter] = field(default_factory=list)
    senders: dict[Channel, Sender] = field(default_factory=dict)
    #: The event loop serving the channels, once running (hooks in worker threads use it).
    loop: asyncio.AbstractEventLoop | None = None


def _telegram_command_menu(context: AppContext) -> Callable[[str], list[tuple[str, str]]]:
    """Return the Telegram command menu built from the core's own commands."""
    from bot.i18n import translate

    def menu(language: str) -> list[tuple[str, str]]:
        seen: set[str] = set()
        entries: list[tuple[str, str]] = []
        for name, command in context.assistant.router.commands.items():
            if command.admin_only or command.hidden or command.name in seen:
                continue
            seen.add(command.name)
            entries.append((name, translate(command.help_key, language)[:256]))
        return entries

    return menu


def build_channels(context: AppContext, *, include_slack_home: bool = True) -> Channels:
    """Build every configured platform channel (without starting it)."""
    settings = context.settings
    channels = Channels()
    if settings.telegram.enabled:
        from handlers.telegram import build_channel

        telegram = build_channel(
            settings, context.assistant.handle, command_menu=_telegram_command_menu(context)
        )
        channels.telegram = telegram
        channels.senders[Channel.TELEGRAM] = telegram.sender
        if telegram.router is not None:
            channels.routers.append(telegram.router)
    if settings.slack.enabled:
        from handlers.slack import (
            build_bolt_app,
            build_slack_router,
            build_slack_sender,
            claim_with_database,
        )

        home = _slack_home(context) if include_slack_home else None
        slack_app = build_bolt_app(
            settings,
            handle=context.assistant.handle,
            claim=claim_with_database(context.engine),
            home=home,
            forms=context.assistant,
        )
        channels.slack_app = slack_app
        if home is not None:
            context.assistant.after_turn.append(_refresh_slack_home(channels, slack_app, home))
        channels.senders[Channel.SLACK] = build_slack_sender(settings)
        if not settings.slack.socket_mode:
            channels.routers.append(build_slack_router(slack_app))
    return channels


def _slack_home(context: AppContext) -> Callable[[Incoming], list[Any]]:
    def home(incoming: Incoming) -> list[Any]:
        return context.assistant.handle(
            Incoming(
                channel=incoming.channel,
                user_id=incoming.user_id,
                chat_id=incoming.chat_id,
                text="/home",
                language_hint=incoming.language_hint,
            ),
            run_hooks=False,
        )

    return home


def _refresh_slack_home(
    channels: Channels, slack_app: Any, home: Callable[[Incoming], list[Any]]
) -> Callable[[Incoming], None]:
    """Return an after-turn hook that republishes a Slack user's App Home."""
    from handlers.slack import publish_home

    def refresh(incoming: Incoming) -> None:
        if incoming.channel is not Channel.SLACK or channels.loop is None:
            return
        asyncio.run_coroutine_threadsafe(
            publish_home(slack_app.client, incoming=incoming, home=home), channels.loop
        )

    return refresh


def build_web_app(context: AppContext, channels: Channels | None = None) -> FastAPI:
    """Return the ASGI app with every enabled channel's HTTP endpoint mounted.

    Served alone (``article16 web``), the app also starts the Telegram
    application in webhook mode so that the updates it receives get processed.
    """
    own = channels is None
    built = build_channels(context) if channels is None else channels

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        built.loop = asyncio.get_running_loop()
        telegram = built.telegram if own and built.telegram is not None else None
        if telegram is not None and telegram.router is not None:
            await telegram.start()
        try:
            yield
        finally:
            if telegram is not None and telegram.router is not None:
                await telegram.stop()

    app = create_app(context, built.routers)
    app.router.lifespan_context = lifespan
    return app


def senders_for(context: AppContext, channels: Channels) -> dict[Channel, Sender]:
    """Return a sender per channel: the console's, plus each configured platform's."""
    from handlers.console import ConsoleSender

    senders: dict[Channel, Sender] = {Channel.CONSOLE: ConsoleSender()}
    senders.update(channels.senders)
    return senders


@contextlib.contextmanager
def _stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    loop = asyncio.get_running_loop()
    handled = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
            handled.append(sig)
    try:
        yield
    finally:
        for sig in handled:
            loop.remove_signal_handler(sig)


async def run_channels(
    context: AppContext, *, stop: asyncio.Event, workers: list[Worker] | None = None
) -> None:
    """Start the channels, the HTTP server when a channel needs one, and the workers."""
    import uvicorn

    settings = context.settings
    channels = build_channels(context)
    channels.loop = asyncio.get_running_loop()
    senders = senders_for(context, channels)
    socket_handler = None
    server: _QuietServer | None = None
    tasks: list[asyncio.Task[None]] = []
    try:
        if channels.telegram is not None:
            await channels.telegram.start()
            logger.info("Telegram channel started (%s)",
                        "webhook" if channels.telegram.router else "polling")  # fmt: skip
        if channels.slack_app is not None and settings.slack.socket_mode:
            from handlers.slack import start_socket_mode

            socket_handler = await start_socket_mode(channels.slack_app, settings)
            logger.info("Slack channel started (Socket Mode)")
        if channels.routers:
            config = uvicorn.Config(
                build_web_app(context, channels),
                host=settings.web_host,
                port=settings.web_port,
                log_level="info",
            )
            server = _QuietServer(config)
            tasks.append(asyncio.create_task(server.serve()))
            logger.info("HTTP endpoints on http://%s:%s", settings.web_host, settings.web_port)
        for worker in workers or []:
            tasks.append(asyncio.create_task(worker(context, senders, stop)))
        await stop.wait()
    finally:
        if server is not None:
            server.should_exit = True
        if socket_handler is not None:
            from handlers.slack import stop_socket_mode

            await stop_socket_mode(socket_handler)
        if channels.telegram is not None:
            await channels.telegram.stop()
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)


def serve(context: AppContext, workers: list[Worker] | None = None) -> None:
    """Serve the configured platform channels until SIGINT or SIGTERM."""

    async def main() -> None:
        stop = asyncio.Event()
        with _stop_on_signals(stop):
            await run_channels(context, stop=stop, workers=workers)

    asyncio.run(main())


def _no_signal_capture() -> contextlib.AbstractContextManager[None]:
    return contextlib.nullcontext()


class _QuietServer:
    """Wrap uvicorn's server so that our own handler, not uvicorn's, owns the signals."""

    def __init__(self, config: Any) -> None:
        import uvicorn

        self._server = uvicorn.Server(config)
        self._server.capture_signals = _no_signal_capture  # type: ignore[method-assign,assignment]

    @property
    def should_exit(self) -> bool:
        """Tell whether the server was asked to stop."""
        return bool(self._server.should_exit)

    @should_exit.setter
    def should_exit(self, value: bool) -> None:
        self._server.should_exit = value

    async def serve(self) -> None:
        """Serve until ``should_exit`` is set."""
        await self._server.serve()


@contextlib.contextmanager
def background_workers(context: AppContext, workers: list[Worker]) -> Iterator[None]:
    """Run ``workers`` on an event loop in a daemon thread while the block runs.

    The console chat reads stdin in the main thread; notifications for
    console users are delivered meanwhile by this thread.
    """
    import threading

    from handlers.console import ConsoleSender

    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    senders: dict[Channel, Sender] = {Channel.CONSOLE: ConsoleSender()}

    async def main() -> None:
        await asyncio.gather(*(worker(context, senders, stop) for worker in workers))

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    try:
        yield
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=10)
