"""Drive the assistant like a user: type text, press buttons by label, read replies."""

from __future__ import annotations

from collections.abc import Callable

from bot.core import Button, Channel, Incoming, Reply


class Conversation:
    """One user talking to the core, remembering the buttons last shown."""

    def __init__(
        self,
        handle: Callable[[Incoming], list[Reply]],
        *,
        user_id: str = "u1",
        channel: Channel = Channel.CONSOLE,
        language: str | None = None,
        private: bool = True,
    ) -> None:
        self.handle = handle
        self.user_id = user_id
        self.channel = channel
        self.language = language
        self.private = private
        self.replies: list[Reply] = []

    def _send(self, **kwargs: str) -> list[Reply]:
        incoming = Incoming(
            channel=self.channel,
            user_id=self.user_id,
            chat_id=self.user_id,
            language_hint=self.language,
            is_private=self.private,
            **kwargs,
        )
        self.replies = self.handle(incoming)
        return self.replies

    def say(self, text: str) -> list[Reply]:
        """Type a line of text."""
        return self._send(text=text)

    def press(self, label_part: str) -> list[Reply]:
        """Press the first shown button whose label contains ``label_part``."""
        return self._send(action=self.button(label_part).action)

    def press_action(self, action: str) -> list[Reply]:
        """Press a button by its raw action id (e.g. one from an older message)."""
        return self._send(action=action)

    def button(self, label_part: str) -> Button:
        """Return the first shown button whose label contains ``label_part``."""
        for reply in self.replies:
            for button in reply.flat_buttons:
                if label_part.casefold() in button.label.casefold():
                    return button
        shown = [b.label for r in self.replies for b in r.flat_buttons]
        raise AssertionError(f"no button {label_part!r} among {shown}")

    @property
    def text(self) -> str:
        """Return all text of the last replies."""
        return "\n".join(reply.text for reply in self.replies)
