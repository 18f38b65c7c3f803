"""Convert Telegram updates to the core's Incoming without any network."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.core import Channel
from handlers.telegram.inbound import EDITED_KEY, UNSUPPORTED_KEY, to_incoming, unsupported_note
from tests.fakes.telegram_api import _entities

BOT = "article16_test_bot"


def message(text: str | None = None, *, chat_type: str = "private", **extra: Any) -> dict[str, Any]:
    chat: dict[str, Any] = {"id": 42 if chat_type == "private" else -100, "type": chat_type}
    body: dict[str, Any] = {
        "message_id": 7,
        "date": 0,
        "chat": chat,
        "from": {"id": 42, "is_bot": False, "first_name": "Ama", "language_code": "fr-CA"},
        **extra,
    }
    if text is not None:
        body["text"] = text
        body["entities"] = _entities(text)
    return body


def update(**kinds: Any) -> Update:
    return Update.de_json({"update_id": 1, **kinds}, None)


def test_private_text_becomes_incoming_with_the_user_details() -> None:
    incoming = to_incoming(update(message=message("Hello")), bot_username=BOT)

    assert incoming is not None
    assert incoming.channel is Channel.TELEGRAM
    assert (incoming.user_id, incoming.chat_id, incoming.text) == ("42", "42", "Hello")
    assert incoming.language_hint == "fr-CA"
    assert incoming.display_name == "Ama"
    assert incoming.is_private is True
    assert incoming.metadata == {}


def test_command_addressed_to_this_bot_loses_the_suffix() -> None:
    incoming = to_incoming(update(message=message(f"/start@{BOT} CODE-1")), bot_username=BOT)

    assert incoming is not None and incoming.text == "/start CODE-1"


def test_group_text_without_mention_is_not_for_the_core() -> None:
    assert (
        to_incoming(update(message=message("hi all", chat_type="group")), bot_username=BOT) is None
    )


def test_group_mention_is_stripped_and_marked_not_private() -> None:
    text = f"Hi @{BOT}, what is Article 16?"
    incoming = to_incoming(update(message=message(text, chat_type="group")), bot_username=BOT)

    assert incoming is not None
    assert incoming.text == "Hi what is Article 16?"
    assert incoming.is_private is False
    assert incoming.metadata == {"reply_to": "7"}


def test_bare_mention_in_a_group_greets() -> None:
    incoming = to_incoming(update(message=message(f"@{BOT}", chat_type="group")), bot_username=BOT)

    assert incoming is not None and incoming.text == "/start"


def test_group_reply_to_the_bot_is_for_the_core() -> None:
    replied = {
        "message_id": 5,
        "date": 0,
        "chat": {"id": -100, "type": "group"},
        "from": {"id": 1, "is_bot": True, "first_name": "A16", "username": BOT},
        "text": "Which country?",
    }
    body = message("Ghana", chat_type="group", reply_to_message=replied)

    incoming = to_incoming(update(message=body), bot_username=BOT)

    assert incoming is not None and incoming.text == "Ghana"


def test_button_press_carries_the_action_and_the_message_to_edit() -> None:
    query = {
        "id": "9",
        "from": {"id": 42, "is_bot": False, "first_name": "Ama", "last_name": "Mensah"},
        "chat_instance": "1",
        "message": message("Question?"),
        "data": "f:needs:area",
    }

    incoming = to_incoming(update(callback_query=query), bot_username=BOT)

    assert incoming is not None
    assert incoming.action == "f:needs:area" and incoming.text is None
    assert incoming.metadata == {"message_id": "7"}
    assert incoming.display_name == "Ama Mensah"


def test_photo_in_private_gets_the_unsupported_note_and_no_incoming() -> None:
    photo = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
    upd = update(message=message(photo=photo))

    assert to_incoming(upd, bot_username=BOT) is None
    assert unsupported_note(upd, bot_username=BOT) == UNSUPPORTED_KEY


def test_photo_in_a_group_is_ignored_unless_its_caption_mentions_the_bot() -> None:
    photo = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
    plain = update(message=message(chat_type="group", photo=photo))
    caption = f"@{BOT} look"
    mention = message(
        chat_type="group", photo=photo, caption=caption, caption_entities=_entities(caption)
    )

    assert unsupported_note(plain, bot_username=BOT) is None
    assert unsupported_note(update(message=mention), bot_username=BOT) == UNSUPPORTED_KEY


def test_edited_message_gets_the_edit_note() -> None:
    upd = update(edited_message=message("typo fixed", edit_date=1))

    assert to_incoming(upd, bot_username=BOT) is None
    assert unsupported_note(upd, bot_username=BOT) == EDITED_KEY
