"""Turn Telegram updates into the core's ``Incoming`` messages.

Pure functions only: no network, no core calls. The listeners in
:mod:`handlers.telegram.app` call :func:`to_incoming` for text and button
presses, and :func:`unsupported_note` for everything else.
"""

from __future__ import annotations

import re

from telegram import CallbackQuery, Message, MessageEntity, Update, User
from telegram.constants import ChatType

from bot.core import Channel, Incoming

#: What a bare mention of the bot (``@bot`` and nothing else) asks for.
BARE_MENTION_TEXT = "/start"

#: Catalogue key of the note for content the core cannot read.
UNSUPPORTED_KEY = "telegram.unsupported"
#: Catalogue key of the note for an edited message.
EDITED_KEY = "telegram.edited"


def to_incoming(update: Update, *, bot_username: str | None = None) -> Incoming | None:
    """Convert a text message or a button press into an ``Incoming``; ``None`` if not for us.

    In group chats only commands, mentions of the bot (stripped from the text)
    and replies to the bot's messages are taken; other chatter is ``None``.
    """
    if update.callback_query is not None:
        return _from_callback(update.callback_query)
    message = update.message
    if message is None or message.text is None or message.from_user is None:
        return None
    text = addressed_text(message, bot_username=bot_username)
    if text is None:
        return None
    private = message.chat.type == ChatType.PRIVATE
    return Incoming(
        channel=Channel.TELEGRAM,
        user_id=str(message.from_user.id),
        chat_id=str(message.chat.id),
        text=text,
        language_hint=message.from_user.language_code,
        display_name=_display_name(message.from_user),
        is_private=private,
        # In a group the answer quotes the question, which also keeps it in its forum topic.
        metadata={} if private else {"reply_to": str(message.message_id)},
    )


def addressed_text(message: Message, *, bot_username: str | None = None) -> str | None:
    """Return the text meant for the bot, or ``None`` when the message is not addressed to it.

    ``/cmd@bot args`` becomes ``/cmd args``; a command for another bot is ``None``.
    """
    text = (message.text or "").strip()
    private = message.chat.type == ChatType.PRIVATE
    command = _leading_command(message)
    if command is not None:
        name, _, target = command.partition("@")
        if target and not _same_username(target, bot_username):
            return None
        return name + text[len(command) :]
    if private:
        return text
    if bot_username and _mentions(message, bot_username):
        stripped = _strip_mention(text, bot_username)
        return stripped or BARE_MENTION_TEXT
    if bot_username and _replies_to_bot(message, bot_username):
        return text
    return None


def unsupported_note(update: Update, *, bot_username: str | None = None) -> str | None:
    """Return the catalogue key of the note for an update the core cannot take, or ``None``.

    Private chats always get a note; in groups only content that mentions the
    bot in its caption does, so the bot does not answer every photo.
    """
    if update.edited_message is not None:
        private = update.edited_message.chat.type == ChatType.PRIVATE
        return EDITED_KEY if private else None
    if update.channel_post is not None:
        return UNSUPPORTED_KEY
    message = update.message
    if message is None or message.text is not None:
        return None
    if message.chat.type == ChatType.PRIVATE:
        return UNSUPPORTED_KEY
    if bot_username and _mentions(message, bot_username):
        return UNSUPPORTED_KEY
    return None


def _from_callback(query: CallbackQuery) -> Incoming | None:
    message = query.message
    if message is None or not query.data:
        return None
    return Incoming(
        channel=Channel.TELEGRAM,
        user_id=str(query.from_user.id),
        chat_id=str(message.chat.id),
        action=query.data,
        language_hint=query.from_user.language_code,
        display_name=_display_name(query.from_user),
        is_private=message.chat.type == ChatType.PRIVATE,
        metadata={"message_id": str(message.message_id)},
    )


def _display_name(user: User) -> str | None:
    return user.full_name.strip() or None


def _leading_command(message: Message) -> str | None:
    for entity, value in message.parse_entities([MessageEntity.BOT_COMMAND]).items():
        if entity.offset == 0:
            return value
    return None


def _same_username(name: str, bot_username: str | None) -> bool:
    return bot_username is not None and name.lower() == bot_username.lstrip("@").lower()


def _mentions(message: Message, bot_username: str) -> bool:
    entities = {
        **message.parse_entities([MessageEntity.MENTION]),
        **message.parse_caption_entities([MessageEntity.MENTION]),
    }
    return any(_same_username(value.lstrip("@"), bot_username) for value in entities.values())


def _strip_mention(text: str, bot_username: str) -> str:
    pattern = re.compile(rf"@{re.escape(bot_username.lstrip('@'))}\b[,:]?", re.IGNORECASE)
    return re.sub(r"[ \t]{2,}", " ", pattern.sub(" ", text)).strip()


def _replies_to_bot(message: Message, bot_username: str) -> bool:
    replied = message.reply_to_message
    author = replied.from_user if replied is not None else None
    return (
        author is not None and author.is_bot and _same_username(author.username or "", bot_username)
    )
