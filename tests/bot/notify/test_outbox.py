"""The outbox: one row per cause and person, claimed by one dispatcher at a time."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, update
from sqlmodel import col, select

from bot.services import opportunities, outbox
from bot.storage.db import make_engine, session_scope, upgrade
from bot.storage.notify_tables import OpportunityMatch, OutboxMessage
from bot.storage.tables import utcnow
from tests.helpers.notify import need, opportunity, person

TODAY = date(2026, 11, 25)


@pytest.fixture
def engine(database_url: str) -> Engine:
    engine = make_engine(database_url)
    upgrade(engine)
    return engine


def _rows(engine: Engine) -> list[OutboxMessage]:
    with session_scope(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def test_enqueue_with_a_known_dedupe_key_adds_nothing(engine: Engine) -> None:
    with session_scope(engine) as session:
        _fp, (account,) = person(session)
        first = outbox.enqueue(session=session, dedupe_key="k1", kind="notice",
                               account_id=account.id, render_key="notify.opp.none")  # fmt: skip
        again = outbox.enqueue(session=session, dedupe_key="k1", kind="notice",
                               account_id=account.id, render_key="notify.opp.none")  # fmt: skip
    assert (first, again) == (True, False)
    assert len(_rows(engine)) == 1


def test_publishing_notifies_each_person_once_even_with_several_matching_needs(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        fp, _ = person(session, accounts=2)
        need(session, fp)
        need(session, fp, areas=["waste_monitoring", "e_waste"])
        other, _ = person(session, country="KE", language="en")
        need(session, other, country="KE", languages=["en"], language="en")
        opp_id = opportunity(session).id
    with session_scope(engine) as session:
        report = opportunities.publish_opportunity(
            session=session, opportunity_id=opp_id, actor="test", today=TODAY
        )
    assert (report.matched, report.queued) == (1, 1)
    with session_scope(engine) as session:
        again = opportunities.publish_opportunity(
            session=session, opportunity_id=opp_id, actor="test", today=TODAY
        )
        matches = session.exec(select(OpportunityMatch)).all()
    assert (again.matched, again.queued) == (1, 0)
    rows = _rows(engine)
    assert [(r.kind, r.focal_point_id, r.dedupe_key) for r in rows] == [
        ("opportunity", fp.id, f"opp:{opp_id}:fp:{fp.id}")
    ]
    assert len(matches) == 1 and matches[0].reasons[0]["code"] == "areas"


def test_a_need_submitted_later_is_told_of_the_open_opportunity_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        fp, _ = person(session)
        opp_id = opportunity(session).id
        opportunities.publish_opportunity(
            session=session, opportunity_id=opp_id, actor="t", today=TODAY
        )
        first = need(session, fp)
        assert opportunities.on_need_submitted(session, first, today=TODAY) == 1
        second = need(session, fp)
        assert opportunities.on_need_submitted(session, second, today=TODAY) == 0
    assert len(_rows(engine)) == 1


def _queue(engine: Engine, count: int) -> None:
    with session_scope(engine) as session:
        _fp, (account,) = person(session)
        for n in range(count):
            outbox.enqueue(session=session, dedupe_key=f"n{n}", kind="broadcast",
                           account_id=account.id, text=f"m{n}")  # fmt: skip


def test_two_claims_never_take_the_same_row(engine: Engine) -> None:
    _queue(engine, 7)
    lease = timedelta(minutes=1)
    first = outbox.claim(engine=engine, worker="a", limit=4, lease=lease)
    second = outbox.claim(engine=engine, worker="b", limit=4, lease=lease)
    assert len(first) == 4 and len(second) == 3
    assert not set(first) & set(second)
    assert outbox.claim(engine=engine, worker="c", limit=4, lease=lease) == []


def test_a_row_whose_lease_ran_out_is_claimed_again(engine: Engine) -> None:
    _queue(engine, 2)
    taken = outbox.claim(engine=engine, worker="dead", limit=1, lease=timedelta(minutes=5))
    with session_scope(engine) as session:
        session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == taken[0])
            .values(lease_until=utcnow() - timedelta(seconds=1))
        )
    again = outbox.claim(engine=engine, worker="alive", limit=5, lease=timedelta(minutes=5))
    assert sorted(again) == sorted([taken[0], taken[0] + 1])


def test_a_row_to_retry_waits_for_its_time(engine: Engine) -> None:
    with session_scope(engine) as session:
        _fp, (account,) = person(session)
        outbox.enqueue(session=session, dedupe_key="later", kind="notice", account_id=account.id,
                       text="x", not_before=utcnow() + timedelta(hours=1))  # fmt: skip
    assert outbox.claim(engine=engine, worker="a", limit=5, lease=timedelta(minutes=1)) == []


def test_status_counts_rows_by_state(engine: Engine) -> None:
    _queue(engine, 3)
    outbox.claim(engine=engine, worker="a", limit=1, lease=timedelta(minutes=1))
    with session_scope(engine) as session:
        report = outbox.status(session=session)
    assert report.counts["pending"] == 2 and report.counts["sending"] == 1
