"""Run a guided flow one input at a time, with its state kept as plain data.

The engine is pure: it takes a flow, the stored state and what the user did,
and returns the replies and the new state. The caller loads and saves the
state in the database, so any process can pick up a conversation where
another left it.

Button actions are short: ``f:<run>:<what>[:<arg>]``. ``run`` changes every
time a flow starts, so a button from an older run is recognised as outdated.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from bot import vocab
from bot.core import Button, Reply
from bot.errors import UserInputError
from bot.flows.spec import FlowSpec, Step, StepKind
from bot.i18n import SUPPORTED_LANGUAGES, localise, translate

ACTION_PREFIX = "f:"

#: A named parser turns typed text into a stored value, or raises UserInputError.
Parser = Callable[[str, str], Any]


def parse_country(text: str, language: str) -> str:
    """Return the ISO code of the country the user typed."""
    code = vocab.parse_country(text, language)
    if code is None:
        raise UserInputError("flow.error.country")
    return code


PARSERS: dict[str, Parser] = {"country": parse_country}


@dataclass(slots=True)
class Outcome:
    """What one input did to a flow."""

    replies: list[Reply]
    state: dict[str, Any] | None
    completed: dict[str, Any] | None = None
    cancelled: bool = False
    #: The text was not an answer to a choice question; the caller may treat it as a question.
    unrecognised: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _now_date(context: Mapping[str, Any]) -> date:
    today = context.get("today")
    return date.fromisoformat(today) if isinstance(today, str) else date.today()


def _fold(text: str) -> str:
    return vocab.fold(text)


@cache
def typed_words(key: str) -> frozenset[str]:
    """Return the folded words that catalogue ``key`` lists ("a|b") in every language."""
    return frozenset(
        _fold(word) for lang in SUPPORTED_LANGUAGES for word in translate(key, lang).split("|")
    )


class FlowEngine:
    """Drive flows; one instance serves every conversation."""

    def __init__(self, parsers: Mapping[str, Parser] | None = None) -> None:
        self._parsers = dict(PARSERS if parsers is None else parsers)

    def add_parser(self, name: str, parser: Parser) -> None:
        """Register a named parser for text steps (``parser: NAME`` in a definition)."""
        if name in self._parsers:
            raise ValueError(f"parser {name!r} registered twice")
        self._parsers[name] = parser

    # ---- starting and asking -------------------------------------------------------------

    def start(
        self,
        spec: FlowSpec,
        *,
        language: str,
        context: Mapping[str, Any] | None = None,
        answers: Mapping[str, Any] | None = None,
    ) -> Outcome:
        """Begin ``spec``, optionally from earlier answers (a draft), and ask the first question."""
        state: dict[str, Any] = {
            "flow": spec.name,
            "run": secrets.token_hex(2),
            "answers": dict(answers or {}),
            "context": dict(context or {}),
            "visited": [],
            "mode": "ask",
            "step": None,
            "pending": [],
            "editing": bool(answers),
        }
        replies = [Reply(text=localise(spec.intro, language))] if spec.intro else []
        outcome = self._advance(spec, state, language, start_at=0)
        outcome.replies[:0] = replies
        return outcome

    def resume(self, spec: FlowSpec, state: dict[str, Any], *, language: str) -> Outcome:
        """Ask the current question again (after a restart, a question, or an outdated button)."""
        if state.get("mode") == "summary":
            return Outcome(replies=[self._summary(spec, state, language)], state=state)
        step = self._current(spec, state)
        if step is None:
            return self._advance(spec, state, language, start_at=0)
        state["mode"] = "ask"
        return Outcome(replies=[self._question(spec, state, step, language)], state=state)

    def _current(self, spec: FlowSpec, state: Mapping[str, Any]) -> Step | None:
        index = state.get("step")
        return spec.steps[index] if isinstance(index, int) and index < len(spec.steps) else None

    def _action(self, state: Mapping[str, Any], *parts: object) -> str:
        return ACTION_PREFIX + ":".join([str(state["run"]), *map(str, parts)])

    def choices(self, step: Step, language: str) -> list[tuple[str, str]]:
        """Return the ``(code, label)`` choices of a choice step in ``language``."""
        return self._choices(step, language)

    def check_text(self, step: Step, text: str, language: str) -> Any:
        """Validate typed text for a text step; raise UserInputError when it does not fit."""
        return self._check_text(step, text, language)

    def check_number(self, step: Step, text: str) -> int:
        """Validate a typed number; raise UserInputError when it does not fit."""
        return self._check_number(step, text)

    def check_date(self, step: Step, text: str, state: Mapping[str, Any]) -> str:
        """Validate a typed date (ISO or day/month/year); return it as ISO."""
        return self._check_date(step, text, state)

    def _choices(self, step: Step, language: str) -> list[tuple[str, str]]:
        if step.choices:
            return [
                (
                    choice.code,
                    localise(choice.label, language)
                    if choice.label is not None
                    else vocab.get_vocabulary(step.vocabulary or "").label(choice.code, language),
                )
                for choice in step.choices
            ]
        return vocab.get_vocabulary(step.vocabulary or "").choices(language)

    def _question(self, spec: FlowSpec, state: dict[str, Any], step: Step, language: str) -> Reply:
        index = spec.index_of(step.id)
        total = sum(1 for s in spec.steps if not s.skipped(state["answers"], state["context"]))
        position = 1 + sum(
            1 for s in spec.steps[:index] if not s.skipped(state["answers"], state["context"])
        )
        lines = [
            translate("flow.progress", language, position=position, total=total),
            localise(step.prompt, language),
        ]
        if step.help is not None:
            lines.append(localise(step.help, language))
        if step.example is not None:
            lines.append(
                translate("flow.example", language, example=localise(step.example, language))
            )
        current = state["answers"].get(step.id)
        rows: list[tuple[Button, ...]] = []
        match step.kind:
            case StepKind.SINGLE:
                rows.extend(
                    (
                        Button(
                            label=("• " if code == current else "") + label,
                            action=self._action(state, "c", i),
                        ),
                    )
                    for i, (code, label) in enumerate(self._choices(step, language))
                )
            case StepKind.MULTI:
                pending = state.get("pending") or []
                rows.extend(
                    (
                        Button(
                            label=("✓ " if code in pending else "") + label,
                            action=self._action(state, "t", i),
                        ),
                    )
                    for i, (code, label) in enumerate(self._choices(step, language))
                )
                rows.append(
                    (Button(translate("flow.done", language), self._action(state, "done")),)
                )
                lines.append(translate("flow.multi_hint", language))
            case StepKind.YES_NO:
                rows.append(
                    (
                        Button(translate("common.yes", language), self._action(state, "c", 1)),
                        Button(translate("common.no", language), self._action(state, "c", 0)),
                    )
                )
            case _:
                if current is not None:
                    lines.append(
                        translate(
                            "flow.current", language, value=self._display(step, current, language)
                        )
                    )
        nav: list[Button] = []
        if state["visited"] and not state.get("editing"):
            nav.append(Button(translate("flow.back", language), self._action(state, "back")))
        if step.optional:
            nav.append(Button(translate("flow.skip", language), self._action(state, "skip")))
        if state.get("editing") and current is not None:
            nav.append(Button(translate("flow.keep", language), self._action(state, "keep")))
        if nav:
            rows.append(tuple(nav))
        return Reply(text="\n".join(lines), buttons=tuple(rows))

    def describe(
        self,
        spec: FlowSpec,
        answers: Mapping[str, Any],
        *,
        language: str,
        context: Mapping[str, Any] | None = None,
    ) -> list[tuple[str, str]]:
        """Return ``(label, shown value)`` for each answered step that applies, in flow order."""
        return [
            (localise(step.label, language), self._display(step, answers[step.id], language))
            for step in spec.steps
            if step.id in answers and not step.skipped(answers, context or {})
        ]

    def _display(self, step: Step, value: Any, language: str) -> str:
        if value is None or value == []:
            return "—"
        if step.kind in (StepKind.SINGLE, StepKind.MULTI):
            labels = dict(self._choices(step, language))
            values = value if isinstance(value, list) else [value]
            return ", ".join(labels.get(v, str(v)) for v in values)
        if step.kind is StepKind.YES_NO:
            return translate("common.yes" if value else "common.no", language)
        if step.parser == "country":
            return vocab.country_name(str(value), language)
        return str(value)

    def _summary(self, spec: FlowSpec, state: dict[str, Any], language: str) -> Reply:
        state["mode"] = "summary"
        lines = [translate("flow.summary_title", language, title=localise(spec.title, language))]
        rows: list[tuple[Button, ...]] = []
        for index, step in enumerate(spec.steps):
            if step.skipped(state["answers"], state["context"]):
                continue
            label = localise(step.label, language)
            value = self._display(step, state["answers"].get(step.id), language)
            lines.append(f"• {label}: {value}")
            rows.append(
                (
                    Button(
                        translate("flow.edit", language, field=label)[:60],
                        self._action(state, "edit", index),
                    ),
                )
            )
        rows.append(
            (
                Button(localise(spec.submit_label, language), self._action(state, "submit")),
                Button(translate("flow.cancel", language), self._action(state, "cancel")),
            )
        )
        return Reply(text="\n".join(lines), buttons=tuple(rows))

    def _advance(
        self, spec: FlowSpec, state: dict[str, Any], language: str, *, start_at: int
    ) -> Outcome:
        """Ask the first step from ``start_at`` that is neither skipped nor answered in editing."""
        answers, context = state["answers"], state["context"]
        for step in spec.steps:
            if step.skipped(answers, context):
                answers.pop(step.id, None)
        for index in range(start_at, len(spec.steps)):
            step = spec.steps[index]
            if step.skipped(answers, context):
                continue
            if state.get("editing") and step.id in answers:
                continue
            state["step"], state["mode"] = index, "ask"
            state["pending"] = (
                list(answers.get(step.id) or []) if step.kind is StepKind.MULTI else []
            )
            return Outcome(replies=[self._question(spec, state, step, language)], state=state)
        state["step"], state["editing"] = None, False
        if spec.summary:
            return Outcome(replies=[self._summary(spec, state, language)], state=state)
        return Outcome(replies=[], state=None, completed=dict(answers))

    def _answered(
        self, spec: FlowSpec, state: dict[str, Any], step: Step, value: Any, language: str
    ) -> Outcome:
        state["answers"][step.id] = value
        index = spec.index_of(step.id)
        if state.get("editing"):
            return self._advance(spec, state, language, start_at=0)
        state["visited"].append(index)
        return self._advance(spec, state, language, start_at=index + 1)

    # ---- input ---------------------------------------------------------------------------

    def is_flow_action(self, action: str) -> bool:
        """Tell whether a button action belongs to a flow."""
        return action.startswith(ACTION_PREFIX)

    def on_action(
        self, spec: FlowSpec, state: dict[str, Any], action: str, *, language: str
    ) -> Outcome:
        """Apply a button press."""
        parts = action.removeprefix(ACTION_PREFIX).split(":")
        if parts[0] != state.get("run") or len(parts) < 2:
            outcome = self.resume(spec, state, language=language)
            outcome.replies.insert(0, Reply(text=translate("flow.outdated", language)))
            return outcome
        verb, arg = parts[1], (parts[2] if len(parts) > 2 else "")
        mode = state.get("mode")
        if mode == "confirm_cancel":
            if verb == "stop":
                return Outcome(
                    replies=[], state=None, cancelled=True, extra={"answers": state["answers"]}
                )
            state["mode"] = state.get("mode_before_cancel", "ask")
            return self.resume(spec, state, language=language)
        if verb == "cancel":
            return self.request_cancel(spec, state, language=language)
        if mode == "summary":
            return self._summary_action(spec, state, verb, arg, language)
        step = self._current(spec, state)
        if step is None:
            return self.resume(spec, state, language=language)
        match verb:
            case "c" if step.kind in (StepKind.SINGLE, StepKind.YES_NO):
                if step.kind is StepKind.YES_NO:
                    return self._answered(spec, state, step, arg == "1", language)
                choices = self._choices(step, language)
                if not arg.isdigit() or int(arg) >= len(choices):
                    return self.resume(spec, state, language=language)
                return self._answered(spec, state, step, choices[int(arg)][0], language)
            case "t" if step.kind is StepKind.MULTI:
                choices = self._choices(step, language)
                if arg.isdigit() and int(arg) < len(choices):
                    code = choices[int(arg)][0]
                    pending = state["pending"]
                    if code in pending:
                        pending.remove(code)
                    else:
                        pending.append(code)
                reply = self._question(spec, state, step, language)
                return Outcome(
                    replies=[Reply(text=reply.text, buttons=reply.buttons, edit=True)], state=state
                )
            case "done" if step.kind is StepKind.MULTI:
                return self._finish_multi(spec, state, step, language)
            case "back":
                return self.back(spec, state, language=language)
            case "skip" if step.optional:
                return self._answered(spec, state, step, None, language)
            case "keep" if state.get("editing"):
                state["editing"] = False
                return self._advance(spec, state, language, start_at=len(spec.steps))
        outcome = self.resume(spec, state, language=language)
        outcome.replies.insert(0, Reply(text=translate("flow.outdated", language)))
        return outcome

    def _finish_multi(
        self, spec: FlowSpec, state: dict[str, Any], step: Step, language: str
    ) -> Outcome:
        chosen = list(state.get("pending") or [])
        order = [code for code, _ in self._choices(step, language)]
        chosen.sort(key=order.index)
        if not chosen and not step.optional:
            outcome = self.resume(spec, state, language=language)
            outcome.replies.insert(0, Reply(text=translate("flow.error.pick_one", language)))
            return outcome
        return self._answered(spec, state, step, chosen, language)

    def _summary_action(
        self, spec: FlowSpec, state: dict[str, Any], verb: str, arg: str, language: str
    ) -> Outcome:
        if verb == "submit":
            return Outcome(replies=[], state=None, completed=dict(state["answers"]))
        if verb == "edit" and arg.isdigit() and int(arg) < len(spec.steps):
            step = spec.steps[int(arg)]
            state["editing"], state["step"], state["mode"] = True, int(arg), "ask"
            state["pending"] = (
                list(state["answers"].get(step.id) or []) if step.kind is StepKind.MULTI else []
            )
            return Outcome(replies=[self._question(spec, state, step, language)], state=state)
        outcome = self.resume(spec, state, language=language)
        outcome.replies.insert(0, Reply(text=translate("flow.outdated", language)))
        return outcome

    def back(self, spec: FlowSpec, state: dict[str, Any], *, language: str) -> Outcome:
        """Go back to the previous question."""
        if state.get("mode") == "summary":
            last = max(
                (
                    i
                    for i, s in enumerate(spec.steps)
                    if not s.skipped(state["answers"], state["context"])
                ),
                default=0,
            )
            state["step"], state["mode"] = last, "ask"
            if state["visited"] and state["visited"][-1] == last:
                state["visited"].pop()
        elif state["visited"]:
            state["step"] = state["visited"].pop()
        else:
            outcome = self.resume(spec, state, language=language)
            outcome.replies.insert(0, Reply(text=translate("flow.no_back", language)))
            return outcome
        step = spec.steps[state["step"]]
        state["pending"] = (
            list(state["answers"].get(step.id) or []) if step.kind is StepKind.MULTI else []
        )
        return Outcome(replies=[self._question(spec, state, step, language)], state=state)

    def request_cancel(self, spec: FlowSpec, state: dict[str, Any], *, language: str) -> Outcome:
        """Ask the user to confirm that they want to stop."""
        if state.get("mode") != "confirm_cancel":
            state["mode_before_cancel"] = state.get("mode", "ask")
        state["mode"] = "confirm_cancel"
        key = spec.meta.get("cancel_prompt", "flow.cancel_confirm")
        return Outcome(
            replies=[
                Reply(
                    text=translate(str(key), language),
                    buttons=(
                        (
                            Button(
                                translate("flow.cancel_yes", language), self._action(state, "stop")
                            ),
                            Button(
                                translate("flow.cancel_no", language), self._action(state, "go")
                            ),
                        ),
                    ),
                )
            ],
            state=state,
        )

    def on_text(
        self, spec: FlowSpec, state: dict[str, Any], text: str, *, language: str
    ) -> Outcome:
        """Apply typed text: an answer, a choice by number or label, or something else."""
        text = text.strip()
        mode = state.get("mode")
        if mode in ("summary", "confirm_cancel"):
            return self._typed_in_menu(spec, state, text, language)
        step = self._current(spec, state)
        if step is None:
            return self.resume(spec, state, language=language)
        if _fold(text) in typed_words("flow.back_words"):
            return self.back(spec, state, language=language)
        if step.optional and _fold(text) in typed_words("flow.skip_words"):
            return self._answered(spec, state, step, None, language)
        try:
            match step.kind:
                case StepKind.SINGLE:
                    return self._answered(
                        spec, state, step, self._pick(step, text, language), language
                    )
                case StepKind.MULTI:
                    if _fold(text) in typed_words("flow.done_words"):
                        return self._finish_multi(spec, state, step, language)
                    picked = [
                        self._pick(step, part, language)
                        for part in re.split(r"[,;]", text)
                        if part.strip()
                    ]
                    state["pending"] = list(dict.fromkeys(picked))
                    return self._finish_multi(spec, state, step, language)
                case StepKind.YES_NO:
                    return self._answered(spec, state, step, self._yes_no(text), language)
                case StepKind.TEXT:
                    return self._answered(
                        spec, state, step, self._check_text(step, text, language), language
                    )
                case StepKind.NUMBER:
                    return self._answered(
                        spec, state, step, self._check_number(step, text), language
                    )
                case StepKind.DATE:
                    return self._answered(
                        spec, state, step, self._check_date(step, text, state), language
                    )
        except _NotAChoice:
            outcome = self.resume(spec, state, language=language)
            outcome.replies.insert(0, Reply(text=translate("flow.error.choose", language)))
            outcome.unrecognised = True
            return outcome
        except UserInputError as error:
            key, values = error.args[0], (error.args[1] if len(error.args) > 1 else {})
            outcome = self.resume(spec, state, language=language)
            outcome.replies.insert(0, Reply(text=translate(key, language, **values)))
            outcome.unrecognised = step.kind in (StepKind.NUMBER, StepKind.DATE)
            return outcome
        raise AssertionError(step.kind)  # pragma: no cover

    def _typed_in_menu(
        self, spec: FlowSpec, state: dict[str, Any], text: str, language: str
    ) -> Outcome:
        reply = (
            self._summary(spec, state, language)
            if state.get("mode") == "summary"
            else self.request_cancel(spec, state, language=language).replies[0]
        )
        buttons = reply.flat_buttons
        folded = _fold(text)
        for number, button in enumerate(buttons, start=1):
            if folded in (str(number), _fold(button.label)):
                return self.on_action(spec, state, button.action, language=language)
        if state.get("mode") == "confirm_cancel" and folded in typed_words("flow.yes_words"):
            return self.on_action(spec, state, self._action(state, "stop"), language=language)
        if state.get("mode") == "confirm_cancel" and folded in typed_words("flow.no_words"):
            return self.on_action(spec, state, self._action(state, "go"), language=language)
        return Outcome(
            replies=[Reply(text=translate("flow.error.use_buttons", language)), reply],
            state=state,
            unrecognised=True,
        )

    # ---- validation ----------------------------------------------------------------------

    def _pick(self, step: Step, text: str, language: str) -> str:
        choices = self._choices(step, language)
        folded = _fold(text.strip().lstrip("•✓ ").strip())
        if folded.isdigit() and 1 <= int(folded) <= len(choices):
            return choices[int(folded) - 1][0]
        for code, label in choices:
            if folded in (_fold(code), _fold(label)):
                return code
        for lang in SUPPORTED_LANGUAGES:
            for code, label in self._choices(step, lang):
                if folded == _fold(label):
                    return code
        raise _NotAChoice

    def _yes_no(self, text: str) -> bool:
        folded = _fold(text)
        if folded in typed_words("flow.yes_words"):
            return True
        if folded in typed_words("flow.no_words"):
            return False
        raise _NotAChoice

    def _check_text(self, step: Step, text: str, language: str) -> Any:
        if step.parser is not None:
            return self._parsers[step.parser](text, language)
        if step.min_length is not None and len(text) < step.min_length:
            example = localise(step.example, language) if step.example else ""
            raise UserInputError(
                "flow.error.too_short", {"minimum": step.min_length, "example": example}
            )
        if step.max_length is not None and len(text) > step.max_length:
            raise UserInputError(
                "flow.error.too_long", {"maximum": step.max_length, "length": len(text)}
            )
        if not text:
            raise UserInputError("flow.error.empty")
        return text

    def _check_number(self, step: Step, text: str) -> int:
        cleaned = text.replace(" ", "").replace(",", "").replace("\u202f", "")
        if not re.fullmatch(r"\d{1,9}", cleaned):
            raise UserInputError("flow.error.number")
        value = int(cleaned)
        if step.min_value is not None and value < step.min_value:
            raise UserInputError("flow.error.number_min", {"minimum": step.min_value})
        if step.max_value is not None and value > step.max_value:
            raise UserInputError("flow.error.number_max", {"maximum": step.max_value})
        return value

    def _check_date(self, step: Step, text: str, state: Mapping[str, Any]) -> str:
        parsed: date | None = None
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"):
            try:
                parsed = datetime.strptime(text.strip(), pattern).date()
                break
            except ValueError:
                continue
        if parsed is None:
            raise UserInputError("flow.error.date")
        if not step.allow_past and parsed < _now_date(state["context"]):
            raise UserInputError("flow.error.date_past")
        return parsed.isoformat()


class _NotAChoice(Exception):
    """The typed text matches none of the choices."""
