"""Measure retrieval and answers on an evaluation set, beside a plain BM25 baseline.

Metrics: hit@1, hit@3 and MRR (a hit is an expected document among the
documents of the retrieved chunks, in chunk order), key-fact coverage of the
answers (share of key facts found case-insensitively in the answer text),
share of out-of-scope questions declined, share of in-scope questions wrongly
declined, and answer latency p50/p95.

The baseline is langchain-community's ``BM25Retriever`` with its defaults
(whitespace tokens, BM25Okapi) over the same chunks; it never declines and
answers with the start of its best chunk.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge.answer import MAX_CHARS
from knowledge.base import SEARCH_DEPTH, Article16KnowledgeBase

#: Chunks looked at for the ranking metrics.
RANK_DEPTH = SEARCH_DEPTH


@dataclass(frozen=True, slots=True)
class EvalQuestion:
    """One question of the evaluation set."""

    id: str
    question: str
    language: str
    in_scope: bool
    expected: tuple[str, ...] = ()
    key_facts: tuple[str, ...] = ()


@dataclass(slots=True)
class QuestionResult:
    """What a system did with one question."""

    id: str
    in_scope: bool
    rank: int | None  # 1-based chunk rank of the first expected document
    answered: bool
    facts_found: int
    facts_total: int
    latency_ms: float
    confidence: float = 0.0
    answer: str = ""


@dataclass(slots=True)
class Report:
    """Metrics of one system on the evaluation set, with the per-question results."""

    name: str
    hit_at_1: float
    hit_at_3: float
    mrr: float
    key_fact_coverage: float
    out_of_scope_declined: float
    in_scope_declined: float
    latency_p50_ms: float
    latency_p95_ms: float
    in_scope_count: int
    out_of_scope_count: int
    results: list[QuestionResult] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """Return the metrics without the per-question results."""
        data = asdict(self)
        data.pop("results")
        return data


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read an evaluation YAML file (a list of question mappings)."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [
        EvalQuestion(
            id=str(entry["id"]),
            question=str(entry["question"]),
            language=str(entry.get("language", "en")),
            in_scope=bool(entry.get("in_scope", True)),
            expected=tuple(str(p) for p in entry.get("expected") or ()),
            key_facts=tuple(str(f) for f in entry.get("key_facts") or ()),
        )
        for entry in entries
    ]


def first_hit_rank(paths: Sequence[str], expected: Sequence[str]) -> int | None:
    """Return the 1-based rank of the first path in ``expected``, or None."""
    for rank, path in enumerate(paths, start=1):
        if path in expected:
            return rank
    return None


def percentile(values: Sequence[float], share: float) -> float:
    """Return the ``share`` percentile (nearest rank) of ``values``."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))
    return ordered[position]


def summarize(name: str, results: list[QuestionResult]) -> Report:
    """Compute the metrics of a list of per-question results."""
    inside = [r for r in results if r.in_scope]
    outside = [r for r in results if not r.in_scope]
    ranks = [r.rank for r in inside]
    facts_total = sum(r.facts_total for r in inside)
    latencies = [r.latency_ms for r in results]

    def share(count: int, total: int) -> float:
        return round(count / total, 4) if total else 0.0

    return Report(
        name=name,
        hit_at_1=share(sum(1 for rank in ranks if rank == 1), len(inside)),
        hit_at_3=share(sum(1 for rank in ranks if rank is not None and rank <= 3), len(inside)),
        mrr=round(statistics.fmean(1 / rank if rank else 0.0 for rank in ranks), 4)
        if ranks
        else 0.0,
        key_fact_coverage=share(sum(r.facts_found for r in inside), facts_total),
        out_of_scope_declined=share(sum(1 for r in outside if not r.answered), len(outside)),
        in_scope_declined=share(sum(1 for r in inside if not r.answered), len(inside)),
        latency_p50_ms=round(percentile(latencies, 0.5), 2),
        latency_p95_ms=round(percentile(latencies, 0.95), 2),
        in_scope_count=len(inside),
        out_of_scope_count=len(outside),
        results=results,
    )


def _facts_found(text: str, facts: Sequence[str]) -> int:
    folded = text.casefold()
    return sum(1 for fact in facts if fact.casefold() in folded)


def evaluate_knowledge_base(
    kb: Article16KnowledgeBase, questions: Sequence[EvalQuestion], *, name: str = "article16"
) -> Report:
    """Run every question through ``kb`` and measure retrieval and answers."""
    results: list[QuestionResult] = []
    for item in questions:
        started = time.perf_counter()
        answer = kb.answer(item.question, language=item.language)
        latency = (time.perf_counter() - started) * 1000
        _, hits = kb.search(item.question, language=item.language)
        paths = [hit.chunk.path for hit in hits[:RANK_DEPTH]]
        text = answer.text if answer.answered else ""
        results.append(
            QuestionResult(
                id=item.id,
                in_scope=item.in_scope,
                rank=first_hit_rank(paths, item.expected) if item.in_scope else None,
                answered=answer.answered,
                facts_found=_facts_found(text, item.key_facts),
                facts_total=len(item.key_facts),
                latency_ms=latency,
                confidence=answer.confidence,
                answer=text,
            )
        )
    return summarize(name, results)


def evaluate_baseline(kb: Article16KnowledgeBase, questions: Sequence[EvalQuestion]) -> Report:
    """Measure langchain-community's default ``BM25Retriever`` over the same chunks."""
    from langchain_community.retrievers import BM25Retriever
    from langchain_core.documents import Document

    documents = [
        Document(page_content=f"{c.title}\n{c.section}\n{c.text}", metadata={"path": c.path})
        for c in kb.index.chunks
    ]
    retriever = BM25Retriever.from_documents(documents)
    retriever.k = RANK_DEPTH  # only deeper, so MRR and hit@3 are comparable
    results: list[QuestionResult] = []
    for item in questions:
        started = time.perf_counter()
        found = retriever.invoke(item.question)
        text = found[0].page_content[:MAX_CHARS] if found else ""
        latency = (time.perf_counter() - started) * 1000
        paths = [str(document.metadata["path"]) for document in found]
        results.append(
            QuestionResult(
                id=item.id,
                in_scope=item.in_scope,
                rank=first_hit_rank(paths, item.expected) if item.in_scope else None,
                answered=bool(text),
                facts_found=_facts_found(text, item.key_facts),
                facts_total=len(item.key_facts),
                latency_ms=latency,
                answer=text,
            )
        )
    return summarize("baseline: langchain BM25Retriever", results)


def run_evaluation(
    kb: Article16KnowledgeBase,
    path: Path,
    *,
    baseline: bool = True,
    extra: dict[str, Callable[[], Article16KnowledgeBase]] | None = None,
) -> list[Report]:
    """Evaluate ``kb`` (and the baseline, and any extra knowledge bases) on ``path``."""
    questions = load_questions(path)
    reports = [evaluate_knowledge_base(kb, questions)]
    for name, factory in (extra or {}).items():
        reports.append(evaluate_knowledge_base(factory(), questions, name=name))
    if baseline:
        reports.append(evaluate_baseline(kb, questions))
    return reports
