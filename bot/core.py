"""Define the neutral message types every channel adapter speaks."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

#: Telegram limits callback data to 64 bytes; every action id must fit.
MAX_ACTION_BYTES = 64


class Channel(StrEnum):
    """Where a message came from or goes to."""

    CONSOLE = "console"
    TELEGRAM = "telegram"
    SLACK = "slack"


@dataclass(frozen=True, slots=True)
class Button:
    """One button: the label shown and the short action id sent back when pressed."""

    label: str
    action: str

    def __post_init__(self) -> None:
        if len(self.action.encode()) > MAX_ACTION_BYTES:
            raise ValueError(f"action id longer than {MAX_ACTION_BYTES} bytes: {self.action!r}")


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent along with a reply."""

    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class Reply:
    """One message from the assistant: text, optional rows of buttons, optional file.

    ``edit`` asks the channel to replace the message that carried the pressed
    button instead of sending a new one, where the channel can.
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    attachment: Attachment | None = None
    edit: bool = False

    @property
    def flat_buttons(self) -> list[Button]:
        """Return the buttons in reading order."""
        return [button for row in self.buttons for button in row]


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing a user did: typed text or pressed a button.

    Exactly one of ``text`` and ``action`` is set. ``user_id`` is the
    platform's id of the person; ``chat_id`` is where to answer them.
    """

    channel: Channel
    user_id: str
    chat_id: str
    text: str | None = None
    action: str | None = None
    language_hint: str | None = None
    display_name: str | None = None
    is_private: bool = True
    metadata: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if (self.text is None) == (self.action is None):
            raise ValueError("an Incoming carries either text or an action, not both or neither")
