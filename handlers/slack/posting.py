"""Post rendered replies through the Slack Web API."""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.core import Reply
from handlers.slack.inbound import slack_user_id
from handlers.slack.outbound import render_messages

logger = logging.getLogger(__name__)


async def open_dm(client: AsyncWebClient, identity: str) -> str:
    """Return the id of the bot's direct-message conversation with a person."""
    response = await client.conversations_open(users=slack_user_id(identity))
    return str(response["channel"]["id"])


async def post_reply(
    client: AsyncWebClient,
    *,
    channel: str,
    reply: Reply,
    thread_ts: str | None = None,
    edit_ts: str | None = None,
) -> list[str]:
    """Post one reply (as several messages when long); return each message's ``ts``.

    With ``edit_ts`` and ``reply.edit`` the first message replaces the one
    at ``edit_ts`` (``chat.update``) instead of being posted anew.
    """
    if reply.attachment is not None:
        logger.warning(
            "Slack attachments are not supported yet; %s not sent", reply.attachment.filename
        )
    sent: list[str] = []
    for number, message in enumerate(render_messages(reply)):
        if number == 0 and reply.edit and edit_ts:
            response = await client.chat_update(
                channel=channel, ts=edit_ts, text=message.text, blocks=message.blocks
            )
        else:
            response = await client.chat_postMessage(
                channel=channel, text=message.text, blocks=message.blocks, thread_ts=thread_ts
            )
        sent.append(str(response["ts"]))
    return sent
