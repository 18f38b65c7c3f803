"""The web app answers /healthz while the database answers, and says so when it does not."""

from __future__ import annotations

from fastapi.testclient import TestClient

from bot.app import AppContext
from bot.runtime import build_web_app


def test_healthz_reports_ok_when_the_database_answers(context: AppContext) -> None:
    response = TestClient(build_web_app(context)).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_when_the_database_is_unreachable(context: AppContext) -> None:
    from bot.storage.db import make_engine

    context.engine = make_engine("postgresql://nobody@127.0.0.1:1/none")
    response = TestClient(build_web_app(context)).get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
