"""Carry everything a handler needs about one incoming message."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot.core import Incoming, Reply
from bot.i18n import translate
from bot.services.identities import Who


@dataclass(slots=True)
class Turn:
    """One message being handled: the database session, who sent it, in which language."""

    session: Session
    incoming: Incoming
    person: Who
    language: str
    is_admin: bool

    @property
    def account_id(self) -> int:
        """Return the sender's account id."""
        return self.person.account_id

    @property
    def actor(self) -> str:
        """Return the sender as written in the audit log."""
        return f"{self.incoming.channel.value}:{self.incoming.user_id}"

    def t(self, key: str, /, **values: object) -> str:
        """Translate ``key`` into the sender's language."""
        return translate(key, self.language, **values)

    def say(self, key: str, /, **values: object) -> Reply:
        """Return a plain reply with the translated text."""
        return Reply(text=self.t(key, **values))
