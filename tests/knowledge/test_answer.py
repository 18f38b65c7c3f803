from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import Article16KnowledgeBase
from knowledge.answer import MAX_CHARS


def test_pacific_centre_answer_names_apia_and_cites_a_source(
    shipped_kb: Article16KnowledgeBase,
) -> None:
    answer = shipped_kb.answer("where is the regional centre for the Pacific?")
    assert answer.answered
    assert "Apia" in answer.text
    assert answer.sources and answer.sources[0].path.startswith("en/regional-centres")
    assert answer.sources[0].title and answer.sources[0].url.startswith("http")
    assert 0 < answer.confidence <= 1


@pytest.mark.parametrize(
    "question",
    [
        "give me a recipe for paella",
        "What's the weather in Geneva tomorrow?",
        "Who won the football world cup?",
        "Can you help me write a love poem for my wife?",
        "How many Parties does the Minamata Convention have?",
        "Quelle est la recette de la tarte tatin ?",
        "¿Quién ganó el partido de fútbol ayer?",
        "What time is it in New York?",
        "Who is the president of France?",
        "¿Cuál es la capital de Chile?",
    ],
)
def test_out_of_scope_questions_are_declined(
    shipped_kb: Article16KnowledgeBase, question: str
) -> None:
    answer = shipped_kb.answer(question)
    assert not answer.answered
    assert answer.text == "" and answer.sources == ()


def test_answer_is_short_enough_for_telegram_and_slack(shipped_kb: Article16KnowledgeBase) -> None:
    for question in [
        "What are the six areas of technical assistance in Article 16?",
        "How do I request technical assistance?",
        "What is the Special Programme?",
    ]:
        answer = shipped_kb.answer(question)
        assert answer.answered
        assert len(answer.text) <= MAX_CHARS


def test_answer_offers_up_to_three_related_questions(shipped_kb: Article16KnowledgeBase) -> None:
    answer = shipped_kb.answer("How do I request technical assistance?")
    assert 1 <= len(answer.related) <= 3
    assert all(question.endswith("?") for question in answer.related)
    assert len(set(answer.related)) == len(answer.related)


def test_french_question_gets_a_french_answer_from_a_french_document(
    shipped_kb: Article16KnowledgeBase,
) -> None:
    answer = shipped_kb.answer("Où se trouve le centre régional pour le Pacifique ?")
    assert answer.answered and answer.language == "fr"
    assert answer.sources[0].path.startswith("fr/")
    assert "Apia" in answer.text


def test_spanish_question_detected_even_with_an_english_hint(
    shipped_kb: Article16KnowledgeBase,
) -> None:
    answer = shipped_kb.answer("¿Cómo solicito asistencia técnica?", language="en")
    assert answer.answered and answer.language == "es"
    assert answer.sources[0].path.startswith("es/")


def test_acronym_question_is_answered(shipped_kb: Article16KnowledgeBase) -> None:
    answer = shipped_kb.answer("What is PACE?")
    assert answer.answered
    assert "Computing Equipment" in answer.text


def test_typo_question_is_answered(shipped_kb: Article16KnowledgeBase) -> None:
    answer = shipped_kb.answer("how do I reqest technical asistance")
    assert answer.answered
    assert answer.sources[0].path == "en/how-to-request-technical-assistance.md"


def test_a_lead_in_at_the_end_of_a_passage_is_quoted_without_a_list() -> None:
    from knowledge.answer import split_units

    units = split_units("Centres exist in the regions.\nThe centres are:", 0)
    assert [unit.kind for unit in units] == ["sentence", "sentence"]


def test_list_items_are_quoted_with_their_lead_in(tmp_path: Path) -> None:
    from knowledge.index import KnowledgeIndex
    from tests.knowledge.builders import write_markdown

    body = (
        "## Areas\n\nThe Secretariat helps in three areas:\n\n- notification handling;\n"
        "- waste monitoring;\n- emergency responses.\n\nThe areas are examples.\n"
    )
    write_markdown(tmp_path / "areas.md", title="Assistance areas", body=body)
    index = KnowledgeIndex.open(tmp_path / "index", corpus_dir=None)
    index.ingest([tmp_path / "areas.md"])
    answer = Article16KnowledgeBase(index).answer("What are the three assistance areas?")
    assert "three areas:\n- notification handling;" in answer.text
    assert "- emergency responses." in answer.text
