"""Turn the core's ``Reply`` objects into Telegram messages and send them.

:func:`render` is pure (HTML-escaped chunks and an inline keyboard);
:func:`send_reply` and :func:`edit_or_send` talk to the Bot API;
:class:`TelegramSender` is the outbound port the notification dispatcher uses.
"""

from __future__ import annotations

import asyncio
import html
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import TypeVar

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from telegram.constants import MessageLimit, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.core import Channel, Reply
from bot.errors import PermanentSendError, RateLimited, SendError, TransientSendError
from bot.ports import Delivery

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

MAX_TEXT_LENGTH: int = MessageLimit.MAX_TEXT_LENGTH
#: Answers cite sources by URL; previews cost bandwidth on slow mobile connections.
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
#: Edit failures after which sending a new message is the right thing to do.
_STALE_EDIT_ERRORS = (
    "message is not modified",
    "message to edit not found",
    "message can't be edited",
)
#: Bad requests that mean the account or chat is gone for good.
_GONE_ERRORS = ("chat not found", "user is deactivated", "peer_id_invalid", "bot was kicked")


def render(reply: Reply) -> tuple[list[str], InlineKeyboardMarkup | None]:
    """Return the reply as HTML-escaped text chunks and its inline keyboard (or ``None``).

    The keyboard belongs on the last chunk; callback data is the button's action.
    """
    chunks = [html.escape(chunk, quote=False) for chunk in split_text(reply.text)]
    rows = [
        [InlineKeyboardButton(button.label, callback_data=button.action) for button in row]
        for row in reply.buttons
        if row
    ]
    return chunks, (InlineKeyboardMarkup(rows) if rows else None)


def split_text(text: str, limit: int = MAX_TEXT_LENGTH) -> list[str]:
    """Split ``text`` into chunks Telegram accepts: at paragraphs, then lines, then words.

    Lengths are counted in UTF-16 code units, as Telegram counts them; a
    chunk is hard-cut only when no boundary fits.
    """
    chunks: list[str] = []
    rest = text.strip()
    while _utf16_len(rest) > limit:
        fit = _fitting_prefix(rest, limit)
        cut, skip = _best_boundary(rest, fit)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut + skip :].lstrip()
    if rest or not chunks:
        chunks.append(rest or "\u2026")
    return chunks


def _best_boundary(text: str, fit: int) -> tuple[int, int]:
    for separator in ("\n\n", "\n", " "):
        cut = text.rfind(separator, 0, fit + 1)
        if cut > 0:
            return cut, len(separator)
    return fit, 0


def _fitting_prefix(text: str, limit: int) -> int:
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _chat(chat_id: str | int) -> str | int:
    if isinstance(chat_id, int):
        return chat_id
    return int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id


async def send_reply(
    bot: Bot,
    *,
    chat_id: str | int,
    reply: Reply,
    patience: float = 0.0,
    reply_to: int | None = None,
) -> Message:
    """Send one reply as one or more messages; return the last one (it carries the buttons).

    On flood control each call waits and retries once if Telegram asks for at
    most ``patience`` seconds; otherwise ``RetryAfter`` propagates. The first
    message quotes ``reply_to`` when given (in groups: keeps the forum topic).
    """
    chunks, keyboard = render(reply)
    if reply.attachment is not None and not reply.text.strip():
        chunks = []
    return await _send_chunks(
        bot,
        chat_id=_chat(chat_id),
        reply=reply,
        chunks=chunks,
        keyboard=keyboard,
        patience=patience,
        reply_to=reply_to,
    )


async def edit_or_send(
    bot: Bot,
    *,
    chat_id: str | int,
    message_id: int,
    reply: Reply,
    patience: float = 0.0,
    reply_to: int | None = None,
) -> Message:
    """Replace the message that carried the pressed button; send anew if it cannot be edited."""
    chunks, keyboard = render(reply)
    alone = len(chunks) == 1 and reply.attachment is None
    try:
        edited = await _patiently(
            partial(
                bot.edit_message_text,
                chat_id=_chat(chat_id),
                message_id=message_id,
                text=chunks[0],
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard if alone else None,
                link_preview_options=_NO_PREVIEW,
            ),
            patience,
        )
    except BadRequest as exc:
        if not any(marker in exc.message.lower() for marker in _STALE_EDIT_ERRORS):
            raise
        logger.info("cannot edit message %s in %s (%s); sending anew", message_id, chat_id, exc)
        return await send_reply(
            bot, chat_id=chat_id, reply=reply, patience=patience, reply_to=reply_to
        )
    if not alone:
        return await _send_chunks(
            bot,
            chat_id=_chat(chat_id),
            reply=reply,
            chunks=chunks[1:],
            keyboard=keyboard,
            patience=patience,
            reply_to=reply_to,
        )
    if not isinstance(edited, Message):  # only inline-mode messages answer ``True``
        raise TypeError("editing a chat message did not return the message")
    return edited


async def _send_chunks(
    bot: Bot,
    *,
    chat_id: str | int,
    reply: Reply,
    chunks: list[str],
    keyboard: InlineKeyboardMarkup | None,
    patience: float,
    reply_to: int | None = None,
) -> Message:
    quote = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    last: Message | None = None
    for index, chunk in enumerate(chunks):
        carries_keyboard = index == len(chunks) - 1 and reply.attachment is None
        last = await _patiently(
            partial(
                bot.send_message,
                chat_id=chat_id,
                text=chunk,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard if carries_keyboard else None,
                link_preview_options=_NO_PREVIEW,
                reply_parameters=quote if index == 0 else None,
            ),
            patience,
        )
    if reply.attachment is not None:
        attachment = reply.attachment
        last = await _patiently(
            partial(
                bot.send_document,
                chat_id=chat_id,
                document=InputFile(attachment.content, filename=attachment.filename),
                reply_markup=keyboard,
                reply_parameters=quote if not chunks else None,
            ),
            patience,
        )
    if last is None:
        raise ValueError("a reply with neither text nor attachment cannot be sent")
    return last


async def _patiently(call: Callable[[], Awaitable[_T]], patience: float) -> _T:
    try:
        return await call()
    except RetryAfter as exc:
        wait = retry_after_seconds(exc)
        if wait > patience:
            raise
        logger.info("telegram flood control: waiting %.1f s before retrying", wait)
        await asyncio.sleep(wait)
        return await call()


class TelegramSender:
    """Deliver replies to Telegram chats for the notification dispatcher (``bot.ports.Sender``).

    Telegram errors become the core's send errors: flood control is
    :class:`~bot.errors.RateLimited`, a blocked bot or a vanished chat is
    :class:`~bot.errors.PermanentSendError`, network trouble is
    :class:`~bot.errors.TransientSendError`. A message Telegram rejects for
    its content is a plain :class:`~bot.errors.SendError`: the account is fine.
    """

    channel = Channel.TELEGRAM

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, *, chat_id: str, reply: Reply) -> Delivery:
        """Deliver ``reply`` to ``chat_id`` and return the id of the (last) message sent."""
        try:
            message = await send_reply(self._bot, chat_id=chat_id, reply=reply)
        except TelegramError as exc:
            raise to_send_error(exc) from exc
        return Delivery(message_id=str(message.message_id))


def to_send_error(exc: TelegramError) -> SendError:
    """Translate a Telegram error into the core's send error tree."""
    match exc:
        case RetryAfter():
            return RateLimited(str(exc), retry_after=retry_after_seconds(exc))
        case Forbidden():
            return PermanentSendError(f"telegram refused: {exc.message}")
        case ChatMigrated():
            return PermanentSendError(f"group moved to chat {exc.new_chat_id}")
        case BadRequest() if any(marker in exc.message.lower() for marker in _GONE_ERRORS):
            return PermanentSendError(f"telegram refused: {exc.message}")
        case BadRequest():
            return SendError(f"telegram rejected the message: {exc.message}")
        case NetworkError():
            return TransientSendError(f"telegram unreachable: {exc.message}")
        case _:
            return TransientSendError(f"telegram error: {exc.message}")


def retry_after_seconds(exc: RetryAfter) -> float:
    """Return how long Telegram asked us to wait, in seconds."""
    with warnings.catch_warnings():
        # PTB 22 warns that ``retry_after`` becomes a timedelta; both are handled.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)
