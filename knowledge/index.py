"""Keep a persisted, incrementally updated index of documents in a directory.

Layout of ``index_dir``::

    manifest.json   document key -> hash, title, url, language, date, chunk ids
    chunks.json     the chunks, in BM25 document order
    terms.json      the analyzed terms of each chunk (read only to rebuild)
    stats.json      document frequency of every term (confidence, sentence scoring)
    bm25/           the bm25s index

A document's key is its path relative to the shipped corpus for shipped
files (``en/regional-centres.md``) and its absolute path otherwise. The
shipped corpus is indexed on first use and re-synced whenever its files
change; a cheap size/mtime check decides whether hashing is needed at all.
"""

from __future__ import annotations

import builtins
import hashlib
import inspect
import json
import logging
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import bm25s

from bot.errors import IngestError
from knowledge.ingest import SUPPORTED_SUFFIXES, expand_paths, load_chunks
from knowledge.model import Chunk
from knowledge.text import analyzer_for

logger = logging.getLogger(__name__)
SHIPPED_CORPUS = Path(__file__).resolve().parent / "corpus"
DEFAULT_INDEX_DIR = Path(".article16-index")
#: Bump when chunking or the stored layout changes: every file is then read again.
_FORMAT = 4


@lru_cache(maxsize=1)
def _analysis_fingerprint() -> str:
    """Hash the code that turns text into terms, so a stale index is re-analyzed on load."""
    digest = hashlib.sha1(str(_FORMAT).encode(), usedforsecurity=False)
    package = Path(__file__).resolve().parent
    for name in ("text.py", "lexicon.py", "stopwords.py"):
        digest.update((package / name).read_bytes())
    digest.update(inspect.getsource(analyze).encode())
    return digest.hexdigest()[:16]


#: ``progress(done, total, path)`` is called after each file.
Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class DocumentEntry:
    """What the manifest records about one indexed document."""

    path: str
    source: str
    hash: str
    title: str
    url: str
    language: str
    date: str
    chunk_ids: list[str]
    shipped: bool = False
    size: int = 0
    mtime_ns: int = 0


@dataclass(slots=True)
class IngestReport:
    """What one ingestion did, file by file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Tell whether the index content changed."""
        return bool(self.added or self.updated)


def file_hash(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def analyze(chunk: Chunk) -> list[str]:
    """Return the index terms of one chunk: its title, section (counted twice) and text.

    Section headings say what a passage answers, and they tell apart the
    passages of one document, which all share its title.
    """
    analyzer = analyzer_for(chunk.language)
    section = analyzer.terms(chunk.section)
    return analyzer.terms(chunk.title) + section + section + analyzer.terms(chunk.text)


class KnowledgeIndex:
    """Store chunks and their BM25 index in ``index_dir``; add, replace and remove documents."""

    def __init__(self, index_dir: Path, *, corpus_dir: Path | None = SHIPPED_CORPUS) -> None:
        self.index_dir = Path(index_dir)
        self.corpus_dir = corpus_dir.resolve() if corpus_dir else None
        self.documents: dict[str, DocumentEntry] = {}
        self.removed: set[str] = set()
        self.chunks: builtins.list[Chunk] = []
        self.doc_freq: dict[str, int] = {}
        self.vocabulary: dict[str, builtins.list[str]] = {}
        self.bm25: bm25s.BM25 | None = None
        self._terms: builtins.list[builtins.list[str]] | None = None
        self._manifest_stamp: tuple[int, int, int] | None = None
        self.version = 0

    @classmethod
    def open(
        cls,
        index_dir: str | Path = DEFAULT_INDEX_DIR,
        *,
        corpus_dir: Path | None = SHIPPED_CORPUS,
        progress: Progress | None = None,
    ) -> KnowledgeIndex:
        """Load the index in ``index_dir`` (creating it) and sync the shipped corpus."""
        index = cls(Path(index_dir), corpus_dir=corpus_dir)
        index._load()
        index.sync_shipped(progress=progress)
        return index

    def reload_if_changed(self) -> bool:
        """Reload from disk if another process (``kb ingest``, ``kb remove``) changed the index.

        One ``stat`` of the manifest per call, so a running bot can check before
        every question and never cite a document removed from the command line.
        """
        try:
            stamp: tuple[int, int, int] | None = _stamp(self.index_dir / "manifest.json")
        except FileNotFoundError:
            stamp = None
        if stamp == self._manifest_stamp:
            return False
        self.documents, self.removed, self.chunks = {}, set(), []
        self.doc_freq, self.vocabulary, self.bm25, self._terms = {}, {}, None, None
        self._load()
        self.version += 1
        return True

    def list(self) -> builtins.list[DocumentEntry]:
        """Return the indexed documents sorted by key."""
        return [self.documents[key] for key in sorted(self.documents)]

    def key_for(self, path: str | Path) -> str:
        """Return the document key of a file path (or of a key given as is)."""
        text = str(path)
        if text in self.documents:
            return text
        resolved = Path(path).expanduser().resolve()
        if self.corpus_dir and resolved.is_relative_to(self.corpus_dir):
            return resolved.relative_to(self.corpus_dir).as_posix()
        return str(resolved)

    def ingest(
        self, paths: Iterable[str | Path], *, progress: Progress | None = None
    ) -> IngestReport:
        """Index ``paths`` (files or directories); unchanged files are left alone."""
        files = list(expand_paths(Path(path) for path in paths))
        report = IngestReport()
        for done, path in enumerate(files, start=1):
            key = self.key_for(path)
            try:
                self._ingest_file(path, key, report)
            except IngestError as exc:
                report.failed.append((str(path), str(exc)))
            except OSError as exc:
                report.failed.append((str(path), f"{path}: {exc.strerror or exc}"))
            if progress:
                progress(done, len(files), str(path))
        if report.changed:
            self._rebuild()
        return report

    def remove(self, path: str | Path) -> bool:
        """Drop a document and its chunks so it is never cited again; tell if it existed."""
        key = self.key_for(path)
        entry = self.documents.pop(key, None)
        if entry is None:
            return False
        if entry.shipped:
            self.removed.add(key)  # stays out until someone ingests it again
        self._drop_chunks({key})
        self._rebuild()
        return True

    def sync_shipped(self, *, progress: Progress | None = None) -> IngestReport:
        """Index new or changed shipped documents and drop the ones that disappeared."""
        report = IngestReport()
        if not self.corpus_dir or not self.corpus_dir.is_dir():
            return report
        files = sorted(
            path
            for path in self.corpus_dir.rglob("*")
            if path.suffix.lower() in SUPPORTED_SUFFIXES and path.is_file()
        )
        keys = {path.relative_to(self.corpus_dir).as_posix(): path for path in files}
        stale = [key for key, entry in self.documents.items() if entry.shipped and key not in keys]
        for key in stale:
            del self.documents[key]
        self._drop_chunks(set(stale))
        todo = [
            (key, path)
            for key, path in keys.items()
            if key not in self.removed and self._stat_changed(key, path)
        ]
        for done, (key, path) in enumerate(todo, start=1):
            try:
                self._ingest_file(path, key, report, shipped=True)
            except IngestError as exc:
                logger.warning("shipped document skipped: %s", exc)
                report.failed.append((str(path), str(exc)))
            if progress:
                progress(done, len(todo), str(path))
        if report.changed or stale:
            self._rebuild()
        elif todo:
            self._save_manifest()  # only mtimes moved; remember them
        return report

    def _stat_changed(self, key: str, path: Path) -> bool:
        entry = self.documents.get(key)
        if entry is None:
            return True
        stat = path.stat()
        return (entry.size, entry.mtime_ns) != (stat.st_size, stat.st_mtime_ns)

    def _ingest_file(
        self, path: Path, key: str, report: IngestReport, *, shipped: bool = False
    ) -> None:
        if not path.is_file():
            raise IngestError(f"{path}: no such file")
        digest = file_hash(path)
        stat = path.stat()
        entry = self.documents.get(key)
        if entry is not None and entry.hash == digest:
            entry.size, entry.mtime_ns = stat.st_size, stat.st_mtime_ns
            report.unchanged.append(key)
            return
        document, chunks = load_chunks(path, key=key)
        self._drop_chunks({key})
        terms = self._all_terms()
        self.chunks.extend(chunks)
        terms.extend(analyze(chunk) for chunk in chunks)
        self.removed.discard(key)
        self.documents[key] = DocumentEntry(
            path=key,
            source=str(path.resolve()),
            hash=digest,
            title=document.title,
            url=document.url,
            language=chunks[0].language if chunks else document.language,
            date=document.date,
            chunk_ids=[chunk.id for chunk in chunks],
            shipped=shipped or entry is not None and entry.shipped,
            size=stat.st_size,
            mtime_ns=stat.st_mtime_ns,
        )
        (report.updated if entry is not None else report.added).append(key)

    def _drop_chunks(self, keys: set[str]) -> None:
        if not keys:
            return
        terms = self._all_terms()
        kept = [i for i, chunk in enumerate(self.chunks) if chunk.path not in keys]
        self.chunks = [self.chunks[i] for i in kept]
        self._terms = [terms[i] for i in kept]

    def _all_terms(self) -> builtins.list[builtins.list[str]]:
        if self._terms is None:
            path = self.index_dir / "terms.json"
            self._terms = json.loads(path.read_text()) if path.exists() else []
            if len(self._terms) != len(self.chunks):
                self._terms = [analyze(chunk) for chunk in self.chunks]
        return self._terms

    def _rebuild(self) -> None:
        terms = self._all_terms()
        self.doc_freq = dict(Counter(term for chunk_terms in terms for term in set(chunk_terms)))
        by_language: dict[str, set[str]] = {}
        for chunk, chunk_terms in zip(self.chunks, terms, strict=True):
            by_language.setdefault(chunk.language, set()).update(chunk_terms)
        self.vocabulary = {language: sorted(vocab) for language, vocab in by_language.items()}
        self.bm25 = None
        if self.chunks:
            self.bm25 = bm25s.BM25()
            self.bm25.index(terms, show_progress=False)
        self.version += 1
        self._save()

    def _save(self) -> None:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        _write_json(self.index_dir / "chunks.json", [chunk.to_json() for chunk in self.chunks])
        _write_json(self.index_dir / "terms.json", self._all_terms())
        stats = {"doc_freq": self.doc_freq, "vocabulary": self.vocabulary}
        _write_json(self.index_dir / "stats.json", stats)
        target = self.index_dir / "bm25"
        staging = self.index_dir / "bm25.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        if self.bm25 is not None:
            self.bm25.save(str(staging), show_progress=False)
            shutil.rmtree(target, ignore_errors=True)
            staging.rename(target)
        else:
            shutil.rmtree(target, ignore_errors=True)
        self._save_manifest()

    def _save_manifest(self) -> None:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        manifest = {
            "format": _FORMAT,
            "analyzer": _analysis_fingerprint(),
            "documents": {key: asdict(entry) for key, entry in sorted(self.documents.items())},
            "removed": sorted(self.removed),
            "chunk_count": len(self.chunks),
        }
        _write_json(self.index_dir / "manifest.json", manifest)
        self._manifest_stamp = _stamp(self.index_dir / "manifest.json")

    def _load(self) -> None:
        manifest_path = self.index_dir / "manifest.json"
        if not manifest_path.exists():
            return
        self._manifest_stamp = _stamp(manifest_path)
        manifest: dict[str, Any] = json.loads(manifest_path.read_text())
        if manifest.get("format") != _FORMAT:
            self._reread(manifest)
            return
        self.documents = {
            key: DocumentEntry(**entry) for key, entry in manifest.get("documents", {}).items()
        }
        self.removed = set(manifest.get("removed", []))
        chunks = json.loads((self.index_dir / "chunks.json").read_text())
        self.chunks = [Chunk.from_json(item) for item in chunks]
        bm25_dir = self.index_dir / "bm25"
        consistent = manifest.get("chunk_count") == len(self.chunks)
        if manifest.get("analyzer") != _analysis_fingerprint() or not consistent:
            self._terms = [analyze(chunk) for chunk in self.chunks]
            self._rebuild()
            return
        stats = json.loads((self.index_dir / "stats.json").read_text())
        self.doc_freq = {str(k): int(v) for k, v in stats["doc_freq"].items()}
        self.vocabulary = {str(k): list(v) for k, v in stats["vocabulary"].items()}
        if self.chunks and bm25_dir.is_dir():
            self.bm25 = bm25s.BM25.load(str(bm25_dir), show_progress=False, verbosity=0)
        self.version += 1

    def _reread(self, manifest: dict[str, Any]) -> None:
        """Index again, from their files, the documents an older index layout held."""
        entries = manifest.get("documents", {}).values()
        sources = [
            Path(entry["source"])
            for entry in entries
            if not entry.get("shipped") and Path(entry["source"]).is_file()
        ]
        self.removed = set(manifest.get("removed", []))
        if sources:
            self.ingest(sources)


def _stamp(path: Path) -> tuple[int, int, int]:
    """Identify one version of a file: a replaced file has a new inode even within one tick."""
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def _write_json(path: Path, data: object) -> None:
    staging = path.with_suffix(path.suffix + ".tmp")
    staging.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    os.replace(staging, path)
