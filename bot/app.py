"""Build everything from the settings: the composition root."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from bot.assistant import Assistant
from bot.config import Settings
from bot.flows.registry import FlowRegistry
from bot.ports import KnowledgeBase
from bot.router import Router
from bot.storage.db import ensure_schema, make_engine

logger = logging.getLogger(__name__)


class LazyKnowledgeBase:
    """Open the knowledge base on first use, once, whichever thread asks first."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._knowledge: KnowledgeBase | None = None

    def __call__(self) -> KnowledgeBase:
        """Return the knowledge base, opening (and on first run, building) its index."""
        if self._knowledge is None:
            with self._lock:
                if self._knowledge is None:
                    from knowledge import build_knowledge_base

                    self._knowledge = build_knowledge_base(
                        index_dir=self._settings.index_dir, llm=self._settings.llm
                    )
        return self._knowledge


@dataclass(slots=True)
class AppContext:
    """The built application: settings, database engine, the assistant and its knowledge."""

    settings: Settings
    engine: Engine
    assistant: Assistant
    knowledge: Any
    extras: dict[str, Any] = field(default_factory=dict)


def build_context(
    settings: Settings,
    *,
    migrate: bool = True,
    knowledge: KnowledgeBase | None = None,
) -> AppContext:
    """Build the database engine and the assistant with every capability installed.

    ``knowledge`` replaces the shipped knowledge base (tests pass a small one).
    """
    from bot.conversation import basics, needs, offers, opportunities, questions
    from bot.conversation import settings as notification_settings
    from bot.notify.scheduler import relay_answer
    from bot.services.opportunities import on_need_submitted

    engine = make_engine(settings.database_url)
    if migrate:
        ensure_schema(engine)
    assistant = Assistant(
        db=engine,
        router=Router(),
        flows=FlowRegistry(),
        is_admin=settings.is_admin,
    )
    provider = LazyKnowledgeBase(settings) if knowledge is None else (lambda: knowledge)
    needs_capability = needs.install(assistant)
    needs_capability.on_need_submitted.append(on_need_submitted)
    opportunities.install(assistant)
    offers.install(assistant)
    basics.install(assistant)
    questions.install(assistant, provider)
    notification_settings.install(assistant)
    context = AppContext(settings=settings, engine=engine, assistant=assistant, knowledge=provider)
    context.extras["needs"] = needs_capability
    context.extras["relay_answer"] = relay_answer
    return context


def relay_secretariat_answer(context: AppContext, *, session: Any, entry: Any) -> bool:
    """Queue the Secretariat's answer to a passed question for the asker; tell if queued."""
    relay = context.extras.get("relay_answer")
    if relay is None or entry.account_id is None:
        return False
    return bool(relay(session=session, entry=entry))
