from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from knowledge.cli import kb_app
from tests.knowledge.builders import write_markdown

runner = CliRunner()
BODY = "## Where\n\nThe Caribbean regional centre is hosted in Port of Spain.\n"


def test_ingest_reports_unreadable_files_and_exits_1_after_ingesting_the_rest(
    tmp_path: Path,
) -> None:
    good = write_markdown(tmp_path / "good.md", title="Caribbean centre", body=BODY)
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a docx")
    index_dir = tmp_path / "index"
    result = runner.invoke(kb_app, ["--index-dir", str(index_dir), "ingest", str(good), str(bad)])
    assert result.exit_code == 1
    assert "added" in result.output and "good.md" in result.output
    assert "cannot read DOCX" in result.output

    listed = runner.invoke(kb_app, ["--index-dir", str(index_dir), "list"])
    assert listed.exit_code == 0
    assert "Caribbean centre" in listed.output
    documents = int(listed.output.strip().splitlines()[-1].split()[0])
    assert documents > 1  # the shipped corpus is there too


def test_ingest_again_is_a_no_op_and_remove_drops_the_document(tmp_path: Path) -> None:
    good = write_markdown(tmp_path / "good.md", title="Caribbean centre", body=BODY)
    args = ["--index-dir", str(tmp_path / "index")]
    assert runner.invoke(kb_app, [*args, "ingest", str(good)]).exit_code == 0
    again = runner.invoke(kb_app, [*args, "ingest", str(good)])
    assert again.exit_code == 0 and "1 unchanged" in again.output

    removed = runner.invoke(kb_app, [*args, "remove", str(good)])
    assert removed.exit_code == 0
    assert "Caribbean centre" not in runner.invoke(kb_app, [*args, "list"]).output
    assert runner.invoke(kb_app, [*args, "remove", str(good)]).exit_code == 1


def test_index_dir_defaults_to_the_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARTICLE16_INDEX_DIR", str(tmp_path / "from-env"))
    good = write_markdown(tmp_path / "good.md", title="Caribbean centre", body=BODY)
    assert runner.invoke(kb_app, ["ingest", str(good)]).exit_code == 0
    assert (tmp_path / "from-env" / "manifest.json").exists()


def test_eval_prints_json_metrics_for_default_and_baseline(tmp_path: Path) -> None:
    questions = tmp_path / "questions.yaml"
    questions.write_text(
        """
- id: q1
  question: "where is the regional centre for the Pacific?"
  language: en
  in_scope: true
  expected: [en/regional-centres-asia-pacific.md]
  key_facts: ["Apia"]
- id: q2
  question: "give me a recipe for paella"
  language: en
  in_scope: false
""",
        encoding="utf-8",
    )
    result = runner.invoke(
        kb_app, ["--index-dir", str(tmp_path / "index"), "eval", str(questions), "--json"]
    )
    assert result.exit_code == 0, result.output
    reports = json.loads(result.output)
    assert [report["name"] for report in reports] == [
        "article16",
        "baseline: langchain BM25Retriever",
    ]
    ours = reports[0]
    assert ours["hit_at_1"] == 1.0 and ours["key_fact_coverage"] == 1.0
    assert ours["out_of_scope_declined"] == 1.0 and ours["in_scope_declined"] == 0.0
    assert reports[1]["out_of_scope_declined"] == 0.0
