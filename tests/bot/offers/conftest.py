"""Fixtures of the offers tests: the whole application, an offerer and an admin."""

from __future__ import annotations

import pytest

from bot.app import AppContext, build_context
from tests.conftest import make_settings
from tests.helpers.conversation import Conversation
from tests.helpers.knowledge import CannedKnowledgeBase
from tests.helpers.needs import add_focal_point, link


@pytest.fixture
def app(sqlite_url: str) -> AppContext:
    """Return the application on a fresh database; 'console:admin' is an admin."""
    settings = make_settings(sqlite_url, ARTICLE16_ADMINS="console:admin")
    return build_context(settings, knowledge=CannedKnowledgeBase())


@pytest.fixture
def ingrid(app: AppContext) -> Conversation:
    """Return a verified focal point of Norway, in the chat."""
    return link(app, "ingrid", add_focal_point(app, name="Ingrid Berg", country="NO"))
