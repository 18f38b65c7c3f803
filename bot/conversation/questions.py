"""Answer free-text questions from the knowledge base, with sources, feedback and hand-off."""

from __future__ import annotations

from collections.abc import Callable

from bot.assistant import Assistant
from bot.core import Button, Reply
from bot.errors import NotFound
from bot.flows.store import load_state
from bot.ports import Answer, KnowledgeBase
from bot.router import Command, MenuEntry
from bot.services import questions
from bot.storage.tables import QuestionLog
from bot.turn import Turn

#: Sources listed under an answer; more would crowd a phone screen.
MAX_SOURCES = 3
#: Longer button labels are cut by Slack (75) and wrap badly on phones.
BUTTON_LABEL_LIMIT = 60


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters at a word boundary, marking the cut with …."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:(")
    return f"{cut}…"


def render_answer(turn: Turn, entry: QuestionLog, answer: Answer) -> Reply:
    """Return an answer with its sources, 👍/👎 and up to three related questions."""
    lines = [answer.text, "", turn.t("answer.sources")]
    for source in answer.sources[:MAX_SOURCES]:
        lines.append(f"• {source.title} — {source.url}" if source.url else f"• {source.title}")
    rows: list[tuple[Button, ...]] = [
        (
            Button(turn.t("answer.helpful"), f"q:up:{entry.id}"),
            Button(turn.t("answer.unhelpful"), f"q:down:{entry.id}"),
        )
    ]
    rows.extend(
        (Button(shorten(related, BUTTON_LABEL_LIMIT), f"q:rel:{entry.id}:{index}"),)
        for index, related in enumerate(answer.related[:3])
    )
    return Reply(text="\n".join(lines), buttons=tuple(rows))


def render_decline(turn: Turn, entry: QuestionLog, answer: Answer) -> Reply:
    """Say honestly that there is no answer, what the assistant can help with, and offer a hand-off."""  # noqa: E501
    reason = answer.extra.get("reason", "low_confidence")
    key = "answer.out_of_scope" if reason == "out_of_scope" else "answer.unknown"
    text = f"{turn.t(key)}\n\n{turn.t('answer.can_help_with')}"
    return Reply(
        text=text,
        buttons=((Button(turn.t("answer.escalate"), f"q:esc:{entry.id}"),),),
    )


def install(assistant: Assistant, knowledge: Callable[[], KnowledgeBase]) -> None:
    """Make free text and /ask questions to the knowledge base; register the answer buttons.

    ``knowledge`` is called on first use, so commands that never answer a
    question never load the index.
    """
    router = assistant.router

    def answer_question(turn: Turn, question: str) -> list[Reply]:
        question = question.strip()
        if not question:
            return [turn.say("answer.ask_how")]
        answer = knowledge().answer(question, language=turn.language)
        entry = questions.log_answer(
            session=turn.session,
            account_id=turn.account_id,
            focal_point_id=turn.person.account.focal_point_id,
            channel=turn.incoming.channel.value,
            question=question,
            answer=answer,
        )
        if answer.answered:
            return [render_answer(turn, entry, answer)]
        return [render_decline(turn, entry, answer)]

    def ask(turn: Turn, args: str) -> list[Reply]:
        return answer_question(turn, args)

    def on_question_button(turn: Turn, argument: str) -> list[Reply]:
        verb, _, rest = argument.partition(":")
        ident, _, extra = rest.partition(":")
        if not ident.isdigit():
            return [turn.say("action.outdated")]
        try:
            entry = questions.owned_entry(
                session=turn.session, entry_id=int(ident), account_id=turn.account_id
            )
        except NotFound:
            return [turn.say("action.outdated")]
        match verb:
            case "up" | "down":
                questions.record_feedback(session=turn.session, entry=entry, helpful=verb == "up")
                key = "answer.thanks_up" if verb == "up" else "answer.thanks_down"
                if verb == "down" and not entry.escalated:
                    escalate = Button(turn.t("answer.escalate"), f"q:esc:{entry.id}")
                    return [Reply(text=turn.t(key), buttons=((escalate,),))]
                return [turn.say(key)]
            case "esc":
                state = load_state(session=turn.session, account_id=turn.account_id)
                already = entry.escalated
                questions.escalate(
                    session=turn.session,
                    entry=entry,
                    flow=str(state["flow"]) if state else None,
                )
                return [turn.say("answer.escalated_before" if already else "answer.escalated")]
            case "rel" if extra.isdigit() and int(extra) < len(entry.related):
                return answer_question(turn, entry.related[int(extra)])
        return [turn.say("action.outdated")]

    assistant.answer_question = answer_question
    router.command(Command("ask", ask, "help.ask"))
    router.action("q", on_question_button)
    router.menu_entry(MenuEntry("menu.ask", "ask"))
