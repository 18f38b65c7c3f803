"""A flow as a whole form: what a form shows and how a submission is checked."""

from __future__ import annotations

from bot.flows.engine import FlowEngine
from bot.flows.forms import build_form, check_submission
from bot.flows.spec import StepKind, flow_from_dict
from tests.bot.flows.test_engine import SURVEY

SPEC = flow_from_dict(SURVEY)
ENGINE = FlowEngine()
TODAY = {"today": "2026-11-25"}


def test_the_form_has_a_field_per_step_with_labels_and_choices_in_the_language() -> None:
    form = build_form(ENGINE, SPEC, language="fr")
    assert [f.id for f in form.fields] == ["kind", "people", "topics", "other", "start", "online"]
    kind = form.fields[0]
    assert (kind.kind, kind.choices) == (StepKind.SINGLE, (("training", "Formation"),
                                                           ("advice", "Conseil")))  # fmt: skip
    assert form.language == "fr" and form.title == "Enquête"


def test_steps_that_depend_on_other_answers_are_marked_conditional_and_optional() -> None:
    fields = {f.id: f for f in build_form(ENGINE, SPEC, language="en").fields}
    assert fields["people"].conditional and fields["people"].optional
    assert not fields["kind"].conditional and not fields["kind"].optional
    assert fields["start"].optional and not fields["start"].conditional


def test_a_step_left_out_by_the_context_is_not_in_the_form() -> None:
    raw = {**SURVEY, "steps": [dict(SURVEY["steps"][0], skip_if=[{"context": "verified",
                                                                  "equals": True}])]}  # fmt: skip
    form = build_form(ENGINE, flow_from_dict(raw), language="en", context={"verified": True})
    assert form.fields == ()


def test_a_valid_submission_is_cleaned_like_the_chat_would() -> None:
    check = check_submission(
        ENGINE, SPEC,
        {"kind": "training", "people": "1 200", "topics": ["other", "e_waste"],
         "other": "Used tyres from mining trucks", "start": "", "online": "yes"},
        language="en", context=TODAY,
    )  # fmt: skip
    assert check.errors == {"people": "Please type a number no greater than 500."}
    check = check_submission(
        ENGINE, SPEC,
        {"kind": "training", "people": "120", "topics": ["other", "e_waste"],
         "other": "Used tyres from mining trucks", "start": "31/12/2027", "online": "no"},
        language="en", context=TODAY,
    )  # fmt: skip
    assert check.errors == {}
    assert check.answers == {
        "kind": "training", "people": 120, "topics": ["e_waste", "other"],
        "other": "Used tyres from mining trucks", "start": "2027-12-31", "online": False,
    }  # fmt: skip


def test_answers_to_steps_that_do_not_apply_are_dropped_and_bad_ones_named() -> None:
    check = check_submission(
        ENGINE, SPEC,
        {"kind": "advice", "people": "abc", "topics": ["plastic_waste", "nope"], "other": "x",
         "online": "maybe"},
        language="en", context=TODAY,
    )  # fmt: skip
    assert set(check.errors) == {"topics", "online"}
    assert "people" not in check.answers and "other" not in check.answers


def test_a_missing_required_answer_is_an_error_on_that_field() -> None:
    check = check_submission(ENGINE, SPEC, {"kind": "advice"}, language="en", context=TODAY)
    assert set(check.errors) == {"topics", "online"}
