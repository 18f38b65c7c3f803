"""Show a flow as a Slack modal and read its submission back (the needs questionnaire).

The modal is built from the core's :class:`~bot.flows.forms.Form`, itself read
from the same declarative flow definition the chat walks one question at a
time, so the two cannot drift apart. Every field becomes an input block whose
``block_id`` is the field id; a submission is read back into the ``raw``
answers :meth:`~bot.assistant.Assistant.submit_form` checks, and its errors
are shown on the fields (``response_action: errors``).

Rendering and reading are pure functions; :func:`open_form` is the one Web
API call (``views.open``). Block Kit limits honoured here: a modal title,
submit and close label of 24 characters, 100 blocks, 2,000 characters per
label and hint, 100 options per select (more go into option groups), 75
characters per option text, 3,000 characters of ``private_metadata``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from slack_sdk.web.async_client import AsyncWebClient

from bot.core import Incoming, Reply
from bot.flows.forms import Form, FormField
from bot.flows.spec import StepKind
from bot.i18n import has_key, translate
from handlers.slack.outbound import Block, section_blocks

logger = logging.getLogger(__name__)

#: ``callback_id`` of every form modal; the ``view_submission`` listener matches on it.
CALLBACK_ID = "a16_form"
#: A ``Reply`` button whose action is ``modal:<flow>`` opens that flow as a modal.
MODAL_ACTION_PREFIX = "modal:"
#: ``action_id`` of the element inside each input block (the ``block_id`` names the field).
FIELD_ACTION_ID = "value"

MAX_TITLE = 24
MAX_BUTTON_TEXT = 24
MAX_BLOCKS = 100
MAX_LABEL = 2000
MAX_HINT = 2000
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_GROUP_LABEL = 75
MAX_TEXT_INPUT = 3000
MAX_METADATA = 3000
MAX_HEADER = 150
#: Text answers longer than this get a multi-line box.
MULTILINE_FROM = 200


class Forms(Protocol):
    """The core's form use cases (``Assistant.form`` and ``Assistant.submit_form``)."""

    def form(self, incoming: Incoming, flow: str) -> Form | None:
        """Return the flow as a form for this person, or None if there is no such flow."""
        ...

    def submit_form(
        self, incoming: Incoming, flow: str, raw: dict[str, Any]
    ) -> tuple[dict[str, str], list[Reply]]:
        """Check a submission; return the error per field, or no error and the replies."""
        ...


@dataclass(frozen=True, slots=True)
class ModalState:
    """What a modal carries in its ``private_metadata``: the flow and the person's DM."""

    flow: str
    channel: str

    def dump(self) -> str:
        """Return the JSON stored in ``private_metadata``."""
        text = json.dumps({"flow": self.flow, "channel": self.channel}, separators=(",", ":"))
        if len(text) > MAX_METADATA:
            raise ValueError("private_metadata would exceed 3,000 characters")
        return text

    @classmethod
    def load(cls, text: str | None) -> ModalState | None:
        """Read ``private_metadata`` back; None when it is not one of ours."""
        try:
            data = json.loads(text or "")
        except ValueError:
            return None
        if not isinstance(data, dict) or not data.get("flow"):
            return None
        return cls(flow=str(data["flow"]), channel=str(data.get("channel") or ""))


def modal_flow(action: str | None) -> str | None:
    """Return the flow a ``modal:<flow>`` button action opens, or None for other actions."""
    if not action or not action.startswith(MODAL_ACTION_PREFIX):
        return None
    return action.removeprefix(MODAL_ACTION_PREFIX).strip() or None


def _cut(text: str, limit: int) -> str:
    """Shorten ``text`` to ``limit`` characters, at a word end where one is near."""
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if len(text) <= limit:
        return text
    window = text[: limit - 1]
    cut = max(window.rfind(" "), window.rfind("\n"))
    if cut < limit // 2:
        cut = limit - 1
    return window[:cut].rstrip(" ,;:-–—") + "…"


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": _cut(text, limit), "emoji": True}


def modal_title(form: Form, language: str | None) -> str:
    """Return the modal's title: the Slack catalogue's short title, or the form's, shortened."""
    key = f"slack.modal.title.{form.flow}"
    title = translate(key, language) if has_key(key) else form.title
    return _cut(title, MAX_TITLE)


def _option(code: str, label: str) -> dict[str, Any]:
    return {"text": _plain(label or code, MAX_OPTION_TEXT), "value": code}


def _options(choices: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Return ``options``, or ``option_groups`` of 100 when there are more choices."""
    options = [_option(code, label) for code, label in choices]
    if len(options) <= MAX_OPTIONS:
        return {"options": options}
    groups = []
    for start in range(0, len(options), MAX_OPTIONS):
        chunk = options[start : start + MAX_OPTIONS]
        first, last = chunk[0]["text"]["text"], chunk[-1]["text"]["text"]
        groups.append({"label": _plain(f"{first} – {last}", MAX_GROUP_LABEL), "options": chunk})
    return {"option_groups": groups[:MAX_OPTIONS]}


def _initial_options(field: FormField) -> list[dict[str, Any]]:
    wanted = field.initial if isinstance(field.initial, list) else [field.initial]
    return [_option(code, label) for code, label in field.choices if code in wanted]


def field_element(field: FormField) -> Block:
    """Return the input element for one field, by its kind."""
    element: Block
    match field.kind:
        case StepKind.SINGLE:
            element = {"type": "static_select", **_options(field.choices)}
            if chosen := _initial_options(field)[:1]:
                element["initial_option"] = chosen[0]
        case StepKind.MULTI:
            element = {"type": "multi_static_select", **_options(field.choices)}
            if chosen := _initial_options(field):
                element["initial_options"] = chosen
        case StepKind.YES_NO:
            element = {
                "type": "radio_buttons",
                "options": [_option(code, label) for code, label in field.choices],
            }
            if field.initial is not None:
                initial = "yes" if field.initial in (True, "yes") else "no"
                chosen = [_option(c, lbl) for c, lbl in field.choices if c == initial]
                if chosen:
                    element["initial_option"] = chosen[0]
        case StepKind.NUMBER:
            element = {"type": "number_input", "is_decimal_allowed": False}
            if field.initial is not None:
                element["initial_value"] = str(field.initial)
        case StepKind.DATE:
            element = {"type": "datepicker"}
            if field.initial:
                element["initial_date"] = str(field.initial)
        case _:  # StepKind.TEXT
            element = {"type": "plain_text_input"}
            limit = min(field.max_length or MAX_TEXT_INPUT, MAX_TEXT_INPUT)
            if field.max_length is not None:
                element["max_length"] = limit
            if field.max_length is not None and field.max_length > MULTILINE_FROM:
                element["multiline"] = True
            if field.initial:
                element["initial_value"] = str(field.initial)[:limit]
    element["action_id"] = FIELD_ACTION_ID
    return element


def field_block(field: FormField, language: str | None) -> Block:
    """Return the input block for one field; ``block_id`` is the field id.

    A conditional field is optional in Slack (the core leaves it out when
    the other answers make it not apply, and asks for it when they do) and
    says so in its hint.
    """
    block: Block = {
        "type": "input",
        "block_id": field.id,
        "label": _plain(field.label, MAX_LABEL),
        "element": field_element(field),
        "optional": field.optional or field.conditional,
    }
    # the conditional note ends with a full stop, the core's hint may not: note first
    hints = [translate("slack.modal.conditional", language)] if field.conditional else []
    if field.hint:
        hints.append(field.hint)
    if hints:
        block["hint"] = _plain(" ".join(hints), MAX_HINT)
    return block


def render_modal(
    form: Form, *, channel: str, language: str | None, chat_command: str | None = None
) -> Block:
    """Render a form as a modal view (pure).

    ``channel`` is the person's DM with the bot, where the replies go once
    the form is accepted; ``chat_command`` (e.g. ``/article16 need chat``)
    is mentioned as the step-by-step alternative.
    """
    title = modal_title(form, language)
    blocks: list[Block] = []
    if title != form.title:
        blocks.append({"type": "header", "text": _plain(form.title, MAX_HEADER)})
    room = MAX_BLOCKS - len(blocks) - (1 if chat_command else 0)
    if len(form.fields) > room:
        logger.warning("form %s has %d fields; Slack shows %d", form.flow, len(form.fields), room)
    blocks.extend(field_block(field, language) for field in form.fields[:room])
    if chat_command:
        text = translate("slack.modal.chat_hint", language, command=chat_command)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": text}]})
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": _plain(title, MAX_TITLE),
        "submit": _plain(form.submit, MAX_BUTTON_TEXT),
        "close": _plain(translate("slack.modal.close", language), MAX_BUTTON_TEXT),
        "private_metadata": ModalState(flow=form.flow, channel=channel).dump(),
        "blocks": blocks,
    }


def render_done(title: str, replies: Iterable[Reply], language: str | None) -> Block:
    """Render the view shown once a form is accepted: the core's replies, without buttons."""
    blocks: list[Block] = []
    for reply in replies:
        blocks.extend(section_blocks(reply.text))
    note = translate("slack.modal.sent_to_dm", language)
    blocks = blocks[: MAX_BLOCKS - 1]
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
    return {
        "type": "modal",
        "title": _plain(title or translate("slack.modal.done_title", language), MAX_TITLE),
        "close": _plain(translate("slack.modal.done_close", language), MAX_BUTTON_TEXT),
        "blocks": blocks,
    }


def _value(state: Mapping[str, Any]) -> Any:
    """Return what one element of ``view.state.values`` holds, as ``submit_form`` wants it."""
    kind = state.get("type")
    if kind in ("multi_static_select", "checkboxes"):
        return [str(option["value"]) for option in state.get("selected_options") or []]
    if kind in ("static_select", "radio_buttons"):
        option = state.get("selected_option")
        return str(option["value"]) if isinstance(option, Mapping) else None
    if kind == "datepicker":
        return state.get("selected_date")
    value = state.get("value")
    return None if value is None else str(value)


def read_values(view: Mapping[str, Any]) -> dict[str, Any]:
    """Return the submitted answers by field id (``block_id``) from a ``view_submission`` view.

    Choices give their codes (a list for multiple choice), text, numbers and
    dates their strings (``YYYY-MM-DD``), yes/no ``"yes"`` or ``"no"``;
    an empty field gives None (or ``[]``).
    """
    values = (view.get("state") or {}).get("values") or {}
    raw: dict[str, Any] = {}
    for block_id, elements in values.items():
        if not isinstance(elements, Mapping):
            continue
        element = elements.get(FIELD_ACTION_ID) or next(iter(elements.values()), None)
        if isinstance(element, Mapping):
            raw[str(block_id)] = _value(element)
    return raw


def input_block_ids(view: Mapping[str, Any]) -> list[str]:
    """Return the ``block_id`` of every input block of a view, in order."""
    return [
        str(block["block_id"])
        for block in view.get("blocks") or []
        if block.get("type") == "input" and block.get("block_id")
    ]


def field_errors(errors: Mapping[str, str], view: Mapping[str, Any]) -> dict[str, str]:
    """Return the errors Slack can show: keyed by the view's input blocks.

    An error on a field the modal does not show lands on the first field,
    so the submission is never accepted silently.
    """
    shown = input_block_ids(view)
    placed = {field: _cut(text, MAX_HINT) for field, text in errors.items() if field in shown}
    stray = [text for field, text in errors.items() if field not in shown]
    if stray and shown:
        first = shown[0]
        placed[first] = _cut(" ".join([placed.get(first, ""), *stray]).strip(), MAX_HINT)
    return placed


async def open_form(client: AsyncWebClient, *, trigger_id: str, view: Block) -> str:
    """Open a modal (``views.open``); return its view id."""
    response = await client.views_open(trigger_id=trigger_id, view=view)
    return str((response.get("view") or {}).get("id", ""))
