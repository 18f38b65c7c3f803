from __future__ import annotations

import pytest
from langchain_core.documents import Document

from knowledge import Article16KnowledgeBase
from knowledge.index import KnowledgeIndex
from knowledge.retrieve import build_searcher


def test_retriever_returns_documents_with_citation_metadata(
    shipped_kb: Article16KnowledgeBase,
) -> None:
    documents = shipped_kb.retriever(k=3).invoke("regional centre for the Pacific")
    assert 1 <= len(documents) <= 3
    assert all(isinstance(document, Document) for document in documents)
    first = documents[0]
    assert set(first.metadata) >= {"title", "url", "path", "section", "score"}
    assert first.metadata["path"].startswith("en/regional-centres")
    scores = [document.metadata["score"] for document in documents]
    assert scores == sorted(scores, reverse=True)


def test_retriever_prefers_the_question_language(shipped_kb: Article16KnowledgeBase) -> None:
    documents = shipped_kb.retriever(k=1).invoke("centres régionaux de Bâle en Afrique")
    assert documents[0].metadata["path"].startswith("fr/")


def test_empty_index_retrieves_nothing(empty_index: KnowledgeIndex) -> None:
    kb = Article16KnowledgeBase(empty_index)
    assert kb.retriever().invoke("anything at all") == []
    assert not kb.answer("Where is the regional centre?").answered


def test_unknown_retriever_kind_is_rejected(empty_index: KnowledgeIndex) -> None:
    with pytest.raises(ValueError, match="unknown retriever"):
        build_searcher(empty_index, "magic")
