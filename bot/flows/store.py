"""Load and save a conversation's flow state in the database."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.storage.tables import ConversationState, utcnow


def load_state(*, session: Session, account_id: int) -> dict[str, Any] | None:
    """Return the stored flow state of an account, if it is in a flow."""
    row = session.get(ConversationState, account_id)
    return dict(row.data) if row is not None else None


def save_state(*, session: Session, account_id: int, state: dict[str, Any] | None) -> None:
    """Store the flow state (None ends the flow)."""
    row = session.get(ConversationState, account_id)
    if state is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = ConversationState(account_id=account_id, flow=str(state["flow"]), data=state)
    else:
        row.flow = str(state["flow"])
        # A new dict so SQLAlchemy sees the JSON column changed.
        row.data = dict(state)
        row.updated_at = utcnow()
    session.add(row)
