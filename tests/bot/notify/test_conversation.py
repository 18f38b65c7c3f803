"""In the chat: opportunities, why, not interested, follow, settings, stop, publish, broadcast."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.app import AppContext
from bot.storage.db import session_scope
from bot.storage.notify_tables import Dismissal, Follow, Opportunity, OutboxMessage
from bot.storage.tables import ChannelAccount, FocalPoint
from tests.helpers.conversation import Conversation
from tests.helpers.notify import install_notify, need, opportunity

SOON = date.today() + timedelta(days=20)


@pytest.fixture
def app(context: AppContext) -> AppContext:
    return install_notify(context)


def _join(app: AppContext, user: str, *, country: str = "SN", language: str = "en") -> Conversation:
    """Start a chat and link its account to a verified focal point."""
    chat = Conversation(app.assistant.handle, user_id=user, language=language)
    chat.say("/start")
    with session_scope(app.engine) as session:
        account = session.exec(
            select(ChannelAccount).where(ChannelAccount.platform_user_id == user)
        ).one()
        focal_point = FocalPoint(name=user, country=country, language=language, verified=True)
        session.add(focal_point)
        session.flush()
        account.focal_point_id = focal_point.id
        session.add(account)
    return chat


def _focal_point(app: AppContext, user: str) -> FocalPoint:
    with session_scope(app.engine) as session:
        account = session.exec(
            select(ChannelAccount).where(ChannelAccount.platform_user_id == user)
        ).one()
        found = session.get(FocalPoint, account.focal_point_id)
        assert found is not None
        return found


def test_opportunities_lists_the_best_match_first_with_why_and_not_interested(
    app: AppContext,
) -> None:
    chat = _join(app, "amina")
    with session_scope(app.engine) as session:
        need(session, _focal_point(app, "amina"), languages=["en", "fr"])
        opportunity(session, title="General e-waste course", areas=["e_waste"], deadline=SOON)
        opportunity(session, title="Waste monitoring webinar", deadline=SOON)
        opportunity(session, title="Only for GRULAC", regions=["grulac"], deadline=SOON)
        opportunity(session, title="Closed already", deadline=date.today() - timedelta(days=1))
    chat.say("/opportunities")
    assert "(2)" in chat.replies[0].text
    assert "Waste monitoring webinar" in chat.replies[1].text
    assert "Why: Matches your need on Monitoring of wastes" in chat.replies[1].text
    assert "General e-waste course" in chat.replies[2].text
    assert "GRULAC" not in chat.text and "Closed already" not in chat.text
    chat.press("Why this?")
    assert chat.text.startswith("Why “Waste monitoring webinar”? Matches your need on")
    chat.say("/opportunities")
    chat.press("Not interested")
    assert "no more reminders" in chat.text
    chat.say("/opportunities")
    assert "(1)" in chat.replies[0].text and "Waste monitoring webinar" not in chat.text
    with session_scope(app.engine) as session:
        assert len(session.exec(select(Dismissal)).all()) == 1


def test_follow_by_buttons_and_by_name_counts_for_matching(app: AppContext) -> None:
    chat = _join(app, "amina")
    chat.say("/follow")
    chat.press("Waste streams")
    chat.press("E-waste")
    assert "✓ E-waste" in [b.label for b in chat.replies[0].flat_buttons]
    chat.say("/follow webinar")
    assert "You now follow: Webinar" in chat.text
    with session_scope(app.engine) as session:
        follows = {(f.topic, f.code) for f in session.exec(select(Follow))}
        opportunity(session, title="E-waste workshop", kind="workshop", areas=["e_waste"],
                    languages=[], deadline=SOON)  # fmt: skip
    assert follows == {("area", "e_waste"), ("kind", "webinar")}
    chat.say("/opportunities")
    assert "Why: You follow E-waste" in chat.text
    chat.say("/unfollow webinar")
    assert "no longer follow" in chat.text


def test_settings_toggle_and_stop_says_how_to_turn_back_on(app: AppContext) -> None:
    chat = Conversation(app.assistant.handle, user_id="omar")
    chat.say("/settings")
    assert "Opportunities that fit you: on" in chat.text
    chat.press("Stop opportunities")
    assert "Opportunities that fit you: off" in chat.text and chat.replies[0].edit
    chat.press("weekly digest")
    assert "How: weekly digest" in chat.text
    chat.say("/stop")
    assert "/settings" in chat.text and "Important notices" in chat.text
    chat.say("/settings")
    assert "Announcements of the Secretariat: off" in chat.text


def test_the_secretariat_publishes_from_the_chat_after_a_preview(app: AppContext) -> None:
    learner = _join(app, "amina")
    with session_scope(app.engine) as session:
        need(session, _focal_point(app, "amina"), languages=["en"])
    del learner
    admin = Conversation(app.assistant.handle, user_id="admin")
    admin.say("/publish")
    admin.press("Webinar")
    admin.say("Webinar on waste monitoring")
    admin.press("Skip")
    admin.press("Monitoring of wastes")
    admin.press("Done")
    admin.press("English")
    admin.press("Done")
    admin.press("Online")
    admin.say((date.today() + timedelta(days=40)).isoformat())
    admin.say(SOON.isoformat())
    admin.say("www.basel.int/webinar")
    assert "Webinar on waste monitoring" in admin.text  # the preview
    admin.press("Publish")
    assert "is published. 1 people" in admin.text
    with session_scope(app.engine) as session:
        published = session.exec(select(Opportunity)).one()
        assert (published.status, published.url) == ("published", "https://www.basel.int/webinar")
        assert len(session.exec(select(OutboxMessage)).all()) == 1


def test_publish_is_for_the_secretariat_only(app: AppContext) -> None:
    chat = Conversation(app.assistant.handle, user_id="amina")
    chat.say("/publish")
    assert "Only the Secretariat" in chat.text


def test_a_chat_broadcast_shows_the_count_and_sends_only_when_confirmed(
    app: AppContext,
) -> None:
    _join(app, "amina", country="SN", language="fr")
    _join(app, "kofi", country="GH", language="en")
    _join(app, "ana", country="CL", language="es")
    admin = Conversation(app.assistant.handle, user_id="admin")
    admin.say("/broadcast region=africa The webinar starts tomorrow.")
    assert "reach 2 people" in admin.text and "The webinar starts tomorrow." in admin.text
    with session_scope(app.engine) as session:
        assert session.exec(select(OutboxMessage)).all() == []
    admin.press("Send to 2")
    assert "on its way to 2 people" in admin.text
    admin.press_action("bc:ok:1")  # a second press of the same button
    assert "already sent" in admin.text
    with session_scope(app.engine) as session:
        assert len(session.exec(select(OutboxMessage)).all()) == 2


def test_a_bad_broadcast_filter_is_explained(app: AppContext) -> None:
    admin = Conversation(app.assistant.handle, user_id="admin")
    admin.say("/broadcast region=atlantis Hello")
    assert "cannot use that filter" in admin.text


def test_a_submitted_need_can_be_answered_with_the_open_opportunities_that_fit_it(
    app: AppContext,
) -> None:
    from bot.conversation.opportunities import replies_for_need
    from bot.router import Command
    from bot.storage.needs_tables import Need

    def show(turn, args):  # type: ignore[no-untyped-def]
        found = turn.session.get(Need, int(args))
        return replies_for_need(turn, found)

    app.assistant.router.command(Command("fitneed", show, "help.help"))
    chat = _join(app, "amina")
    with session_scope(app.engine) as session:
        need_id = need(session, _focal_point(app, "amina"), languages=["en"]).id
        opportunity(session, title="Fits", languages=["en"], deadline=SOON)
        opportunity(session, title="French only", languages=["fr"], deadline=SOON)
    chat.say(f"/fitneed {need_id}")
    assert "(1)" in chat.replies[0].text and "Fits" in chat.replies[1].text
    assert "French only" not in chat.text
