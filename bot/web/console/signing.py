"""Sign cookie values and derive CSRF tokens with HMAC-SHA256.

The key is ``ARTICLE16_WEB_SECRET`` when set; otherwise one is made on first
start and kept in the database (table ``console_secret``), so every process
serving the console signs with the same key and a restart signs nobody out.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from bot.services.staff import console_secret
from bot.storage.db import session_scope

SECRET_ENV = "ARTICLE16_WEB_SECRET"
MIN_SECRET_LENGTH = 32


def load_secret(engine: Engine, environ: dict[str, str] | None = None) -> bytes:
    """Return the signing key: from the environment, else the database's (made once)."""
    configured = (environ if environ is not None else dict(os.environ)).get(SECRET_ENV, "")
    if configured:
        if len(configured) < MIN_SECRET_LENGTH:
            raise ValueError(f"{SECRET_ENV} must have at least {MIN_SECRET_LENGTH} characters")
        return configured.encode()
    try:
        with session_scope(engine) as session:
            return console_secret(session=session).encode()
    except IntegrityError:
        # Another process made it at the same moment: read theirs.
        with session_scope(engine) as session:
            return console_secret(session=session).encode()


class Signer:
    """Sign and check short strings; derive per-purpose tokens from one key.

    The key may be given as a function, called on first use: the app can then
    be built before the database answers (the health check reports that).
    """

    def __init__(self, key: bytes | Callable[[], bytes]) -> None:
        self._key: bytes | None = key if isinstance(key, bytes) else None
        self._load = key if callable(key) else None
        self._lock = threading.Lock()

    def _secret(self) -> bytes:
        if self._key is None:
            with self._lock:
                if self._key is None:
                    assert self._load is not None
                    self._key = self._load()
        return self._key

    def _mac(self, purpose: str, value: str) -> str:
        message = f"{purpose}\x00{value}".encode()
        return hmac.new(self._secret(), message, hashlib.sha256).hexdigest()

    def sign(self, value: str, *, purpose: str = "cookie") -> str:
        """Return ``value`` with its signature appended."""
        return f"{value}.{self._mac(purpose, value)}"

    def unsign(self, signed: str, *, purpose: str = "cookie") -> str | None:
        """Return the value of a signed string, or None when the signature is wrong."""
        value, dot, signature = signed.rpartition(".")
        if not dot or not hmac.compare_digest(signature, self._mac(purpose, value)):
            return None
        return value

    def token(self, value: str, *, purpose: str) -> str:
        """Return a token bound to ``value`` (CSRF tokens are bound to the session)."""
        return self._mac(purpose, value)[:43]

    def check_token(self, value: str, token: str, *, purpose: str) -> bool:
        """Tell whether ``token`` was made by :meth:`token` for ``value``."""
        return bool(token) and hmac.compare_digest(token, self.token(value, purpose=purpose))
