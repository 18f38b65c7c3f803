"""`article16 ask`: the command-line contract for one question, or one per stdin line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def ask(tmp_path: Path, *args: str, stdin: str | None = None) -> str:
    env = {**os.environ, "ARTICLE16_INDEX_DIR": str(tmp_path / "index"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", *args],
        input=stdin, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_ask_names_the_pacific_centre_and_cites_its_source(tmp_path: Path) -> None:
    payload = json.loads(ask(tmp_path, "where is the regional centre for the Pacific?", "--json"))
    assert set(payload) == {"answer", "answered", "confidence", "sources"}
    assert payload["answered"] is True
    assert "Apia" in payload["answer"] and "Samoa" in payload["answer"]
    assert payload["sources"][0]["path"].endswith("regional-centres-asia-pacific.md")
    assert set(payload["sources"][0]) == {"title", "url", "path", "score"}


def test_ask_declines_a_recipe(tmp_path: Path) -> None:
    payload = json.loads(ask(tmp_path, "give me a recipe for paella", "--json"))
    assert payload["answered"] is False and payload["answer"] == ""


def test_ask_reads_one_question_per_line_and_answers_in_order(tmp_path: Path) -> None:
    out = ask(tmp_path, "--json", stdin="what is PACE?\n\ngive me a recipe for paella\n")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["answered"] for line in lines] == [True, False]
    assert "PACE" in lines[0]["answer"]
