"""Find the chunks that answer a question: BM25 over analyzed terms, optionally fused with dense.

:class:`LexicalSearcher` is the default. :func:`build_searcher` picks a
searcher by name with a ``match`` and imports optional engines lazily, so the
``embeddings`` extra stays optional. :class:`KnowledgeRetriever` exposes any
searcher as a langchain-core retriever.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from knowledge.index import KnowledgeIndex
from knowledge.model import Chunk
from knowledge.text import Language, analyzer_for, as_language, detect_language, unique
from knowledge.typos import Speller

#: Score multiplier for chunks in another language than the question.
OTHER_LANGUAGE_WEIGHT = 0.8
_RRF_K = 60


@dataclass(frozen=True, slots=True)
class Query:
    """A question analyzed for search."""

    text: str
    language: Language
    terms: tuple[str, ...]
    unknown: tuple[str, ...] = ()
    corrected: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Hit:
    """One retrieved chunk and its score (higher is better)."""

    chunk: Chunk
    score: float


class Searcher(Protocol):
    """Return the best chunks for a question."""

    index: KnowledgeIndex

    def analyze(self, question: str, *, language: str | None = None, detect: bool = True) -> Query:
        """Analyze ``question`` into search terms (in ``language`` as is if not ``detect``)."""
        ...

    def search(self, query: Query, *, k: int = 8) -> list[Hit]:
        """Return up to ``k`` hits, best first."""
        ...


class LexicalSearcher:
    """Score chunks with BM25 over stemmed, concept-expanded, typo-corrected terms."""

    def __init__(self, index: KnowledgeIndex) -> None:
        self.index = index
        self._version = -1
        self._spellers: dict[str, Speller] = {}
        self._weights: dict[str, np.ndarray] = {}

    def analyze(self, question: str, *, language: str | None = None, detect: bool = True) -> Query:
        """Analyze ``question``; unknown words of 5+ letters snap to a close indexed term.

        The question's language is detected (``language`` is the fallback)
        unless ``detect`` is False, which analyzes it as ``language``.
        """
        self._refresh()
        lang = as_language(language)
        if detect:
            lang = detect_language(question, default=lang)
        analyzer = analyzer_for(lang)
        speller = self._speller(lang)
        stems: list[str] = []
        unknown: list[str] = []
        corrected: dict[str, str] = {}
        for word in analyzer.content_words(question):
            stem = analyzer.stem_word(word)
            if stem in speller or stem in self.index.doc_freq or word.isdigit():
                stems.append(stem)
                continue
            fixed = speller.correct(stem, word_length=len(word))
            if fixed is None:
                unknown.append(word)
                stems.append(stem)
            else:
                corrected[word] = fixed
                stems.append(fixed)
        # An acronym the corpus never spells out ("bot") is carried by its concept
        # term alone, so it does not count against confidence as an unknown word.
        kept = [
            stem for stem in stems
            if stem in self.index.doc_freq or not analyzer.concepts([stem])
        ]  # fmt: skip
        terms = unique([*kept, *analyzer.concepts(stems)])
        return Query(question, lang, tuple(terms), tuple(unknown), corrected)

    def search(self, query: Query, *, k: int = 8) -> list[Hit]:
        """Return up to ``k`` chunks by BM25 score, preferring the question's language."""
        self._refresh()
        bm25 = self.index.bm25
        if bm25 is None:
            return []
        ids = bm25.get_tokens_ids(list(query.terms))
        if not ids:
            return []
        scores = bm25.get_scores(ids) * self._language_weights(query.language)
        return top_hits(self.index.chunks, scores, k)

    def _speller(self, language: str) -> Speller:
        """Return the speller of ``language``; typos are fixed only against that language."""
        speller = self._spellers.get(language)
        if speller is None:
            speller = Speller(self.index.vocabulary.get(language, ()))
            self._spellers[language] = speller
        return speller

    def _refresh(self) -> None:
        if self._version == self.index.version:
            return
        self._spellers = {}
        self._weights = {}
        self._version = self.index.version

    def _language_weights(self, language: str) -> np.ndarray:
        weights = self._weights.get(language)
        if weights is None:
            weights = np.array(
                [
                    1.0 if c.language == language else OTHER_LANGUAGE_WEIGHT
                    for c in self.index.chunks
                ],
                dtype=np.float32,
            )
            self._weights[language] = weights
        return weights


def top_hits(chunks: list[Chunk], scores: np.ndarray, k: int) -> list[Hit]:
    """Return the ``k`` best-scoring chunks with a positive score, best first."""
    if len(chunks) == 0:
        return []
    count = min(k, len(chunks))
    best = np.argpartition(-scores, count - 1)[:count]
    ordered = best[np.argsort(-scores[best], kind="stable")]
    return [Hit(chunks[int(i)], float(scores[int(i)])) for i in ordered if scores[int(i)] > 0]


class FusedSearcher:
    """Fuse the rankings of several searchers by reciprocal rank fusion."""

    def __init__(self, primary: Searcher, *others: Searcher) -> None:
        self.index = primary.index
        self._primary = primary
        self._all = (primary, *others)

    def analyze(self, question: str, *, language: str | None = None, detect: bool = True) -> Query:
        """Analyze with the primary searcher (its terms drive confidence)."""
        return self._primary.analyze(question, language=language, detect=detect)

    def search(self, query: Query, *, k: int = 8) -> list[Hit]:
        """Return up to ``k`` hits ranked by the sum of 1 / (60 + rank) over searchers."""
        fused: dict[str, float] = {}
        chunks: dict[str, Chunk] = {}
        for searcher in self._all:
            for rank, hit in enumerate(searcher.search(query, k=max(k, 20))):
                fused[hit.chunk.id] = fused.get(hit.chunk.id, 0.0) + 1.0 / (_RRF_K + rank + 1)
                chunks[hit.chunk.id] = hit.chunk
        ranked = sorted(fused, key=lambda chunk_id: -fused[chunk_id])[:k]
        return [Hit(chunks[chunk_id], fused[chunk_id]) for chunk_id in ranked]


def build_searcher(index: KnowledgeIndex, kind: str = "bm25") -> Searcher:
    """Return the searcher named ``kind``: ``bm25`` (default) or ``hybrid`` (BM25 + dense)."""
    match kind:
        case "bm25" | "":
            return LexicalSearcher(index)
        case "hybrid":
            from knowledge.dense import DenseSearcher

            lexical = LexicalSearcher(index)
            return FusedSearcher(lexical, DenseSearcher(index, lexical))
        case "dense":
            from knowledge.dense import DenseSearcher

            dense: Searcher = DenseSearcher(index, LexicalSearcher(index))
            return dense
        case _:
            raise ValueError(f"unknown retriever {kind!r}; use bm25, hybrid or dense")


def to_document(hit: Hit) -> Document:
    """Return a langchain ``Document`` for a hit, with title/url/path/section/score metadata."""
    chunk = hit.chunk
    return Document(
        page_content=chunk.text,
        id=chunk.id,
        metadata={
            "title": chunk.title,
            "url": chunk.url,
            "path": chunk.path,
            "section": chunk.section,
            "score": hit.score,
            "language": chunk.language,
        },
    )


class KnowledgeRetriever(BaseRetriever):
    """Expose a searcher over the knowledge index as a langchain-core retriever."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any
    k: int = 4
    language: str | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        analyzed = self.searcher.analyze(query, language=self.language)
        return [to_document(hit) for hit in self.searcher.search(analyzed, k=self.k)]
