"""Listen to Slack: turn each request into ``Incoming``, ask the core, post its replies.

The listeners hold no business rule. Commands and button presses are
acknowledged first; the core (synchronous, it touches the database) runs in a
worker thread afterwards, so Slack always hears back within 3 seconds. A
form modal's submission is the exception: its errors go back in the
acknowledgement, so the (quick) check runs before ``ack()``.
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
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core import Incoming, Reply
from bot.i18n import translate
from handlers.slack import inbound, modal
from handlers.slack.home import Home, publish_home
from handlers.slack.modal import Forms
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

    def __init__(
        self,
        *,
        handle: Handle,
        home: Home | None,
        people: PeopleDirectory,
        forms: Forms | None = None,
        slash_command: str = "/article16",
    ) -> None:
        self._handle = handle
        self._home = home
        self._people = people
        self._forms = forms
        self._slash_command = slash_command

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
        """Answer ``/article16 …`` in the person's direct messages with the bot.

        ``/article16 need`` opens the needs questionnaire as a modal instead
        (the step-by-step questionnaire when the modal cannot be opened).
        """
        await ack()
        flow = inbound.command_form(str(command.get("text") or ""))
        if flow is not None and await self._open_modal(
            client,
            flow=flow,
            team_id=inbound.team_of(command),
            user_id=str(command["user_id"]),
            trigger_id=command.get("trigger_id"),
        ):
            return
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
        """Pass a button press to the core; replace the pressed message when a reply asks to.

        A ``modal:<flow>`` button opens that flow as a modal instead.
        """
        await ack()
        user = body.get("user") or {}
        flow = modal.modal_flow(action.get("value"))
        if flow is not None:
            await self._on_modal_button(client, body, flow=flow, user_id=str(user.get("id", "")))
            return
        in_conversation = inbound.action_channel(body)
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

    async def _on_modal_button(
        self, client: AsyncWebClient, body: Body, *, flow: str, user_id: str
    ) -> None:
        """Open ``flow`` as a modal; without one, walk it step by step in the DM."""
        if not user_id:
            return
        opened = await self._open_modal(
            client,
            flow=flow,
            team_id=inbound.team_of(body),
            user_id=user_id,
            trigger_id=body.get("trigger_id"),
        )
        command = inbound.chat_command_for(flow)
        if opened or command is None:
            return
        channel = await open_dm(client, user_id)
        incoming = inbound.form_incoming(
            team_id=inbound.team_of(body), user_id=user_id, chat_id=channel, flow=flow
        )
        incoming = dataclasses.replace(incoming, text=command, metadata={})
        for reply in await self._ask_core(client, incoming):
            await post_reply(client, channel=channel, reply=reply)

    async def _open_modal(
        self,
        client: AsyncWebClient,
        *,
        flow: str,
        team_id: str | None,
        user_id: str,
        trigger_id: object,
    ) -> bool:
        """Open the form of ``flow`` in a modal; tell whether it opened.

        ``trigger_id`` is valid for 3 seconds: the DM and the person are
        looked up together, then the core's form is rendered and opened.
        When Slack refuses the modal and the flow has a chat command, the
        person is told in the DM and the caller goes on with the step-by-step
        questionnaire there.
        """
        if self._forms is None or not trigger_id:
            return False
        channel, person = await asyncio.gather(
            open_dm(client, user_id), self._people.lookup(client, user_id)
        )
        incoming = inbound.form_incoming(
            team_id=team_id,
            user_id=user_id,
            chat_id=channel,
            flow=flow,
            display_name=person.display_name,
            language_hint=person.language,
        )
        form = await asyncio.to_thread(self._forms.form, incoming, flow)
        if form is None:
            return False
        language = getattr(form, "language", None) or person.language
        subcommand = inbound.chat_subcommand_for(flow)
        view = modal.render_modal(
            form,
            channel=channel,
            language=language,
            chat_command=f"{self._slash_command} {subcommand}" if subcommand else None,
        )
        try:
            await modal.open_form(client, trigger_id=str(trigger_id), view=view)
        except (SlackApiError, SlackClientError) as exc:
            logger.warning("could not open the %s modal for %s: %s", flow, user_id, exc)
            if inbound.chat_command_for(flow) is not None:
                # the caller goes on with the questionnaire in the DM: say why
                await client.chat_postMessage(
                    channel=channel, text=translate("slack.modal.fallback", language)
                )
            return False
        return True

    async def on_form_submission(
        self, ack: AsyncAck, body: Body, view: Body, client: AsyncWebClient
    ) -> None:
        """Check a submitted form modal; show errors on its fields, or close it and answer.

        The check (a quick database transaction) runs before ``ack()``,
        since the errors travel in the acknowledgement. Once accepted, the
        modal shows the core's replies, which also go to the person's DM,
        and the App Home is refreshed.
        """
        state = modal.ModalState.load(view.get("private_metadata"))
        if state is None or self._forms is None:
            await ack()
            return
        team_id, user_id, name = inbound.submission_user(body)
        person = await self._people.lookup(client, user_id)
        channel = state.channel or await open_dm(client, user_id)
        incoming = inbound.form_incoming(
            team_id=team_id,
            user_id=user_id,
            chat_id=channel,
            flow=state.flow,
            display_name=person.display_name or name,
            language_hint=person.language,
        )
        raw = modal.read_values(view)
        try:
            errors, replies = await asyncio.to_thread(
                self._forms.submit_form, incoming, state.flow, raw
            )
        except Exception:
            error_id = new_error_id()
            logger.exception("form %s failed (error id %s)", state.flow, error_id)
            apology = translate("slack.error.apology", person.language, error_id=error_id)
            fields = modal.input_block_ids(view)
            if fields:
                await ack(response_action="errors", errors={fields[0]: apology})
            else:
                await ack()
            return
        if errors:
            await ack(response_action="errors", errors=modal.field_errors(errors, view))
            return
        title = str((view.get("title") or {}).get("text") or "")
        await ack(response_action="update", view=modal.render_done(title, replies, person.language))
        for reply in replies:
            await post_reply(client, channel=channel, reply=reply)
        if self._home is not None:
            await publish_home(client, incoming=incoming, home=self._home)

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
