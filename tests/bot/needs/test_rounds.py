"""Needs-assessment rounds: scope, invitations, response counting, reminders, the CLI."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from bot.app import AppContext, build_context
from bot.cli_needs import round_app
from bot.services import rounds
from bot.storage.db import session_scope
from bot.storage.needs_tables import Need, RoundInvitation
from tests.conftest import make_settings
from tests.helpers.knowledge import CannedKnowledgeBase
from tests.helpers.needs import add_focal_point, answer_need, link, with_needs

TODAY = date.today()


def open_africa_round(app: AppContext, **scope: str) -> int:
    with session_scope(app.engine) as session:
        opened = rounds.open_round(
            session=session,
            title="Needs 2027",
            closes_on=TODAY + timedelta(days=30),
            actor="test",
            region=scope.get("region", "africa"),
            convention=scope.get("convention"),
        )
        assert opened.id is not None
        return opened.id


@pytest.fixture
def any_db_app(database_url: str) -> AppContext:
    settings = make_settings(database_url, ARTICLE16_ADMINS="console:admin")
    return with_needs(build_context(settings, knowledge=CannedKnowledgeBase()))


def test_a_round_for_one_region_counts_responses_per_region_and_country(any_db_app) -> None:
    app = any_db_app
    kenya = add_focal_point(app, name="Wanjiru Kamau", country="KE")
    add_focal_point(app, name="Awa Ndiaye", country="SN")
    add_focal_point(app, name="Moussa Diop", country="SN", email="moussa@example.org")
    chile = add_focal_point(app, name="Camila Rojas", country="CL")
    round_id = open_africa_round(app)
    for user, focal_point in (("ke", kenya), ("cl", chile)):
        chat = link(app, user, focal_point)
        answer_need(chat, country=None, role=None)
        chat.press("Submit")
    with session_scope(app.engine) as session:
        status = rounds.round_status(session=session, round_id=round_id)
        needs = session.exec(select(Need).order_by(Need.id)).all()
        assert [(n.country, n.round_id) for n in needs] == [("KE", round_id), ("CL", None)]
    assert (status.invited, status.answered, status.needs) == (3, 1, 1)
    assert [(r.key, r.invited, r.answered) for r in status.by_region] == [("africa", 3, 1)]
    assert [(r.key, r.invited, r.answered, r.needs) for r in status.by_country] == [
        ("KE", 1, 1, 1), ("SN", 2, 0, 0),
    ]  # fmt: skip
    assert status.by_region[0].rate == pytest.approx(1 / 3)
    assert sorted(p.name for p in status.not_answered) == ["Awa Ndiaye", "Moussa Diop"]


def test_the_submission_tells_which_round_it_answers(app) -> None:
    chat = link(app, "ke", add_focal_point(app, name="Wanjiru Kamau", country="KE"))
    open_africa_round(app)
    answer_need(chat, country=None, role=None)
    chat.press("Submit")
    assert "needs assessment “Needs 2027”" in chat.text


def test_a_round_for_one_convention_invites_only_its_focal_points(app) -> None:
    add_focal_point(app, name="Basel Person", country="KE", roles=("basel_focal_point",))
    add_focal_point(
        app, name="Stockholm Person", country="GH", roles=("stockholm_national_focal_point",)
    )
    round_id = open_africa_round(app, convention="stockholm")
    with session_scope(app.engine) as session:
        status = rounds.round_status(session=session, round_id=round_id)
    assert [(r.key, r.invited) for r in status.by_country] == [("GH", 1)]


def test_a_focal_point_added_later_is_invited_too(app) -> None:
    round_id = open_africa_round(app)
    add_focal_point(app, name="Late Comer", country="NG")
    with session_scope(app.engine) as session:
        assert len(rounds.pending_invitations(session=session, round_id=round_id)) == 1
        assert rounds.round_status(session=session, round_id=round_id).invited == 1


def test_reminders_are_due_only_near_the_close_for_those_who_did_not_answer(app) -> None:
    kenya = add_focal_point(app, name="Wanjiru Kamau", country="KE")
    add_focal_point(app, name="Awa Ndiaye", country="SN")
    round_id = open_africa_round(app)
    with session_scope(app.engine) as session:
        for invitation in rounds.pending_invitations(session=session, round_id=round_id):
            rounds.mark_invited(session=session, invitation=invitation)
    chat = link(app, "ke", kenya)
    answer_need(chat, country=None, role=None)
    chat.press("Submit")
    with session_scope(app.engine) as session:
        assert rounds.due_reminders(session=session, round_id=round_id, today=TODAY) == []
        near = TODAY + timedelta(days=25)
        due = rounds.due_reminders(session=session, round_id=round_id, today=near)
        assert [i.focal_point_id for i in due] == [kenya + 1]
        rounds.mark_reminded(session=session, invitation=due[0])
    with session_scope(app.engine) as session:
        assert rounds.due_reminders(session=session, round_id=round_id, today=near) == []


def test_a_closed_round_takes_no_more_needs(app) -> None:
    chat = link(app, "ke", add_focal_point(app, name="Wanjiru Kamau", country="KE"))
    round_id = open_africa_round(app)
    with session_scope(app.engine) as session:
        rounds.close_round(session=session, round_id=round_id, actor="test")
    answer_need(chat, country=None, role=None)
    chat.press("Submit")
    with Session(app.engine) as session:
        assert session.exec(select(Need)).one().round_id is None


def test_the_round_commands_open_list_show_status_and_close(app, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", str(app.engine.url))
    add_focal_point(app, name="Wanjiru Kamau", country="KE")
    add_focal_point(app, name="Camila Rojas", country="CL")
    runner = CliRunner()
    closes = (TODAY + timedelta(days=30)).isoformat()
    result = runner.invoke(
        round_app, ["open", "--title", "Africa 2027", "--closes", closes, "--region", "Africa"]
    )
    assert result.exit_code == 0, result.output
    assert "Opened round 1" in result.output and "1 focal point(s)" in result.output
    result = runner.invoke(round_app, ["list"])
    assert "Africa 2027" in result.output and "africa" in result.output
    result = runner.invoke(round_app, ["status", "1"])
    assert result.exit_code == 0, result.output
    assert "Answered: 0 of 1 invited (0%)" in result.output
    assert "Wanjiru Kamau" in result.output and "to be sent" in result.output
    assert "Camila" not in result.output
    result = runner.invoke(round_app, ["close", "1"])
    assert "Closed round 1" in result.output
    with Session(app.engine) as session:
        assert len(session.exec(select(RoundInvitation)).all()) == 1


def test_opening_a_round_refuses_an_unknown_region_and_a_past_close(app, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", str(app.engine.url))
    runner = CliRunner()
    result = runner.invoke(
        round_app, ["open", "--title", "T", "--closes", "2099-01-01", "--region", "Mars"]
    )
    assert result.exit_code == 1 and "unknown region" in result.output
    result = runner.invoke(round_app, ["open", "--title", "T", "--closes", "2000-01-01"])
    assert result.exit_code == 1 and "close date" in result.output
