"""Render the core's replies as Telegram messages without any network."""

from __future__ import annotations

from bot.core import Button, Reply
from handlers.telegram.outbound import render, split_text


def test_text_is_html_escaped_and_buttons_become_an_inline_keyboard() -> None:
    reply = Reply(
        text="Use <b> & enjoy",
        buttons=((Button("Yes", "y"), Button("No", "n")), (Button("Later", "l"),)),
    )

    chunks, keyboard = render(reply)

    assert chunks == ["Use &lt;b&gt; &amp; enjoy"]
    assert keyboard is not None
    rows = [[button.callback_data for button in row] for row in keyboard.inline_keyboard]
    assert rows == [["y", "n"], ["l"]]


def test_reply_without_buttons_has_no_keyboard() -> None:
    assert render(Reply(text="Hi"))[1] is None


def test_long_text_splits_on_the_last_paragraph_that_fits() -> None:
    first, second, third = "a" * 3000, "b" * 1000, "c" * 1000

    chunks = split_text(f"{first}\n\n{second}\n\n{third}")

    assert chunks == [f"{first}\n\n{second}", third]


def test_paragraph_too_long_splits_on_a_line() -> None:
    lines = "\n".join(["x" * 99] * 50)  # 5,000 characters, no blank line

    chunks = split_text(lines)

    assert len(chunks) == 2
    assert all(len(chunk) <= 4096 for chunk in chunks)
    assert all(set(line) == {"x"} and len(line) == 99 for c in chunks for line in c.split("\n"))


def test_text_without_any_boundary_is_hard_cut() -> None:
    chunks = split_text("z" * 9000)

    assert [len(chunk) for chunk in chunks] == [4096, 4096, 808]


def test_limit_counts_emoji_as_two_units_like_telegram() -> None:
    chunks = split_text("\U0001f600" * 3000)

    assert [len(chunk) for chunk in chunks] == [2048, 952]


def test_escaping_happens_after_splitting_so_entities_are_never_cut() -> None:
    chunks, _ = render(Reply(text="&" * 5000))

    assert chunks[0] == "&amp;" * 4096
