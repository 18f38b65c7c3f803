"""Fixtures for the Telegram adapter: the fake Bot API, settings, a running bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from handlers.telegram import build_application, running
from handlers.telegram.app import TelegramApplication
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.handlers.telegram.echo_core import EchoCore


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as api:
        yield api


@pytest.fixture
def settings(fake: FakeTelegramAPI, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path}/t.db",
        telegram_bot_token=fake.token,
        telegram_api_base_url=fake.base_url,
    )


@pytest.fixture
def core() -> EchoCore:
    return EchoCore()


@pytest.fixture
async def telegram_bot(
    fake: FakeTelegramAPI, settings: Settings, core: EchoCore
) -> AsyncIterator[TelegramApplication]:
    application = build_application(settings, core)
    async with running(application, settings, poll_timeout=1):
        yield application
