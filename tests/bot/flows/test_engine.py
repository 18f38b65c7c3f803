"""The flow engine: validation, skip conditions, back, cancel, edit, outdated buttons, resume."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.core import Reply
from bot.flows.engine import FlowEngine, Outcome
from bot.flows.spec import FlowSpec, flow_from_dict

SURVEY: dict[str, Any] = {
    "name": "survey",
    "title": {"en": "Survey", "fr": "Enquête"},
    "steps": [
        {"id": "kind", "kind": "single", "prompt": {"en": "Which kind?", "fr": "Quel type ?"},
         "choices": [{"code": "training", "label": {"en": "Training", "fr": "Formation"}},
                     {"code": "advice", "label": {"en": "Advice", "fr": "Conseil"}}]},
        {"id": "people", "kind": "number", "prompt": {"en": "How many people?"},
         "min_value": 1, "max_value": 500,
         "skip_if": [{"step": "kind", "not_equals": "training"}]},
        {"id": "topics", "kind": "multi", "prompt": {"en": "Which topics?"},
         "choices": ["e_waste", "plastic_waste", "other"], "vocabulary": "assistance_areas"},
        {"id": "other", "kind": "text", "prompt": {"en": "Describe the other topic"},
         "min_length": 10, "example": {"en": "Tyres from mining trucks"},
         "skip_if": [{"step": "topics", "excludes": "other"}]},
        {"id": "start", "kind": "date", "prompt": {"en": "Earliest start?"}, "allow_past": False,
         "optional": True},
        {"id": "online", "kind": "yes_no", "prompt": {"en": "Online is fine?"}},
    ],
}  # fmt: skip

TODAY = "2026-11-25"


@pytest.fixture
def spec() -> FlowSpec:
    return flow_from_dict(SURVEY)


@pytest.fixture
def engine() -> FlowEngine:
    return FlowEngine()


class Driver:
    """Feed one flow with text and button presses, keeping the state as JSON like the DB does."""

    def __init__(self, engine: FlowEngine, spec: FlowSpec, language: str = "en") -> None:
        self.engine, self.spec, self.language = engine, spec, language
        outcome = engine.start(spec, language=language, context={"today": TODAY})
        self.last = outcome
        self.state = self._roundtrip(outcome.state)

    @staticmethod
    def _roundtrip(state: dict[str, Any] | None) -> dict[str, Any] | None:
        return json.loads(json.dumps(state)) if state is not None else None

    def _keep(self, outcome: Outcome) -> Outcome:
        self.last, self.state = outcome, self._roundtrip(outcome.state)
        return outcome

    @property
    def replies(self) -> list[Reply]:
        return self.last.replies

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)

    def say(self, text: str) -> Outcome:
        assert self.state is not None
        return self._keep(self.engine.on_text(self.spec, self.state, text, language=self.language))

    def press(self, label_part: str) -> Outcome:
        assert self.state is not None
        for reply in self.replies:
            for button in reply.flat_buttons:
                if label_part.casefold() in button.label.casefold():
                    return self._keep(
                        self.engine.on_action(
                            self.spec, self.state, button.action, language=self.language
                        )
                    )
        raise AssertionError(
            f"no button {label_part!r}: {[b.label for r in self.replies for b in r.flat_buttons]}"
        )  # noqa: E501

    def press_raw(self, action: str) -> Outcome:
        assert self.state is not None
        return self._keep(
            self.engine.on_action(self.spec, self.state, action, language=self.language)
        )  # noqa: E501


def test_a_complete_run_ends_with_a_summary_and_submits_every_answer(engine, spec) -> None:
    d = Driver(engine, spec)
    assert "Which kind?" in d.text
    d.press("Training")
    assert "How many people?" in d.text
    d.say("25")
    d.press("Plastic")
    d.press("Other")
    d.press("Done")
    d.say("Used tyres from mining trucks")
    d.say("2027-03-01")
    d.press("Yes")
    assert "check your answers" in d.text
    assert "Used tyres from mining trucks" in d.text
    outcome = d.press("Submit")
    assert outcome.state is None
    assert outcome.completed == {
        "kind": "training", "people": 25, "topics": ["plastic_waste", "other"],
        "other": "Used tyres from mining trucks", "start": "2027-03-01", "online": True,
    }  # fmt: skip


def test_a_skip_condition_leaves_the_step_out(engine, spec) -> None:
    d = Driver(engine, spec)
    d.press("Advice")
    assert "Which topics?" in d.text
    assert "How many people?" not in d.text


def test_a_number_out_of_range_is_refused_and_asked_again(engine, spec) -> None:
    d = Driver(engine, spec)
    d.press("Training")
    d.say("many")
    assert "whole number" in d.text and "How many people?" in d.text
    d.say("0")
    assert "at least 1" in d.text and "How many people?" in d.text
    d.say("1 200")
    assert "no greater than 500" in d.text
    d.say("30")
    assert "Which topics?" in d.text


def test_a_short_text_is_refused_with_the_minimum_and_the_example(engine, spec) -> None:
    d = Driver(engine, spec)
    d.press("Advice")
    d.press("Other")
    d.press("Done")
    d.say("tyres")
    assert "at least 10 characters" in d.text
    assert "Tyres from mining trucks" in d.text
    assert "Describe the other topic" in d.text


def test_a_past_date_and_a_malformed_date_are_refused(engine, spec) -> None:
    d = Driver(engine, spec)
    d.press("Advice")
    d.press("Plastic")
    d.press("Done")
    d.say("2020-01-01")
    assert "in the past" in d.text
    d.say("next spring")
    assert "YYYY-MM-DD" in d.text
    d.say("31/12/2027")
    assert "Online is fine?" in d.text


def test_an_optional_step_can_be_skipped(engine, spec) -> None:
    d = Driver(engine, spec)
    d.press("Advice")
    d.press("Plastic")
    d.press("Done")
    d.press("Skip")
    assert "Online is fine?" in d.text


def test_multiple_choice_toggles_ticks_in_place_and_needs_one_choice(engine, spec) -> None:
    d = Driver(engine, spec)
    d.press("Advice")
    d.press("Done")
    assert "at least one" in d.text
    d.press("Plastic")
    assert d.replies[0].edit is True
    assert d.button_label_with("Plastic").startswith("✓")
    d.press("Plastic")
    assert not d.button_label_with("Plastic").startswith("✓")


def _label_with(self: Driver, part: str) -> str:
    return next(b.label for r in self.replies for b in r.flat_buttons if part in b.label)


Driver.button_label_with = _label_with  # type: ignore[attr-defined]


def test_back_returns_to_the_previous_question_across_skipped_steps(engine, spec) -> None:
    d = Driver(engine, spec)
    d.press("Advice")
    assert "Which topics?" in d.text
    d.press("Back")
    assert "Which kind?" in d.text
    d.say("back")
    assert "first question" in d.text


def test_choices_can_be_typed_by_number_or_label_in_any_language(engine, spec) -> None:
    d = Driver(engine, spec)
    d.say("2")
    assert "Which topics?" in d.text
    d2 = Driver(engine, spec)
    d2.say("formation")
    assert "How many people?" in d2.text


def test_text_that_is_not_a_choice_is_flagged_unrecognised(engine, spec) -> None:
    d = Driver(engine, spec)
    outcome = d.say("what is a regional centre?")
    assert outcome.unrecognised
    assert "choose one of the options" in d.text and "Which kind?" in d.text


def test_cancel_asks_for_confirmation_and_can_be_declined(engine, spec) -> None:
    d = Driver(engine, spec)
    d.press("Training")
    d.last = engine.request_cancel(spec, d.state, language="en")
    assert "stop here" in d.text
    d.press("No, continue")
    assert "How many people?" in d.text
    d.last = engine.request_cancel(spec, d.state, language="en")
    outcome = d.press("Yes, stop")
    assert outcome.cancelled and outcome.state is None
    assert outcome.extra["answers"] == {"kind": "training"}


def test_editing_from_the_summary_asks_new_steps_the_change_requires(engine, spec) -> None:
    d = Driver(engine, spec)
    d.press("Advice")
    d.press("Plastic")
    d.press("Done")
    d.press("Skip")
    d.press("No")
    assert "check your answers" in d.text
    d.press("✏️ Which kind")
    d.press("Training")
    assert "How many people?" in d.text  # newly required by the change
    d.say("12")
    assert "check your answers" in d.text
    assert d.press("Submit").completed["people"] == 12


def test_a_button_from_an_earlier_run_is_answered_politely(engine, spec) -> None:
    old = Driver(engine, spec)
    stale_action = old.replies[-1].flat_buttons[0].action
    d = Driver(engine, spec)
    d.press_raw(stale_action)
    assert "earlier question" in d.text and "Which kind?" in d.text


def test_a_stored_state_resumes_in_a_new_engine_at_the_same_step(spec) -> None:
    d = Driver(FlowEngine(), spec)
    d.press("Training")
    stored = json.dumps(d.state)
    outcome = FlowEngine().resume(spec, json.loads(stored), language="en")
    assert "How many people?" in outcome.replies[0].text


def test_texts_follow_the_language(engine, spec) -> None:
    d = Driver(engine, spec, language="fr")
    assert "Quel type ?" in d.text
    assert d.replies[-1].flat_buttons[0].label == "Formation"


def test_a_changed_definition_changes_the_conversation(engine) -> None:
    changed = json.loads(json.dumps(SURVEY))
    changed["steps"][0]["prompt"]["en"] = "What do you need most?"
    changed["steps"][0]["choices"].append({"code": "grant", "label": {"en": "A small grant"}})
    d = Driver(engine, flow_from_dict(changed))
    assert "What do you need most?" in d.text
    assert any(b.label == "A small grant" for b in d.replies[-1].flat_buttons)


def test_a_definition_with_a_condition_on_an_unknown_step_is_refused() -> None:
    broken = json.loads(json.dumps(SURVEY))
    broken["steps"][1]["skip_if"] = [{"step": "nope", "equals": 1}]
    with pytest.raises(ValueError, match="unknown step"):
        flow_from_dict(broken)


def test_every_button_action_fits_telegram_callback_data(engine, spec) -> None:
    d = Driver(engine, spec)
    d.press("Advice")
    for reply in d.replies:
        for button in reply.flat_buttons:
            assert len(button.action.encode()) <= 64
