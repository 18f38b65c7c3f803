"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import AppContext, build_context
from bot.config import Settings
from tests.helpers.conversation import Conversation
from tests.helpers.databases import throwaway_postgres


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep tests away from the developer's .env, tokens and index."""
    for name in (
        "DATABASE_URL", "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "TELEGRAM_WEBHOOK_URL",
        "TELEGRAM_WEBHOOK_SECRET", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN",
        "SLACK_API_BASE_URL", "ARTICLE16_ADMINS", "ARTICLE16_LLM",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield a fresh database URL, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/article16.db"
    else:
        with throwaway_postgres() as url:
            yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """Return the URL of a fresh SQLite database file."""
    return f"sqlite:///{tmp_path}/article16.db"


def make_settings(database_url: str, **overrides: object) -> Settings:
    """Build settings for a test, without reading any .env file."""
    return Settings(_env_file=None, database_url=database_url, **overrides)  # type: ignore[call-arg]


@pytest.fixture
def context(sqlite_url: str) -> AppContext:
    """Return the whole application on a fresh SQLite database; 'console:admin' is an admin."""
    return build_context(make_settings(sqlite_url, ARTICLE16_ADMINS="console:admin"))


@pytest.fixture
def chat(context: AppContext) -> Conversation:
    """Return a console conversation with the assistant as user 'amina'."""
    return Conversation(context.assistant.handle, user_id="amina")
