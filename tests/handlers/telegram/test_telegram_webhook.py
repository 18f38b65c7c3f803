"""Serve Telegram's webhook from FastAPI: the secret header guards it, bad bodies bounce."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from telegram import Update

from bot.config import Settings
from bot.core import Reply
from handlers.telegram import build_application, build_channel, build_webhook_router, running
from handlers.telegram.app import TelegramApplication
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.handlers.telegram.echo_core import EchoCore

SECRET = "s3cret-token"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
UPDATE = {
    "update_id": 10,
    "message": {
        "message_id": 1,
        "date": 0,
        "chat": {"id": 42, "type": "private", "first_name": "Ama"},
        "from": {"id": 42, "is_bot": False, "first_name": "Ama"},
        "text": "Hello over the webhook",
    },
}


@pytest.fixture
def webhook_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "telegram_webhook_url": "https://a16.example.org/telegram/webhook",
            "telegram_webhook_secret": SecretStr(SECRET),
        }
    )


@pytest.fixture
def application(webhook_settings: Settings, core: EchoCore) -> TelegramApplication:
    return build_application(webhook_settings, core)


@pytest.fixture
async def client(application: TelegramApplication) -> AsyncIterator[httpx.AsyncClient]:
    web = FastAPI()
    web.include_router(build_webhook_router(application, secret=SECRET))
    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="http://a16.test") as http:
        yield http


async def test_update_with_the_right_secret_is_answered(
    fake: FakeTelegramAPI,
    webhook_settings: Settings,
    application: TelegramApplication,
    client: httpx.AsyncClient,
) -> None:
    async with running(application, webhook_settings):
        response = await client.post("/telegram/webhook", json=UPDATE, headers={HEADER: SECRET})
        [sent] = await fake.wait_for("sendMessage")

    assert response.status_code == 200
    assert sent["text"].startswith("You said: Hello over the webhook")
    [webhook] = fake.calls_to("setWebhook")
    assert webhook["url"] == "https://a16.example.org/telegram/webhook"
    assert webhook["secret_token"] == SECRET
    assert fake.calls_to("deleteWebhook") == []  # no polling in webhook mode


async def test_update_with_the_right_secret_is_queued(
    application: TelegramApplication, client: httpx.AsyncClient
) -> None:
    response = await client.post("/telegram/webhook", json=UPDATE, headers={HEADER: SECRET})

    assert response.status_code == 200
    queued = application.update_queue.get_nowait()
    assert isinstance(queued, Update) and queued.message is not None
    assert queued.update_id == 10
    assert queued.message.text == "Hello over the webhook"


@pytest.mark.parametrize("headers", [{}, {HEADER: "wrong"}, {HEADER: ""}])
async def test_missing_or_wrong_secret_is_refused_and_nothing_is_queued(
    application: TelegramApplication, client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await client.post("/telegram/webhook", json=UPDATE, headers=headers)

    assert response.status_code == 403
    assert application.update_queue.empty()


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2]",
        b'"text"',
        b"\xff\xfe",
        b"{}",
        b'{"update_id": "x"}',
        b'{"update_id": 1, "message": "nope"}',
        b'{"update_id": 1, "message": {"message_id": 1}}',
    ],
)
async def test_malformed_body_is_rejected_and_nothing_is_queued(
    application: TelegramApplication, client: httpx.AsyncClient, body: bytes
) -> None:
    response = await client.post(
        "/telegram/webhook",
        content=body,
        headers={HEADER: SECRET, "content-type": "application/json"},
    )

    assert response.status_code == 400
    assert application.update_queue.empty()


def test_router_refuses_an_empty_secret(application: TelegramApplication) -> None:
    with pytest.raises(ValueError, match="secret"):
        build_webhook_router(application, secret="")


async def test_channel_in_webhook_mode_serves_its_router_and_answers(
    fake: FakeTelegramAPI, webhook_settings: Settings, core: EchoCore
) -> None:
    channel = build_channel(webhook_settings, core)
    assert channel.router is not None
    web = FastAPI()
    web.include_router(channel.router)
    transport = httpx.ASGITransport(app=web)

    await channel.start()
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://a16.test") as http:
            response = await http.post("/telegram/webhook", json=UPDATE, headers={HEADER: SECRET})
        [sent] = await fake.wait_for("sendMessage")
    finally:
        await channel.stop()

    assert response.status_code == 200
    assert sent["text"].startswith("You said: Hello over the webhook")


async def test_channel_in_polling_mode_has_no_router_and_a_working_sender(
    fake: FakeTelegramAPI, settings: Settings, core: EchoCore
) -> None:
    channel = build_channel(settings, core)
    assert channel.router is None

    await channel.start(poll_timeout=1)
    try:
        delivery = await channel.sender.send(chat_id="42", reply=Reply(text="A new webinar"))
    finally:
        await channel.stop()

    [sent] = fake.calls_to("sendMessage")
    assert sent["text"] == "A new webinar"
    assert delivery.message_id.isdigit()
