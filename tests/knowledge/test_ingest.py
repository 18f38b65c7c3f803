from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import IngestError
from knowledge.chunking import MAX_WORDS
from knowledge.ingest import load_chunks, load_document
from tests.knowledge.builders import HTML_PAGE, write_docx, write_markdown, write_pdf

MARKDOWN_BODY = """# Regional centres

Intro paragraph about the centres.

## Pacific

The Pacific centre is hosted by **SPREP** in [Apia](https://example.org), Samoa.

### Governance

- A steering committee guides the centre.
- It reports to the Parties.

| Centre | City |
|---|---|
| SPREP | Apia |

#### Deep heading stays text

Text under a deep heading.
"""


def test_markdown_reads_front_matter_and_splits_sections_at_h1_to_h3(tmp_path: Path) -> None:
    path = write_markdown(tmp_path / "rc.md", title="Regional centres", body=MARKDOWN_BODY)
    document, chunks = load_chunks(path, key="rc.md")
    assert document.title == "Regional centres"
    assert document.url == "https://example.org/doc"
    assert document.date == "2025-01-01"
    assert [chunk.section for chunk in chunks] == ["", "Pacific", "Pacific > Governance"]
    assert all(chunk.title == "Regional centres" and chunk.language == "en" for chunk in chunks)
    pacific = chunks[1].text
    assert "SPREP" in pacific and "**" not in pacific and "](" not in pacific
    governance = chunks[2].text
    assert "- A steering committee guides the centre." in governance
    assert "Centre | City" in governance and "---" not in governance
    assert "Deep heading stays text" in governance


def test_plain_text_uses_first_short_line_as_title(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Note on e-waste\n\nFirst paragraph.\n\nSecond paragraph.", encoding="utf-8")
    document = load_document(path)
    assert document.title == "Note on e-waste"
    assert document.sections[0].blocks == ("First paragraph.", "Second paragraph.")


def test_html_drops_script_style_and_navigation_and_keeps_headings(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    document, chunks = load_chunks(path, key="page.html")
    text = " ".join(chunk.text for chunk in chunks)
    assert document.title == "Webinars of the Secretariat"
    assert document.url == "https://example.org/webinars"
    assert "SECRET-SCRIPT" not in text and "NAVIGATION-MENU" not in text and "color" not in text
    assert [chunk.section for chunk in chunks] == [
        "Languages of the webinars",
        "Languages of the webinars > Registration",
    ]
    assert "- Recordings stay online." in chunks[0].text


def test_pdf_text_layer_is_read(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "plan.pdf",
        ["TECHNICAL ASSISTANCE PLAN", "", "The plan covers four years of training."],
        title="TA plan",
    )
    document, chunks = load_chunks(path, key="plan.pdf")
    assert document.title == "TA plan"
    assert "four years of training" in " ".join(chunk.text for chunk in chunks)


def test_docx_headings_start_sections_and_tables_become_rows(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "guide.docx",
        title="Guide to requests",
        sections={"Who may ask": ["Any Party may ask for help."], "How": ["Write to us."]},
    )
    document, chunks = load_chunks(path, key="guide.docx")
    assert document.title == "Guide to requests"
    sections = [chunk.section for chunk in chunks]
    assert sections[:2] == ["Who may ask", "How"]
    assert any("BCRC Caribbean | Port of Spain" in chunk.text for chunk in chunks)


def test_long_section_is_split_on_paragraphs_and_keeps_its_section(tmp_path: Path) -> None:
    paragraph = " ".join(["word"] * 90) + "."
    body = "## Long part\n\n" + "\n\n".join([paragraph] * 6)
    path = write_markdown(tmp_path / "long.md", title="Long", body=body)
    _, chunks = load_chunks(path, key="long.md")
    assert len(chunks) >= 2
    assert all(len(chunk.text.split()) <= MAX_WORDS for chunk in chunks)
    assert {chunk.section for chunk in chunks} == {"Long part"}


def test_a_single_huge_paragraph_is_split_between_sentences(tmp_path: Path) -> None:
    body = "## Wall\n\n" + " ".join(f"Sentence number {i} says something." for i in range(200))
    path = write_markdown(tmp_path / "wall.md", title="Wall", body=body)
    _, chunks = load_chunks(path, key="wall.md")
    assert len(chunks) > 1
    assert all(chunk.text.endswith(".") for chunk in chunks)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.pdf", b"%PDF-1.4 this is not a pdf", "cannot read PDF"),
        ("broken.docx", b"not a zip file", "cannot read DOCX"),
        ("empty.md", b"---\ntitle: x\n---\n", "no text found"),
        ("data.xlsx", b"PK", "unsupported file type"),
        ("bad-front.md", b"---\n[unclosed\n---\nbody", "cannot read MD"),
    ],
)
def test_unreadable_file_raises_ingest_error_with_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError, match=reason):
        load_document(path)


def test_language_is_detected_when_not_declared(tmp_path: Path) -> None:
    path = tmp_path / "fr.txt"
    path.write_text(
        "Centres régionaux\n\nLe centre de Dakar est au service des pays de l'Afrique "
        "francophone et il organise des formations pour les Parties.",
        encoding="utf-8",
    )
    _, chunks = load_chunks(path, key="fr.txt")
    assert chunks[0].language == "fr"
