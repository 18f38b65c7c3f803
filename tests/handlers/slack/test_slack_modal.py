"""The needs questionnaire as a Slack modal: real bolt, signed requests, fake Web API, real core."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from sqlmodel import Session, select

from bot.app import AppContext, build_context
from bot.config import Settings
from bot.conversation import needs as needs_capability
from bot.core import Incoming, Reply
from bot.flows.forms import Form, FormField
from bot.flows.registry import FlowDefinition
from bot.flows.spec import StepKind, flow_from_dict
from bot.storage.needs_tables import Need
from bot.turn import Turn
from bot.web.app import create_app
from handlers.slack import build_bolt_app, build_slack_router, claim_with_database
from handlers.slack.inbound import command_form, command_text
from handlers.slack.modal import (
    CALLBACK_ID,
    MAX_OPTIONS,
    ModalState,
    field_errors,
    modal_flow,
    read_values,
    render_modal,
)
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi
from tests.handlers.slack.conftest import SlackDriver

Block = dict[str, Any]


@dataclass
class HomeSpy:
    """A ``home`` source that records who it was asked about."""

    asked: list[Incoming] = field(default_factory=list)

    def __call__(self, incoming: Incoming) -> list[Reply]:
        self.asked.append(incoming)
        return [Reply(text="Your home")]


@dataclass
class Harness:
    """The Slack channel, with the real core behind it, and the fake Web API."""

    slack: SlackDriver
    api: FakeSlackApi
    context: AppContext
    home: HomeSpy

    async def opened_view(self, count: int = 1) -> Block:
        """Wait for the ``count``-th ``views.open``; return its view."""
        calls = await self.api.wait_for("views.open", count)
        view = calls[count - 1].params["view"]
        return json.loads(view) if isinstance(view, str) else dict(view)

    async def submit(
        self, view: Block, values: dict[str, Any], *, user: str = "U1"
    ) -> httpx.Response:
        """Send a signed ``view_submission`` of ``view`` with ``values`` by field id."""
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM_ID, "domain": "test"},
            "user": {"id": user, "username": "amina", "name": "amina", "team_id": TEAM_ID},
            "api_app_id": "A1",
            "token": "legacy",
            "trigger_id": "4.5.6",
            "view": {
                **view,
                "id": "V1",
                "team_id": TEAM_ID,
                "state": {"values": state_values(view, values)},
            },
            "response_urls": [],
        }
        body = urlencode({"payload": json.dumps(payload)})
        return await self.slack.post(body, "application/x-www-form-urlencoded")


def state_values(view: Block, values: dict[str, Any]) -> dict[str, Any]:
    """Return ``view.state.values`` as Slack sends it, for every input block of ``view``."""
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        kind, value = element["type"], values.get(block["block_id"])
        entry: dict[str, Any] = {"type": kind}
        if kind == "multi_static_select":
            entry["selected_options"] = [{"value": code} for code in value or []]
        elif kind in ("static_select", "radio_buttons"):
            entry["selected_option"] = None if value is None else {"value": value}
        elif kind == "datepicker":
            entry["selected_date"] = value
        else:
            entry["value"] = value
        state[block["block_id"]] = {element["action_id"]: entry}
    return state


def inputs(view: Block) -> dict[str, Block]:
    """Return the view's input blocks by ``block_id``."""
    return {block["block_id"]: block for block in view["blocks"] if block["type"] == "input"}


def submitted_needs(context: AppContext) -> list[Need]:
    with Session(context.engine) as session:
        return list(session.exec(select(Need).where(Need.status == "submitted")))


def all_needs(context: AppContext) -> list[Need]:
    with Session(context.engine) as session:
        return list(session.exec(select(Need)))


VALID_NEED = {
    "country": "Senegal",
    "roles": ["basel_focal_point"],
    "conventions": ["basel"],
    "areas": ["e_waste", "enforcement_illegal_traffic"],
    "types": ["training_workshop_in_person"],
    "priority": "high",
    "description": (
        "Our customs officers cannot identify e-waste shipments disguised as second-hand goods."
    ),
    "audience": "Customs and port officers",
    "participants": "25",
    "format": "in_person",
    "languages": ["fr"],
    "timeframe": "within_12_months",
}


@pytest.fixture
async def harness(settings: Settings, slack_api: FakeSlackApi) -> AsyncIterator[Harness]:
    context = build_context(settings)
    if context.assistant.flows.get("need") is None:
        needs_capability.install(context.assistant)
    home = HomeSpy()
    bolt_app = build_bolt_app(
        settings,
        handle=context.assistant.handle,
        claim=claim_with_database(context.engine),
        home=home,
        forms=context.assistant,
    )
    web = create_app(context, [build_slack_router(bolt_app)])
    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield Harness(SlackDriver(http, slack_api), slack_api, context, home)


# ---- the slash command opens the modal -------------------------------------------------------


async def test_article16_need_opens_the_questionnaire_as_a_modal(harness: Harness) -> None:
    response = await harness.slack.command("need", channel="C1")
    assert response.status_code == 200
    call = (await harness.api.wait_for("views.open"))[0]
    assert call.params["trigger_id"] == "1.2.3"
    view = await harness.opened_view()
    assert view["type"] == "modal"
    assert view["callback_id"] == CALLBACK_ID
    assert 0 < len(view["title"]["text"]) <= 24
    assert view["submit"]["text"] == "✅ Submit this need"
    assert len(view["blocks"]) <= 100
    assert ModalState.load(view["private_metadata"]) == ModalState(flow="need", channel="DU1")
    fields = inputs(view)
    # The short summary label names the field; the chat's full question is its hint.
    assert fields["conventions"]["label"]["text"] == "Convention(s)"
    assert fields["conventions"]["hint"]["text"].startswith(
        "Which convention(s) does this need concern?"
    )
    assert fields["description"]["hint"]["text"].startswith("Describe the need in your own words")
    assert fields["areas"]["element"]["type"] == "multi_static_select"
    assert "e_waste" in [option["value"] for option in fields["areas"]["element"]["options"]]
    assert fields["priority"]["element"]["type"] == "static_select"
    assert fields["description"]["element"] == {
        "type": "plain_text_input",
        "max_length": 3000,
        "multiline": True,
        "action_id": "value",
    }
    assert fields["participants"]["element"]["type"] == "number_input"
    assert fields["participants"]["element"]["is_decimal_allowed"] is False
    assert fields["earliest_start"]["element"]["type"] == "datepicker"
    # required fields are required; optional and conditional ones are not, and say why
    assert fields["conventions"]["optional"] is False
    assert fields["convention_areas"]["optional"] is True
    assert fields["participants"]["optional"] is True
    assert "Only if it applies" in fields["participants"]["hint"]["text"]
    assert "A few sentences are enough." in fields["description"]["hint"]["text"]
    # the step-by-step questionnaire stays offered
    assert "/article16 need chat" in json.dumps(view)
    # nothing is asked in the DM meanwhile
    await asyncio.sleep(0.1)
    assert harness.api.calls_to("chat.postMessage") == []


async def test_article16_need_chat_keeps_the_step_by_step_questionnaire(harness: Harness) -> None:
    await harness.slack.command("need chat", channel="DU1")
    calls = await harness.api.wait_for("chat.postMessage")
    shown = json.dumps([call.params for call in calls], ensure_ascii=False)
    assert "Let's record one technical-assistance need" in shown
    assert harness.api.calls_to("views.open") == []


async def test_a_typed_need_in_the_dm_keeps_the_step_by_step_questionnaire(
    harness: Harness,
) -> None:
    await harness.slack.dm("/need")
    calls = await harness.api.wait_for("chat.postMessage")
    assert "technical-assistance need" in json.dumps(calls[0].params, ensure_ascii=False)
    assert harness.api.calls_to("views.open") == []


async def test_the_questionnaire_runs_in_the_dm_when_slack_refuses_the_modal(
    harness: Harness,
) -> None:
    harness.api.fail_next("views.open", error="expired_trigger_id")
    await harness.slack.command("need", channel="DU1")
    calls = await harness.api.wait_for("chat.postMessage", 2)
    shown = json.dumps([call.params for call in calls], ensure_ascii=False)
    assert "could not open the form" in shown
    assert "Let's record one technical-assistance need" in shown


# ---- submission ------------------------------------------------------------------------------


async def test_invalid_answers_are_shown_on_their_fields_and_nothing_is_stored(
    harness: Harness,
) -> None:
    await harness.slack.command("need")
    view = await harness.opened_view()
    answers = {**VALID_NEED, "description": "Too short.", "participants": "abc"}
    response = await harness.submit(view, answers)
    assert response.status_code == 200
    body = response.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"description", "participants"}
    assert "40" in body["errors"]["description"]
    assert all_needs(harness.context) == []
    assert harness.api.calls_to("chat.postMessage") == []


async def test_a_conditional_field_is_required_once_it_applies(harness: Harness) -> None:
    await harness.slack.command("need")
    view = await harness.opened_view()
    answers = {**VALID_NEED, "participants": None, "timeframe": "from_date"}
    response = await harness.submit(view, answers)
    body = response.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"participants", "earliest_start"}
    assert all_needs(harness.context) == []


async def test_a_valid_submission_stores_the_need_and_confirms_in_the_dm(
    harness: Harness,
) -> None:
    await harness.slack.command("need")
    view = await harness.opened_view()
    response = await harness.submit(view, VALID_NEED)
    assert response.status_code == 200
    body = response.json()
    assert body["response_action"] == "update"
    assert "Thank you! Your need #" in json.dumps(body["view"], ensure_ascii=False)
    assert len(body["view"]["title"]["text"]) <= 24

    [need] = submitted_needs(harness.context)
    assert need.country == "SN"
    assert set(need.areas) == {"e_waste", "enforcement_illegal_traffic"}
    assert need.participants == 25
    assert need.priority == "high"

    [posted] = await harness.api.wait_for("chat.postMessage")
    assert posted.params["channel"] == "DU1"
    assert f"your need #{need.id}".lower() in json.dumps(posted.params).lower()
    await harness.api.wait_for("views.publish")
    assert harness.home.asked and harness.home.asked[-1].user_id == f"{TEAM_ID}/U1"


async def test_a_submission_of_someone_elses_view_is_acknowledged_and_ignored(
    harness: Harness,
) -> None:
    view = {"type": "modal", "callback_id": CALLBACK_ID, "private_metadata": "", "blocks": []}
    response = await harness.submit(view, {})
    assert response.status_code == 200
    assert all_needs(harness.context) == []


# ---- the modal follows the definition ---------------------------------------------------------


SURVEY: dict[str, Any] = {
    "name": "survey",
    "title": {"en": "A rather long survey title for Slack"},
    "submit_label": {"en": "Send"},
    "steps": [
        {"id": "colour", "kind": "single", "prompt": {"en": "Colour?"},
         "choices": [{"code": "red", "label": {"en": "Red"}},
                     {"code": "blue", "label": {"en": "Blue"}}]},
        {"id": "pets", "kind": "multi", "prompt": {"en": "Pets?"},
         "choices": [{"code": "cat", "label": {"en": "Cat"}},
                     {"code": "dog", "label": {"en": "Dog"}}]},
        {"id": "name", "kind": "text", "prompt": {"en": "Name?"}, "max_length": 80},
        {"id": "age", "kind": "number", "prompt": {"en": "Age?"}, "min_value": 1},
        {"id": "when", "kind": "date", "prompt": {"en": "When?"}, "optional": True},
        {"id": "agree", "kind": "yes_no", "prompt": {"en": "Agree?"},
         "help": {"en": "Say yes if you do."}},
    ],
}  # fmt: skip


def _register(context: AppContext, raw: dict[str, Any], answers: list[dict[str, Any]]) -> None:
    def done(turn: Turn, got: dict[str, Any]) -> list[Reply]:
        answers.append(got)
        return [turn.say("flow.cancelled")]

    spec = flow_from_dict(raw)
    context.assistant.flows.flows[spec.name] = FlowDefinition(spec=spec, on_complete=done)


async def test_the_modal_is_built_from_the_flow_definition(harness: Harness) -> None:
    answers: list[dict[str, Any]] = []
    _register(harness.context, SURVEY, answers)
    await harness.slack.press("modal:survey", channel=None)
    view = await harness.opened_view()
    assert [b["element"]["type"] for b in inputs(view).values()] == [
        "static_select",
        "multi_static_select",
        "plain_text_input",
        "number_input",
        "datepicker",
        "radio_buttons",
    ]
    assert [b["label"]["text"] for b in inputs(view).values()][:2] == ["Colour?", "Pets?"]
    assert view["title"]["text"] == "A rather long survey…"
    assert view["blocks"][0] == {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": "A rather long survey title for Slack",
            "emoji": True,
        },
    }
    assert inputs(view)["when"]["optional"] is True
    assert inputs(view)["agree"]["hint"]["text"] == "Agree? Say yes if you do."
    assert "multiline" not in inputs(view)["name"]["element"]
    assert ModalState.load(view["private_metadata"]) == ModalState(flow="survey", channel="DU1")

    # change the definition: the next modal changes with it
    changed = {**SURVEY, "steps": [*SURVEY["steps"][:2],
               {"id": "notes", "kind": "text", "prompt": {"en": "Anything else?"},
                "max_length": 1000, "optional": True}]}  # fmt: skip
    _register(harness.context, changed, answers)
    await harness.slack.press("modal:survey", channel=None)
    view = await harness.opened_view(2)
    assert list(inputs(view)) == ["colour", "pets", "notes"]
    assert inputs(view)["notes"]["label"]["text"] == "Anything else?"
    assert inputs(view)["notes"]["element"]["multiline"] is True
    assert inputs(view)["notes"]["optional"] is True

    response = await harness.submit(view, {"colour": "blue", "pets": ["dog", "cat"]})
    assert response.json()["response_action"] == "update"
    assert answers == [{"colour": "blue", "pets": ["cat", "dog"], "notes": None}]


async def test_a_modal_button_without_forms_runs_the_chat_command(
    build_driver: Callable[..., Any], slack_api: FakeSlackApi
) -> None:
    received: list[Incoming] = []

    def handle(incoming: Incoming) -> list[Reply]:
        received.append(incoming)
        return [Reply(text="First question")]

    async with build_driver(handle=handle) as slack:
        await slack.press("modal:need", channel=None)
        await slack_api.wait_for("chat.postMessage")
    assert received[0].text == "/need"
    assert received[0].chat_id == "DU1"
    assert slack_api.calls_to("views.open") == []


# ---- pure parts ------------------------------------------------------------------------------


def test_need_opens_a_form_and_need_chat_the_chat_command() -> None:
    assert command_form("need") == "need"
    assert command_form(" NEED ") == "need"
    assert command_form("need chat") is None
    assert command_form("needs") is None
    assert command_text("need chat") == "/need"
    assert command_text("need") == "/need"
    assert modal_flow("modal:need") == "need"
    assert modal_flow("m:need") is None
    assert modal_flow("modal:") is None


def _form(*fields: FormField, title: str = "Short") -> Form:
    return Form(flow="f", title=title, submit="Go", fields=fields)


def _field(kind: StepKind, **overrides: Any) -> FormField:
    values: dict[str, Any] = {
        "id": "x",
        "kind": kind,
        "label": "X?",
        "hint": "",
        "choices": (),
        "optional": False,
    }
    values.update(overrides)
    return FormField(**values)


def test_long_choices_labels_and_many_options_fit_slack_limits() -> None:
    choices = tuple((f"c{i}", "option " * 20) for i in range(150))
    view = render_modal(
        _form(_field(StepKind.MULTI, choices=choices, label="L" * 2500)),
        channel="D1",
        language="en",
    )
    block = view["blocks"][0]
    assert len(block["label"]["text"]) == 2000
    groups = block["element"]["option_groups"]
    assert [len(group["options"]) for group in groups] == [MAX_OPTIONS, 50]
    texts = [option["text"]["text"] for group in groups for option in group["options"]]
    assert max(len(text) for text in texts) <= 75
    assert all(len(group["label"]["text"]) <= 75 for group in groups)


def test_initial_answers_are_preselected() -> None:
    choices = (("a", "A"), ("b", "B"))
    view = render_modal(
        _form(
            _field(StepKind.SINGLE, id="s", choices=choices, initial="b"),
            _field(StepKind.MULTI, id="m", choices=choices, initial=["a", "b"]),
            _field(StepKind.YES_NO, id="y", choices=(("yes", "Yes"), ("no", "No")), initial=True),
            _field(StepKind.NUMBER, id="n", initial=3),
            _field(StepKind.DATE, id="d", initial="2027-03-01"),
            _field(StepKind.TEXT, id="t", initial="hello", max_length=500),
        ),
        channel="D1",
        language="fr",
    )
    elements = {block["block_id"]: block["element"] for block in view["blocks"]}
    assert elements["s"]["initial_option"]["value"] == "b"
    assert [o["value"] for o in elements["m"]["initial_options"]] == ["a", "b"]
    assert elements["y"]["initial_option"]["value"] == "yes"
    assert elements["n"]["initial_value"] == "3"
    assert elements["d"]["initial_date"] == "2027-03-01"
    assert elements["t"]["initial_value"] == "hello"
    assert view["close"]["text"] == "Annuler"


def test_read_values_turns_slack_state_into_raw_answers() -> None:
    view = {
        "state": {
            "values": {
                "s": {"value": {"type": "static_select", "selected_option": {"value": "b"}}},
                "e": {"value": {"type": "static_select", "selected_option": None}},
                "m": {"value": {"type": "multi_static_select", "selected_options": []}},
                "y": {"value": {"type": "radio_buttons", "selected_option": {"value": "no"}}},
                "n": {"value": {"type": "number_input", "value": "12"}},
                "d": {"value": {"type": "datepicker", "selected_date": "2027-01-31"}},
                "t": {"value": {"type": "plain_text_input", "value": None}},
            }
        }
    }
    assert read_values(view) == {
        "s": "b",
        "e": None,
        "m": [],
        "y": "no",
        "n": "12",
        "d": "2027-01-31",
        "t": None,
    }


def test_an_error_on_a_field_the_modal_does_not_show_lands_on_the_first_field() -> None:
    view = {"blocks": [{"type": "header"}, {"type": "input", "block_id": "a"},
                       {"type": "input", "block_id": "b"}]}  # fmt: skip
    assert field_errors({"b": "Wrong.", "z": "Missing."}, view) == {
        "b": "Wrong.",
        "a": "Missing.",
    }
