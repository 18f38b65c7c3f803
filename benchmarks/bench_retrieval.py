"""Print answer latency, index load time and memory of the knowledge base.

Usage: .venv/bin/python benchmarks/bench_retrieval.py [--chunks 5000] [--rounds 3]

Two corpora: the shipped one (knowledge/corpus) and a synthetic one of about
``--chunks`` chunks made of sentences of the shipped corpus reshuffled under
made-up titles, so the vocabulary and the term statistics stay realistic.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from knowledge import build_knowledge_base
from knowledge.evaluate import load_questions, percentile
from knowledge.index import SHIPPED_CORPUS, KnowledgeIndex
from knowledge.text import split_sentences

QUESTIONS = Path(__file__).resolve().parents[1] / "knowledge" / "eval" / "questions.yaml"


def rss_mb() -> float:
    """Return the current resident set size in MB (Linux), or the peak elsewhere."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def questions() -> list[tuple[str, str]]:
    if QUESTIONS.exists():
        return [(q.question, q.language) for q in load_questions(QUESTIONS)]
    return [("where is the regional centre for the Pacific?", "en")]


def time_answers(index_dir: Path, rounds: int) -> tuple[float, float, float]:
    kb = build_knowledge_base(index_dir=index_dir, corpus_dir=None)
    asked = questions()
    kb.answer(asked[0][0], language=asked[0][1])  # warm caches (stemmers, speller)
    latencies: list[float] = []
    answered = 0
    for _ in range(rounds):
        for question, language in asked:
            started = time.perf_counter()
            answer = kb.answer(question, language=language)
            latencies.append((time.perf_counter() - started) * 1000)
            answered += answer.answered
    return percentile(latencies, 0.5), percentile(latencies, 0.95), answered / len(latencies)


def time_load(index_dir: Path, repeats: int = 5) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        KnowledgeIndex.open(index_dir, corpus_dir=None)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def synthetic_corpus(folder: Path, chunks: int, seed: int = 16) -> int:
    """Write Markdown files holding about ``chunks`` sections; return the file count."""
    rng = random.Random(seed)
    sentences = []
    for path in SHIPPED_CORPUS.rglob("*.md"):
        body = path.read_text(encoding="utf-8").split("---", 2)[-1]
        for line in body.splitlines():
            if line and not line.startswith(("#", "|", "-")):
                sentences.extend(split_sentences(line))
    sections_per_file = 10
    files = max(1, chunks // sections_per_file)
    for number in range(files):
        lines = [f"---\ntitle: Synthetic document {number}\nlanguage: en\n---\n"]
        for section in range(sections_per_file):
            lines.append(f"## Section {section} of document {number}\n")
            lines.append(" ".join(rng.sample(sentences, 6)) + "\n")
        (folder / f"doc-{number:05d}.md").write_text("\n".join(lines), encoding="utf-8")
    return files


def report(name: str, index_dir: Path, rounds: int) -> None:
    index = KnowledgeIndex.open(index_dir, corpus_dir=None)
    load = time_load(index_dir)
    p50, p95, answered = time_answers(index_dir, rounds)
    print(
        f"{name}: {len(index.documents)} documents, {len(index.chunks)} chunks | "
        f"index load {load * 1000:.0f} ms | answer p50 {p50:.2f} ms, p95 {p95:.2f} ms "
        f"({answered:.0%} answered) | RSS {rss_mb():.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"start: RSS {rss_mb():.0f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        shipped = Path(tmp) / "shipped"
        started = time.perf_counter()
        KnowledgeIndex.open(shipped)
        print(f"shipped corpus indexed from scratch in {time.perf_counter() - started:.2f} s")
        report("shipped corpus", shipped, args.rounds)

        folder = Path(tmp) / "synthetic-docs"
        folder.mkdir()
        files = synthetic_corpus(folder, args.chunks)
        synthetic = Path(tmp) / "synthetic"
        started = time.perf_counter()
        KnowledgeIndex.open(synthetic, corpus_dir=None).ingest([folder])
        print(f"synthetic corpus ({files} files) ingested in {time.perf_counter() - started:.2f} s")
        report("synthetic corpus", synthetic, args.rounds)


if __name__ == "__main__":
    main()
