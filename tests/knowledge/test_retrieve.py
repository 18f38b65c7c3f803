from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from langchain_core.documents import Document

from knowledge import Article16KnowledgeBase
from knowledge.index import KnowledgeIndex
from knowledge.retrieve import build_searcher
from tests.knowledge.builders import write_markdown


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


class BagOfWordsModel:
    """Stand in for the sentence-transformers model: hashed bag-of-words vectors."""

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: list[str], **_: object) -> np.ndarray:
        self.calls += 1
        vectors = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                vectors[row, hash(word.strip(".,?")) % 64] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


def test_hybrid_search_fuses_bm25_and_dense_rankings_and_caches_embeddings(
    empty_index: KnowledgeIndex, tmp_path: Path
) -> None:
    from knowledge.dense import DenseSearcher
    from knowledge.retrieve import FusedSearcher, LexicalSearcher

    write_markdown(tmp_path / "a.md", title="Caribbean", body="## X\n\nPort of Spain hosts it.\n")
    write_markdown(tmp_path / "b.md", title="Pacific", body="## Y\n\nApia hosts the centre.\n")
    empty_index.ingest([tmp_path / "a.md", tmp_path / "b.md"])
    model = BagOfWordsModel()
    lexical = LexicalSearcher(empty_index)
    searcher = FusedSearcher(lexical, DenseSearcher(empty_index, lexical, model=model))
    hits = searcher.search(searcher.analyze("Which centre is in Apia?"), k=2)
    assert hits[0].chunk.path.endswith("b.md")
    assert (empty_index.index_dir / "dense.npy").exists()

    again = DenseSearcher(empty_index, lexical, model=model)
    calls = model.calls
    again.search(again.analyze("Apia"), k=1)
    assert model.calls == calls + 1  # only the question was embedded; passages came from cache


def test_hybrid_factory_does_not_load_a_model_before_first_search(
    empty_index: KnowledgeIndex,
) -> None:
    searcher = build_searcher(empty_index, "hybrid")
    assert type(searcher).__name__ == "FusedSearcher"
