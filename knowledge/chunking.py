"""Cut a document into quotable chunks that follow its sections.

A chunk never crosses a section boundary, so each one keeps its document
title and heading trail. Sections longer than :data:`MAX_WORDS` are cut
between blocks (paragraphs, list items, table rows), and a block that is
itself too long is cut between sentences. A short tail is folded back into
the chunk before it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from knowledge.model import Chunk, Section, SourceDocument
from knowledge.text import split_sentences

MAX_WORDS = 250
MIN_WORDS = 80
_TAIL_SLACK = 60


def _word_count(text: str) -> int:
    return len(text.split())


def _pieces(block: str) -> Iterator[str]:
    """Yield the block, or its sentence groups if it is longer than a chunk."""
    if _word_count(block) <= MAX_WORDS:
        yield block
        return
    group: list[str] = []
    for sentence in split_sentences(block):
        if group and _word_count(" ".join([*group, sentence])) > MAX_WORDS:
            yield " ".join(group)
            group = []
        group.append(sentence)
    if group:
        yield " ".join(group)


def split_section(section: Section) -> list[str]:
    """Return the chunk texts of one section, blocks separated by newlines."""
    chunks: list[list[str]] = [[]]
    words = 0
    for block in section.blocks:
        for piece in _pieces(block):
            size = _word_count(piece)
            if chunks[-1] and words + size > MAX_WORDS:
                chunks.append([])
                words = 0
            chunks[-1].append(piece)
            words += size
    if len(chunks) > 1 and words < MIN_WORDS:
        previous = sum(_word_count(piece) for piece in chunks[-2])
        if previous + words <= MAX_WORDS + _TAIL_SLACK:
            chunks[-2].extend(chunks.pop())
    return ["\n".join(chunk) for chunk in chunks if chunk]


def chunk_id(path: str, position: int) -> str:
    """Return a stable id for the ``position``-th chunk of ``path``."""
    digest = hashlib.sha1(path.encode(), usedforsecurity=False).hexdigest()[:12]
    return f"{digest}-{position:04d}"


def chunk_document(document: SourceDocument, *, path: str, language: str) -> list[Chunk]:
    """Cut ``document`` (stored under ``path``) into chunks."""
    chunks: list[Chunk] = []
    for section in document.sections:
        for text in split_section(section):
            chunks.append(
                Chunk(
                    id=chunk_id(path, len(chunks)),
                    path=path,
                    title=document.title,
                    section=section.heading,
                    text=text,
                    language=language,
                    url=document.url,
                    tags=document.tags,
                )
            )
    return chunks
