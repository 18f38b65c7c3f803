"""Every field of every console page has a label, and the pages show labels, not codes."""

from __future__ import annotations

from html.parser import HTMLParser

from fastapi.testclient import TestClient

from bot.app import AppContext
from tests.web.console import builders as build

PAGES = (
    "/console/", "/console/focal-points", "/console/focal-points/{fp}", "/console/needs",
    "/console/needs/{need}", "/console/opportunities", "/console/opportunities/new",
    "/console/opportunities/{opp}", "/console/opportunities/{opp}/publish",
    "/console/broadcasts", "/console/broadcasts/new", "/console/questions",
    "/console/questions/{question}", "/console/knowledge", "/console/rounds",
)  # fmt: skip


class FieldLabels(HTMLParser):
    """Collect the form fields of a page and the labels that name them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[dict[str, str | None]] = []
        self.labelled: set[str] = set()
        self.depth_in_label = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "label":
            self.depth_in_label += 1
            if values.get("for"):
                self.labelled.add(str(values["for"]))
        elif tag in ("input", "select", "textarea"):
            if values.get("type") not in ("hidden", "submit", "button"):
                self.fields.append({**values, "_wrapped": "yes" if self.depth_in_label else None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.depth_in_label -= 1

    def unlabelled(self) -> list[str]:
        """Return the names of the fields nobody can read a label of."""
        return [
            str(field.get("name"))
            for field in self.fields
            if not field["_wrapped"]
            and not field.get("aria-label")
            and field.get("id") not in self.labelled
        ]


def test_every_field_has_a_label(client: TestClient, console_context: AppContext) -> None:
    build.staff(console_context, "sec@brs.int")
    fp = build.focal_point(console_context, "Amina Diallo", "SN")
    ids = {
        "fp": fp,
        "need": build.need(console_context, fp, "SN", "africa"),
        "opp": build.opportunity(console_context, "staff:sec@brs.int"),
        "question": build.escalated_question(console_context, fp, "Who funds training?"),
    }
    build.sign_in(client, "sec@brs.int")
    missing = {}
    for page in PAGES:
        parser = FieldLabels()
        response = client.get(page.format(**ids))
        assert response.status_code == 200, page
        parser.feed(response.text)
        if parser.unlabelled():
            missing[page] = parser.unlabelled()
    assert missing == {}


def test_pages_show_vocabulary_labels_not_codes(
    client: TestClient, console_context: AppContext
) -> None:
    build.staff(console_context, "sec@brs.int")
    fp = build.focal_point(console_context, "Amina Diallo", "SN")
    need = build.need(console_context, fp, "SN", "africa", areas=("used_lead_acid_batteries",))
    build.sign_in(client, "sec@brs.int")
    text = client.get(f"/console/needs/{need}").text
    assert "Used lead-acid batteries" in text and ">used_lead_acid_batteries<" not in text
    assert "Senegal" in text and "Basel focal point" in client.get("/console/focal-points").text
