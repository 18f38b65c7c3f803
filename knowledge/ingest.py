"""Load files of the formats the Secretariat holds into documents and chunks.

Markdown (with YAML front matter), plain text, HTML, PDF and DOCX are read;
anything that cannot be read raises :class:`bot.errors.IngestError` with the
reason, so a batch can report it and go on with the other files.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from bot.errors import IngestError
from knowledge.chunking import chunk_document
from knowledge.htmlpage import parse_html
from knowledge.markdown import parse_markdown
from knowledge.model import Chunk, HeadingTrail, Section, SourceDocument
from knowledge.text import as_language, detect_language

SUPPORTED_SUFFIXES = frozenset(
    {".md", ".markdown", ".txt", ".text", ".html", ".htm", ".pdf", ".docx"}
)


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError(f"{path}: not UTF-8 or Windows-1252 text")


def _paragraphs(text: str) -> list[str]:
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    return [re.sub(r"\s+", " ", block).strip() for block in blocks if block.strip()]


def load_text(path: Path) -> SourceDocument:
    """Read a plain-text file: the first short line is the title, paragraphs follow."""
    paragraphs = _paragraphs(_read_text(path))
    title = path.stem.replace("-", " ").replace("_", " ")
    if paragraphs and len(paragraphs[0].split()) <= 15:
        title = paragraphs.pop(0)
    return SourceDocument(title=title, sections=(Section("", tuple(paragraphs)),))


def load_markdown(path: Path) -> SourceDocument:
    """Read a Markdown file with optional YAML front matter."""
    return parse_markdown(_read_text(path), fallback_title=path.stem)


def load_html(path: Path) -> SourceDocument:
    """Read an HTML page without its scripts, styles and navigation."""
    return parse_html(_read_text(path), fallback_title=path.stem)


_PDF_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+\S.{0,80}|[A-Z][A-Z0-9 ,'&-]{3,80})$")


def load_pdf(path: Path) -> SourceDocument:
    """Read the text layer of a PDF; numbered or upper-case short lines become headings."""
    from pypdf import PdfReader

    # pypdf logs every repair it attempts; the IngestError carries the reason instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(path)
    if reader.is_encrypted:
        raise IngestError(f"{path}: the PDF is encrypted")
    text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
    if not text.strip():
        raise IngestError(f"{path}: the PDF has no text layer (scanned?)")
    trail = HeadingTrail()
    sections: list[Section] = []
    blocks: list[str] = []
    for block in _paragraphs(text):
        if _PDF_HEADING.match(block) and len(block.split()) <= 10:
            if blocks:
                sections.append(Section(trail.heading, tuple(blocks)))
                blocks = []
            trail.enter(2, block.title() if block.isupper() else block)
        else:
            blocks.append(block)
    if blocks:
        sections.append(Section(trail.heading, tuple(blocks)))
    title = str(reader.metadata.title) if reader.metadata and reader.metadata.title else ""
    return SourceDocument(title=title or path.stem, sections=tuple(sections))


def load_docx(path: Path) -> SourceDocument:
    """Read a Word document; Heading 1–3 styles start sections, tables become rows."""
    import docx
    from docx.table import Table

    document = docx.Document(str(path))
    title = (document.core_properties.title or "").strip()
    trail = HeadingTrail()
    sections: list[Section] = []
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells = dict.fromkeys(cell.text.strip() for cell in row.cells if cell.text.strip())
                if cells:
                    blocks.append(" | ".join(cells))
            continue
        text = item.text.strip()
        style = (item.style.name if item.style is not None else "") or ""
        if not text:
            continue
        level = _docx_heading_level(style)
        if level is None:
            blocks.append(f"- {text}" if "List" in style else text)
            continue
        if blocks:
            sections.append(Section(trail.heading, tuple(blocks)))
            blocks = []
        if level == 0 or (level == 1 and not title):
            title = title or text
        elif level <= 3:
            trail.enter(level, text)
        else:
            blocks.append(text)
    if blocks:
        sections.append(Section(trail.heading, tuple(blocks)))
    language = (document.core_properties.language or "")[:2].lower()
    return SourceDocument(title=title or path.stem, sections=tuple(sections), language=language)


def _docx_heading_level(style: str) -> int | None:
    if style == "Title":
        return 0
    match = re.fullmatch(r"Heading (\d)", style)
    return int(match.group(1)) if match else None


_LOADERS: dict[str, Callable[[Path], SourceDocument]] = {
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
    ".text": load_text,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
    ".docx": load_docx,
}


def load_document(path: Path) -> SourceDocument:
    """Read one file into a document, or raise :class:`IngestError` saying why not."""
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        raise IngestError(f"{path}: unsupported file type {path.suffix or '(none)'!r}")
    try:
        document = loader(path)
    except IngestError:
        raise
    except Exception as exc:  # every parser fails in its own way; the reason is what matters
        raise IngestError(f"{path}: cannot read {path.suffix[1:].upper()} ({exc})") from exc
    if not any(section.blocks for section in document.sections):
        raise IngestError(f"{path}: no text found")
    return document


def document_language(document: SourceDocument) -> str:
    """Return the document's declared language, or the one its text looks like."""
    declared = document.language.strip().lower()[:2]
    if declared in {"en", "fr", "es"}:
        return declared
    sample = " ".join(block for section in document.sections for block in section.blocks[:5])
    return detect_language(sample[:4000], default=as_language(declared))


def load_chunks(path: Path, *, key: str) -> tuple[SourceDocument, list[Chunk]]:
    """Read ``path`` and cut it into chunks stored under the document key ``key``."""
    document = load_document(path)
    return document, chunk_document(document, path=key, language=document_language(document))


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Yield the supported files among ``paths``, walking directories recursively."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child
        else:
            yield path
