"""Describe a guided flow as data: steps, choices, validation and skip conditions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import yaml

LocalText = str | Mapping[str, str]
"""A catalogue key, or the text itself per language (``{"en": ..., "fr": ...}``)."""

ConditionOp = Literal[
    "equals", "not_equals", "includes", "excludes", "includes_any", "empty", "set"
]


class StepKind(StrEnum):
    """What a step asks for."""

    SINGLE = "single"
    MULTI = "multi"
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    YES_NO = "yes_no"


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a choice step; ``label`` None means the vocabulary's label."""

    code: str
    label: LocalText | None = None


@dataclass(frozen=True, slots=True)
class Condition:
    """A test on an earlier answer (``step``) or on the flow's context (``context.KEY``)."""

    subject: str
    op: ConditionOp
    value: Any = None

    def holds(self, answers: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
        """Tell whether the condition is true for these answers and context."""
        if self.subject.startswith("context."):
            actual = context.get(self.subject.removeprefix("context."))
        else:
            actual = answers.get(self.subject)
        wanted = self.value if isinstance(self.value, list) else [self.value]
        as_list = actual if isinstance(actual, list) else ([] if actual is None else [actual])
        match self.op:
            case "equals":
                return bool(actual == self.value)
            case "not_equals":
                return bool(actual != self.value)
            case "includes":
                return all(item in as_list for item in wanted)
            case "excludes":
                return not any(item in as_list for item in wanted)
            case "includes_any":
                return any(item in as_list for item in wanted)
            case "empty":
                return not as_list
            case "set":
                return bool(as_list)
        return False  # pragma: no cover  (Literal exhausts the cases)


@dataclass(frozen=True, slots=True)
class Step:
    """One question of a flow."""

    id: str
    kind: StepKind
    prompt: LocalText
    label: LocalText
    help: LocalText | None = None
    example: LocalText | None = None
    vocabulary: str | None = None
    choices: tuple[Choice, ...] = ()
    parser: str | None = None
    optional: bool = False
    min_length: int | None = None
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    allow_past: bool = True
    skip_if: tuple[Condition, ...] = ()

    def skipped(self, answers: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
        """Tell whether this step is left out given the answers so far."""
        return any(condition.holds(answers, context) for condition in self.skip_if)


@dataclass(frozen=True, slots=True)
class FlowSpec:
    """A whole guided flow."""

    name: str
    title: LocalText
    steps: tuple[Step, ...]
    intro: LocalText | None = None
    summary: bool = True
    submit_label: LocalText = "flow.submit"
    meta: Mapping[str, Any] = field(default_factory=dict)

    def index_of(self, step_id: str) -> int:
        """Return the position of a step by id."""
        for index, step in enumerate(self.steps):
            if step.id == step_id:
                return index
        raise KeyError(step_id)


def _text(raw: Any, where: str) -> LocalText:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, Mapping) and "en" in raw:
        return {str(lang): str(text) for lang, text in raw.items()}
    raise ValueError(f"{where}: a text must be a catalogue key or a mapping with an 'en' entry")


def _condition(raw: Mapping[str, Any], where: str) -> Condition:
    ops = [op for op in ConditionOp.__args__ if op in raw]  # type: ignore[attr-defined]
    subject = raw.get("step") or raw.get("context")
    if len(ops) != 1 or not subject:
        raise ValueError(f"{where}: a condition needs 'step' or 'context' and exactly one test")
    if "context" in raw:
        subject = f"context.{raw['context']}"
    return Condition(subject=str(subject), op=ops[0], value=raw[ops[0]])


def step_from_dict(raw: Mapping[str, Any], where: str) -> Step:
    """Build a step from its dictionary form, refusing unknown keys."""
    known = {
        "id", "kind", "prompt", "label", "help", "example", "vocabulary", "choices", "parser",
        "optional", "min_length", "max_length", "min_value", "max_value", "allow_past", "skip_if",
    }  # fmt: skip
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}")
    step_id = str(raw["id"])
    here = f"{where} step {step_id}"
    kind = StepKind(raw["kind"])
    choices = tuple(
        Choice(
            code=str(item["code"]), label=_text(item["label"], here) if "label" in item else None
        )
        if isinstance(item, Mapping)
        else Choice(code=str(item))
        for item in raw.get("choices", [])
    )
    if kind in (StepKind.SINGLE, StepKind.MULTI) and not (choices or raw.get("vocabulary")):
        raise ValueError(f"{here}: a choice step needs 'choices' or 'vocabulary'")
    return Step(
        id=step_id,
        kind=kind,
        prompt=_text(raw["prompt"], here),
        label=_text(raw.get("label", raw["prompt"]), here),
        help=_text(raw["help"], here) if "help" in raw else None,
        example=_text(raw["example"], here) if "example" in raw else None,
        vocabulary=raw.get("vocabulary"),
        choices=choices,
        parser=raw.get("parser"),
        optional=bool(raw.get("optional", False)),
        min_length=raw.get("min_length"),
        max_length=raw.get("max_length"),
        min_value=raw.get("min_value"),
        max_value=raw.get("max_value"),
        allow_past=bool(raw.get("allow_past", True)),
        skip_if=tuple(_condition(cond, here) for cond in raw.get("skip_if", [])),
    )


def flow_from_dict(raw: Mapping[str, Any], where: str = "flow") -> FlowSpec:
    """Build a flow from its dictionary form (as read from YAML)."""
    name = str(raw["name"])
    steps = tuple(step_from_dict(step, f"{where} {name}") for step in raw["steps"])
    ids = [step.id for step in steps]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{where} {name}: step ids must be unique")
    for step in steps:
        for condition in step.skip_if:
            if not condition.subject.startswith("context.") and condition.subject not in ids:
                raise ValueError(f"{where} {name}: {step.id} depends on unknown step")
    return FlowSpec(
        name=name,
        title=_text(raw["title"], where),
        steps=steps,
        intro=_text(raw["intro"], where) if "intro" in raw else None,
        summary=bool(raw.get("summary", True)),
        submit_label=_text(raw.get("submit_label", "flow.submit"), where),
        meta=dict(raw.get("meta", {})),
    )


def load_flow(path: Path) -> FlowSpec:
    """Read a flow definition from a YAML file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, Mapping):
        raise ValueError(f"{path}: a flow file holds a mapping")
    return flow_from_dict(raw, str(path.name))
