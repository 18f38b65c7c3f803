"""Build what the offers tests need: an offer typed in the chat, needs, the outbox rows."""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.app import AppContext
from bot.storage.notify_tables import OutboxMessage
from tests.helpers.conversation import Conversation

DESCRIPTION = "A two-week e-waste inspection course for customs officers, with follow-up."


def answer_offer(
    chat: Conversation,
    *,
    kind: str = "A Party",
    name: str = "Government of Norway",
    contact: str = "Ingrid Berg, ingrid@example.no",
    areas: tuple[str, ...] = ("E-waste",),
    types: tuple[str, ...] = ("Webinar",),
    scope: str = "Any eligible Party",
    regions: tuple[str, ...] = (),
    countries: str = "",
    languages: tuple[str, ...] = ("French",),
    format: str = "Online",
    capacity: str | None = "30 participants",
    conditions: tuple[str, ...] = ("No conditions",),
    conditions_note: str = "Travel paid by the participants' governments",
    description: str = DESCRIPTION,
) -> None:
    """Answer the whole offer questionnaire up to its summary."""
    chat.say("/offer")
    chat.press(kind)
    chat.say(name)
    chat.say(contact)
    for label in areas:
        chat.press(label)
    chat.press("Done")
    for label in types:
        chat.press(label)
    chat.press("Done")
    chat.press("Basel")
    chat.press("Done")
    chat.press(scope)
    if regions:
        for label in regions:
            chat.press(label)
        chat.press("Done")
    if countries:
        chat.say(countries)
    for label in languages:
        chat.press(label)
    chat.press("Done")
    chat.press(format)
    if capacity is None:
        chat.press("Skip")
    else:
        chat.say(capacity)
    chat.press("Skip")  # available from
    chat.press("Skip")  # period
    for label in conditions:
        chat.press(label)
    chat.press("Done")
    if set(conditions) - {"No conditions"}:
        chat.say(conditions_note)
    chat.say(description)


def outbox_rows(app: AppContext, prefix: str = "") -> list[OutboxMessage]:
    """Return the outbox rows whose dedupe key starts with ``prefix``, oldest first."""
    with Session(app.engine) as session:
        query = select(OutboxMessage).where(col(OutboxMessage.dedupe_key).startswith(prefix))
        return list(session.exec(query.order_by(col(OutboxMessage.id))).all())
