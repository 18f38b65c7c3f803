"""Publish a person's App Home: what the core says it shows, rendered as a Home view."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from slack_sdk.web.async_client import AsyncWebClient

from bot.core import Incoming, Reply
from bot.i18n import translate
from handlers.slack.inbound import slack_user_id
from handlers.slack.outbound import render_home

#: What the App Home shows a person (profile, needs, opportunities, buttons).
Home = Callable[[Incoming], list[Reply]]


async def publish_home(client: AsyncWebClient, *, incoming: Incoming, home: Home | None) -> None:
    """Ask ``home`` (in a worker thread: it reads the database) and ``views.publish`` the result.

    ``incoming`` names the person (``TEAM/USER``) and carries the language
    hint. Without a ``home`` source a translated welcome is shown. Call this
    again whenever what the Home shows changes.
    """
    if home is None:
        replies = [Reply(text=translate("slack.home.welcome", incoming.language_hint))]
    else:
        replies = await asyncio.to_thread(home, incoming)
    await client.views_publish(user_id=slack_user_id(incoming.user_id), view=render_home(replies))
