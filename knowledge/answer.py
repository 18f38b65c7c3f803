"""Compose a short extractive answer from the best passages, sentence by sentence.

Passages are cut into units (sentences, list items, table rows) and each unit
is scored against the question's weighted terms; the best one to four units
make the answer, in reading order, kept under :data:`MAX_CHARS` so it fits a
Telegram message or a Slack section with room to spare.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.index import KnowledgeIndex
from knowledge.retrieve import Hit, Query
from knowledge.scope import term_weights
from knowledge.text import analyzer_for, fold, split_sentences

MAX_CHARS = 700
MAX_UNITS = 4
_CONTEXT_WEIGHT = 0.25
#: Passages considered as the answer's home.
CANDIDATE_PASSAGES = 4
#: How much the retrieval score (against heading and sentence matches) decides the home.
HOME_EXPONENT = 20.0
#: Within the home passage, a unit joins if it scores this share of the best unit.
HOME_KEEP_RATIO = 0.15
_MAX_LIST = 8


# A question asking "how many / how much / when" is answered by a unit with a number.
_ASKS_NUMBER = re.compile(
    r"\b(how (many|much|big|large|long|often|old)|what (amount|size|number)|when|since when"
    r"|which year|combien|quand|montant|cuant[oa]s?|cuando|monto|que ano)\b"
)
_HAS_NUMBER = re.compile(r"\d")
#: Score multiplier for a unit holding a number when the question asks for one.
NUMBER_BONUS = 1.3


@dataclass(frozen=True, slots=True)
class Unit:
    """A quotable piece of a passage: a sentence, a list item or a table row."""

    hit_rank: int
    position: int
    text: str
    kind: str  # "sentence", "item" or "row"
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Composition:
    """An answer text and the hits it quotes."""

    text: str
    cited: tuple[Hit, ...]


def _row_text(header: list[str], cells: list[str]) -> str:
    if len(header) == len(cells):
        return "; ".join(f"{name}: {value}" for name, value in zip(header, cells, strict=True))
    return "; ".join(cells)


def split_units(text: str, hit_rank: int) -> list[Unit]:
    """Cut a chunk's text into sentences, list items and table rows."""
    units: list[Unit] = []
    header: list[str] | None = None
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if " | " in line:
            cells = [cell.strip() for cell in line.split(" | ")]
            next_is_row = number + 1 < len(lines) and " | " in lines[number + 1]
            if header is None and next_is_row:
                header = cells
                continue
            units.append(Unit(hit_rank, len(units), _row_text(header or [], cells), "row"))
            continue
        header = None
        if line.startswith("- "):
            units.append(Unit(hit_rank, len(units), line[2:].strip(), "item"))
            continue
        for sentence in split_sentences(line):
            units.append(Unit(hit_rank, len(units), sentence, "sentence"))
    return units


def _score_units(
    hit: Hit, rank: int, weights: dict[str, float], *, wants_number: bool
) -> tuple[list[Unit], float]:
    """Score each unit of a passage by the weighted question terms it holds.

    Terms found only in the passage's title or section count a quarter. Also
    return the share of the question's weight that the section heading holds.
    """
    total = sum(weights.values()) or 1.0
    analyzer = analyzer_for(hit.chunk.language)
    heading = set(analyzer.terms(f"{hit.chunk.title} {hit.chunk.section}"))
    units: list[Unit] = []
    for unit in split_units(hit.chunk.text, rank):
        terms = set(analyzer.terms(unit.text))
        own = sum(w for term, w in weights.items() if term in terms)
        inherited = sum(w for term, w in weights.items() if term in heading - terms)
        score = (own + _CONTEXT_WEIGHT * inherited) / total
        if len(unit.text.split()) < 4:
            score *= 0.5
        if wants_number and _HAS_NUMBER.search(unit.text):
            score *= NUMBER_BONUS
        units.append(Unit(rank, unit.position, unit.text, unit.kind, score))
    section = set(analyzer.terms(hit.chunk.section))
    section_match = sum(w for term, w in weights.items() if term in section) / total
    return units, section_match


class ExtractiveComposer:
    """Pick the sentences that best answer the question from the top passages."""

    def __init__(self, index: KnowledgeIndex, *, max_chars: int = MAX_CHARS) -> None:
        self.index = index
        self.max_chars = max_chars

    def compose(self, query: Query, hits: Sequence[Hit]) -> Composition:
        """Return the answer text built from ``hits`` (best first) and the hits it quotes.

        The passage whose retrieval score, heading and sentences best match the
        question is the answer's home; its best units lead, and at most one
        unit of another passage joins, only if it scores better still.
        """
        if not hits:
            return Composition("", ())
        weights = term_weights(query, self.index)
        wants_number = bool(_ASKS_NUMBER.search(fold(query.text)))
        units_by_hit: dict[int, list[Unit]] = {}
        passage_scores: dict[int, float] = {}
        top = hits[0].score or 1.0
        for rank, hit in enumerate(hits[:CANDIDATE_PASSAGES]):
            if hit.chunk.language != hits[0].chunk.language:
                continue  # the answer stays in the language of the preferred passage
            units, section_match = _score_units(hit, rank, weights, wants_number=wants_number)
            units_by_hit[rank] = units
            best_unit = max((unit.score for unit in units), default=0.0)
            relative = max(hit.score, 0.0) / top
            passage_scores[rank] = relative**HOME_EXPONENT * (1 + section_match + best_unit)
        home = max(passage_scores, key=lambda rank: passage_scores[rank])
        ranked = sorted(units_by_hit[home], key=lambda unit: -unit.score)
        if not ranked:
            return Composition("", ())
        best = ranked[0]
        chosen = [unit for unit in ranked[:MAX_UNITS] if unit.score >= HOME_KEEP_RATIO * best.score]
        others = [
            unit
            for rank, units in units_by_hit.items()
            if rank != home
            for unit in units
            if unit.score > best.score
        ]
        chosen.extend(sorted(others, key=lambda unit: -unit.score)[:1])
        chosen = self._complete_lists(chosen, units_by_hit[home])
        text, used = self._render(chosen, home=home)
        cited = tuple(hits[rank] for rank in sorted({unit.hit_rank for unit in used}))
        return Composition(text, cited)

    def _complete_lists(self, chosen: list[Unit], units: list[Unit]) -> list[Unit]:
        """Add the whole list (and its lead-in) around a chosen item or ':' lead-in of ``units``.

        Only the home passage (``units``) grows this way; a unit borrowed from
        another passage stays a single unit.
        """
        picked = {(unit.hit_rank, unit.position): unit for unit in chosen}
        home = units[0].hit_rank if units else -1
        for unit in list(chosen):
            if unit.hit_rank != home:
                continue
            start = unit.position
            if unit.kind == "sentence" and unit.text.endswith(":"):
                start = unit.position + 1
            elif unit.kind != "item":
                continue
            if start >= len(units) or units[start].kind != "item":
                continue  # a lead-in that no list follows
            begin = start
            while begin > 0 and units[begin - 1].kind == "item":
                begin -= 1
            end = start
            while end + 1 < len(units) and units[end + 1].kind == "item":
                end += 1
            if end - begin + 1 > _MAX_LIST:
                continue
            if begin > 0 and units[begin - 1].text.endswith(":"):
                begin -= 1
            # Members inherit the score of the unit that pulled them in, so the
            # character budget keeps or drops the list as a whole.
            for offset, member in enumerate(units[begin : end + 1]):
                key = (member.hit_rank, member.position)
                score = unit.score - 1e-6 * (offset + 1)
                if key not in picked or picked[key].score < score:
                    picked[key] = Unit(
                        member.hit_rank, member.position, member.text, member.kind, score
                    )
        return list(picked.values())

    def _render(self, chosen: list[Unit], *, home: int) -> tuple[str, list[Unit]]:
        """Join the units in reading order, home passage first, stopping before ``max_chars``."""
        ordered = sorted(chosen, key=lambda u: (u.hit_rank != home, u.hit_rank, u.position))
        keep: set[tuple[int, int]] = set()
        length = 0
        for unit in sorted(chosen, key=lambda unit: (unit.hit_rank != home, -unit.score)):
            if length + len(unit.text) + 3 > self.max_chars and keep:
                continue
            keep.add((unit.hit_rank, unit.position))
            length += len(unit.text) + 3
        used = [unit for unit in ordered if (unit.hit_rank, unit.position) in keep]
        parts: list[str] = []
        for unit in used:
            if unit.kind == "sentence":
                separator = " " if parts and not parts[-1].endswith("\n") else ""
                parts.append(f"{separator}{unit.text}")
            else:
                prefix = "\n" if parts and not parts[-1].endswith("\n") else ""
                parts.append(f"{prefix}- {unit.text}\n")
        text = "".join(parts).strip()
        if len(text) > self.max_chars:
            text = text[: self.max_chars - 1].rsplit(" ", 1)[0] + "…"
        return text, used
