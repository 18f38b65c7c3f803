"""Fixtures of the console tests: the app on a fresh database with a tiny knowledge base."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.app import AppContext, build_context
from bot.web.app import create_app
from bot.web.console import build_console_router
from tests.conftest import make_settings

CORPUS_DOC = """---
title: Regional centres
language: en
date: 2025-01-01
sources: [https://www.basel.int/Partners/RegionalCentres/Overview/tabid/2334/Default.aspx]
---
# Regional centres

The Basel Convention regional centres deliver training and technical assistance in their regions.
"""


@pytest.fixture
def console_context(tmp_path: Path) -> AppContext:
    """Return the application with a one-document knowledge base."""
    from knowledge import build_knowledge_base

    corpus = tmp_path / "corpus" / "en"
    corpus.mkdir(parents=True)
    (corpus / "regional-centres.md").write_text(CORPUS_DOC, encoding="utf-8")
    index_dir = tmp_path / "index"
    knowledge = build_knowledge_base(index_dir=index_dir, corpus_dir=corpus.parent)
    settings = make_settings(
        f"sqlite:///{tmp_path}/console.db",
        ARTICLE16_INDEX_DIR=str(index_dir),
        telegram_bot_username="article16_bot",
    )
    return build_context(settings, knowledge=knowledge)


@pytest.fixture
def console_app(console_context: AppContext) -> FastAPI:
    """Return the web app with the console mounted."""
    return create_app(console_context, [build_console_router(console_context)])


@pytest.fixture
def client(console_app: FastAPI) -> TestClient:
    """Return an HTTP client of the app (cookies kept between requests)."""
    return TestClient(console_app, base_url="http://127.0.0.1")
