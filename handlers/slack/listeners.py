"""Listen to Slack: turn each request into ``Incoming``, ask the core, post its replies.

The listeners hold no business rule. Commands and button presses are
acknowledged first; the core (synchronous, it touches the database) runs in a
worker thread afterwards, so Slack always hears back within 3 seconds.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.core import Incoming, Reply
from bot.i18n import translate
from handlers.slack import inbound
from handlers.slack.home import Home, publish_home
from handlers.slack.people import PeopleDirectory
from handlers.slack.posting import open_dm, post_reply

logger = logging.getLogger(__name__)

#: The core's use case: one thing a person did → the replies.
Handle = Callable[[Incoming], list[Reply]]

Body = dict[str, Any]


def new_error_id() -> str:
    """Return a short id that ties a log record to what the person was told."""
    return uuid.uuid4().hex[:8]


class SlackListeners:
    """The bolt listeners of the Slack channel (bolt injects arguments by name)."""

    def __init__(self, *, handle: Handle, home: Home | None, people: PeopleDirectory) -> None:
        self._handle = handle
        self._home = home
        self._people = people

    async def _ask_core(self, client: AsyncWebClient, incoming: Incoming) -> list[Reply]:
        person = await self._people.lookup(client, inbound.slack_user_id(incoming.user_id))
        incoming = dataclasses.replace(
            incoming,
            language_hint=incoming.language_hint or person.language,
            display_name=incoming.display_name or person.display_name,
        )
        return await asyncio.to_thread(self._handle, incoming)

    async def on_message(self, body: Body, event: Body, client: AsyncWebClient) -> None:
        """Answer a direct message to the bot."""
        incoming = inbound.message_to_incoming(body, event)
        if incoming is None:
            return
        for reply in await self._ask_core(client, incoming):
            await post_reply(client, channel=incoming.chat_id, reply=reply)

    async def on_app_mention(self, body: Body, event: Body, client: AsyncWebClient) -> None:
        """Answer a mention in a channel, in the mentioning message's thread."""
        incoming = inbound.mention_to_incoming(body, event)
        if incoming is None:
            return
        thread_ts = incoming.metadata.get("thread_ts")
        for reply in await self._ask_core(client, incoming):
            await post_reply(client, channel=incoming.chat_id, reply=reply, thread_ts=thread_ts)

    async def on_command(
        self, ack: AsyncAck, command: Body, client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        """Answer ``/article16 …`` in the person's direct messages with the bot."""
        await ack()
        channel = await open_dm(client, str(command["user_id"]))
        incoming = inbound.command_to_incoming(command, chat_id=channel)
        if command.get("channel_id") != channel:
            person = await self._people.lookup(client, str(command["user_id"]))
            await respond(
                text=translate("slack.command.answered_in_dm", person.language),
                response_type="ephemeral",
            )
        for reply in await self._ask_core(client, incoming):
            await post_reply(client, channel=channel, reply=reply)

    async def on_button(
        self, ack: AsyncAck, body: Body, action: Body, client: AsyncWebClient
    ) -> None:
        """Pass a button press to the core; replace the pressed message when a reply asks to."""
        await ack()
        in_conversation = inbound.action_channel(body)
        user = body.get("user") or {}
        channel = in_conversation or await open_dm(client, str(user.get("id", "")))
        incoming = inbound.action_to_incoming(body, action, chat_id=channel)
        if incoming is None:
            return
        # a button on the App Home has no message to replace: answer in the DM instead
        edit_ts = incoming.metadata.get("message_ts") if in_conversation else None
        thread_ts = incoming.metadata.get("thread_ts")
        for reply in await self._ask_core(client, incoming):
            await post_reply(
                client, channel=channel, reply=reply, thread_ts=thread_ts, edit_ts=edit_ts
            )

    async def on_app_home_opened(self, body: Body, event: Body, client: AsyncWebClient) -> None:
        """Publish the person's App Home: profile, needs, matching opportunities, actions."""
        incoming = inbound.home_to_incoming(body, event)
        if incoming is None:
            return
        person = await self._people.lookup(client, str(event["user"]))
        incoming = dataclasses.replace(
            incoming, language_hint=person.language, display_name=person.display_name
        )
        await publish_home(client, incoming=incoming, home=self._home)

    async def on_error(
        self,
        error: Exception,
        body: Body,
        client: AsyncWebClient | None,
        respond: AsyncRespond | None,
    ) -> None:
        """Log an unhandled error with an id and apologise, quoting the id, where we can."""
        error_id = new_error_id()
        logger.error("Slack request failed (error id %s)", error_id, exc_info=error)
        channel, thread_ts, user_id = inbound.apology_target(body or {})
        person = self._people.cached(user_id) if user_id else None
        text = translate(
            "slack.error.apology", person.language if person else None, error_id=error_id
        )
        try:
            if respond is not None and (body or {}).get("response_url"):
                await respond(text=text, response_type="ephemeral", replace_original=False)
            elif client is not None and channel is not None:
                await client.chat_postMessage(channel=channel, text=text, thread_ts=thread_ts)
            elif client is not None and user_id is not None:
                await client.chat_postMessage(channel=await open_dm(client, user_id), text=text)
        except Exception:
            # the apology is a courtesy; the original error is already logged with its id
            logger.exception("could not tell the person about error %s", error_id)
