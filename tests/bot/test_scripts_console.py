"""The shared conversation scripts, run against the core as the console channel does."""

from __future__ import annotations

import pytest

from tests.helpers.conversation import Conversation
from tests.helpers.scripts import SCRIPTS


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_console_script(name: str, chat: Conversation) -> None:
    for kind, value, expected in SCRIPTS[name]:
        chat.say(value) if kind == "say" else chat.press(value)
        shown = "\n".join([chat.text] + [b.label for r in chat.replies for b in r.flat_buttons])
        for part in expected:
            assert part in shown, (name, value, part, shown)
