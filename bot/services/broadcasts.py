"""Carry the Secretariat's announcements to a segment of focal points, once each.

A segment filters focal points by region, country, role, convention and
language; only people with an active chat account can be reached. With no
filter at all, accounts not linked to a focal point are reached too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlmodel import Session, col, select

from bot import vocab
from bot.errors import NotFound
from bot.services import audit, outbox
from bot.storage.notify_tables import Broadcast
from bot.storage.tables import ChannelAccount, FocalPoint, utcnow


@dataclass(frozen=True, slots=True)
class Segment:
    """Who a broadcast goes to; None means "any"."""

    region: str | None = None
    country: str | None = None
    role: str | None = None
    convention: str | None = None
    language: str | None = None

    def check(self) -> Segment:
        """Return the segment with its codes validated, or raise ``ValueError``."""
        country = self.country
        if country is not None:
            country = vocab.parse_country(country, "en")
            if country is None:
                raise ValueError(f"unknown country {self.country!r}")
        for value, vocabulary in (
            (self.region, vocab.REGION),
            (self.role, vocab.ROLE),
            (self.convention, vocab.CONVENTION),
            (self.language, vocab.LANGUAGE),
        ):
            if value is not None:
                vocabulary.require(value)
        return Segment(self.region, country, self.role, self.convention, self.language)

    @property
    def everyone(self) -> bool:
        """Tell whether no filter narrows the segment."""
        return not any(asdict(self).values())

    def admits(self, person: FocalPoint) -> bool:
        """Tell whether the focal point belongs to the segment."""
        country = person.country
        region = vocab.COUNTRY_REGIONS.get(country) if country else None
        return (
            (self.region is None or region == self.region)
            and (self.country is None or country == self.country)
            and (self.role is None or self.role in person.roles)
            and (self.convention is None or self.convention in person.conventions)
            and (self.language is None or person.language == self.language)
        )


def recipients(*, session: Session, segment: Segment) -> list[str]:
    """Return the recipients (``fp:<id>``, ``acct:<id>``) a broadcast to ``segment`` reaches."""
    reachable = session.exec(
        select(ChannelAccount.id, ChannelAccount.focal_point_id, ChannelAccount.language).where(
            ChannelAccount.active == True  # noqa: E712  (SQL expression)
        )
    ).all()
    linked = {fp_id for _, fp_id, _ in reachable if fp_id is not None}
    chosen = [
        f"fp:{person.id}"
        for person in session.exec(select(FocalPoint).order_by(col(FocalPoint.id)))
        if person.id in linked and segment.admits(person)
    ]
    if replace(segment, language=None).everyone:
        chosen.extend(
            f"acct:{account_id}"
            for account_id, fp_id, language in reachable
            if fp_id is None and (segment.language is None or language == segment.language)
        )
    return chosen


def create_broadcast(
    *,
    session: Session,
    text: str,
    segment: Segment,
    actor: str,
    critical: bool = False,
    draft: bool = False,
) -> Broadcast:
    """Store a broadcast; unless it is a draft, queue one message per recipient."""
    found = recipients(session=session, segment=segment)
    broadcast = Broadcast(
        text=text[:4000],
        filters={k: v for k, v in asdict(segment).items() if v is not None},
        critical=critical,
        status="draft" if draft else "queued",
        recipients=len(found),
        created_by=actor,
    )
    session.add(broadcast)
    session.flush()
    if not draft:
        _queue(session, broadcast, found)
    return broadcast


def send_draft(*, session: Session, broadcast_id: int, actor: str) -> Broadcast:
    """Queue a previewed broadcast (recounting its recipients now)."""
    broadcast = get_broadcast(session=session, broadcast_id=broadcast_id)
    if broadcast.status != "draft":
        return broadcast
    found = recipients(session=session, segment=Segment(**broadcast.filters))
    broadcast.status, broadcast.recipients, broadcast.created_at = "queued", len(found), utcnow()
    session.add(broadcast)
    _queue(session, broadcast, found)
    return broadcast


def _queue(session: Session, broadcast: Broadcast, found: list[str]) -> None:
    assert broadcast.id is not None
    rows: list[dict[str, Any]] = []
    now = utcnow()
    for recipient in found:
        kind, _, number = recipient.partition(":")
        rows.append(
            {
                "dedupe_key": f"bc:{broadcast.id}:{recipient}",
                "kind": "broadcast",
                "priority": 0 if broadcast.critical else 5,
                "critical": broadcast.critical,
                "focal_point_id": int(number) if kind == "fp" else None,
                "account_id": int(number) if kind == "acct" else None,
                "render_key": None,
                "params": {},
                "text": broadcast.text,
                "broadcast_id": broadcast.id,
                "opportunity_id": None,
                "state": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
        )
    for start in range(0, len(rows), 500):
        outbox.insert_ignoring_duplicates(session=session, rows=rows[start : start + 500])
    audit.record(
        session=session, actor=broadcast.created_by, action="broadcast.send",
        target=f"broadcast:{broadcast.id}", recipients=len(found), filters=broadcast.filters,
    )  # fmt: skip


def get_broadcast(*, session: Session, broadcast_id: int) -> Broadcast:
    """Return a broadcast by id, or raise :class:`NotFound`."""
    broadcast = session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise NotFound(f"no broadcast {broadcast_id}")
    return broadcast
