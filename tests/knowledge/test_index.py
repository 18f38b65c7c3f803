from __future__ import annotations

import time
from pathlib import Path

from knowledge import Article16KnowledgeBase
from knowledge.index import KnowledgeIndex
from tests.knowledge.builders import write_markdown

CENTRE = (
    "## Where\n\nThe Caribbean regional centre is hosted in Port of Spain, Trinidad and Tobago.\n"
)


def _kb(index: KnowledgeIndex) -> Article16KnowledgeBase:
    return Article16KnowledgeBase(index)


def test_ingest_indexes_a_file_and_lists_it(empty_index: KnowledgeIndex, tmp_path: Path) -> None:
    path = write_markdown(tmp_path / "caribbean.md", title="Caribbean centre", body=CENTRE)
    report = empty_index.ingest([path])
    assert report.added == [str(path.resolve())]
    [entry] = empty_index.list()
    assert entry.title == "Caribbean centre"
    assert entry.url == "https://example.org/doc"
    assert entry.language == "en" and entry.chunk_ids


def test_reingesting_an_unchanged_file_does_nothing(
    empty_index: KnowledgeIndex, tmp_path: Path
) -> None:
    path = write_markdown(tmp_path / "caribbean.md", title="Caribbean centre", body=CENTRE)
    empty_index.ingest([path])
    version, chunks = empty_index.version, list(empty_index.chunks)
    report = empty_index.ingest([path])
    assert report.unchanged == [str(path.resolve())] and not report.changed
    assert empty_index.version == version and empty_index.chunks == chunks


def test_a_changed_file_replaces_its_chunks(empty_index: KnowledgeIndex, tmp_path: Path) -> None:
    path = write_markdown(tmp_path / "caribbean.md", title="Caribbean centre", body=CENTRE)
    empty_index.ingest([path])
    write_markdown(
        path, title="Caribbean centre",
        body="## Where\n\nThe Caribbean regional centre moved to Kingston, Jamaica.\n",
    )  # fmt: skip
    report = empty_index.ingest([path])
    assert report.updated == [str(path.resolve())]
    text = " ".join(chunk.text for chunk in empty_index.chunks)
    assert "Kingston" in text and "Port of Spain" not in text
    answer = _kb(empty_index).answer("Where is the Caribbean regional centre?")
    assert "Kingston" in answer.text


def test_a_removed_document_is_never_cited_again(
    empty_index: KnowledgeIndex, tmp_path: Path
) -> None:
    path = write_markdown(tmp_path / "caribbean.md", title="Caribbean centre", body=CENTRE)
    empty_index.ingest([path])
    kb = _kb(empty_index)
    assert kb.answer("Where is the Caribbean regional centre?").answered
    assert empty_index.remove(path)
    answer = kb.answer("Where is the Caribbean regional centre?")
    assert not answer.answered and not answer.sources
    reopened = KnowledgeIndex.open(empty_index.index_dir, corpus_dir=None)
    assert reopened.list() == [] and reopened.chunks == []
    assert not empty_index.remove(path)


def test_an_unreadable_file_is_reported_and_the_others_are_ingested(
    empty_index: KnowledgeIndex, tmp_path: Path
) -> None:
    good = write_markdown(tmp_path / "good.md", title="Good", body=CENTRE)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    missing = tmp_path / "missing.md"
    report = empty_index.ingest([bad, good, missing])
    assert report.added == [str(good.resolve())]
    failed = dict(report.failed)
    assert "cannot read PDF" in failed[str(bad)]
    assert "no such file" in failed[str(missing)]


def test_ingest_walks_directories_and_reports_progress(
    empty_index: KnowledgeIndex, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    write_markdown(folder / "a.md", title="A", body=CENTRE)
    write_markdown(folder / "sub" / "b.md", title="B", body=CENTRE)
    (folder / "ignored.bin").write_bytes(b"\0")
    seen: list[tuple[int, int]] = []
    report = empty_index.ingest(
        [folder], progress=lambda done, total, _: seen.append((done, total))
    )
    assert len(report.added) == 2
    assert seen == [(1, 2), (2, 2)]


def test_the_index_persists_and_loads_fast(empty_index: KnowledgeIndex, tmp_path: Path) -> None:
    write_markdown(tmp_path / "a.md", title="Caribbean centre", body=CENTRE)
    empty_index.ingest([tmp_path / "a.md"])
    started = time.perf_counter()
    reopened = KnowledgeIndex.open(empty_index.index_dir, corpus_dir=None)
    assert time.perf_counter() - started < 1.0
    assert [c.id for c in reopened.chunks] == [c.id for c in empty_index.chunks]
    assert _kb(reopened).answer("Where is the Caribbean regional centre?").answered


def test_shipped_corpus_is_indexed_on_first_use_and_resynced_when_it_changes(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "en").mkdir(parents=True)
    write_markdown(corpus / "en" / "a.md", title="Caribbean centre", body=CENTRE)
    index = KnowledgeIndex.open(tmp_path / "index", corpus_dir=corpus)
    assert [entry.path for entry in index.list()] == ["en/a.md"]
    assert index.list()[0].shipped

    assert not KnowledgeIndex.open(tmp_path / "index", corpus_dir=corpus).sync_shipped().changed

    write_markdown(corpus / "en" / "b.md", title="Other", body="## X\n\nWebinars in Spanish.\n")
    (corpus / "en" / "a.md").unlink()
    index = KnowledgeIndex.open(tmp_path / "index", corpus_dir=corpus)
    assert [entry.path for entry in index.list()] == ["en/b.md"]
    assert all(chunk.path == "en/b.md" for chunk in index.chunks)


def test_a_removed_shipped_document_stays_removed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "en").mkdir(parents=True)
    write_markdown(corpus / "en" / "a.md", title="Caribbean centre", body=CENTRE)
    index = KnowledgeIndex.open(tmp_path / "index", corpus_dir=corpus)
    assert index.remove("en/a.md")
    assert KnowledgeIndex.open(tmp_path / "index", corpus_dir=corpus).list() == []


def test_a_running_knowledge_base_sees_changes_made_by_another_process(tmp_path: Path) -> None:
    bot_side = KnowledgeIndex.open(tmp_path / "index", corpus_dir=None)
    kb = _kb(bot_side)
    assert not kb.answer("Where is the Caribbean regional centre?").answered

    cli_side = KnowledgeIndex.open(tmp_path / "index", corpus_dir=None)
    path = write_markdown(tmp_path / "caribbean.md", title="Caribbean centre", body=CENTRE)
    cli_side.ingest([path])
    assert "Port of Spain" in kb.answer("Where is the Caribbean regional centre?").text

    cli_side.remove(path)
    assert not kb.answer("Where is the Caribbean regional centre?").answered


def test_reload_is_skipped_when_nothing_changed(empty_index: KnowledgeIndex) -> None:
    assert not empty_index.reload_if_changed()
