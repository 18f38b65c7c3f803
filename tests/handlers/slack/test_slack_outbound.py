"""Check the Block Kit rendering of replies against Slack's limits."""

from __future__ import annotations

from bot.core import Button, Reply
from handlers.slack import outbound


def test_reply_renders_as_sections_then_one_actions_block_per_row():
    reply = Reply(
        text="Choose", buttons=((Button("A", "x:a"), Button("B", "x:b")), (Button("C", "x:c"),))
    )
    blocks = outbound.render_blocks(reply)
    assert [block["type"] for block in blocks] == ["section", "actions", "actions"]
    buttons = [e for b in blocks[1:] for e in b["elements"]]
    assert [button["value"] for button in buttons] == ["x:a", "x:b", "x:c"]
    assert len({button["action_id"] for button in buttons}) == 3
    assert all(b["action_id"].startswith(outbound.ACTION_ID_PREFIX) for b in buttons)


def test_same_action_twice_still_gets_distinct_action_ids():
    reply = Reply(text="t", buttons=((Button("Yes", "x:1"), Button("Also yes", "x:1")),))
    elements = outbound.render_blocks(reply)[1]["elements"]
    assert elements[0]["action_id"] != elements[1]["action_id"]


def test_long_labels_are_cut_to_75_characters():
    reply = Reply(text="t", buttons=((Button("L" * 120, "x:1"),),))
    label = outbound.render_blocks(reply)[1]["elements"][0]["text"]["text"]
    assert len(label) == 75 and label.endswith("…")


def test_text_is_split_at_paragraphs_within_3000_characters():
    text = "\n\n".join(["word " * 200] * 10)
    chunks = outbound.split_text(text)
    assert all(len(chunk) <= outbound.MAX_SECTION_CHARS for chunk in chunks)
    assert " ".join(" ".join(chunks).split()) == " ".join(text.split())


def test_text_without_spaces_is_cut_hard():
    chunks = outbound.split_text("x" * 7000)
    assert [len(chunk) for chunk in chunks] == [3000, 3000, 1000]


def test_links_are_not_cut_in_the_middle():
    text = "a " * 1490 + "[Basel Convention technical assistance](https://www.basel.int/x) end"
    chunks = outbound.split_text(outbound.to_mrkdwn(text))
    assert chunks[1].startswith("<https://www.basel.int/x|")


def test_markdown_becomes_mrkdwn_and_special_characters_are_escaped():
    text = "**Sources** & notes <1>\n[Basel](https://www.basel.int)\n# Title"
    assert outbound.to_mrkdwn(text) == (
        "*Sources* &amp; notes &lt;1&gt;\n<https://www.basel.int|Basel>\n*Title*"
    )


def test_more_than_50_blocks_are_spread_over_messages_with_buttons_last():
    text = "\n\n".join(["y" * 2900] * 60)
    reply = Reply(text=text, buttons=((Button("More", "x:more"),),))
    messages = outbound.render_messages(reply)
    assert len(messages) == 2
    assert all(len(message.blocks) <= outbound.MAX_MESSAGE_BLOCKS for message in messages)
    assert messages[-1].blocks[-1]["type"] == "actions"
    assert sum(len(m.blocks) for m in messages) == 61
    assert all(len(message.text) <= outbound.MAX_FALLBACK_CHARS for message in messages)


def test_buttons_alone_do_not_make_a_message_of_their_own():
    text = "\n\n".join(["y" * 2900] * 50)
    reply = Reply(text=text, buttons=((Button("More", "x:more"),),))
    messages = outbound.render_messages(reply)
    assert [block["type"] for block in messages[-1].blocks] == ["section", "actions"]


def test_home_view_divides_replies_and_keeps_within_100_blocks():
    replies = [Reply(text="one"), Reply(text="two", buttons=((Button("Go", "m:go"),),))]
    view = outbound.render_home(replies)
    assert view["type"] == "home"
    assert [block["type"] for block in view["blocks"]] == [
        "section",
        "divider",
        "section",
        "actions",
    ]
    many = outbound.render_home([Reply(text="z")] * 80)
    assert len(many["blocks"]) == outbound.MAX_HOME_BLOCKS
