"""Render the core's ``Reply`` objects as Slack Block Kit.

Pure functions only; the listeners and the sender make the API calls. The
building blocks (:func:`section_blocks`, :func:`button_element`) are shared by
messages, the App Home and the form modals (:mod:`handlers.slack.modal`).

Block Kit limits honoured here: 3,000 characters per section text, 50 blocks
per message (100 on the Home tab), 25 elements per actions block, 75
characters per button label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core import Button, Reply

MAX_SECTION_CHARS = 3000
MAX_MESSAGE_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_ACTION_ELEMENTS = 25
MAX_BUTTON_LABEL = 75
#: Slack shows the top-level ``text`` in notifications; keep it short.
MAX_FALLBACK_CHARS = 300
#: Prefix of every button ``action_id``; the listener matches on it.
ACTION_ID_PREFIX = "a16:"

Block = dict[str, Any]

_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """One ``chat.postMessage`` worth of content: notification text and blocks."""

    text: str
    blocks: list[Block]


def to_mrkdwn(text: str) -> str:
    """Escape ``&<>`` and turn the core's light Markdown into Slack mrkdwn."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1)}>", escaped)
    escaped = _BOLD.sub(r"*\1*", escaped)
    return _HEADING.sub(r"*\1*", escaped)


def _cut_point(text: str, limit: int) -> int:
    window = text[:limit]
    for separator in ("\n\n", "\n", " "):
        cut = window.rfind(separator)
        if cut > limit // 2:
            break
    else:
        cut = limit
    # never cut inside a <url|label> link
    opened = window.rfind("<", 0, cut)
    if opened > window.rfind(">", 0, cut) and opened > 0:
        cut = opened
    return cut


def split_text(text: str, limit: int = MAX_SECTION_CHARS) -> list[str]:
    """Split text into chunks of at most ``limit`` characters at paragraph, line or word ends."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = _cut_point(rest, limit)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].strip()
    if rest:
        chunks.append(rest)
    return chunks


def _label(text: str) -> str:
    return text if len(text) <= MAX_BUTTON_LABEL else text[: MAX_BUTTON_LABEL - 1] + "…"


def button_element(button: Button, index: int) -> Block:
    """Render one button; ``value`` carries ``Button.action``, ``action_id`` stays unique."""
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": _label(button.label), "emoji": True},
        "action_id": f"{ACTION_ID_PREFIX}{index}",
        "value": button.action,
    }


def section_blocks(text: str) -> list[Block]:
    """Render text as sections of at most 3,000 characters each."""
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
        for chunk in split_text(to_mrkdwn(text))
    ]


def actions_blocks(rows: Iterable[Sequence[Button]], *, start: int = 0) -> list[Block]:
    """Render button rows as actions blocks (one per row, at most 25 buttons each)."""
    blocks: list[Block] = []
    index = start
    for row in rows:
        for offset in range(0, len(row), MAX_ACTION_ELEMENTS):
            elements = []
            for button in row[offset : offset + MAX_ACTION_ELEMENTS]:
                elements.append(button_element(button, index))
                index += 1
            blocks.append({"type": "actions", "elements": elements})
    return blocks


def render_blocks(reply: Reply) -> list[Block]:
    """Render one reply as sections followed by actions blocks (no block-count limit applied)."""
    return section_blocks(reply.text) + actions_blocks(reply.buttons)


def _fallback(blocks: Sequence[Block], default: str) -> str:
    for block in blocks:
        if block["type"] == "section":
            text = str(block["text"]["text"])
            return text if len(text) <= MAX_FALLBACK_CHARS else text[: MAX_FALLBACK_CHARS - 1] + "…"
    return default


def render_messages(reply: Reply, *, max_blocks: int = MAX_MESSAGE_BLOCKS) -> list[SlackMessage]:
    """Render one reply as one or more messages of at most 50 blocks each.

    Buttons stay together in the last message, under the end of the text.
    """
    blocks = render_blocks(reply)
    if not blocks:
        return []
    messages: list[SlackMessage] = []
    for start in range(0, len(blocks), max_blocks):
        chunk = blocks[start : start + max_blocks]
        messages.append(
            SlackMessage(text=_fallback(chunk, reply.text[:MAX_FALLBACK_CHARS]), blocks=chunk)
        )
    last = messages[-1].blocks
    movable = len(messages) > 1 and len(messages[-2].blocks) > 1 and len(last) < max_blocks
    if movable and all(block["type"] == "actions" for block in last):
        # a message of buttons alone reads badly: move the last section down with them
        previous = messages[-2].blocks
        moved = previous.pop()
        messages[-1] = SlackMessage(text=_fallback([moved], ""), blocks=[moved, *last])
    return messages


def render_home(replies: Sequence[Reply]) -> Block:
    """Render the App Home view: each reply in turn, divided, within 100 blocks."""
    blocks: list[Block] = []
    index = 0
    for number, reply in enumerate(replies):
        if number:
            blocks.append({"type": "divider"})
        blocks.extend(section_blocks(reply.text))
        buttons = actions_blocks(reply.buttons, start=index)
        index += len(reply.flat_buttons)
        blocks.extend(buttons)
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}
