"""The questionnaire files: complete translations, known codes, and how answers are shown."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml

from bot import vocab
from bot.flows.engine import FlowEngine
from bot.flows.registry import DEFINITIONS_DIR, load_definition
from bot.flows.spec import FlowSpec
from bot.i18n import CATALOGUE_DIR, SUPPORTED_LANGUAGES

DEFINITIONS = ("needs", "need_withdraw")


def texts(spec: FlowSpec) -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = [("title", spec.title), ("intro", spec.intro)]
    for step in spec.steps:
        found += [(f"{step.id}.{name}", getattr(step, name)) for name in ("prompt", "label")]
        found += [(f"{step.id}.{n}", getattr(step, n)) for n in ("help", "example")]
        found += [(f"{step.id}.{c.code}", c.label) for c in step.choices]
    return [(where, text) for where, text in found if isinstance(text, Mapping)]


@pytest.mark.parametrize("name", DEFINITIONS)
def test_every_inline_text_is_in_english_french_and_spanish(name: str) -> None:
    missing = [
        (where, lang)
        for where, text in texts(load_definition(name))
        for lang in SUPPORTED_LANGUAGES
        if not isinstance(text, Mapping) or not text.get(lang)
    ]
    assert missing == []


def test_every_choice_without_a_label_is_a_code_of_its_vocabulary() -> None:
    for step in load_definition("needs").steps:
        for choice in step.choices:
            if choice.label is None:
                assert choice.code in vocab.get_vocabulary(step.vocabulary or ""), step.id


def test_the_areas_start_with_the_six_article_16_areas_and_end_with_other() -> None:
    areas = next(s for s in load_definition("needs").steps if s.id == "areas")
    codes = [choice.code for choice in areas.choices]
    assert tuple(codes[:6]) == vocab.ART16_AREAS
    assert codes[-1] == "other"


def test_the_needs_catalogues_have_the_same_keys_in_every_language() -> None:
    keys = {
        lang: set(yaml.safe_load((CATALOGUE_DIR / f"needs.{lang}.yaml").read_text("utf-8")))
        for lang in SUPPORTED_LANGUAGES
    }
    assert keys["fr"] == keys["en"] and keys["es"] == keys["en"]


def test_describe_shows_answered_steps_that_apply_with_their_labels() -> None:
    spec = load_definition("needs", Path(DEFINITIONS_DIR))
    answers = {
        "conventions": ["basel"], "areas": ["e_waste"], "types": ["pilot_project"],
        "participants": 30, "priority": "high", "timeframe": "within_6_months",
    }  # fmt: skip
    shown = FlowEngine().describe(spec, answers, language="fr")
    assert shown == [
        ("Convention(s)", "Convention de Bâle"),
        ("Domaine(s)", vocab.ASSISTANCE_AREA.label("e_waste", "fr")),
        ("Type(s) d'assistance", vocab.ASSISTANCE_TYPE.label("pilot_project", "fr")),
        ("Priorité", vocab.PRIORITY.label("high", "fr")),
        ("Délai", vocab.TIMEFRAME.label("within_6_months", "fr")),
    ]  # participants are left out: not a training
