"""Look up who a Slack person is: their locale (the language hint) and display name."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Person:
    """What Slack tells about a person that the core can use."""

    language: str | None
    display_name: str | None


class PeopleDirectory:
    """Ask ``users.info`` about a person, remembering answers for a while.

    Only a hint is kept here (locale, name); the core stores the person's
    chosen language itself, so losing this cache loses nothing.
    """

    def __init__(self, *, max_entries: int = 2048, ttl_seconds: float = 3600.0) -> None:
        self._entries: OrderedDict[str, tuple[float, Person]] = OrderedDict()
        self._max_entries = max_entries
        self._ttl = ttl_seconds

    def cached(self, user_id: str) -> Person | None:
        """Return what is remembered about a person, if still fresh."""
        entry = self._entries.get(user_id)
        if entry is None or time.monotonic() - entry[0] > self._ttl:
            return None
        return entry[1]

    async def lookup(self, client: AsyncWebClient, user_id: str) -> Person:
        """Return the person's locale and name; an unknown person when Slack will not say."""
        person = self.cached(user_id)
        if person is not None:
            return person
        try:
            response = await client.users_info(user=user_id, include_locale=True)
        except (SlackApiError, SlackClientError) as exc:
            logger.warning("users.info failed for %s: %s", user_id, exc)
            return Person(language=None, display_name=None)
        user = response.get("user") or {}
        profile = user.get("profile") or {}
        person = Person(
            language=user.get("locale"),
            display_name=profile.get("display_name") or profile.get("real_name") or None,
        )
        self._entries[user_id] = (time.monotonic(), person)
        self._entries.move_to_end(user_id)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)
        return person
