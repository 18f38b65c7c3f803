"""Fixtures of the needs tests: the assistant with the needs capability installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import AppContext, build_context
from tests.conftest import make_settings
from tests.helpers.conversation import Conversation
from tests.helpers.knowledge import CannedKnowledgeBase
from tests.helpers.needs import with_needs


@pytest.fixture
def app(sqlite_url: str) -> AppContext:
    """Return the application with needs installed; 'console:admin' is an admin."""
    settings = make_settings(sqlite_url, ARTICLE16_ADMINS="console:admin")
    return with_needs(build_context(settings, knowledge=CannedKnowledgeBase()))


@pytest.fixture
def amina(app: AppContext) -> Conversation:
    """Return a console user with no profile."""
    return Conversation(app.assistant.handle, user_id="amina")


@pytest.fixture
def tmp_out(tmp_path: Path) -> Path:
    """Return a directory for exported files."""
    out = tmp_path / "out"
    out.mkdir()
    return out
