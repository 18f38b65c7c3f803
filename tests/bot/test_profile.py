"""The /profile flow: create, keep, edit, cancel, and a question in the middle."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.app import AppContext
from bot.storage.tables import ChannelAccount, FocalPoint
from tests.helpers.conversation import Conversation


def fill_profile(chat: Conversation, *, country: str = "Senegal") -> None:
    chat.say("/profile")
    chat.say("Amina Diallo")
    chat.say(country)
    chat.press("Basel focal point")
    chat.press("Done")
    chat.press("Français")


def test_a_completed_profile_is_stored_unverified(context: AppContext, chat: Conversation) -> None:
    fill_profile(chat)
    assert "check your answers" in chat.text
    chat.press("Save")
    assert "enregistré" in chat.text  # the chosen language applies at once
    with Session(context.engine) as session:
        fp = session.exec(select(FocalPoint)).one()
        assert (fp.name, fp.country, fp.roles, fp.language, fp.verified) == (
            "Amina Diallo", "SN", ["basel_focal_point"], "fr", False,
        )  # fmt: skip
        account = session.exec(select(ChannelAccount)).one()
        assert account.focal_point_id == fp.id


def test_profile_again_shows_the_summary_with_edit_buttons(chat: Conversation) -> None:
    fill_profile(chat)
    chat.press("Save")
    chat.say("/profile")
    assert "Amina Diallo" in chat.text
    chat.press("✏️ Nom")
    chat.say("Amina B. Diallo")
    assert "Amina B. Diallo" in chat.text


def test_an_unknown_country_is_refused_and_asked_again(chat: Conversation) -> None:
    chat.say("/profile")
    chat.say("Amina Diallo")
    chat.say("Atlantis")
    assert "don't recognise that country" in chat.text
    assert "Which country" in chat.text


def test_cancel_mid_flow_confirms_and_saves_nothing(
    context: AppContext, chat: Conversation
) -> None:
    chat.say("/profile")
    chat.say("Amina Diallo")
    chat.say("/cancel")
    chat.press("Yes, stop")
    assert "Nothing was saved" in chat.text
    with Session(context.engine) as session:
        assert session.exec(select(FocalPoint)).first() is None


def test_a_command_mid_flow_is_run_and_the_flow_continues(chat: Conversation) -> None:
    chat.say("/profile")
    chat.say("Amina Diallo")
    chat.say("/help")
    assert "/language" in chat.text
    assert "Let's continue" in chat.text and "Which country" in chat.text


def test_a_question_at_a_choice_step_is_answered_then_the_flow_continues(
    chat: Conversation,
) -> None:
    chat.say("/profile")
    chat.say("Amina Diallo")
    chat.say("Kenya")
    chat.say("what is a competent authority?")
    assert "Let's continue" in chat.text
    assert "What is your role?" in chat.text
