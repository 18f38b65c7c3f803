"""The command line: opp add/list/show/publish/cancel, broadcast, outbox status."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli_notify import broadcast_app, opp_app, outbox_app
from bot.storage.db import make_engine, session_scope, upgrade
from tests.helpers.notify import need, person

runner = CliRunner()

YAML = """
- kind: webinar
  title: Monitoring of hazardous wastes
  provider_type: regional_centre
  provider: BCRC Senegal
  areas: [waste_monitoring]
  languages: [fr]
  format: online
  regions: [africa]
  deadline: 2099-01-31
  url: https://www.basel.int/w1
- kind: party
  title: Not a kind we know
- kind: workshop
  title: Bad date
  deadline: 31/01/2099
- kind: e_learning
  title: POPs inventories course
  areas: [POPs inventories]
"""

CSV = (
    "kind,title,areas,languages,countries,deadline\n"
    "webinar,E-waste inventories,e_waste;inventories_data_statistics,en;fr,Kenya;GH,2099-02-01\n"
    "webinar,,e_waste,en,,\n"
)


@pytest.fixture
def database(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("COLUMNS", "200")  # so Rich does not wrap the lines asserted on
    engine = make_engine(sqlite_url)
    upgrade(engine)
    with session_scope(engine) as session:
        fp, _ = person(session, country="SN", language="fr")
        need(session, fp)
        need(session, fp, areas=["waste_monitoring", "e_waste"])
        for country in ("KE", "GH"):
            person(
                session, country=country, language="en", roles=["stockholm_national_focal_point"]
            )
    return sqlite_url


def test_opp_add_keeps_the_valid_entries_and_explains_the_others(
    database: str, tmp_path: Path
) -> None:
    (tmp_path / "opps.yaml").write_text(YAML, encoding="utf-8")
    (tmp_path / "opps.csv").write_text(CSV, encoding="utf-8")
    result = runner.invoke(
        opp_app, ["add", str(tmp_path / "opps.yaml"), str(tmp_path / "opps.csv")]
    )
    assert result.exit_code == 1
    assert "added 2 (ids 1, 2)" in result.output and "added 1 (ids 3)" in result.output
    assert "entry 2: kind must be one of" in result.output
    assert "entry 3: deadline is not a date" in result.output
    assert "line 3: title is empty" in result.output
    listed = runner.invoke(opp_app, ["list"])
    assert "POPs inventories course" in listed.output and "draft" in listed.output


def test_opp_publish_notifies_the_matching_focal_point_once(database: str, tmp_path: Path) -> None:
    (tmp_path / "opps.yaml").write_text(YAML, encoding="utf-8")
    runner.invoke(opp_app, ["add", str(tmp_path / "opps.yaml")])
    first = runner.invoke(opp_app, ["publish", "1"])
    again = runner.invoke(opp_app, ["publish", "1"])
    assert "it fits 1 people; 1 new notifications queued" in first.output
    assert "0 new notifications queued" in again.output
    assert "│ pending │ 1" in runner.invoke(outbox_app, ["status"]).output.replace("   ", "")
    shown = runner.invoke(opp_app, ["show", "1"])
    assert "matched people: 1" in shown.output
    assert runner.invoke(opp_app, ["list", "--open"]).output.count("published") == 1
    cancelled = runner.invoke(opp_app, ["cancel", "1", "--reason", "postponed"])
    assert cancelled.exit_code == 0
    assert "cancelled" in runner.invoke(opp_app, ["show", "1"]).output


def test_broadcast_dry_run_counts_and_sends_nothing(database: str) -> None:
    dry = runner.invoke(broadcast_app, ["--text", "Hi", "--role", "stockholm_national_focal_point",
                                        "--dry-run"])  # fmt: skip
    assert "would reach 2 recipients; nothing sent" in dry.output
    assert "│ pending │ 0" in runner.invoke(outbox_app, ["status"]).output.replace("   ", "")
    sent = runner.invoke(broadcast_app, ["--text", "Hi", "--country", "Kenya"])
    assert "Broadcast 1 queued for 1 recipients" in sent.output
    status = runner.invoke(broadcast_app, ["status", "1"])
    assert status.exit_code == 0
    assert "to 1 recipients" in status.output and "pending" in status.output


def test_broadcast_refuses_an_unknown_filter(database: str) -> None:
    result = runner.invoke(broadcast_app, ["--text", "Hi", "--region", "atlantis"])
    assert result.exit_code == 2 and "atlantis" in result.output
