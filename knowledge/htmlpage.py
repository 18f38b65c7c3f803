"""Read an HTML page into sections at h1–h3, dropping scripts, styles and navigation."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from knowledge.model import HeadingTrail, Section, SourceDocument

_SKIPPED = frozenset({"script", "style", "nav", "noscript", "template", "svg"})
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "li",
        "tr",
        "br",
        "section",
        "article",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "table",
        "ul",
        "ol",
        "h4",
        "h5",
        "h6",
        "main",
        "header",
        "footer",
        "aside",
        "figcaption",
    }
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3}


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.title_text: list[str] = []
        self.in_title = False
        self.heading: tuple[int, list[str]] | None = None
        self.language = ""
        self.url = ""
        self.events: list[tuple[int, str]] = []  # (heading level or 0, text)
        self.current: list[str] = []
        self.in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.language = attributes.get("lang", "")[:2].lower()
        if tag == "link" and attributes.get("rel", "").lower() == "canonical":
            self.url = attributes.get("href", "")
        if tag == "title":
            self.in_title = True
        if tag in _SKIPPED:
            self.skip_depth += 1
            return
        if tag in _HEADINGS:
            self._flush()
            self.heading = (_HEADINGS[tag], [])
        elif tag in _BLOCKS:
            self._flush()
            if tag == "li":
                self.current.append("- ")
        elif tag in {"td", "th"}:
            if self.current and self.current[-1].strip():
                self.current.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _SKIPPED:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag in _HEADINGS and self.heading is not None:
            text = _squash("".join(self.heading[1]))
            if text:
                self.events.append((self.heading[0], text))
            self.heading = None
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_text.append(data)
            return
        if self.skip_depth:
            return
        if self.heading is not None:
            self.heading[1].append(data)
        else:
            self.current.append(data)

    def _flush(self) -> None:
        text = _squash("".join(self.current))
        if text and text != "-":
            self.events.append((0, text))
        self.current = []


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def parse_html(raw: str, *, fallback_title: str) -> SourceDocument:
    """Parse an HTML page into a document; h1–h3 start sections."""
    parser = _PageParser()
    parser.feed(raw)
    parser.close()
    parser._flush()
    title = _squash("".join(parser.title_text))
    trail = HeadingTrail()
    sections: list[Section] = []
    blocks: list[str] = []
    for level, text in parser.events:
        if level == 0:
            blocks.append(text)
            continue
        if blocks:
            sections.append(Section(trail.heading, tuple(blocks)))
            blocks = []
        if level == 1 and not title:
            title = text
        elif text != title:
            trail.enter(level, text)
    if blocks:
        sections.append(Section(trail.heading, tuple(blocks)))
    return SourceDocument(
        title=title or fallback_title,
        sections=tuple(sections),
        url=parser.url,
        language=parser.language,
    )
