"""Map Telegram's delivery failures onto the core's send errors, over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.core import Attachment, Button, Channel, Reply
from bot.errors import PermanentSendError, RateLimited, SendError, TransientSendError
from bot.ports import Delivery, Sender
from handlers.telegram import TelegramSender
from tests.fakes.telegram_api import BLOCKED, CHAT_NOT_FOUND, FakeTelegramAPI


@pytest.fixture
async def sender(fake: FakeTelegramAPI) -> AsyncIterator[TelegramSender]:
    request = HTTPXRequest(read_timeout=0.5, connect_timeout=0.5)
    async with Bot(fake.token, base_url=fake.base_url, request=request) as bot:
        yield TelegramSender(bot)


def test_sender_satisfies_the_port(sender: TelegramSender) -> None:
    port: Sender = sender
    assert port.channel is Channel.TELEGRAM


async def test_send_returns_the_message_id(fake: FakeTelegramAPI, sender: TelegramSender) -> None:
    reply = Reply(text="New training: <ESM> workshop", buttons=((Button("Details", "o:1"),),))

    delivery = await sender.send(chat_id="42", reply=reply)

    [sent] = fake.calls_to("sendMessage")
    assert delivery == Delivery(message_id=str(max(m for _, m in fake.messages)))
    assert sent["text"] == "New training: &lt;ESM&gt; workshop"
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "o:1"


async def test_attachment_is_sent_as_a_document_with_the_buttons(
    fake: FakeTelegramAPI, sender: TelegramSender
) -> None:
    reply = Reply(
        text="The summary",
        buttons=((Button("OK", "ok"),),),
        attachment=Attachment("needs.csv", b"a,b\n1,2\n", "text/csv"),
    )

    await sender.send(chat_id="42", reply=reply)

    [text] = fake.calls_to("sendMessage")
    [document] = fake.calls_to("sendDocument")
    assert "reply_markup" not in text
    assert document["document"]["content"] == b"a,b\n1,2\n"
    assert document["document"]["filename"] == "needs.csv"
    assert document["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "ok"


async def test_flood_control_raises_rate_limited_with_the_wait(
    fake: FakeTelegramAPI, sender: TelegramSender
) -> None:
    fake.fail_next("sendMessage", retry_after=17)

    with pytest.raises(RateLimited) as caught:
        await sender.send(chat_id="42", reply=Reply(text="hi"))

    assert caught.value.retry_after == 17


async def test_blocked_bot_is_a_permanent_failure(
    fake: FakeTelegramAPI, sender: TelegramSender
) -> None:
    fake.fail_next("sendMessage", BLOCKED)

    with pytest.raises(PermanentSendError, match="blocked"):
        await sender.send(chat_id="42", reply=Reply(text="hi"))


async def test_unknown_chat_is_a_permanent_failure(
    fake: FakeTelegramAPI, sender: TelegramSender
) -> None:
    fake.fail_next("sendMessage", CHAT_NOT_FOUND)

    with pytest.raises(PermanentSendError, match="(?i)chat not found"):
        await sender.send(chat_id="999", reply=Reply(text="hi"))


async def test_rejected_content_is_a_send_error_but_not_about_the_account(
    fake: FakeTelegramAPI, sender: TelegramSender
) -> None:
    fake.fail_next("sendMessage", (400, "Bad Request: can't parse entities"))

    with pytest.raises(SendError) as caught:
        await sender.send(chat_id="42", reply=Reply(text="hi"))

    assert not isinstance(caught.value, PermanentSendError | TransientSendError)


async def test_server_error_is_transient(fake: FakeTelegramAPI, sender: TelegramSender) -> None:
    fake.fail_next("sendMessage", (502, "Bad Gateway"))

    with pytest.raises(TransientSendError):
        await sender.send(chat_id="42", reply=Reply(text="hi"))


async def test_time_out_is_transient(fake: FakeTelegramAPI, sender: TelegramSender) -> None:
    fake.fail_next("sendMessage", (0, ""), delay=1.5)

    with pytest.raises(TransientSendError) as caught:
        await sender.send(chat_id="42", reply=Reply(text="hi"))

    assert not isinstance(caught.value, RateLimited)


async def test_unreachable_api_is_transient(fake: FakeTelegramAPI) -> None:
    base_url = fake.base_url
    await fake.stop()
    bot = Bot(fake.token, base_url=base_url, request=HTTPXRequest(connect_timeout=0.5))

    with pytest.raises(TransientSendError):
        await TelegramSender(bot).send(chat_id="42", reply=Reply(text="hi"))
