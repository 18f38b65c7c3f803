"""Build focal points, accounts, needs and opportunities for the notification tests."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from bot.app import AppContext
from bot.core import Channel, Reply
from bot.errors import PermanentSendError, RateLimited, TransientSendError
from bot.ports import Delivery
from bot.storage.needs_tables import Need
from bot.storage.notify_tables import Opportunity
from bot.storage.tables import ChannelAccount, FocalPoint, utcnow

_numbers = itertools.count(1)


def install_notify(context: AppContext) -> AppContext:
    """Install the notification capabilities unless the composition root already did."""
    from bot.conversation import opportunities, settings

    if "opportunities" not in context.assistant.router.commands:
        opportunities.install(context.assistant)
        settings.install(context.assistant)
    return context


def person(
    session: Session,
    *,
    country: str | None = "SN",
    language: str = "fr",
    roles: list[str] | None = None,
    conventions: list[str] | None = None,
    channel: Channel = Channel.CONSOLE,
    user_id: str | None = None,
    accounts: int = 1,
) -> tuple[FocalPoint, list[ChannelAccount]]:
    """Add a focal point with ``accounts`` chat accounts."""
    number = next(_numbers)
    focal_point = FocalPoint(
        name=f"Person {number}", email=f"p{number}@example.org", country=country,
        roles=roles or ["basel_focal_point"], conventions=conventions or ["basel"],
        language=language, verified=True,
    )  # fmt: skip
    session.add(focal_point)
    session.flush()
    made = []
    for index in range(accounts):
        uid = user_id if user_id and index == 0 else f"user-{number}-{index}"
        account = ChannelAccount(
            channel=channel.value, platform_user_id=uid, chat_id=uid,
            focal_point_id=focal_point.id, language=language,
        )  # fmt: skip
        session.add(account)
        made.append(account)
    session.flush()
    return focal_point, made


def need(session: Session, focal_point: FocalPoint | None, **values: Any) -> Need:
    """Add a submitted need (defaults: Senegal, waste monitoring, French, online, 12 months)."""
    defaults: dict[str, Any] = {
        "status": "submitted", "country": "SN", "region": "africa",
        "conventions": ["basel"], "areas": ["waste_monitoring"], "types": ["webinar"],
        "languages": ["fr"], "format": "online", "timeframe": "within_12_months",
        "language": "fr", "submitted_at": datetime(2026, 11, 1, tzinfo=utcnow().tzinfo),
        "version": 1,
    }  # fmt: skip
    row = Need(focal_point_id=focal_point.id if focal_point else None, **{**defaults, **values})
    session.add(row)
    session.flush()
    return row


def opportunity(session: Session | None = None, **values: Any) -> Opportunity:
    """Build (and with a session, add) a published French online webinar on waste monitoring."""
    defaults: dict[str, Any] = {
        "kind": "webinar", "title": "Monitoring hazardous wastes", "status": "published",
        "areas": ["waste_monitoring"], "languages": ["fr"], "format": "online",
        "conventions": ["basel"], "starts_on": date(2027, 2, 1),
        "deadline": date(2027, 1, 15), "provider": "BCRC Senegal",
    }  # fmt: skip
    row = Opportunity(**{**defaults, **values})
    if session is not None:
        session.add(row)
        session.flush()
    return row


class RecordingSender:
    """Deliver into a list; optionally fail the way platforms do, from a script or at random."""

    def __init__(
        self,
        channel: Channel = Channel.CONSOLE,
        *,
        failures: Mapping[int, Exception] | None = None,
        rng: Any = None,
        transient_rate: float = 0.0,
        throttle_rate: float = 0.0,
    ) -> None:
        self.channel = channel
        self.delivered: list[tuple[str, str]] = []
        self.calls = 0
        self._failures = dict(failures or {})
        self._rng = rng
        self._transient = transient_rate
        self._throttle = throttle_rate

    async def send(self, *, chat_id: str, reply: Reply) -> Delivery:
        self.calls += 1
        scripted = self._failures.pop(self.calls, None)
        if scripted is not None:
            raise scripted
        if self._rng is not None:
            roll = self._rng.random()
            if roll < self._throttle:
                raise RateLimited("429", retry_after=0.05)
            if roll < self._throttle + self._transient:
                raise TransientSendError("flaky network")
        self.delivered.append((chat_id, reply.text))
        return Delivery(message_id=f"m{self.calls}")


__all__ = [
    "PermanentSendError",
    "RecordingSender",
    "install_notify",
    "need",
    "opportunity",
    "person",
]
