"""Read a Markdown document with YAML front matter into sections split at H1–H3."""

from __future__ import annotations

import re
from typing import Any

import yaml

from knowledge.model import HeadingTrail, Section, SourceDocument

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+")
_TABLE_RULE = re.compile(r"^\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")


def clean_inline(text: str) -> str:
    """Strip inline Markdown (links, images, emphasis, code) and keep the words."""
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    for _ in range(2):
        text = _EMPHASIS.sub(r"\2", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def split_front_matter(raw: str) -> tuple[dict[str, Any], str]:
    """Return the parsed front matter (empty when absent) and the body."""
    match = _FRONT_MATTER.match(raw)
    if not match:
        return {}, raw
    data = yaml.safe_load(match.group(1)) or {}
    if not isinstance(data, dict):
        raise ValueError("front matter is not a mapping")
    return data, raw[match.end() :]


def _as_url(value: object) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value) if value else ""


def _table_row(line: str) -> str:
    cells = [clean_inline(cell) for cell in line.strip().strip("|").split("|")]
    return " | ".join(cell for cell in cells if cell)


def _blocks(lines: list[str]) -> list[str]:
    """Group body lines into blocks: paragraphs, list items, table rows."""
    blocks: list[str] = []
    paragraph: list[str] = []
    in_fence = False

    def flush() -> None:
        if paragraph:
            text = clean_inline(" ".join(paragraph))
            if text:
                blocks.append(text)
            paragraph.clear()

    for line in lines:
        stripped = line.strip()
        if stripped.startswith("```") or stripped.startswith("~~~"):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            if stripped:
                blocks.append(stripped)
            continue
        if not stripped or _TABLE_RULE.match(stripped):
            flush()
        elif stripped.startswith("|"):
            flush()
            row = _table_row(stripped)
            if row:
                blocks.append(row)
        elif _LIST_ITEM.match(line):
            flush()
            paragraph.append("- " + _LIST_ITEM.sub("", line).strip())
        elif stripped.startswith(">"):
            paragraph.append(stripped.lstrip("> "))
        else:
            paragraph.append(stripped)
    flush()
    return blocks


def parse_markdown(raw: str, *, fallback_title: str) -> SourceDocument:
    """Parse Markdown text into a document; H1–H3 start sections, deeper headings stay text."""
    meta, body = split_front_matter(raw)
    title = str(meta.get("title") or "").strip()
    trail = HeadingTrail()
    sections: list[Section] = []
    pending: list[str] = []

    def close() -> None:
        blocks = _blocks(pending)
        if blocks:
            sections.append(Section(trail.heading, tuple(blocks)))
        pending.clear()

    for line in body.splitlines():
        match = _HEADING.match(line)
        if not match or len(match.group(1)) > 3:
            if match:  # H4 and deeper: keep the words as a block of their own.
                pending.extend(["", clean_inline(match.group(2)), ""])
            else:
                pending.append(line)
            continue
        close()
        level, heading = len(match.group(1)), clean_inline(match.group(2))
        if level == 1 and not title:
            title = heading
        elif heading != title:
            trail.enter(level, heading)
    close()
    tags = meta.get("tags") or ()
    return SourceDocument(
        title=title or fallback_title,
        sections=tuple(sections),
        url=_as_url(meta.get("url") or meta.get("sources") or meta.get("source")),
        language=str(meta.get("language") or ""),
        date=str(meta.get("date") or ""),
        tags=tuple(str(tag) for tag in tags) if isinstance(tags, list) else (str(tags),),
    )
