"""The shared conversation scripts over Telegram, through `article16 run`'s runtime and polling."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import AppContext, build_context
from bot.config import Settings
from bot.runtime import run_channels
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.helpers.scripts import SCRIPTS


@pytest.fixture
async def running_assistant(tmp_path: Path) -> AsyncIterator[tuple[FakeTelegramAPI, AppContext]]:
    async with FakeTelegramAPI() as fake:
        settings = Settings(
            _env_file=None,
            database_url=f"sqlite:///{tmp_path}/t.db",
            telegram_bot_token=fake.token,
            telegram_api_base_url=fake.base_url,
        )
        context = build_context(settings)
        context.knowledge()  # index the shipped corpus before the clock starts
        stop = asyncio.Event()
        task = asyncio.create_task(run_channels(context, stop=stop))
        await fake.wait_for("deleteWebhook", timeout=20)  # polling starts next
        yield fake, context
        stop.set()
        await asyncio.wait_for(task, 15)


def _shown_text(call: dict[str, Any]) -> str:
    return html.unescape(str(call.get("text", "")))


def _buttons(call: dict[str, Any]) -> list[dict[str, Any]]:
    markup = call.get("reply_markup") or {}
    if isinstance(markup, str):
        import json

        markup = json.loads(markup)
    return [button for row in markup.get("inline_keyboard", []) for button in row]


@pytest.mark.parametrize("name", sorted(SCRIPTS))
async def test_telegram_script(name: str, running_assistant) -> None:
    fake, _context = running_assistant
    for kind, value, expected in SCRIPTS[name]:
        before = len(fake.calls)
        if kind == "say":
            fake.inject_message(value)
        else:
            target = None
            for message in reversed(list(fake.messages.values())):
                for button in _buttons(message):
                    if value.casefold() in html.unescape(button["text"]).casefold():
                        target = (message, button["callback_data"])
                        break
                if target:
                    break
            assert target is not None, (name, value)
            fake.inject_callback(target[1], message=target[0])
        deadline = asyncio.get_running_loop().time() + 10
        while True:
            await fake.wait_until_idle(0.2)
            shown = "\n".join(
                "\n".join([_shown_text(call.params)] + [b["text"] for b in _buttons(call.params)])
                for call in fake.calls[before:]
                if call.method in ("sendMessage", "editMessageText")
            )
            if all(part in shown for part in expected):
                break
            assert asyncio.get_running_loop().time() < deadline, (name, value, expected, shown)
        if kind == "press":
            answered = [c for c in fake.calls[before:] if c.method == "answerCallbackQuery"]
            assert answered, "every button press is answered"


async def test_a_deep_link_with_an_invite_code_links_the_telegram_account(
    running_assistant,
) -> None:
    from datetime import timedelta

    from sqlmodel import Session, select

    from bot.services.invites import issue_invite
    from bot.storage.db import session_scope
    from bot.storage.tables import ChannelAccount, FocalPoint

    fake, context = running_assistant
    with session_scope(context.engine) as session:
        fp = FocalPoint(name="Kwame Mensah", email="k@example.gh", country="GH", verified=True)
        session.add(fp)
        session.flush()
        code = issue_invite(session=session, focal_point=fp, created_by="t",
                            ttl=timedelta(hours=1)).code  # fmt: skip
    fake.inject_message(f"/start {code}", user_id=77, chat_id=77)
    sent = await fake.wait_for("sendMessage")
    assert any("Kwame Mensah" in html.unescape(call["text"]) for call in sent)
    with Session(context.engine) as session:
        account = session.exec(
            select(ChannelAccount).where(ChannelAccount.platform_user_id == "77")
        ).one()
        assert account.focal_point_id == fp.id and account.channel == "telegram"


async def test_the_dispatcher_delivers_a_published_opportunity_over_telegram(
    tmp_path: Path,
) -> None:
    from datetime import date

    from bot.core import Channel
    from bot.notify.worker import notification_worker
    from bot.services.opportunities import publish_opportunity
    from bot.storage.db import session_scope
    from tests.helpers.notify import need, opportunity, person

    async with FakeTelegramAPI() as fake:
        settings = Settings(
            _env_file=None,
            database_url=f"sqlite:///{tmp_path}/n.db",
            telegram_bot_token=fake.token,
            telegram_api_base_url=fake.base_url,
        )
        context = build_context(settings)
        with session_scope(context.engine) as session:
            fp, _accounts = person(session, channel=Channel.TELEGRAM, user_id="42")
            need(session, fp)
            opp = opportunity(session, status="draft", title="Webinaire : suivi des déchets",
                              deadline=date(2099, 1, 15), starts_on=date(2099, 2, 1))  # fmt: skip
            opportunity_id = opp.id
        stop = asyncio.Event()
        task = asyncio.create_task(run_channels(context, stop=stop, workers=[notification_worker]))
        try:
            await fake.wait_for("deleteWebhook", timeout=20)
            with session_scope(context.engine) as session:
                report = publish_opportunity(
                    session=session, opportunity_id=opportunity_id, actor="test",
                    today=date(2098, 12, 1),
                )  # fmt: skip
            assert report.queued == 1
            sent = await fake.wait_for("sendMessage", timeout=20)
            assert str(sent[0]["chat_id"]) == "42"
            assert "Webinaire : suivi des déchets" in html.unescape(sent[0]["text"])
        finally:
            stop.set()
            await asyncio.wait_for(task, 20)
