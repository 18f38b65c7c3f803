"""Write small files of every supported format for knowledge-base tests."""

from __future__ import annotations

from pathlib import Path


def write_markdown(
    path: Path, *, title: str, body: str, language: str = "en", url: str = "https://example.org/doc"
) -> Path:
    front = (
        f'---\ntitle: "{title}"\nsources:\n  - {url}\nlanguage: {language}\n'
        "date: 2025-01-01\ntags: [test]\n---\n"
    )
    path.write_text(front + body, encoding="utf-8")
    return path


def write_pdf(path: Path, lines: list[str], *, title: str = "") -> Path:
    """Write a one-page PDF whose text layer holds ``lines`` (Helvetica, by hand)."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    commands = ["BT", "/F1 11 Tf", "14 TL", "50 780 Td"]
    for line in lines:
        commands.append(f"({escape(line)}) Tj T*")
    commands.append("ET")
    stream = "\n".join(commands).encode("latin-1")
    info = f"<< /Title ({escape(title)}) >>".encode("latin-1") if title else b"<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        info,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    path.write_bytes(bytes(out))
    return path


def write_docx(path: Path, *, title: str, sections: dict[str, list[str]]) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=0)
    for heading, paragraphs in sections.items():
        document.add_heading(heading, level=2)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Centre", "City"
    table.cell(1, 0).text, table.cell(1, 1).text = "BCRC Caribbean", "Port of Spain"
    document.save(str(path))
    return path


HTML_PAGE = """<!doctype html>
<html lang="en"><head><title>Webinars of the Secretariat</title>
<style>body { color: red; }</style><script>var tracking = "SECRET-SCRIPT";</script>
<link rel="canonical" href="https://example.org/webinars"></head>
<body><nav><a href="/">Home</a> <a href="/menu">NAVIGATION-MENU</a></nav>
<h1>Webinars of the Secretariat</h1>
<h2>Languages of the webinars</h2>
<p>Webinars are given in English, French and Spanish, and recordings are published.</p>
<ul><li>Recordings stay online.</li><li>Slides are shared.</li></ul>
<h3>Registration</h3><p>Participants register on the webinar page before the session.</p>
</body></html>
"""
