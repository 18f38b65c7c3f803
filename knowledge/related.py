"""Offer follow-up questions drawn from the other documents close to a question."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from knowledge.retrieve import Hit

MAX_RELATED = 3
_TEMPLATES = {
    "en": "What about {topic}?",
    "fr": "Et sur « {topic} » ?",
    "es": "¿Y sobre «{topic}»?",
}


_PROPER = frozenset(
    "basel rotterdam stockholm article articles decision un unep fao gef minamata waigani"
    " bamako secretariat brs special pace".split()
)


def _topic(text: str, language: str) -> str:
    """Return a title as a topic to ask about, lower-casing a plain English first word."""
    topic = text.strip().rstrip(".?!:")
    first, _, rest = topic.partition(" ")
    plain = first[:1].isupper() and first[1:].islower() and first.lower() not in _PROPER
    if language == "en" and plain:
        topic = f"{first.lower()} {rest}".strip()
    return topic


def related_questions(
    hits: Sequence[Hit], *, cited: Iterable[Hit], language: str
) -> tuple[str, ...]:
    """Return up to three questions about close documents not already cited.

    Titles of other documents come first; sections of the cited documents
    that were not quoted fill the remaining places.
    """
    template = _TEMPLATES.get(language, _TEMPLATES["en"])
    cited_hits = list(cited)
    cited_paths = {hit.chunk.path for hit in cited_hits}
    cited_sections = {(hit.chunk.path, hit.chunk.section) for hit in cited_hits}
    topics: list[str] = []
    same_language = [hit for hit in hits if hit.chunk.language == language] or list(hits)
    for hit in same_language:
        if hit.chunk.path not in cited_paths and hit.chunk.title not in topics:
            topics.append(hit.chunk.title)
    for hit in same_language:
        section = hit.chunk.section.split(" > ")[-1]
        quoted = (hit.chunk.path, hit.chunk.section) in cited_sections
        if hit.chunk.path in cited_paths and not quoted and section and section not in topics:
            topics.append(section)
    questions = [template.format(topic=_topic(topic, language)) for topic in topics]
    return tuple(questions[:MAX_RELATED])
