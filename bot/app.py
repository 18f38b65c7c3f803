"""Build everything from the settings: the composition root."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from bot.assistant import Assistant
from bot.config import Settings
from bot.flows.registry import FlowRegistry
from bot.router import Router
from bot.storage.db import ensure_schema, make_engine

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class AppContext:
    """The built application: settings, database engine and the assistant."""

    settings: Settings
    engine: Engine
    assistant: Assistant
    extras: dict[str, Any] = field(default_factory=dict)


def build_context(settings: Settings, *, migrate: bool = True) -> AppContext:
    """Build the database engine and the assistant with every capability installed."""
    from bot.conversation import basics

    engine = make_engine(settings.database_url)
    if migrate:
        ensure_schema(engine)
    assistant = Assistant(
        db=engine,
        router=Router(),
        flows=FlowRegistry(),
        is_admin=settings.is_admin,
    )
    basics.install(assistant)
    return AppContext(settings=settings, engine=engine, assistant=assistant)
