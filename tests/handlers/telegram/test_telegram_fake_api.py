"""Check the fake Bot API answers like Telegram, so the adapter tests mean something."""

from __future__ import annotations

import asyncio
import time

import httpx

from tests.fakes.telegram_api import FakeTelegramAPI


async def test_send_message_accepts_json_and_form_bodies(fake: FakeTelegramAPI) -> None:
    url = f"{fake.base_url}{fake.token}/sendMessage"
    markup = '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}'
    async with httpx.AsyncClient() as http:
        by_json = await http.post(url, json={"chat_id": 5, "text": "json"})
        by_form = await http.post(
            url, data={"chat_id": "5", "text": "form", "reply_markup": markup}
        )

    assert by_json.json()["ok"] is True
    message = by_form.json()["result"]
    assert {"message_id", "date", "chat", "from", "text", "reply_markup"} <= set(message)
    assert message["chat"]["id"] == 5
    assert [call["text"] for call in fake.calls_to("sendMessage")] == ["json", "form"]
    assert fake.calls_to("sendMessage")[1]["reply_markup"]["inline_keyboard"][0][0]["text"] == "A"


async def test_errors_look_like_telegrams(fake: FakeTelegramAPI) -> None:
    fake.fail_next("sendMessage", retry_after=3)
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{fake.base_url}{fake.token}/sendMessage", json={"chat_id": 5, "text": "x"}
        )

    assert response.status_code == 429
    assert response.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }


async def test_get_updates_honours_offset_and_long_polls_until_an_update(
    fake: FakeTelegramAPI,
) -> None:
    first = fake.inject_message("one")
    url = f"{fake.base_url}{fake.token}/getUpdates"
    async with httpx.AsyncClient() as http:
        pending = (await http.post(url, json={"offset": 0})).json()["result"]
        started = time.monotonic()
        poll = asyncio.create_task(
            http.post(url, json={"offset": first["update_id"] + 1, "timeout": 5})
        )
        await asyncio.sleep(0.2)
        second = fake.inject_message("two")
        later = (await poll).json()["result"]
        elapsed = time.monotonic() - started
        empty = await http.post(url, json={"offset": second["update_id"] + 1, "timeout": 0.2})

    assert [u["update_id"] for u in pending] == [first["update_id"]]
    assert [u["message"]["text"] for u in later] == ["two"]
    assert 0.2 <= elapsed < 2
    assert empty.json() == {"ok": True, "result": []}


async def test_wrong_token_is_unauthorized(fake: FakeTelegramAPI) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{fake.base_url}999:nope/getMe")

    assert response.status_code == 401
