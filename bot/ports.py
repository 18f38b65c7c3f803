"""Declare the ports the core needs from the outside world."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.core import Channel, Reply


@dataclass(frozen=True, slots=True)
class Source:
    """A document an answer was drawn from."""

    title: str
    url: str
    path: str
    score: float


@dataclass(frozen=True, slots=True)
class Answer:
    """What the knowledge base says to one question.

    ``answered`` is False when the knowledge base declines (low confidence or
    out of scope); ``text`` is then empty and the core writes the refusal.
    ``related`` holds up to three follow-up questions worth offering.
    """

    text: str
    answered: bool
    confidence: float
    sources: tuple[Source, ...] = ()
    related: tuple[str, ...] = ()
    language: str = "en"
    extra: dict[str, str] = field(default_factory=dict)


class KnowledgeBase(Protocol):
    """Answer questions from the indexed documents."""

    def answer(self, question: str, *, language: str = "en") -> Answer:
        """Answer one question, or decline."""
        ...


class Clock(Protocol):
    """Tell the time (a test can freeze it)."""

    def now(self) -> datetime:
        """Return the current time, timezone-aware UTC."""
        ...


@dataclass(frozen=True, slots=True)
class Delivery:
    """The platform's receipt for a sent message."""

    message_id: str


class Sender(Protocol):
    """Send one message to one chat on one channel.

    Implementations raise :class:`bot.errors.TransientSendError` (retry later),
    :class:`bot.errors.RateLimited` (pause the channel for ``retry_after``) or
    :class:`bot.errors.PermanentSendError` (stop writing to this account).
    """

    channel: Channel

    async def send(self, *, chat_id: str, reply: Reply) -> Delivery:
        """Deliver ``reply`` to ``chat_id``."""
        ...
