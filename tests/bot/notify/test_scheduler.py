"""The scheduler queues deadline reminders, round invitations and reminders; answers are relayed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from bot.notify.scheduler import relay_answer, run_jobs
from bot.services import opportunities, rounds
from bot.storage.db import make_engine, session_scope, upgrade
from bot.storage.notify_tables import OutboxMessage
from bot.storage.tables import QuestionLog
from tests.helpers.notify import need, opportunity, person

TODAY = date(2027, 1, 10)
NOW = datetime.combine(TODAY, time(9), tzinfo=UTC)


@pytest.fixture
def engine(sqlite_url: str) -> Engine:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    return engine


def _keys(engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        query = select(OutboxMessage.dedupe_key).order_by(col(OutboxMessage.id))
        return list(session.exec(query).all())


def test_a_reminder_goes_once_before_the_deadline_unless_dismissed(engine: Engine) -> None:
    with session_scope(engine) as session:
        keen, _ = person(session)
        bored, _ = person(session)
        need(session, keen)
        need(session, bored)
        opp_id = opportunity(session, deadline=TODAY + timedelta(days=2)).id
        far_id = opportunity(session, title="Later", deadline=TODAY + timedelta(days=30)).id
        for oid in (opp_id, far_id):
            opportunities.publish_opportunity(
                session=session, opportunity_id=oid, actor="t", today=TODAY
            )
        opportunities.dismiss(session=session, recipient=f"fp:{bored.id}", opportunity_id=opp_id)
    run_jobs(engine, now=NOW)
    run_jobs(engine, now=NOW + timedelta(hours=1))
    reminders = [key for key in _keys(engine) if key.startswith("remind:")]
    assert reminders == [f"remind:{opp_id}:fp:{keen.id}"]


def test_an_open_round_invites_once_then_reminds_those_yet_to_answer(engine: Engine) -> None:
    with session_scope(engine) as session:
        answered, _ = person(session)
        silent, _ = person(session)
        round_ = rounds.open_round(session=session, title="2027 needs", opens_on=TODAY,
                                   closes_on=TODAY + timedelta(days=30), actor="t")  # fmt: skip
        round_id = round_.id
    run_jobs(engine, now=NOW)
    run_jobs(engine, now=NOW)
    invitations = sorted(k for k in _keys(engine) if ":invite:" in k)
    assert invitations == sorted(f"round:{round_id}:invite:{fp.id}" for fp in (answered, silent))
    with session_scope(engine) as session:
        need(session, answered, round_id=round_id)
    run_jobs(engine, now=NOW + timedelta(days=25))
    assert [k for k in _keys(engine) if ":remind:" in k] == [f"round:{round_id}:remind:{silent.id}"]


def test_the_secretariats_answer_is_queued_once_for_the_asker(engine: Engine) -> None:
    with session_scope(engine) as session:
        _fp, (account,) = person(session)
        entry = QuestionLog(account_id=account.id, channel="console", question="How?",
                            escalated=True, secretariat_answer="Like this.")  # fmt: skip
        session.add(entry)
        session.flush()
        assert relay_answer(session=session, entry=entry) is True
        assert relay_answer(session=session, entry=entry) is False
        row = session.exec(select(OutboxMessage)).one()
    assert (row.kind, row.account_id, row.params["answer"]) == ("answer", account.id, "Like this.")
