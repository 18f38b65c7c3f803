"""Present a flow as one form and validate a whole submission (Slack modals use this).

A chat walks a flow one question at a time; a form shows every question at
once and checks every answer when it is submitted. Both read the same flow
definition and the same validation rules, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.errors import UserInputError
from bot.flows.engine import FlowEngine
from bot.flows.spec import FlowSpec, Step, StepKind
from bot.i18n import localise, translate


@dataclass(frozen=True, slots=True)
class FormField:
    """One question of a form, ready to render."""

    id: str
    kind: StepKind
    label: str
    hint: str
    choices: tuple[tuple[str, str], ...]
    optional: bool
    initial: Any = None
    #: Shown only when other answers make it apply (forms show it, marked).
    conditional: bool = False
    max_length: int | None = None


@dataclass(frozen=True, slots=True)
class Form:
    """A whole flow as a form."""

    flow: str
    title: str
    submit: str
    fields: tuple[FormField, ...]
    #: The language the texts are in (the person's choice, not the platform's).
    language: str = "en"


@dataclass(slots=True)
class FormCheck:
    """The cleaned answers of a submission, or the error per field."""

    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def build_form(
    engine: FlowEngine,
    spec: FlowSpec,
    *,
    language: str,
    context: Mapping[str, Any] | None = None,
    initial: Mapping[str, Any] | None = None,
) -> Form:
    """Describe ``spec`` as a form; steps skipped by the context alone are left out."""
    context = dict(context or {})
    fields = []
    for step in spec.steps:
        if any(c.subject.startswith("context.") and c.holds({}, context) for c in step.skip_if):
            continue
        # The short summary label names the field; the full chat question becomes its hint.
        hint_parts = [localise(step.prompt, language)]
        if step.help is not None:
            hint_parts.append(localise(step.help, language))
        if step.example is not None:
            example = localise(step.example, language)
            hint_parts.append(translate("flow.example", language, example=example))
        choices: tuple[tuple[str, str], ...] = ()
        if step.kind in (StepKind.SINGLE, StepKind.MULTI):
            choices = tuple(engine.choices(step, language))
        elif step.kind is StepKind.YES_NO:
            choices = (("yes", translate("common.yes", language)),
                       ("no", translate("common.no", language)))  # fmt: skip
        fields.append(
            FormField(
                id=step.id,
                kind=step.kind,
                label=localise(step.label, language),
                hint=" ".join(hint_parts),
                choices=choices,
                optional=step.optional or _depends_on_answers(step),
                initial=(initial or {}).get(step.id),
                conditional=_depends_on_answers(step),
                max_length=step.max_length,
            )
        )
    return Form(
        flow=spec.name,
        title=localise(spec.title, language),
        submit=localise(spec.submit_label, language),
        fields=tuple(fields),
        language=language,
    )


def _depends_on_answers(step: Step) -> bool:
    """Tell whether other answers decide if the step applies (a form cannot know in advance)."""
    return any(not condition.subject.startswith("context.") for condition in step.skip_if)


def check_submission(
    engine: FlowEngine,
    spec: FlowSpec,
    raw: Mapping[str, Any],
    *,
    language: str,
    context: Mapping[str, Any] | None = None,
) -> FormCheck:
    """Validate every answer of a submitted form with the chat's rules.

    ``raw`` maps step ids to strings (text, number, date, a choice code,
    ``yes``/``no``) or lists of codes (multiple choice).
    """
    context = dict(context or {})
    check = FormCheck()
    for step in spec.steps:
        if step.skipped(check.answers, context):
            continue
        value = raw.get(step.id)
        empty = value is None or value == "" or value == []
        if empty:
            if step.optional:
                check.answers[step.id] = None
            else:
                check.errors[step.id] = translate(
                    "flow.error.pick_one" if step.kind is StepKind.MULTI else "flow.error.empty",
                    language,
                )
            continue
        try:
            check.answers[step.id] = _clean(engine, step, value, language, context)
        except UserInputError as error:
            values = error.args[1] if len(error.args) > 1 else {}
            check.errors[step.id] = translate(str(error.args[0]), language, **values)
    return check


def _clean(
    engine: FlowEngine, step: Step, value: Any, language: str, context: Mapping[str, Any]
) -> Any:
    choice_step = step.kind in (StepKind.SINGLE, StepKind.MULTI)
    codes = [code for code, _ in engine.choices(step, language)] if choice_step else []
    match step.kind:
        case StepKind.SINGLE:
            if value not in codes:
                raise UserInputError("flow.error.choose")
            return value
        case StepKind.MULTI:
            chosen = [value] if isinstance(value, str) else list(value)
            if any(code not in codes for code in chosen):
                raise UserInputError("flow.error.choose")
            return sorted(set(chosen), key=codes.index)
        case StepKind.YES_NO:
            if value not in ("yes", "no", True, False):
                raise UserInputError("flow.error.choose")
            return value in ("yes", True)
        case StepKind.TEXT:
            return engine.check_text(step, str(value).strip(), language)
        case StepKind.NUMBER:
            return engine.check_number(step, str(value))
        case StepKind.DATE:
            return engine.check_date(step, str(value), {"context": context})
    raise AssertionError(step.kind)  # pragma: no cover
