"""Define the assistant's errors.

::

    Article16Error
    ├── ConfigurationError        a setting is malformed or a secret is missing
    ├── UserInputError            the user typed something we cannot accept (shown to them)
    ├── NotAllowed                the user may not do this (shown to them)
    ├── NotFound                  an id that does not exist
    ├── InviteError               an invite code is wrong, used, expired or rate limited
    ├── IngestError               a knowledge-base file cannot be read
    └── SendError                 a channel could not deliver a message
        ├── TransientSendError    try again later (network, time-out, 5xx)
        │   └── RateLimited       the platform asked us to wait ``retry_after`` seconds
        └── PermanentSendError    never try this account again (blocked, deleted)
"""

from __future__ import annotations


class Article16Error(Exception):
    """Base class of every error the assistant raises on purpose."""


class ConfigurationError(Article16Error):
    """A setting is malformed, or a secret for an enabled channel is missing."""


class UserInputError(Article16Error):
    """The user's input cannot be accepted; the message is safe to show them."""


class NotAllowed(Article16Error):
    """The user may not do this."""


class NotFound(Article16Error):
    """The thing asked for does not exist."""


class InviteError(Article16Error):
    """An invite code cannot be redeemed."""


class IngestError(Article16Error):
    """A knowledge-base file cannot be read or parsed."""


class SendError(Article16Error):
    """A channel could not deliver a message."""


class TransientSendError(SendError):
    """Delivery failed for a reason that may pass; retry with backoff."""


class RateLimited(TransientSendError):
    """The platform asked us to wait before sending again."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentSendError(SendError):
    """Delivery can never succeed to this account (blocked the bot, account gone)."""
