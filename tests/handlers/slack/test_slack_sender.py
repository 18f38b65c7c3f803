"""Check the dispatcher's Slack sender against the fake Web API, errors included."""

from __future__ import annotations

import socket

import pytest

from bot.config import Settings
from bot.core import Button, Channel, Reply
from bot.errors import PermanentSendError, RateLimited, TransientSendError
from handlers.slack import build_slack_sender
from handlers.slack.client import build_web_client


async def test_sends_to_a_person_through_their_direct_message_conversation(settings, slack_api):
    sender = build_slack_sender(settings)
    reply = Reply(text="New training: e-waste inventories", buttons=((Button("Details", "o:1"),),))
    delivery = await sender.send(chat_id="T1/U7", reply=reply)
    [opened] = slack_api.calls_to("conversations.open")
    [post] = slack_api.calls_to("chat.postMessage")
    assert opened.params["users"] == "U7"
    assert post.params["channel"] == "DU7"
    assert post.params["blocks"][-1]["elements"][0]["value"] == "o:1"
    assert delivery.message_id.startswith("DU7:1700000000.")
    assert sender.channel is Channel.SLACK


async def test_sends_to_a_conversation_id_directly(settings, slack_api):
    await build_slack_sender(settings).send(chat_id="D123", reply=Reply(text="hi"))
    assert slack_api.calls_to("conversations.open") == []
    assert slack_api.calls_to("chat.postMessage")[0].params["channel"] == "D123"


async def test_429_becomes_rate_limited_with_retry_after_and_is_not_retried(settings, slack_api):
    slack_api.fail_next("chat.postMessage", status=429, error="ratelimited", retry_after=7)
    with pytest.raises(RateLimited) as caught:
        await build_slack_sender(settings).send(chat_id="D1", reply=Reply(text="hi"))
    assert caught.value.retry_after == 7
    assert len(slack_api.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize("error", ["account_inactive", "user_not_found", "channel_not_found"])
async def test_gone_accounts_are_permanent_failures(settings, slack_api, error):
    slack_api.fail_next("chat.postMessage", error=error)
    with pytest.raises(PermanentSendError):
        await build_slack_sender(settings).send(chat_id="D1", reply=Reply(text="hi"))


async def test_unknown_user_when_opening_the_conversation_is_permanent(settings, slack_api):
    slack_api.fail_next("conversations.open", error="user_not_found")
    with pytest.raises(PermanentSendError):
        await build_slack_sender(settings).send(chat_id="U404", reply=Reply(text="hi"))


async def test_other_api_errors_are_transient(settings, slack_api):
    slack_api.fail_next("chat.postMessage", error="internal_error")
    with pytest.raises(TransientSendError) as caught:
        await build_slack_sender(settings).send(chat_id="D1", reply=Reply(text="hi"))
    assert not isinstance(caught.value, RateLimited | PermanentSendError)


async def test_unreachable_slack_is_transient(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    closed = settings.model_copy(update={"slack_api_base_url": f"http://127.0.0.1:{port}/api/"})
    with pytest.raises(TransientSendError):
        await build_slack_sender(closed).send(chat_id="D1", reply=Reply(text="hi"))


async def test_interactive_client_waits_once_on_a_429(settings: Settings, slack_api):
    slack_api.fail_next("chat.postMessage", status=429, error="ratelimited", retry_after=0)
    client = build_web_client(settings.slack, interactive=True)
    response = await client.chat_postMessage(channel="D1", text="hi")
    assert response["ok"]
    assert len(slack_api.calls_to("chat.postMessage")) == 2
