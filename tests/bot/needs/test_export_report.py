"""What the Secretariat gets out: CSV and XLSX exports with labels, and the HTML report."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.cli_needs import needs_app
from bot.services import rounds
from bot.services.needs_export import COLUMNS
from bot.storage.db import session_scope
from tests.helpers.needs import add_focal_point, answer_need, link, seed_needs

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def cli(app, monkeypatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", str(app.engine.url))
    return CliRunner()


def submit_two(app, amina) -> None:
    answer_need(amina, areas=("E-waste", "Other"), conventions=("Basel", "Stockholm"))
    amina.press("Submit")
    verified = link(app, "fp-sn", add_focal_point(app, name="Awa Ndiaye", country="SN"))
    answer_need(verified, country=None, role=None, types=("Pilot project",), priority="Low")
    verified.press("Submit")


def test_the_csv_export_has_one_row_per_need_with_labels(app, amina, cli, tmp_out) -> None:
    submit_two(app, amina)
    amina.say("/need")  # a draft is not exported
    amina.say("Kenya")
    amina.say("/cancel")
    amina.press("Yes, stop")
    target = tmp_out / "needs.csv"
    result = cli.invoke(needs_app, ["export", "--format", "csv", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert "Wrote 2 need(s)" in result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [row["Country"] for row in rows] == ["Kenya", "Senegal"]
    first, second = rows
    assert first["UN region"] == "Africa"
    assert (first["Verified"], second["Verified"]) == ("no", "yes")
    assert first["Area(s)"] == "E-waste; Other" and first["Other area"].startswith("Used tyres")
    assert first["Convention(s)"] == "Basel Convention; Stockholm Convention"
    assert (first["Type(s) of assistance"], first["Priority"]) == ("Webinar", "High")
    assert (first["Timeframe"], first["Status"]) == ("Within 12 months", "Submitted")
    assert second["Focal point"] == "Awa Ndiaye" and second["Participants"] == ""
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", first["Submitted"])


def test_the_xlsx_export_holds_the_same_rows(app, amina, cli, tmp_out) -> None:
    submit_two(app, amina)
    target = tmp_out / "needs.xlsx"
    result = cli.invoke(needs_app, ["export", "--format", "xlsx", "--out", str(target)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(target).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == COLUMNS
    assert [row[COLUMNS.index("Country")] for row in values[1:]] == ["Kenya", "Senegal"]
    assert values[1][COLUMNS.index("Participants")] == 25
    assert values[2][COLUMNS.index("Type(s) of assistance")] == "Pilot project"
    assert sheet.freeze_panes == "A2"


def test_an_export_can_be_limited_to_a_round(app, amina, cli, tmp_out) -> None:
    with session_scope(app.engine) as session:
        rounds.open_round(
            session=session, title="West Africa", closes_on=date.today() + timedelta(days=9),
            actor="t", region="africa", convention="basel",
        )  # fmt: skip
    submit_two(app, amina)
    target = tmp_out / "round.csv"
    cli.invoke(needs_app, ["export", "--round", "1", "--out", str(target)])
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [(r["Country"], r["Round"]) for r in rows] == [
        ("Kenya", "West Africa"), ("Senegal", "West Africa"),
    ]  # fmt: skip


def test_the_report_is_one_offline_page_with_every_section(app, amina, cli, tmp_out) -> None:
    with session_scope(app.engine) as session:
        rounds.open_round(
            session=session, title="Africa 2027", closes_on=date.today() + timedelta(days=9),
            actor="t", region="africa",
        )  # fmt: skip
    submit_two(app, amina)
    target = tmp_out / "report.html"
    result = cli.invoke(needs_app, ["report", "--round", "1", "--out", str(target)])
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    for heading in (
        "Response rate", "Needs by region and area of assistance",
        "Most requested areas in each region", "By type of assistance", "By priority",
        "By convention",
    ):  # fmt: skip
        assert heading in html
    assert html.count("<svg") >= 5
    assert "Kenya" in html and "Senegal" in html and "E-waste" in html
    assert "100% (1 of 1)" in html  # Awa answered; she is the only invited focal point
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<script" not in html


def test_a_report_of_no_needs_says_so(app, cli, tmp_out) -> None:
    target = tmp_out / "empty.html"
    cli.invoke(needs_app, ["report", "--out", str(target)])
    assert "No needs have been submitted yet." in target.read_text(encoding="utf-8")


@pytest.mark.skipif(
    shutil.which("chromium") is None, reason="Chromium is not installed (apt-get install chromium)"
)
def test_the_report_renders_in_a_real_browser(app, cli, tmp_out) -> None:
    seed_needs(app, count=30)
    html, png = tmp_out / "report.html", tmp_out / "report.png"
    cli.invoke(needs_app, ["report", "--out", str(html)])
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "screenshot_report.py"), str(html), str(png),
         "--height", "1600"],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 1600)
    # A blank page compresses to a few kilobytes; charts, tables and text take far more.
    assert len(data) > 60_000


def test_the_secretariat_reads_a_need_and_its_history(app, amina, cli) -> None:
    submit_two(app, amina)
    amina.say("/needs")
    amina.press("#1")
    amina.press("Edit")
    amina.press("✏️ Priority")
    amina.press("Low")
    amina.press("Submit")
    result = cli.invoke(needs_app, ["show", "1"])
    assert result.exit_code == 0, result.output
    assert "Priority:" in result.output and "Low" in result.output
    assert "v1 · " in result.output and "console:amina · submitted" in result.output
    assert "console:amina · edited" in result.output
    assert cli.invoke(needs_app, ["show", "99"]).exit_code == 1
