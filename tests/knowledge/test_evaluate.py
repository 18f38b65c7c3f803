from __future__ import annotations

from knowledge.evaluate import QuestionResult, first_hit_rank, percentile, summarize


def _result(rank: int | None, *, in_scope: bool = True, answered: bool = True,
            found: int = 1, total: int = 1, latency: float = 1.0) -> QuestionResult:  # fmt: skip
    return QuestionResult(
        id="q", in_scope=in_scope, rank=rank, answered=answered,
        facts_found=found, facts_total=total, latency_ms=latency,
    )  # fmt: skip


def test_first_hit_rank_is_one_based_and_none_when_missing() -> None:
    assert first_hit_rank(["a", "b", "c"], ["c", "b"]) == 2
    assert first_hit_rank(["a"], ["z"]) is None


def test_summarize_computes_hits_mrr_facts_and_declines() -> None:
    report = summarize("x", [
        _result(1, found=2, total=2),
        _result(3, found=0, total=1),
        _result(None, answered=False, found=0, total=1),
        _result(None, in_scope=False, answered=False),
        _result(None, in_scope=False, answered=True),
    ])  # fmt: skip
    assert report.hit_at_1 == round(1 / 3, 4)
    assert report.hit_at_3 == round(2 / 3, 4)
    assert report.mrr == round((1 + 1 / 3 + 0) / 3, 4)
    assert report.key_fact_coverage == 0.5
    assert report.out_of_scope_declined == 0.5
    assert report.in_scope_declined == round(1 / 3, 4)


def test_percentile_uses_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile([], 0.5) == 0.0
