"""Write the files the console adds to the knowledge base, and ingest them at once."""

from __future__ import annotations

import re
import threading
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.app import AppContext

#: Documents written by the console live here, under the index directory.
DOCUMENTS_DIR = "console-documents"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# One writer at a time: the index rewrites its files on every change.
_lock = threading.Lock()


def documents_dir(context: AppContext) -> Path:
    """Return (making it) the directory of the console's knowledge-base files."""
    path = Path(context.settings.index_dir) / DOCUMENTS_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def safe_name(filename: str) -> str:
    """Return a file name without directories or odd characters."""
    name = _UNSAFE.sub("-", Path(filename).name).strip(".-")
    return name[:120] or "document"


def index_of(context: AppContext) -> Any:
    """Return the knowledge index behind the application's knowledge base."""
    return context.knowledge().index


def ingest_file(context: AppContext, path: Path) -> tuple[bool, str]:
    """Index one file; return whether it worked and, if not, why."""
    with _lock:
        report = index_of(context).ingest([path])
    if report.failed:
        return False, "; ".join(reason for _, reason in report.failed)
    return True, ""


def write_answer_document(
    context: AppContext, *, entry_id: int, title: str, question: str, answer: str, language: str
) -> Path:
    """Write a Secretariat answer as a Markdown document with front matter."""
    front = {
        "title": title,
        "language": language,
        "date": date.today().isoformat(),
        "tags": ["secretariat-answer"],
        "sources": [],
    }
    body = f"# {title}\n\n**Question:** {question.strip()}\n\n{answer.strip()}\n"
    path = documents_dir(context) / f"answer-{entry_id}.md"
    path.write_text(
        "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body,
        encoding="utf-8",
    )
    return path


def remove_document(context: AppContext, key: str) -> bool:
    """Drop a document from the index, and delete its file when the console wrote it."""
    with _lock:
        index = index_of(context)
        removed = bool(index.remove(key))
    path = Path(key)
    if removed and path.is_absolute() and path.parent == documents_dir(context):
        path.unlink(missing_ok=True)
    return removed
