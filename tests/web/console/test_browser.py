"""Drive the console in a real headless Chromium: sign in, publish, broadcast, answer."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from bot.app import AppContext
from bot.core import Channel
from bot.errors import PermanentSendError
from bot.notify.dispatcher import Dispatcher
from bot.notify.scheduler import relay_answer
from bot.storage.notify_tables import OutboxMessage
from bot.storage.tables import QuestionLog
from tests.helpers.notify import RecordingSender
from tests.web.console import builders as build
from tests.web.console.live import browser_page, require_browser, serve

pytestmark = pytest.mark.slow


def expect(locator: Any) -> Any:
    """Return Playwright's retrying assertions (imported late: the package may be absent)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture
def site(console_app: FastAPI, console_context: AppContext) -> Iterator[str]:
    """Serve the console with a Secretariat account and a few focal points."""
    console_context.extras["relay_answer"] = relay_answer
    build.staff(console_context, "sec@brs.int")
    with serve(console_app) as url:
        yield url


@pytest.fixture
def page(site: str) -> Iterator[Any]:
    """Return a signed-in browser page."""
    chromium = require_browser()
    with browser_page(chromium) as tab:
        tab.goto(f"{site}/console/")
        assert "/console/login" in tab.url
        tab.get_by_label("E-mail").fill("sec@brs.int")
        tab.get_by_label("Password").fill(build.PASSWORD)
        tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_url(f"{site}/console/")
        yield tab


def test_a_wrong_password_keeps_the_browser_on_the_sign_in_page(site: str) -> None:
    chromium = require_browser()
    with browser_page(chromium) as tab:
        tab.goto(f"{site}/console/login")
        tab.get_by_label("E-mail").fill("sec@brs.int")
        tab.get_by_label("Password").fill("not the password")
        tab.get_by_role("button", name="Sign in").click()
        assert "Wrong e-mail or password" in tab.get_by_role("alert").inner_text()


def test_publishing_an_opportunity_shows_the_matched_count(
    page: Any, site: str, console_context: AppContext
) -> None:
    for name, country in (("Amina Diallo", "SN"), ("Kofi Mensah", "GH"), ("Li Wei", "CN")):
        fp = build.focal_point(console_context, name, country)
        region = "africa" if country != "CN" else "asia_pacific"
        build.need(console_context, fp, country, region)
    page.get_by_role("link", name="Opportunities").click()
    page.get_by_role("link", name="New opportunity").click()
    page.get_by_label("Title").fill("E-waste inventories webinar")
    page.get_by_label("Kind").select_option(label="Webinar")
    page.get_by_label("E-waste").check()
    page.get_by_label("Africa").check()
    page.get_by_label("Format").select_option(label="Online")
    page.get_by_label("Deadline to apply").fill("2099-01-31")
    page.get_by_role("button", name="Save as draft").click()
    assert page.get_by_role("status").inner_text() == "Saved."
    page.get_by_role("link", name="Publish…").click()
    assert page.locator("#reach-count").inner_text() == "2"
    page.get_by_role("button", name="Publish and notify 2").click()
    assert page.locator("#matched-count").inner_text() == "2"
    assert "published" in page.locator("#opp-status").inner_text()


def test_a_broadcast_shows_a_live_count_then_its_delivery_progress(
    page: Any, site: str, console_context: AppContext
) -> None:
    for name, country in (("Amina Diallo", "SN"), ("Kofi Mensah", "GH"), ("Li Wei", "CN")):
        build.focal_point(console_context, name, country)
    page.get_by_role("link", name="Broadcasts").click()
    page.get_by_role("link", name="New broadcast").click()
    page.get_by_label("Announcement", exact=True).fill("The regional workshop moves to Dakar.")
    page.get_by_label("Region").select_option(label="Africa")
    expect(page.locator("#recipient-count")).to_have_text("2")
    page.get_by_role("button", name="Preview").click()
    assert "Announcement from the BRS Secretariat" in page.locator(".telegram .bubble").inner_text()
    page.get_by_role("button", name="Send to 2").click()
    assert page.locator("[data-state='pending']").inner_text() == "2"
    # The dispatcher delivers one message; the other person blocked the bot.
    sender = RecordingSender(failures={2: PermanentSendError("bot was blocked by the user")})
    dispatcher = Dispatcher(engine=console_context.engine, senders={Channel.CONSOLE: sender})
    # Playwright's sync API runs an event loop in this thread: deliver from another one.
    worker = threading.Thread(target=lambda: asyncio.run(dispatcher.run(until_idle=True)))
    worker.start()
    worker.join(timeout=30)
    expect(page.locator("[data-done]")).to_have_text("100%")
    assert page.locator("[data-state='sent']").inner_text() == "1"
    assert page.locator("[data-state='skipped']").inner_text() == "1"
    page.reload()
    assert "no active chat account" in page.locator("section[data-progress-url]").inner_text()


def test_answering_a_question_relays_the_answer(
    page: Any, site: str, console_context: AppContext
) -> None:
    fp = build.focal_point(console_context, "Amina Diallo", "SN")
    question = build.escalated_question(console_context, fp, "Who funds e-waste inventories?")
    page.get_by_role("link", name="Questions").first.click()
    page.get_by_role("link", name="Who funds e-waste inventories?").click()
    page.get_by_label("Answer (sent to the person who asked)").fill(
        "The Special Programme funds them."
    )
    page.get_by_role("button", name="Send the answer").click()
    assert "will be sent to the person who asked" in page.get_by_role("status").inner_text()
    assert page.locator("#secretariat-answer").inner_text() == "The Special Programme funds them."
    with Session(console_context.engine) as session:
        entry = session.get(QuestionLog, question)
        queued = session.exec(select(OutboxMessage.kind)).all()
    assert entry is not None and entry.secretariat_answered_by == "staff:sec@brs.int"
    assert queued == ["answer"]
    assert re.search(r"/console/questions/\d+", page.url)
