"""Questions in the chat: cited answers, declining, feedback, related questions, hand-off."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.app import AppContext, build_context
from bot.services import questions
from bot.storage.db import session_scope
from bot.storage.tables import QuestionLog
from tests.conftest import make_settings
from tests.helpers.conversation import Conversation
from tests.helpers.knowledge import CannedKnowledgeBase


@pytest.fixture
def kb() -> CannedKnowledgeBase:
    return CannedKnowledgeBase()


@pytest.fixture
def app(sqlite_url: str, kb: CannedKnowledgeBase) -> AppContext:
    return build_context(make_settings(sqlite_url), knowledge=kb)


@pytest.fixture
def user(app: AppContext) -> Conversation:
    return Conversation(app.assistant.handle, user_id="fp1")


def logged(app: AppContext) -> list[QuestionLog]:
    with Session(app.engine) as session:
        return list(session.exec(select(QuestionLog).order_by(QuestionLog.id)))


def test_free_text_is_answered_with_its_sources_and_logged(app, user) -> None:
    user.say("Which centre serves the Pacific?")
    assert "Apia" in user.text
    assert "Sources:" in user.text and "https://www.basel.int/x" in user.text
    [entry] = logged(app)
    assert entry.answered and entry.confidence == 0.9
    assert entry.sources[0]["path"] == "en/rc.md"


def test_ask_command_is_a_question_too(user, kb) -> None:
    user.say("/ask pacific centre?")
    assert kb.asked == [("pacific centre?", "en")]


def test_the_question_goes_to_the_knowledge_base_in_the_users_language(app, kb) -> None:
    Conversation(app.assistant.handle, user_id="fr1", language="fr").say("Pacific ?")
    assert kb.asked[-1] == ("Pacific ?", "fr")


def test_an_out_of_scope_question_is_declined_with_what_it_can_help_with(app, user) -> None:
    user.say("give me a recipe for paella")
    assert "can't help with that" in user.text
    assert "regional centres" in user.text
    assert user.button("Ask the Secretariat")
    assert logged(app)[0].answered is False


def test_an_unknown_answer_says_so_and_offers_the_secretariat(user) -> None:
    user.say("what is the budget of the 2031 meeting?")
    assert "don't know" in user.text
    assert user.button("Ask the Secretariat")


def test_passing_a_question_stores_it_with_its_context(app, user) -> None:
    user.say("Which centre serves the Pacific?")
    user.say("what is the budget of the 2031 meeting?")
    user.press("Ask the Secretariat")
    assert "passed to the Secretariat" in user.text
    entry = logged(app)[-1]
    assert entry.escalated and entry.escalated_at is not None
    assert entry.context["earlier_questions"] == ["Which centre serves the Pacific?"]
    user.press_action(f"q:esc:{entry.id}")
    assert "already with the Secretariat" in user.text
    with session_scope(app.engine) as session:
        waiting = questions.list_questions(session=session, unanswered=True)
    assert [w.id for w in waiting] == [entry.id]


def test_feedback_is_logged_and_a_thumbs_down_offers_the_secretariat(app, user) -> None:
    user.say("Pacific?")
    user.press("Helpful")
    assert logged(app)[0].feedback == 1
    user.say("Pacific again?")
    user.press("Not helpful")
    assert logged(app)[1].feedback == -1
    assert user.button("Ask the Secretariat")


def test_a_related_question_button_asks_it(user, kb) -> None:
    user.say("Pacific?")
    user.press("South-East Asia")
    assert kb.asked[-1][0] == "Which centre serves South-East Asia?"


def test_nobody_can_rate_or_pass_someone_elses_question(app, user) -> None:
    user.say("Pacific?")
    entry_id = logged(app)[0].id
    other = Conversation(app.assistant.handle, user_id="intruder")
    other.press_action(f"q:up:{entry_id}")
    assert "no longer active" in other.text
    assert logged(app)[0].feedback is None


def test_gaps_group_declined_and_badly_rated_questions(app, user) -> None:
    user.say("what is the budget?")
    user.say("What is the budget")
    user.say("Pacific?")
    user.press("Not helpful")
    with session_scope(app.engine) as session:
        gaps = questions.knowledge_gaps(session=session)
    assert [(g.count, g.declined, g.rated_down) for g in gaps] == [(2, 2, 0), (1, 0, 1)]


def test_the_secretariat_answer_is_stored_and_audited(app, user) -> None:
    user.say("what is the budget?")
    user.press("Ask the Secretariat")
    entry_id = logged(app)[0].id
    with session_scope(app.engine) as session:
        questions.answer_escalated(session=session, entry_id=entry_id, text="About 1 M USD.",
                                   actor="cli")  # fmt: skip
    assert logged(app)[0].secretariat_answer == "About 1 M USD."


def test_the_shipped_knowledge_base_answers_through_the_chat(chat: Conversation) -> None:
    chat.say("where is the regional centre for the Pacific?")
    assert "Apia" in chat.text and "Sources:" in chat.text
    chat.say("give me a recipe for paella")
    assert "Ask the Secretariat" in chat.replies[-1].flat_buttons[0].label


def test_long_related_questions_are_cut_at_a_word_on_their_buttons() -> None:
    from bot.conversation.questions import shorten

    label = shorten("What about Basel and Stockholm regional centres (BCRCs and SCRCs)?", 60)
    assert label == "What about Basel and Stockholm regional centres (BCRCs and…"
    assert len(label) <= 60
    assert shorten("Short question?", 60) == "Short question?"


def test_the_secretariat_answer_from_the_command_line_is_queued_for_the_asker(
    app, user, monkeypatch, sqlite_url
) -> None:
    from typer.testing import CliRunner

    from bot.cli import app as cli
    from bot.storage.notify_tables import OutboxMessage

    user.say("what is the budget?")
    user.press("Ask the Secretariat")
    entry_id = logged(app)[0].id
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    result = CliRunner().invoke(cli, ["questions", "answer", str(entry_id), "About 1 M USD."])
    assert result.exit_code == 0, result.output
    assert "will be sent to the asker" in result.output
    again = CliRunner().invoke(cli, ["questions", "answer", str(entry_id), "About 1 M USD."])
    assert again.exit_code == 0
    with Session(app.engine) as session:
        rows = list(session.exec(select(OutboxMessage)))
    assert [(r.kind, r.account_id, r.dedupe_key) for r in rows] == [
        ("answer", logged(app)[0].account_id, f"answer:{entry_id}")
    ]
