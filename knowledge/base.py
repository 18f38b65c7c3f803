"""Answer questions from the index: retrieve, judge confidence, compose, cite."""

from __future__ import annotations

from collections.abc import Sequence

from bot.ports import Answer, Source
from knowledge.answer import Composition, ExtractiveComposer
from knowledge.index import KnowledgeIndex
from knowledge.llm import LLMAnswerer
from knowledge.related import related_questions
from knowledge.retrieve import Hit, KnowledgeRetriever, Query, Searcher, build_searcher
from knowledge.scope import confidence, off_topic
from knowledge.text import as_language, detect_language

#: Chosen on knowledge/eval/questions.yaml (see ``kb eval``): below it, decline.
DEFAULT_THRESHOLD = 0.42
#: Passages considered for the answer and for related questions.
SEARCH_DEPTH = 8
#: A passage in the question's language is preferred unless it is much weaker than this share.
_SAME_LANGUAGE_SHARE = 0.5


def _declined(language: str, score: float, reason: str) -> Answer:
    return Answer(
        text="",
        answered=False,
        confidence=score,
        language=language,
        extra={"reason": reason},
    )


class Article16KnowledgeBase:
    """Implement :class:`bot.ports.KnowledgeBase` over a :class:`KnowledgeIndex`."""

    def __init__(
        self,
        index: KnowledgeIndex,
        *,
        searcher: Searcher | None = None,
        llm: LLMAnswerer | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.index = index
        self.searcher = searcher or build_searcher(index)
        self.composer = ExtractiveComposer(index)
        self.llm = llm
        self.threshold = threshold

    def retriever(self, *, k: int = 4, language: str | None = None) -> KnowledgeRetriever:
        """Return a langchain retriever over this knowledge base."""
        return KnowledgeRetriever(searcher=self.searcher, k=k, language=language)

    def search(self, question: str, *, language: str = "en") -> tuple[Query, list[Hit]]:
        """Analyze ``question`` and return it with its best passages."""
        self.index.reload_if_changed()
        query = self.searcher.analyze(question, language=language)
        return query, self.searcher.search(query, k=SEARCH_DEPTH)

    def answer(self, question: str, *, language: str = "en") -> Answer:
        """Answer ``question`` from the passages, or decline (out of scope, low confidence)."""
        asked_in = detect_language(question, default=as_language(language))
        query, hits = self.search(question, language=asked_in)
        if off_topic(query):
            return _declined(asked_in, 0.0, "out_of_scope")
        score = confidence(query, hits, self.index)
        if score < self.threshold:
            return _declined(asked_in, score, "low_confidence")
        passages = _prefer_language(hits, query.language)
        composition: Composition | None
        if self.llm is not None:
            composition = self.llm.compose(question, language=asked_in, hits=passages)
            if composition is None:
                return _declined(asked_in, score, "llm_refused")
        else:
            composition = self.composer.compose(query, passages)
        return Answer(
            text=composition.text,
            answered=bool(composition.text),
            confidence=score,
            sources=_sources(composition.cited, by_score=self.llm is None),
            related=related_questions(hits, cited=composition.cited, language=asked_in),
            language=asked_in,
            extra=_passage_language(composition, asked_in),
        )


def _passage_language(composition: Composition, language: str) -> dict[str, str]:
    """Say when an extractive answer quotes passages in another language than asked."""
    languages = {hit.chunk.language for hit in composition.cited}
    if not languages or languages == {language}:
        return {}
    return {"passage_language": ",".join(sorted(languages))}


def _prefer_language(hits: Sequence[Hit], language: str) -> list[Hit]:
    """Put passages in the question's language first unless they are much weaker."""
    if not hits:
        return []
    same = [hit for hit in hits if hit.chunk.language == language]
    if same and same[0].score >= _SAME_LANGUAGE_SHARE * hits[0].score:
        return same + [hit for hit in hits if hit.chunk.language != language]
    return list(hits)


def _sources(hits: Sequence[Hit], *, by_score: bool) -> tuple[Source, ...]:
    """Return one source per cited document, best score first or in citation order.

    An LLM answer numbers its citations in the order of ``hits``, so that order stays.
    """
    best: dict[str, Hit] = {}
    for hit in hits:
        current = best.get(hit.chunk.path)
        if current is None or hit.score > current.score:
            best[hit.chunk.path] = hit
    ordered = list(best.values())
    if by_score:
        ordered.sort(key=lambda hit: -hit.score)
    return tuple(
        Source(
            title=hit.chunk.title, url=hit.chunk.url, path=hit.chunk.path, score=round(hit.score, 4)
        )
        for hit in ordered
    )
