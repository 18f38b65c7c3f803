"""The overview counts requested areas in SQL on SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlmodel import Session

from bot.app import build_context
from bot.web.console.overview import areas_requested
from tests.conftest import make_settings
from tests.web.console import builders as build


def test_areas_are_counted_per_region_on_both_databases(database_url: str) -> None:
    context = build_context(make_settings(database_url), knowledge=object())  # type: ignore[arg-type]
    fp = build.focal_point(context, "Amina Diallo", "SN")
    build.need(context, fp, "SN", "africa", areas=("e_waste", "mercury_wastes"))
    build.need(context, fp, "SN", "africa", areas=("e_waste",))
    build.need(context, fp, "CN", "asia_pacific", areas=("plastic_waste",))
    with Session(context.engine) as session:
        everywhere = areas_requested(session, None)
        africa = areas_requested(session, "africa")
    assert everywhere == [("e_waste", 2), ("mercury_wastes", 1), ("plastic_waste", 1)]
    assert africa == [("e_waste", 2), ("mercury_wastes", 1)]
    context.engine.dispose()
