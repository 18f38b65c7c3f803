"""Record administrative actions in the audit log."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.storage.tables import AuditEntry


def record(*, session: Session, actor: str, action: str, target: str = "", **details: Any) -> None:
    """Add one entry to the audit log (committed with the caller's transaction)."""
    session.add(AuditEntry(actor=actor, action=action, target=target, details=details))
