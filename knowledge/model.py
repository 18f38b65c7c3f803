"""Define what the knowledge base stores: documents, their sections, and chunks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Section:
    """A run of text blocks under one heading trail (``"Part > Sub-part"``)."""

    heading: str
    blocks: tuple[str, ...]


class HeadingTrail:
    """Track the headings above the current position (a deeper heading nests)."""

    def __init__(self) -> None:
        self._levels: list[tuple[int, str]] = []

    def enter(self, level: int, heading: str) -> None:
        """Record a heading of ``level``, closing every heading at that level or below."""
        self._levels = [(lvl, text) for lvl, text in self._levels if lvl < level]
        self._levels.append((level, heading))

    @property
    def heading(self) -> str:
        """Return the trail as ``"Part > Sub-part"``."""
        return " > ".join(text for _, text in self._levels)


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A file as a loader read it: metadata plus its sections in order."""

    title: str
    sections: tuple[Section, ...]
    url: str = ""
    language: str = ""
    date: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Chunk:
    """A passage small enough to quote, with the document and section it belongs to."""

    id: str
    path: str
    title: str
    section: str
    text: str
    language: str
    url: str = ""
    tags: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready mapping of this chunk."""
        data = asdict(self)
        data["tags"] = list(self.tags)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Chunk:
        """Build a chunk from :meth:`to_json` output."""
        return cls(
            id=str(data["id"]),
            path=str(data["path"]),
            title=str(data["title"]),
            section=str(data["section"]),
            text=str(data["text"]),
            language=str(data["language"]),
            url=str(data.get("url", "")),
            tags=tuple(str(tag) for tag in data.get("tags", ())),
        )
