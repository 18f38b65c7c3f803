"""Talk to the assistant in a terminal, interactively or from a script on stdin."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from bot.core import Button, Channel, Incoming, Reply
from bot.ports import Delivery

Handle = Callable[[Incoming], list[Reply]]


def render(reply: Reply, *, numbered_from: int = 1) -> str:
    """Return a reply as plain text, its buttons numbered from ``numbered_from``."""
    lines = [reply.text]
    number = numbered_from
    for row in reply.buttons:
        cells = []
        for button in row:
            cells.append(f"[{number}] {button.label}")
            number += 1
        lines.append("   ".join(cells))
    if reply.attachment is not None:
        lines.append(f"(file: {reply.attachment.filename}, {len(reply.attachment.content)} bytes)")
    return "\n".join(lines)


def to_incoming(
    line: str, *, buttons: list[Button], user_id: str, language: str | None
) -> Incoming:
    """Turn a typed line into an Incoming: a number or label of a shown button is a press."""
    text = line.strip()
    folded = text.casefold()
    for number, button in enumerate(buttons, start=1):
        label = button.label.casefold().lstrip("•✓ ").strip()
        if folded == str(number) or (folded and folded in (button.label.casefold(), label)):
            return Incoming(
                channel=Channel.CONSOLE,
                user_id=user_id,
                chat_id=user_id,
                action=button.action,
                language_hint=language,
            )
    return Incoming(
        channel=Channel.CONSOLE, user_id=user_id, chat_id=user_id, text=text, language_hint=language
    )


class ConsoleChat:
    """One terminal conversation: read a line, show the replies, remember the buttons."""

    def __init__(
        self,
        handle: Handle,
        *,
        user_id: str = "local",
        language: str | None = None,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
    ) -> None:
        self._handle = handle
        self._user_id = user_id
        self._language = language
        self._in = stdin or sys.stdin
        self._out = stdout or sys.stdout
        self._buttons: list[Button] = []
        self.interactive = self._in.isatty() and self._out.isatty()

    def send(self, line: str) -> list[Reply]:
        """Handle one typed line and print the replies."""
        incoming = to_incoming(
            line, buttons=self._buttons, user_id=self._user_id, language=self._language
        )
        replies = self._handle(incoming)
        self.show(replies)
        return replies

    def show(self, replies: list[Reply]) -> None:
        """Print replies; the buttons of the last replies become answerable by number."""
        self._buttons = []
        blocks = []
        for reply in replies:
            blocks.append(render(reply, numbered_from=len(self._buttons) + 1))
            self._buttons.extend(reply.flat_buttons)
        text = "\n\n".join(blocks)
        if self.interactive:
            from rich.console import Console
            from rich.panel import Panel

            Console(file=self._out).print(Panel(text, border_style="green"))
        else:
            self._out.write(text + "\n---\n")
        self._out.flush()

    def run(self) -> None:
        """Read lines until end of input (or Ctrl-D / Ctrl-C in a terminal)."""
        if self.interactive:
            self._out.write("Article 16 Assistant — type /start, a question, or Ctrl-D to quit.\n")
            self.send("/start")
        while True:
            if self.interactive:
                self._out.write("> ")
                self._out.flush()
            try:
                line = self._in.readline()
            except KeyboardInterrupt:
                break
            if not line:
                break
            if not line.strip():
                continue
            self.send(line)


class ConsoleSender:
    """Deliver notifications to the terminal (the console channel's outbound side)."""

    channel = Channel.CONSOLE

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stdout
        self._count = 0

    async def send(self, *, chat_id: str, reply: Reply) -> Delivery:
        """Print the notification with its recipient."""
        self._count += 1
        self._stream.write(f"[notification to {chat_id}]\n{render(reply)}\n---\n")
        self._stream.flush()
        return Delivery(message_id=f"console-{self._count}")
