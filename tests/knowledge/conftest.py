"""Fixtures for knowledge-base tests: an empty corpus, a shipped-corpus knowledge base."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import Article16KnowledgeBase, build_knowledge_base
from knowledge.index import KnowledgeIndex


@pytest.fixture
def empty_index(tmp_path: Path) -> KnowledgeIndex:
    """Return an index with no shipped corpus, in a fresh directory."""
    return KnowledgeIndex.open(tmp_path / "index", corpus_dir=None)


@pytest.fixture(scope="session")
def shipped_kb(tmp_path_factory: pytest.TempPathFactory) -> Article16KnowledgeBase:
    """Return a knowledge base over the shipped corpus (built once per session)."""
    return build_knowledge_base(index_dir=tmp_path_factory.mktemp("shipped") / "index")
