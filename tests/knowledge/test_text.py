from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import Article16KnowledgeBase
from knowledge.index import KnowledgeIndex
from knowledge.text import analyzer_for, detect_language, fold, split_sentences
from knowledge.typos import Speller, edit_distance
from tests.knowledge.builders import write_markdown


def test_fold_removes_case_accents_and_ligatures() -> None:
    assert fold("Bâle, SÉNÉGAL, œuvre, Pequeños") == "bale, senegal, oeuvre, pequenos"


@pytest.mark.parametrize(
    ("language", "first", "second"),
    [
        ("en", "regional centers", "regional centre"),
        ("en", "organisations", "organizations"),
        ("fr", "les centres régionaux", "centre régional"),
        ("es", "los centros regionales", "centro regional"),
    ],
)
def test_stemming_and_spelling_make_variants_meet(language: str, first: str, second: str) -> None:
    analyzer = analyzer_for(language)
    assert analyzer.stems(first) == analyzer.stems(second)


@pytest.mark.parametrize(
    ("language", "acronym", "phrase", "concept"),
    [
        ("en", "BCRC", "Basel Convention regional centre", "~bcrc"),
        ("en", "PIC", "prior informed consent", "~pic"),
        ("en", "ESM", "environmentally sound management", "~esm"),
        ("en", "e-waste", "waste electrical and electronic equipment", "~ewaste"),
        ("en", "SIDS", "small island developing States", "~sids"),
        ("fr", "PEID", "petits États insulaires en développement", "~sids"),
        ("es", "FMAM", "Fondo para el Medio Ambiente Mundial", "~gef"),
    ],
)
def test_acronym_and_phrase_share_a_concept_term(
    language: str, acronym: str, phrase: str, concept: str
) -> None:
    analyzer = analyzer_for(language)
    assert concept in analyzer.terms(acronym)
    assert concept in analyzer.terms(phrase)


def test_spanish_cop_means_pops_but_english_cop_means_the_conference() -> None:
    assert "~pops" in analyzer_for("es").terms("COP")
    assert "~cop" in analyzer_for("en").terms("COP")


def test_stop_words_are_dropped_per_language() -> None:
    assert analyzer_for("en").stems("where is the centre") == ["centr"]
    assert analyzer_for("fr").stems("où se trouve le centre") == ["centr"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Where is the regional centre for the Pacific?", "en"),
        ("Où se trouve le centre régional pour le Pacifique ?", "fr"),
        ("¿Dónde está el centro regional para el Pacífico?", "es"),
        ("Comment demander une assistance technique", "fr"),
        ("Cómo solicitar asistencia técnica", "es"),
    ],
)
def test_detect_language_from_function_words(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_detect_language_falls_back_to_the_default() -> None:
    assert detect_language("BCRC SCRC", default="fr") == "fr"


def test_sentences_do_not_break_after_abbreviations() -> None:
    text = "See Art. 6 for details, e.g. notifications. The next sentence starts here."
    assert split_sentences(text) == [
        "See Art. 6 for details, e.g. notifications.",
        "The next sentence starts here.",
    ]


def test_edit_distance_counts_transpositions_as_one() -> None:
    assert edit_distance("reprot", "report", 2) == 1
    assert edit_distance("centre", "center", 2) == 1  # "re" -> "er"
    assert edit_distance("centre", "central", 2) == 2
    assert edit_distance("abcdef", "uvwxyz", 2) == 3


def test_speller_corrects_long_terms_only() -> None:
    speller = Speller(["assist", "request", "centr"])
    assert speller.correct("asist", word_length=9) == "assist"
    assert speller.correct("reqest") == "request"
    assert speller.correct("cent") is None  # too short to correct safely


CORPUS = {
    "centres.md": ("Regional centres", "## Pacific\n\nThe Basel Convention regional centre for "
                   "the Pacific is hosted by SPREP in Apia, Samoa.\n"),
    "pic.md": ("Notification", "## Consent\n\nShipments need the prior informed consent of the "
               "State of import before they start.\n"),
    "webinars.md": ("Webinars", "## Languages\n\nWebinars are held in English, French and "
                    "Spanish, with recordings.\n"),
}  # fmt: skip


@pytest.fixture
def small_kb(empty_index: KnowledgeIndex, tmp_path: Path) -> Article16KnowledgeBase:
    for name, (title, body) in CORPUS.items():
        write_markdown(tmp_path / name, title=title, body=body)
    empty_index.ingest(sorted(tmp_path.glob("*.md")))
    return Article16KnowledgeBase(empty_index)


def _top_path(kb: Article16KnowledgeBase, question: str) -> str:
    _, hits = kb.search(question)
    return Path(hits[0].chunk.path).name


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("regional centers in the pacific", "centres.md"),
        ("which BCRC serves the Pacific?", "centres.md"),
        ("what is PIC?", "pic.md"),
        ("wich regionnal centre serves the pacifc", "centres.md"),
        ("are there webinars in spanish?", "webinars.md"),
        ("are there webniars in spanish?", "webinars.md"),
    ],
)
def test_retrieval_handles_acronyms_typos_and_variants(
    small_kb: Article16KnowledgeBase, question: str, expected: str
) -> None:
    assert _top_path(small_kb, question) == expected


def test_query_records_the_typos_it_corrected(small_kb: Article16KnowledgeBase) -> None:
    query, _ = small_kb.search("are there webniars in spanish?")
    assert query.corrected == {"webniars": "webinar"}
