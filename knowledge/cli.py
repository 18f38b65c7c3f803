"""Manage and evaluate the knowledge base from the command line (``article16 kb``)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from knowledge.index import DEFAULT_INDEX_DIR, KnowledgeIndex

kb_app = typer.Typer(help="Manage and evaluate the knowledge base.", no_args_is_help=True)
console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)


@dataclass(frozen=True, slots=True)
class KbSettings:
    """Settings every ``kb`` command shares."""

    index_dir: Path


def _default_index_dir() -> Path:
    return Path(os.environ.get("ARTICLE16_INDEX_DIR") or DEFAULT_INDEX_DIR)


@kb_app.callback()
def kb_settings(
    ctx: typer.Context,
    index_dir: Annotated[
        Path | None,
        typer.Option(
            "--index-dir",
            help="Index directory; defaults to $ARTICLE16_INDEX_DIR, else ./.article16-index.",
        ),
    ] = None,
) -> None:
    """Choose the index directory for the sub-command."""
    ctx.obj = KbSettings(index_dir=index_dir or _default_index_dir())


def _settings(ctx: typer.Context) -> KbSettings:
    if isinstance(ctx.obj, KbSettings):
        return ctx.obj
    return KbSettings(index_dir=_default_index_dir())


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[path]}", style="dim"),
        console=errors,
        transient=True,
    )


def _open_index(settings: KbSettings) -> KnowledgeIndex:
    with _progress() as progress:
        task = progress.add_task("Shipped corpus", total=None, path="")

        def report(done: int, total: int, path: str) -> None:
            progress.update(task, completed=done, total=total, path=Path(path).name)

        return KnowledgeIndex.open(settings.index_dir, progress=report)


@kb_app.command("ingest")
def ingest_command(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or directories to index.")],
) -> None:
    """Index files (Markdown, text, HTML, PDF, DOCX); unchanged files are skipped."""
    index = _open_index(_settings(ctx))
    with _progress() as progress:
        task = progress.add_task("Ingesting", total=None, path="")

        def report(done: int, total: int, path: str) -> None:
            progress.update(task, completed=done, total=total, path=Path(path).name)

        result = index.ingest(paths, progress=report)
    for label, keys in (("added", result.added), ("updated", result.updated)):
        for key in keys:
            console.print(f"[green]{label}[/green] {escape(key)}", highlight=False)
    if result.unchanged:
        console.print(f"[dim]{len(result.unchanged)} unchanged[/dim]")
    for _path, reason in result.failed:
        errors.print(f"[red]failed[/red] {escape(reason)}", highlight=False)
    console.print(
        f"{len(result.added)} added, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged, {len(result.failed)} failed; "
        f"{len(index.documents)} documents, {len(index.chunks)} chunks in {index.index_dir}"
    )
    if result.failed:
        raise typer.Exit(code=1)


@kb_app.command("list")
def list_command(ctx: typer.Context) -> None:
    """List the indexed documents."""
    index = _open_index(_settings(ctx))
    table = Table("path", "title", "lang", "chunks", "date")
    for entry in index.list():
        table.add_row(
            entry.path, entry.title, entry.language, str(len(entry.chunk_ids)), entry.date
        )
    console.print(table)
    console.print(f"{len(index.documents)} documents, {len(index.chunks)} chunks")


@kb_app.command("remove")
def remove_command(
    ctx: typer.Context, path: Annotated[str, typer.Argument(help="File path or document key.")]
) -> None:
    """Remove a document so it is never cited again."""
    index = _open_index(_settings(ctx))
    key = index.key_for(path)
    if not index.remove(path):
        errors.print(f"[red]not indexed:[/red] {path}")
        raise typer.Exit(code=1)
    console.print(f"removed {key}")


@kb_app.command("eval")
def eval_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Evaluation YAML (see knowledge/eval/README.md).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
    retriever: Annotated[str, typer.Option(help="bm25 or hybrid (embeddings extra).")] = "bm25",
    compare_hybrid: Annotated[
        bool, typer.Option("--compare-hybrid", help="Also evaluate BM25 + dense fusion.")
    ] = False,
    baseline: Annotated[bool, typer.Option(help="Also evaluate the plain baseline.")] = True,
    details: Annotated[bool, typer.Option(help="Show misses and wrong declines.")] = False,
) -> None:
    """Measure hit@k, MRR, key-fact coverage, declines and latency on FILE."""
    from knowledge import build_knowledge_base
    from knowledge.evaluate import run_evaluation

    settings = _settings(ctx)
    _open_index(settings)
    kb = build_knowledge_base(index_dir=settings.index_dir, retriever=retriever)
    extra = {}
    if compare_hybrid:
        extra["hybrid (bm25 + dense)"] = lambda: build_knowledge_base(
            index_dir=settings.index_dir, retriever="hybrid"
        )
    try:
        reports = run_evaluation(kb, file, baseline=baseline, extra=extra)
    except RuntimeError as exc:  # an optional extra (embeddings) is missing
        errors.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(code=1) from exc
    if as_json:
        typer.echo(json.dumps([report.summary() for report in reports], indent=2))
        return
    table = Table("metric", *(report.name for report in reports))
    for metric in reports[0].summary():
        if metric != "name":
            table.add_row(metric, *(str(report.summary()[metric]) for report in reports))
    console.print(table)
    if details:
        for result in reports[0].results:
            wrong_decline = result.in_scope and not result.answered
            missed = result.in_scope and (result.rank is None or result.rank > 3)
            leaked = not result.in_scope and result.answered
            lost_facts = result.in_scope and result.facts_found < result.facts_total
            if wrong_decline or missed or leaked or lost_facts:
                console.print(
                    f"{result.id} rank={result.rank} answered={result.answered} "
                    f"conf={result.confidence:.2f} facts={result.facts_found}/{result.facts_total}"
                )
