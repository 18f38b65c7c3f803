"""The needs questionnaire as a user runs it: `article16 chat` processes, then the exports."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.cli_needs import needs_app

ROOT = Path(__file__).resolve().parents[3]


DESCRIPTION = "Customs officers cannot recognise e-waste shipments declared as second-hand goods."
ANSWERS_TO_AREAS = "/need\nKenya\nBasel focal point\nDone\nBasel Convention\nDone\n"
ANSWERS_FROM_TYPES = (
    f"Webinar\nDone\nHigh\n{DESCRIPTION}\nCustoms officers\n25\nOnline\nFrench\nDone\n"
    "Within 12 months\n✅ Submit this need\n"
)


def environment(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/chat.db", "PYTHONPATH": str(ROOT)}


def chat_command(user: str) -> list[str]:
    return [sys.executable, "-m", "bot", "chat", "--user", user]


def run_chat(tmp_path: Path, user: str, script: str) -> str:
    result = subprocess.run(
        chat_command(user), input=script, capture_output=True, text=True,
        env=environment(tmp_path), cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def start_and_kill_at_areas(tmp_path: Path, user: str) -> None:
    process = subprocess.Popen(
        chat_command(user), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env=environment(tmp_path), cwd=tmp_path,
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(ANSWERS_TO_AREAS)
    process.stdin.flush()
    seen = ""
    deadline = time.monotonic() + 60
    while "In which area(s)" not in seen and time.monotonic() < deadline:
        seen += process.stdout.readline()
    assert "In which area(s)" in seen
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_needs_entered_in_one_process_and_across_a_kill_are_both_exported(
    tmp_path: Path, monkeypatch
) -> None:
    out = run_chat(
        tmp_path, "amina", ANSWERS_TO_AREAS + "E-waste\nPlastic waste\nDone\n" + ANSWERS_FROM_TYPES
    )
    assert "• Area(s): E-waste, Plastic waste" in out
    assert "Your need #1 is now with the Secretariat" in out

    start_and_kill_at_areas(tmp_path, "bruno")
    resumed = run_chat(tmp_path, "bruno", "Hazardous waste management\n" + ANSWERS_FROM_TYPES)
    # The new process took the typed area as the answer to the question it was killed at.
    assert resumed.startswith("Question 5 of 10\nWhat type(s) of assistance would help?")
    assert "Your need #2 is now with the Secretariat" in resumed

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/chat.db")
    runner = CliRunner()
    csv_file, xlsx_file, html_file = (tmp_path / n for n in ("n.csv", "n.xlsx", "r.html"))
    runner.invoke(needs_app, ["export", "--format", "csv", "--out", str(csv_file)])
    rows = list(csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8-sig"))))
    assert [r["Area(s)"] for r in rows] == ["E-waste; Plastic waste", "Hazardous waste management"]
    assert {r["Country"] for r in rows} == {"Kenya"}
    assert {r["Language(s)"] for r in rows} == {"French"}
    runner.invoke(needs_app, ["export", "--format", "xlsx", "--out", str(xlsx_file)])
    sheet = load_workbook(xlsx_file).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [1, 2]
    runner.invoke(needs_app, ["report", "--out", str(html_file)])
    html = html_file.read_text(encoding="utf-8")
    assert "Hazardous waste management" in html and "Plastic waste" in html
    assert '<div class="n">2</div><div class="t">needs submitted</div>' in html
