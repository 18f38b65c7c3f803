"""The dispatcher delivers each notification exactly once despite failures, and obeys choices."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from bot.core import Channel
from bot.errors import PermanentSendError, RateLimited, TransientSendError
from bot.notify.dispatcher import Dispatcher, DispatcherConfig
from bot.notify.scheduler import run_jobs
from bot.services import broadcasts, opportunities, outbox, preferences
from bot.storage.db import make_engine, session_scope, upgrade
from bot.storage.notify_tables import OutboxMessage
from bot.storage.tables import ChannelAccount, utcnow
from tests.helpers.notify import RecordingSender, need, opportunity, person

FAST = DispatcherConfig(batch_size=10, backoff_base=0.005, poll_interval=0.02)


@pytest.fixture
def engine(sqlite_url: str) -> Engine:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    return engine


def _dispatcher(engine: Engine, sender: RecordingSender, **config: object) -> Dispatcher:
    settings = dataclasses.replace(FAST, **config)  # type: ignore[arg-type]
    return Dispatcher(engine=engine, senders={sender.channel: sender}, config=settings)


def _states(engine: Engine) -> Counter[str]:
    with session_scope(engine) as session:
        return Counter(session.exec(select(OutboxMessage.state)).all())


def _broadcast(engine: Engine, people: int, **kwargs: object) -> None:
    with session_scope(engine) as session:
        for _ in range(people):
            person(session, language="en")
        broadcasts.create_broadcast(
            session=session, text="Hello", segment=broadcasts.Segment(), actor="t", **kwargs
        )


async def test_a_flaky_throttling_sender_still_gets_each_notification_exactly_once(
    engine: Engine,
) -> None:
    _broadcast(engine, 150)
    sender = RecordingSender(rng=random.Random(7), transient_rate=0.10, throttle_rate=0.03)
    await _dispatcher(engine, sender).run(until_idle=True)
    per_chat = Counter(chat for chat, _ in sender.delivered)
    assert len(per_chat) == 150 and set(per_chat.values()) == {1}
    assert sender.calls > 150  # failures happened and were retried
    assert _states(engine) == Counter({"sent": 150})


async def test_a_429_pauses_the_channel_and_costs_no_attempt(engine: Engine) -> None:
    _broadcast(engine, 1)
    sender = RecordingSender(failures={1: RateLimited("429", retry_after=0.2)})
    dispatcher = _dispatcher(engine, sender)
    await dispatcher.run_once()
    assert dispatcher.limiter.paused_for(Channel.CONSOLE) > 0.1
    with session_scope(engine) as session:
        row = session.exec(select(OutboxMessage)).one()
    assert (row.state, row.attempts) == ("retry", 0)
    await dispatcher.run(until_idle=True)
    assert len(sender.delivered) == 1


async def test_transient_failures_end_in_dead_after_the_last_attempt(engine: Engine) -> None:
    _broadcast(engine, 1)
    sender = RecordingSender(failures={n: TransientSendError("timeout") for n in range(1, 4)})
    await _dispatcher(engine, sender, max_attempts=3).run(until_idle=True)
    with session_scope(engine) as session:
        row = session.exec(select(OutboxMessage)).one()
    assert (row.state, row.attempts, row.last_error) == ("dead", 3, "timeout")
    assert sender.delivered == []


async def test_a_blocked_account_is_closed_and_the_persons_other_account_is_used(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        fp, (first, second) = person(session, accounts=2)
        first.last_seen_at = utcnow()
        second.last_seen_at = utcnow() - timedelta(days=3)
        outbox.enqueue(session=session, dedupe_key="x", kind="notice",
                       focal_point_id=fp.id, text="hello")  # fmt: skip
    sender = RecordingSender(failures={1: PermanentSendError("bot was blocked by the user")})
    await _dispatcher(engine, sender).run(until_idle=True)
    with session_scope(engine) as session:
        assert session.get(ChannelAccount, first.id).active is False  # type: ignore[union-attr]
    assert [chat for chat, _ in sender.delivered] == [second.chat_id]


async def test_a_blocked_only_account_ends_the_row_without_more_sends(engine: Engine) -> None:
    _broadcast(engine, 1)
    sender = RecordingSender(failures={1: PermanentSendError("user is deactivated")})
    await _dispatcher(engine, sender).run(until_idle=True)
    assert sender.calls == 1 and _states(engine) == Counter({"skipped": 1})


async def test_announcements_turned_off_skip_broadcasts_but_not_critical_notices(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        _fp, (account,) = person(session)
        assert account.id is not None
        preferences.stop_all(session=session, account_id=account.id)
    with session_scope(engine) as session:
        everyone = broadcasts.Segment()
        broadcasts.create_broadcast(session=session, text="optional", segment=everyone, actor="t")
        broadcasts.create_broadcast(
            session=session, text="critical", segment=everyone, actor="t", critical=True
        )
    sender = RecordingSender()
    await _dispatcher(engine, sender).run(until_idle=True)
    assert [text.split("\n\n")[1] for _, text in sender.delivered] == ["critical"]
    assert _states(engine) == Counter({"sent": 1, "skipped": 1})


async def test_an_opportunity_is_written_in_the_readers_language_with_its_buttons(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        fp, _ = person(session, language="fr")
        need(session, fp)
        opp_id = opportunity(session, deadline=date.today() + timedelta(days=30)).id
        opportunities.publish_opportunity(session=session, opportunity_id=opp_id, actor="t")
    sent: list[object] = []

    class Keeping(RecordingSender):
        async def send(self, *, chat_id, reply):  # type: ignore[no-untyped-def]
            sent.append(reply)
            return await super().send(chat_id=chat_id, reply=reply)

    await _dispatcher(engine, Keeping()).run(until_idle=True)
    (reply,) = sent
    assert "Une nouvelle opportunité" in reply.text  # type: ignore[attr-defined]
    assert "Pourquoi : Correspond à votre besoin en" in reply.text  # type: ignore[attr-defined]
    actions = [b.action for b in reply.flat_buttons]  # type: ignore[attr-defined]
    assert actions == [f"opp:why:{opp_id}", f"opp:no:{opp_id}"]


async def test_a_digest_reader_gets_one_message_for_the_held_opportunities(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        fp, (account,) = person(session, language="en")
        need(session, fp, languages=["en", "fr"])
        assert account.id is not None
        preferences.set_preferences(session=session, account_id=account.id, digest="daily")
        for title in ("First", "Second"):
            opp_id = opportunity(
                session, title=title, deadline=date.today() + timedelta(days=40)
            ).id
            opportunities.publish_opportunity(session=session, opportunity_id=opp_id, actor="t")
    sender = RecordingSender()
    await _dispatcher(engine, sender).run(until_idle=True)
    assert sender.delivered == [] and _states(engine) == Counter({"held": 2})
    run_jobs(engine)  # starts the first period
    run_jobs(engine, now=utcnow() + timedelta(days=1, minutes=1))
    await _dispatcher(engine, sender).run(until_idle=True)
    ((_, text),) = sender.delivered
    assert "daily digest" in text and "• First" in text and "• Second" in text
    with session_scope(engine) as session:
        kinds = session.exec(select(OutboxMessage.kind).where(col(OutboxMessage.state) == "sent"))
        assert list(kinds) == ["digest"]


async def test_turning_the_digest_off_sends_what_was_held(engine: Engine) -> None:
    with session_scope(engine) as session:
        fp, (account,) = person(session, language="en")
        need(session, fp, languages=["en"])
        assert account.id is not None
        preferences.set_preferences(session=session, account_id=account.id, digest="weekly")
        opp_id = opportunity(
            session, languages=["en"], deadline=date.today() + timedelta(days=9)
        ).id
        opportunities.publish_opportunity(session=session, opportunity_id=opp_id, actor="t")
    sender = RecordingSender()
    await _dispatcher(engine, sender).run(until_idle=True)
    assert _states(engine) == Counter({"held": 1})
    with session_scope(engine) as session:
        preferences.set_preferences(session=session, account_id=account.id, digest="off")
    await _dispatcher(engine, sender).run(until_idle=True)
    assert len(sender.delivered) == 1 and _states(engine) == Counter({"sent": 1})


async def test_a_row_for_a_channel_this_dispatcher_cannot_serve_waits_for_one_that_can(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        person(session, channel=Channel.TELEGRAM)
        broadcasts.create_broadcast(
            session=session, text="Hi", segment=broadcasts.Segment(), actor="t"
        )
    console = RecordingSender()
    assert await _dispatcher(engine, console).run_once() == 1
    with session_scope(engine) as session:
        row = session.exec(select(OutboxMessage)).one()
        assert (row.state, row.attempts) == ("retry", 0)
        assert "no telegram sender" in (row.last_error or "")
        row.next_attempt_at = utcnow()
        session.add(row)
    telegram = RecordingSender(Channel.TELEGRAM)
    await _dispatcher(engine, telegram).run(until_idle=True)
    assert console.delivered == [] and len(telegram.delivered) == 1
