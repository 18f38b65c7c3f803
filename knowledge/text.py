"""Turn text into search terms: fold case and accents, drop stop words, stem, add concepts.

The same :class:`Analyzer` runs when a chunk is indexed and when a question is
asked, so the terms always agree. Each language (en, fr, es) has its own stop
words and Snowball stemmer; domain acronyms and their spelled-out forms both
add a shared concept term (see :mod:`knowledge.lexicon`), so "BCRC" finds
"Basel Convention regional centre" and the reverse, across languages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Final, Literal

import Stemmer

from knowledge.lexicon import CONCEPT_PREFIX, concept_phrases
from knowledge.stopwords import STOP_WORDS

Language = Literal["en", "fr", "es"]
LANGUAGES: Final[tuple[Language, ...]] = ("en", "fr", "es")

_STEMMER_NAMES: Final[dict[str, str]] = {"en": "english", "fr": "french", "es": "spanish"}
_TOKEN = re.compile(r"[a-z0-9]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "ø": "o", "ł": "l"})
_JOINED = re.compile(r"\b(e)-(waste|learning|wastes)\b")
# British and American spellings meet before stemming (Porter2 keeps them apart).
_US_TO_UK = {
    "center": "centre",
    "centers": "centres",
    "program": "programme",
    "programs": "programmes",
    "labor": "labour",
    "catalog": "catalogue",
    "license": "licence",
    "defense": "defence",
}
_ISE = re.compile(
    r"\b(organi|harmoni|minimi|prioriti|recogni|authori|standardi|mobili|utili|finali|summari"
    r"|emphasi|characteri|categori|speciali|stabili|neutrali|optimi|moderni|rationali|centrali"
    r"|decentrali|formali|maximi|digiti|operationali|institutionali|mainstreami|customi)s"
    r"(e|ed|es|ing|ation|ations)\b"
)


def fold(text: str) -> str:
    """Return ``text`` case-folded with accents and ligatures removed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """Split folded text into word tokens, joining e-waste-like compounds."""
    folded = _JOINED.sub(r"\1\2", fold(text))
    return [token for token in _TOKEN.findall(folded) if len(token) > 1 or token.isdigit()]


# Stemmers fold these into the stem of "assistance"; the chat assistant is another topic.
_PROTECTED = {
    "assistant": "chatassistant",
    "assistants": "chatassistant",
    "asistente": "chatassistant",
    "asistentes": "chatassistant",
}


def _normalize_spelling(word: str) -> str:
    word = _US_TO_UK.get(word, word)
    return _ISE.sub(r"\1z\2", word)


class Analyzer:
    """Analyze text in one language into index terms."""

    def __init__(self, language: Language) -> None:
        self.language: Language = language
        self._stemmer = Stemmer.Stemmer(_STEMMER_NAMES[language])
        self._stop = STOP_WORDS[language]
        self._phrases = self._compile_phrases()

    def stems(self, text: str) -> list[str]:
        """Return the stemmed content words of ``text``, in order, without concepts."""
        return list(self._stemmer.stemWords(self.content_words(text)))

    def content_words(self, text: str) -> list[str]:
        """Return the folded words of ``text`` that are not stop words, spelling normalized."""
        kept = [_PROTECTED.get(w, w) for w in words(text) if w not in self._stop]
        if self.language == "en":
            kept = [_normalize_spelling(w) for w in kept]
        return kept

    def stem_word(self, word: str) -> str:
        """Return the stem of one folded word."""
        return str(self._stemmer.stemWord(word))

    def terms(self, text: str) -> list[str]:
        """Return the stems of ``text`` followed by the concept terms found in it."""
        stems = self.stems(text)
        return stems + self.concepts(stems)

    def concepts(self, stems: list[str]) -> list[str]:
        """Return one concept term per acronym or phrase occurrence in ``stems``."""
        found: list[str] = []
        for position, stem in enumerate(stems):
            for phrase, concept in self._phrases.get(stem, ()):
                if tuple(stems[position : position + len(phrase)]) == phrase:
                    found.append(concept)
        return found

    def _compile_phrases(self) -> dict[str, list[tuple[tuple[str, ...], str]]]:
        table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for concept, phrase in concept_phrases(self.language):
            stems = tuple(self.stems(phrase))
            if stems:
                entry = (stems, CONCEPT_PREFIX + concept)
                bucket = table.setdefault(stems[0], [])
                if entry not in bucket:
                    bucket.append(entry)
        return table


@lru_cache(maxsize=8)
def analyzer_for(language: str) -> Analyzer:
    """Return the shared analyzer of ``language`` (English for anything unknown)."""
    return Analyzer(as_language(language))


def as_language(value: str | None, default: Language = "en") -> Language:
    """Return ``value`` as a supported language code, or ``default``."""
    code = (value or "").strip().lower()[:2]
    for language in LANGUAGES:
        if code == language:
            return language
    return default


_MARKERS: Final[dict[Language, frozenset[str]]] = {
    "en": frozenset(
        "the and of is are what how where who which when why can does do my our to for with"
        " from this that there be an it about please i we".split()
    ),
    "fr": frozenset(
        "le les des du est et comment quel quelle quels quelles ou qui pour une sur dans je"
        " nous peut aux ce cette au qu il elle avec sont est-ce faire mon notre".split()
    ),
    "es": frozenset(
        "el los las del y es como que cual cuales donde quien para una por puedo se sobre"
        " con al mi nuestro esta estan hay son cuando".split()
    ),
}


def detect_language(text: str, default: Language = "en") -> Language:
    """Guess whether ``text`` is English, French or Spanish from its function words."""
    scores: dict[Language, float] = dict.fromkeys(LANGUAGES, 0.0)
    tokens = words(text)
    for token in tokens:
        for language in LANGUAGES:
            if token in _MARKERS[language]:
                scores[language] += 1.0
    if "¿" in text or "ñ" in text or "¡" in text:
        scores["es"] += 2.0
    if any(char in text for char in "çèêàùœâî"):
        scores["fr"] += 1.5
    if "'" in text or "’" in text:
        scores["fr"] += 0.5 if re.search(r"\b[ldjqnsc][’']", text.lower()) else 0.0
    best = max(LANGUAGES, key=lambda language: (scores[language], language == default))
    return best if scores[best] > 0 else default


def unique(terms: Iterable[str]) -> list[str]:
    """Return ``terms`` without repeats, keeping the first occurrence order."""
    return list(dict.fromkeys(terms))


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(¿¡]?[A-ZÀ-Ý0-9])")
_ABBREVIATIONS: Final = frozenset(
    "e.g i.e art arts no nos para paras dr mr ms mrs vol etc approx cf fig p pp st vs"
    " resp incl approx nr sr sra ej av dept min".split()
)


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, not breaking after common abbreviations."""
    pieces = _SENTENCE_END.split(text.strip())
    sentences: list[str] = []
    for piece in pieces:
        if sentences:
            last_word = sentences[-1].rsplit(None, 1)[-1].rstrip(".").lower()
            if last_word in _ABBREVIATIONS or len(last_word) == 1:
                sentences[-1] = f"{sentences[-1]} {piece}"
                continue
        sentences.append(piece)
    return [sentence.strip() for sentence in sentences if sentence.strip()]
