"""Let staff move a need through review (under review, matched, closed) and tell its author."""

from __future__ import annotations

from sqlmodel import Session

from bot import vocab
from bot.errors import NotAllowed
from bot.services import audit, outbox
from bot.services.needs import get_need, snapshot
from bot.storage.needs_tables import Need, NeedVersion
from bot.storage.tables import utcnow

#: The statuses staff may set.
REVIEW_STATUSES = ("under_review", "matched", "closed")
_FRAMES = {
    "en": "Your technical-assistance need #{id} is now: {status}.",
    "fr": "Votre besoin d'assistance technique n° {id} est maintenant : {status}.",
    "es": "Su necesidad de asistencia técnica n.º {id} está ahora: {status}.",
}
_NOTE = {
    "en": "Note from the Secretariat:",
    "fr": "Note du Secrétariat :",
    "es": "Nota de la Secretaría:",
}


def status_message(need: Need, status: str, note: str) -> str:
    """Return what the need's author is told, in the need's language."""
    language = need.language if need.language in _FRAMES else "en"
    text = _FRAMES[language].format(id=need.id, status=vocab.NEED_STATUS.label(status, language))
    if note.strip():
        text += f"\n\n{_NOTE[language]}\n{note.strip()}"
    return text


def change_status(
    *, session: Session, need_id: int, status: str, note: str, actor: str
) -> tuple[Need, bool]:
    """Set a need's status, keep a version with the note, queue a message to its author.

    Return the need and whether a message was queued (a need with no
    focal point and no account has nobody to tell).
    """
    if status not in REVIEW_STATUSES:
        raise NotAllowed(f"status must be one of {', '.join(REVIEW_STATUSES)}")
    need = get_need(session=session, need_id=need_id)
    if need.status in ("draft", "withdrawn"):
        raise NotAllowed(f"a {need.status} need cannot be reviewed")
    need.status = status
    need.version += 1
    need.updated_at = utcnow()
    session.add(need)
    session.add(
        NeedVersion(
            need_id=need_id,
            version=need.version,
            data=snapshot(need),
            changed_by=actor,
            note=f"{status}: {note.strip()}"[:1000],
        )
    )
    audit.record(
        session=session,
        actor=actor,
        action="need.status",
        target=f"need:{need_id}",
        status=status,
        note=note.strip()[:500],
    )
    if need.focal_point_id is None and need.account_id is None:
        return need, False
    queued = outbox.enqueue(
        session=session,
        dedupe_key=f"need-status:{need_id}:{need.version}",
        kind="notice",
        focal_point_id=need.focal_point_id,
        account_id=None if need.focal_point_id is not None else need.account_id,
        text=status_message(need, status, note),
    )
    return need, queued
