"""Pace outgoing messages per channel and per chat, and pause a channel the platform throttled.

Each channel has one token bucket for all its traffic and one small bucket
per chat. Buckets hand out evenly spaced slots rather than bursts: a platform
that counts messages in a sliding window never sees more than the rate.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.core import Channel

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class ChannelLimits:
    """The rates one channel allows: messages per second overall and per chat.

    ``most_per_window`` also caps the messages actually started in any
    ``window`` seconds, whatever the pacing: a slot that fired late must not
    bunch up with the next ones into a burst the platform would refuse.
    """

    per_second: float
    per_chat_per_second: float
    most_per_window: int | None = None
    window: float = 1.0


#: Telegram allows about 30 messages a second overall and 1 a second per chat;
#: Slack about 1 a second per channel. A little headroom keeps us under them.
DEFAULT_LIMITS: dict[Channel, ChannelLimits] = {
    Channel.TELEGRAM: ChannelLimits(per_second=28.0, per_chat_per_second=1.0, most_per_window=28),
    Channel.SLACK: ChannelLimits(per_second=20.0, per_chat_per_second=1.0),
    Channel.CONSOLE: ChannelLimits(per_second=1000.0, per_chat_per_second=1000.0),
}


@dataclass(slots=True)
class _Pacer:
    """Hand out send slots spaced ``1 / rate`` seconds apart."""

    rate: float
    next_slot: float = 0.0

    def reserve(self, now: float, not_before: float) -> float:
        """Return when the caller may send, and book that slot."""
        slot = max(now, self.next_slot, not_before)
        self.next_slot = slot + 1.0 / self.rate
        return slot


@dataclass(slots=True)
class RateLimiter:
    """Decide when each message may go, across every channel."""

    limits: Mapping[Channel, ChannelLimits] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    clock: Clock = time.monotonic
    _channels: dict[Channel, _Pacer] = field(default_factory=dict)
    _chats: dict[tuple[Channel, str], _Pacer] = field(default_factory=dict)
    _paused_until: dict[Channel, float] = field(default_factory=dict)
    _started: dict[Channel, deque[float]] = field(default_factory=dict)

    def _limits(self, channel: Channel) -> ChannelLimits:
        return self.limits.get(channel, DEFAULT_LIMITS[Channel.CONSOLE])

    def reserve(self, channel: Channel, chat_id: str) -> float:
        """Book the earliest slot that respects both buckets and any pause; return its time."""
        limits = self._limits(channel)
        now = self.clock()
        chat = self._chats.get((channel, chat_id))
        if chat is None:
            chat = self._chats[(channel, chat_id)] = _Pacer(limits.per_chat_per_second)
        pacer = self._channels.get(channel)
        if pacer is None:
            pacer = self._channels[channel] = _Pacer(limits.per_second)
        earliest = max(self._paused_until.get(channel, 0.0), chat.next_slot)
        slot = pacer.reserve(now, earliest)
        chat.next_slot = slot + 1.0 / chat.rate
        self._forget_idle_chats(now)
        return slot

    async def acquire(self, channel: Channel, chat_id: str) -> None:
        """Wait until a message to ``chat_id`` on ``channel`` may be sent.

        A pause that began while waiting (another message met a 429) moves
        the slot past the pause.
        """
        while True:
            delay = self.reserve(channel, chat_id) - self.clock()
            if delay > 0:
                await asyncio.sleep(delay)
            while self.paused_for(channel) <= 0:
                crowded = self._window_wait(channel)
                if crowded <= 0:
                    return
                await asyncio.sleep(crowded)

    def _window_wait(self, channel: Channel) -> float:
        """Record a start now and return 0, or return how long the window is still full."""
        limits = self._limits(channel)
        if limits.most_per_window is None:
            return 0.0
        now = self.clock()
        started = self._started.setdefault(channel, deque())
        while started and now - started[0] >= limits.window:
            started.popleft()
        if len(started) >= limits.most_per_window:
            return started[0] + limits.window - now
        started.append(now)
        return 0.0

    def pause(self, channel: Channel, seconds: float) -> None:
        """Hold every message on ``channel`` for ``seconds`` (the platform said 429)."""
        until = self.clock() + max(0.0, seconds)
        self._paused_until[channel] = max(self._paused_until.get(channel, 0.0), until)
        pacer = self._channels.get(channel)
        if pacer is not None:
            pacer.next_slot = max(pacer.next_slot, until)

    def paused_for(self, channel: Channel) -> float:
        """Return how many seconds ``channel`` stays paused."""
        return max(0.0, self._paused_until.get(channel, 0.0) - self.clock())

    def _forget_idle_chats(self, now: float) -> None:
        if len(self._chats) > 50_000:
            for key in [k for k, p in self._chats.items() if p.next_slot < now]:
                del self._chats[key]
