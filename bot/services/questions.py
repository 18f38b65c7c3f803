"""Log questions and answers, take feedback, and pass questions to the Secretariat."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from bot.errors import NotFound
from bot.ports import Answer
from bot.services import audit
from bot.storage.tables import QuestionLog, utcnow

#: How many earlier questions of the same person travel with a hand-off.
CONTEXT_QUESTIONS = 3


def log_answer(
    *,
    session: Session,
    account_id: int,
    focal_point_id: int | None,
    channel: str,
    question: str,
    answer: Answer,
) -> QuestionLog:
    """Record a question and what the knowledge base said."""
    entry = QuestionLog(
        account_id=account_id,
        focal_point_id=focal_point_id,
        channel=channel,
        question=question[:4000],
        language=answer.language,
        answer=answer.text[:8000],
        answered=answer.answered,
        confidence=round(answer.confidence, 4),
        sources=[
            {"title": s.title, "url": s.url, "path": s.path, "score": round(s.score, 4)}
            for s in answer.sources
        ],
        related=list(answer.related[:3]),
    )
    session.add(entry)
    session.flush()
    return entry


def owned_entry(*, session: Session, entry_id: int, account_id: int) -> QuestionLog:
    """Return a logged question of this account (nobody acts on another's question)."""
    entry = session.get(QuestionLog, entry_id)
    if entry is None or entry.account_id != account_id:
        raise NotFound(f"question {entry_id}")
    return entry


def record_feedback(*, session: Session, entry: QuestionLog, helpful: bool) -> None:
    """Store 👍 (+1) or 👎 (-1); pressing again replaces the earlier vote."""
    entry.feedback = 1 if helpful else -1
    session.add(entry)


def escalate(*, session: Session, entry: QuestionLog, flow: str | None = None) -> QuestionLog:
    """Pass a question to the Secretariat with the asker's recent questions as context."""
    if entry.escalated:
        return entry
    earlier = session.exec(
        select(QuestionLog.question)
        .where(QuestionLog.account_id == entry.account_id, col(QuestionLog.id) < entry.id)
        .order_by(col(QuestionLog.id).desc())
        .limit(CONTEXT_QUESTIONS)
    ).all()
    entry.escalated = True
    entry.escalated_at = utcnow()
    entry.context = {"earlier_questions": list(reversed(earlier)), "flow": flow}
    session.add(entry)
    return entry


def list_questions(
    *, session: Session, unanswered: bool = False, limit: int = 100
) -> list[QuestionLog]:
    """Return logged questions, newest first; ``unanswered`` keeps hand-offs not yet answered."""
    query = select(QuestionLog).order_by(col(QuestionLog.id).desc()).limit(limit)
    if unanswered:
        query = query.where(
            QuestionLog.escalated == True,  # noqa: E712  (SQL expression)
            col(QuestionLog.secretariat_answer).is_(None),
        )
    return list(session.exec(query).all())


@dataclass(frozen=True, slots=True)
class Gap:
    """A group of questions the knowledge base handles badly."""

    question: str
    count: int
    declined: int
    rated_down: int
    ids: tuple[int, ...]


def _normalised(question: str) -> str:
    return " ".join(question.casefold().strip(" ?!.¿¡").split())


def knowledge_gaps(*, session: Session, limit: int = 50) -> list[Gap]:
    """Group the declined and badly rated questions, most frequent first."""
    rows = session.exec(
        select(QuestionLog).where(
            (QuestionLog.answered == False) | (QuestionLog.feedback == -1)  # noqa: E712
        )
    ).all()
    groups: dict[str, list[QuestionLog]] = {}
    for row in rows:
        groups.setdefault(_normalised(row.question), []).append(row)
    gaps = [
        Gap(
            question=entries[0].question,
            count=len(entries),
            declined=sum(1 for e in entries if not e.answered),
            rated_down=sum(1 for e in entries if e.feedback == -1),
            ids=tuple(e.id for e in entries if e.id is not None),
        )
        for entries in groups.values()
    ]
    gaps.sort(key=lambda gap: (-gap.count, gap.question))
    return gaps[:limit]


def feedback_counts(*, session: Session) -> Counter[str]:
    """Count answers rated helpful, unhelpful and not rated."""
    counts: Counter[str] = Counter()
    for feedback in session.exec(select(QuestionLog.feedback)).all():
        counts["helpful" if feedback == 1 else "unhelpful" if feedback == -1 else "unrated"] += 1
    return counts


def answer_escalated(*, session: Session, entry_id: int, text: str, actor: str) -> QuestionLog:
    """Store the Secretariat's answer to a passed question (the outbox relays it)."""
    entry = session.get(QuestionLog, entry_id)
    if entry is None:
        raise NotFound(f"question {entry_id}")
    if not text.strip():
        raise ValueError("the answer is empty")
    entry.secretariat_answer = text.strip()[:8000]
    entry.secretariat_answered_at = utcnow()
    entry.secretariat_answered_by = actor
    session.add(entry)
    audit.record(session=session, actor=actor, action="question.answer", target=f"q:{entry_id}")
    return entry


def as_dict(entry: QuestionLog) -> dict[str, Any]:
    """Return a logged question as plain data (for JSON output)."""
    return entry.model_dump(mode="json")
