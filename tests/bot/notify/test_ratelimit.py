"""The rate limiter spaces messages per channel and per chat, and pauses a throttled channel."""

from __future__ import annotations

from bot.core import Channel
from bot.notify.ratelimit import ChannelLimits, RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _limiter(clock: FakeClock) -> RateLimiter:
    limits = {Channel.TELEGRAM: ChannelLimits(per_second=30.0, per_chat_per_second=1.0)}
    return RateLimiter(limits=limits, clock=clock)


def test_messages_to_different_chats_are_spaced_by_the_channel_rate() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    slots = [limiter.reserve(Channel.TELEGRAM, f"chat{n}") for n in range(31)]
    assert slots[0] == 100.0
    assert abs(slots[30] - 101.0) < 1e-9  # 30 gaps of 1/30 s: never 31 in one second


def test_messages_to_one_chat_are_a_second_apart() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    first = limiter.reserve(Channel.TELEGRAM, "chat")
    other = limiter.reserve(Channel.TELEGRAM, "elsewhere")
    second = limiter.reserve(Channel.TELEGRAM, "chat")
    assert (first, second) == (100.0, 101.0)
    assert other < 100.1


def test_a_pause_holds_the_channel_but_not_the_others() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    limiter.pause(Channel.TELEGRAM, 5.0)
    assert limiter.reserve(Channel.TELEGRAM, "chat") == 105.0
    assert limiter.reserve(Channel.SLACK, "C1") == 100.0
    clock.now = 106.0
    assert limiter.paused_for(Channel.TELEGRAM) == 0.0


async def test_late_slots_never_bunch_into_more_than_the_window_allows() -> None:
    clock = FakeClock()
    limits = {Channel.TELEGRAM: ChannelLimits(1000.0, 1000.0, most_per_window=3, window=1.0)}
    limiter = RateLimiter(limits=limits, clock=clock)
    for _ in range(3):
        await limiter.acquire(Channel.TELEGRAM, "c")
    assert limiter._window_wait(Channel.TELEGRAM) == 1.0
    clock.now += 1.0
    assert limiter._window_wait(Channel.TELEGRAM) == 0.0
