"""Decide how sure the knowledge base is that its passages answer a question.

Confidence is the IDF-weighted share of the question's terms that the best
passage (its title, section and text) contains: a question made of words the
corpus has never seen ("a recipe for paella") scores near zero, one whose
rare words all sit in one passage scores near one. Questions about everyday
matters (weather, sport, cooking, personal life) or about other treaties'
business are declined outright unless they also name the BRS conventions'
own topics.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

from knowledge.generic import GENERIC_WORDS
from knowledge.index import KnowledgeIndex, analyze
from knowledge.lexicon import CONCEPT_PREFIX
from knowledge.model import Chunk
from knowledge.retrieve import Hit, Query
from knowledge.text import analyzer_for
from knowledge.text import words as fold_words

#: Weight of a term that was only reached through a typo correction.
CORRECTED_WEIGHT = 0.8
#: Weight of an everyday word ("time", "president"): it matches passages by chance.
GENERIC_WEIGHT = 0.4
#: Weight of a word the corpus never uses: everyday words ("put", "apart") are
#: often missing from a specialised corpus, so they count, but less.
UNKNOWN_WEIGHT = 0.5

# Words that only everyday questions use; ambiguous ones ("match", "team", Spanish
# "equipo" = equipment, "bolsa" = plastic bag, "tiempo" = time) are left out.
_OFF_TOPIC_WORDS: Final[dict[str, str]] = {
    "en": (
        "weather forecast rain football soccer basketball tennis cricket olympics recipe"
        " cook cooking bake paella pizza restaurant dinner lunch breakfast movie song"
        " celebrity horoscope lottery dating girlfriend boyfriend wife husband birthday joke"
        " poem bitcoin crypto vacation diet cv resume tomorrow tonight"
    ),
    "fr": (
        "meteo pluie football recette cuisine cuisiner paella pizza restaurant diner"
        " dejeuner film chanson horoscope loto copine copain anniversaire blague poeme"
        " bitcoin vacances regime demain"
    ),
    "es": (
        "lluvia futbol receta cocina cocinar paella pizza restaurante cena almuerzo pelicula"
        " cancion horoscopo loteria novia novio esposa esposo cumpleanos chiste poema"
        " bitcoin vacaciones dieta manana"
    ),
}
# Treaties whose business is not BRS technical assistance. A question that also
# names a BRS convention or concept ("Does the Special Programme fund Minamata
# work?") stays in scope: the corpus explains how these treaties relate to BRS.
_OTHER_TREATIES: Final = frozenset(
    "minamata waigani bamako montreal kyoto unfccc ramsar unccd marpol ozone biodiversity"
    " desertification wetlands whaling".split()
)
# Acronyms that are also ordinary words once lower-cased ("cites").
_OTHER_TREATY_ACRONYMS: Final = frozenset({"CITES", "CBD", "NDC", "NDCs"})
_BRS_ANCHORS: Final = frozenset(
    "basel rotterdam stockholm brs bale basilea estocolmo centre centres center centers"
    " centro centros".split()
)


@lru_cache(maxsize=4)
def _off_topic_stems(language: str) -> frozenset[str]:
    analyzer = analyzer_for(language)
    return frozenset(analyzer.stems(_OFF_TOPIC_WORDS.get(language, _OFF_TOPIC_WORDS["en"])))


@lru_cache(maxsize=4)
def _generic_stems(language: str) -> frozenset[str]:
    """Return the stems of everyday words and of country names in ``language``.

    A country name matches the corpus's lists of countries whatever the
    question is about ("the capital of Chile"), so it is weak evidence too.
    """
    import pycountry

    analyzer = analyzer_for(language)
    countries = " ".join(country.name for country in pycountry.countries)
    words = f"{GENERIC_WORDS.get(language, GENERIC_WORDS['en'])} {countries}"
    return frozenset(analyzer.stems(words))


@lru_cache(maxsize=4096)
def _chunk_terms(chunk: Chunk) -> frozenset[str]:
    return frozenset(analyze(chunk))


def idf(term: str, index: KnowledgeIndex) -> float:
    """Return the BM25 inverse document frequency of ``term`` (highest for unseen terms)."""
    total = len(index.chunks)
    frequency = index.doc_freq.get(term, 0)
    return math.log(1.0 + (total - frequency + 0.5) / (frequency + 0.5))


def term_weights(query: Query, index: KnowledgeIndex) -> dict[str, float]:
    """Return the IDF weight of each query term, lowered for corrected and unknown ones."""
    corrected = set(query.corrected.values())
    weights: dict[str, float] = {}
    for term in query.terms:
        weight = idf(term, index)
        if term in corrected:
            weight *= CORRECTED_WEIGHT
        elif term not in index.doc_freq:
            weight *= UNKNOWN_WEIGHT
        weights[term] = weight
    return weights


def off_topic(query: Query) -> bool:
    """Tell whether the question is about everyday matters or another treaty, not BRS work."""
    stems = set(analyzer_for(query.language).stems(query.text))
    words = set(fold_words(query.text)) | stems
    has_concept = any(term.startswith(CONCEPT_PREFIX) for term in query.terms)
    anchored = has_concept or bool(words & _BRS_ANCHORS)
    if stems & _off_topic_stems(query.language) and not anchored:
        return True
    acronyms = set(query.text.replace("?", " ").split()) & _OTHER_TREATY_ACRONYMS
    return bool(words & _OTHER_TREATIES or acronyms) and not anchored


def confidence(query: Query, hits: Sequence[Hit], index: KnowledgeIndex) -> float:
    """Return the best IDF-weighted coverage of the question's terms by one of the top hits.

    A matched everyday word counts only :data:`GENERIC_WEIGHT` of its weight,
    while a missing one counts fully: "What time is it in New York?" matches
    "time" somewhere, which says little. A passage in another language than
    the question can only share concept terms and names, so the question's
    words that its language never uses count less against it.
    """
    if not hits or not query.terms:
        return 0.0
    weights = term_weights(query, index)
    generic = _generic_stems(query.language)
    best = 0.0
    for hit in hits[:3]:
        terms = _chunk_terms(hit.chunk)
        hit_weights = weights
        if hit.chunk.language != query.language:
            vocabulary = _vocabulary(index, hit.chunk.language)
            hit_weights = {
                term: weight * (1.0 if term in vocabulary else UNKNOWN_WEIGHT)
                for term, weight in weights.items()
            }
        total = sum(hit_weights.values())
        if total > 0:
            covered = sum(
                weight * (GENERIC_WEIGHT if term in generic else 1.0)
                for term, weight in hit_weights.items()
                if term in terms
            )
            best = max(best, covered / total)
    return round(best, 4)


def _vocabulary(index: KnowledgeIndex, language: str) -> frozenset[str]:
    cached = _VOCABULARIES.get((id(index), index.version, language))
    if cached is None:
        cached = frozenset(index.vocabulary.get(language, ()))
        _VOCABULARIES.clear()  # one index at a time is the common case; keep memory flat
        _VOCABULARIES[(id(index), index.version, language)] = cached
    return cached


_VOCABULARIES: dict[tuple[int, int, str], frozenset[str]] = {}
