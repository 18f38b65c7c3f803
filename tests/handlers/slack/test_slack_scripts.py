"""The shared conversation scripts over Slack: signed DMs and button presses, real core."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.app import build_context
from bot.config import Settings
from bot.runtime import build_channels, build_web_app
from tests.fakes.slack_api import FakeSlackApi
from tests.handlers.slack.conftest import SlackDriver
from tests.helpers.scripts import SCRIPTS


@pytest.fixture
async def slack(settings: Settings, slack_api: FakeSlackApi) -> AsyncIterator[SlackDriver]:
    context = build_context(settings)
    context.knowledge()  # index the shipped corpus before the conversation starts
    web = build_web_app(context, build_channels(context, include_slack_home=False))
    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield SlackDriver(http, slack_api)


def _blocks(params: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = params.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


def _shown(params: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    texts, buttons = [str(params.get("text", ""))], []
    for block in _blocks(params):
        if block.get("type") == "section":
            texts.append(block["text"]["text"])
        for element in block.get("elements", []):
            if element.get("type") == "button":
                buttons.append(element)
                texts.append(element["text"]["text"])
    return "\n".join(texts), buttons


async def _settle(api: FakeSlackApi, quiet: float = 0.2) -> None:
    """Wait until the fake received nothing new for ``quiet`` seconds."""
    seen = -1
    while seen != len(api.calls):
        seen = len(api.calls)
        await asyncio.sleep(quiet)


@pytest.mark.parametrize("name", sorted(SCRIPTS))
async def test_slack_script(name: str, slack: SlackDriver, slack_api: FakeSlackApi) -> None:
    for kind, value, expected in SCRIPTS[name]:
        before = len(slack_api.calls)
        if kind == "say":
            response = await slack.dm(value)
        else:
            button = None
            for call in reversed(slack_api.calls):
                if call.method in ("chat.postMessage", "chat.update"):
                    _text, buttons = _shown(call.params)
                    button = next((b for b in buttons if value in b["text"]["text"]), None)
                    if button is not None:
                        break
            assert button is not None, (name, value)
            response = await slack.press(button["value"])
        assert response.status_code == 200
        deadline = asyncio.get_running_loop().time() + 10
        while True:
            shown = "\n".join(
                _shown(call.params)[0]
                for call in slack_api.calls[before:]
                if call.method in ("chat.postMessage", "chat.update")
            )
            if all(part in shown for part in expected):
                break
            assert asyncio.get_running_loop().time() < deadline, (name, value, expected, shown)
            await asyncio.sleep(0.05)


async def test_app_home_is_republished_after_a_turn_changes_the_profile(
    settings: Settings, slack_api: FakeSlackApi
) -> None:
    context = build_context(settings)
    channels = build_channels(context)
    channels.loop = asyncio.get_running_loop()
    web = build_web_app(context, channels)
    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        slack = SlackDriver(http, slack_api)
        for line in ("/profile", "Amina Diallo", "Senegal", "1", "done", "English"):
            posted = len(slack_api.calls_to("chat.postMessage"))
            await slack.dm(line)
            await slack_api.wait_for("chat.postMessage", posted + 1)
            await _settle(slack_api)
        before = len(slack_api.calls_to("views.publish"))
        for call in reversed(slack_api.calls):
            _text, buttons = _shown(call.params)
            save = next((b for b in buttons if "Save" in b["text"]["text"]), None)
            if save is not None:
                break
        assert save is not None
        await slack.press(save["value"])
        calls = await slack_api.wait_for("views.publish", before + 1)
    view = calls[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home"
    assert "Amina Diallo" in json.dumps(view, ensure_ascii=False)


async def test_the_dispatcher_delivers_a_published_opportunity_over_slack(
    settings: Settings, slack_api: FakeSlackApi
) -> None:
    from datetime import date

    from bot.core import Channel
    from bot.notify.worker import run_workers
    from bot.runtime import senders_for
    from bot.services.opportunities import publish_opportunity
    from bot.storage.db import session_scope
    from tests.helpers.notify import need, opportunity, person

    context = build_context(settings)
    with session_scope(context.engine) as session:
        fp, _accounts = person(session, channel=Channel.SLACK, user_id="T1/U7", language="en",
                               )  # fmt: skip
        need(session, fp, languages=["en"])
        opp = opportunity(session, status="draft", title="E-waste inventories webinar",
                          languages=["en"], deadline=date(2099, 1, 15),
                          starts_on=date(2099, 2, 1))  # fmt: skip
        opportunity_id = opp.id
    stop = asyncio.Event()
    worker = asyncio.create_task(
        run_workers(context.engine, senders_for(context, build_channels(context)), stop)
    )
    try:
        with session_scope(context.engine) as session:
            report = publish_opportunity(session=session, opportunity_id=opportunity_id,
                                         actor="test", today=date(2098, 12, 1))  # fmt: skip
        assert report.queued == 1
        opened = await slack_api.wait_for("conversations.open", timeout=20)
        assert "U7" in json.dumps(opened[0].params)
        posted = await slack_api.wait_for("chat.postMessage", timeout=20)
        assert "E-waste inventories webinar" in _shown(posted[-1].params)[0]
    finally:
        stop.set()
        await asyncio.wait_for(worker, 20)
