"""Stand in for the core in adapter tests: predictable replies, a record of what came in."""

from __future__ import annotations

from bot.core import Button, Incoming, Reply

LONG_PARAGRAPH = "word " * 500  # 2,500 characters


class EchoCore:
    """Stand in for the core: echo text with two buttons, confirm presses by editing."""

    def __init__(self) -> None:
        self.seen: list[Incoming] = []

    def __call__(self, incoming: Incoming) -> list[Reply]:
        self.seen.append(incoming)
        if incoming.action is not None:
            return [Reply(text=f"You chose {incoming.action}", edit=True)]
        if incoming.text == "/long":
            text = (LONG_PARAGRAPH.strip() + "\n\n") * 2  # 5,000+ characters, two paragraphs
            return [Reply(text=text.strip(), buttons=((Button("More", "more"),),))]
        if incoming.text == "/boom":
            raise RuntimeError("the core failed")
        buttons = ((Button("Yes", "yes"), Button("No", "no")),)
        return [Reply(text=f"You said: {incoming.text} <ok> & fine", buttons=buttons)]
