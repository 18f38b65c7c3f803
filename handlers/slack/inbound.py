"""Convert Slack events, slash commands and interactions to the core's ``Incoming``.

Every function here is pure: it reads a Slack payload (as bolt passes it to a
listener) and returns an :class:`~bot.core.Incoming`, or ``None`` when the
payload is not for the assistant. The Slack identity of a person is
``TEAM/USER`` (``T1/U2``), the form ``ARTICLE16_ADMINS`` uses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.core import Channel, Incoming

#: ``/article16 <sub-command>`` → the core's text command. Slack keeps a typed
#: ``/word`` for itself, so every core command a person may need is reachable here.
SUB_COMMANDS: Mapping[str, str] = {
    name: f"/{name}"
    for name in (
        "help", "ask", "need", "needs", "opportunities", "settings",
        "start", "menu", "profile", "language", "cancel", "redeem",
    )
}  # fmt: skip

#: ``/article16 <sub-command>`` alone opens this flow as a modal (where Slack
#: allows); followed by one of :data:`CHAT_WORDS` it runs the chat command instead.
FORM_COMMANDS: Mapping[str, str] = {"need": "need"}

#: ``/article16 need chat`` keeps the step-by-step questionnaire in the DM.
CHAT_WORD = "chat"
CHAT_WORDS = frozenset({CHAT_WORD, "dm", "steps"})

#: Text the App Home asks the ``home`` callable with.
HOME_TEXT = "/home"

_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")

Payload = Mapping[str, Any]


def slack_identity(team_id: str | None, user_id: str) -> str:
    """Return the person's identity as the core stores it: ``TEAM/USER``."""
    return f"{team_id}/{user_id}" if team_id else user_id


def slack_user_id(identity: str) -> str:
    """Return the bare Slack user id of a ``TEAM/USER`` identity (or of a bare id)."""
    return identity.rpartition("/")[2]


def is_direct_channel(channel_id: str | None) -> bool:
    """Tell whether a conversation id is a direct message (``D…``)."""
    return bool(channel_id) and str(channel_id).startswith("D")


def _team(body: Payload, event: Payload | None = None) -> str | None:
    team = body.get("team_id") or (event or {}).get("team")
    if not team and isinstance(body.get("team"), Mapping):
        team = body["team"].get("id")
    if not team and isinstance(body.get("user"), Mapping):
        team = body["user"].get("team_id")
    return str(team) if team else None


def _metadata(**values: object) -> dict[str, str]:
    return {key: str(value) for key, value in values.items() if value}


def message_to_incoming(body: Payload, event: Payload) -> Incoming | None:
    """Convert a ``message.im`` event; ``None`` for bot messages, edits and other subtypes."""
    if event.get("subtype") or event.get("bot_id") or not event.get("user"):
        return None
    if event.get("channel_type") != "im" and not is_direct_channel(event.get("channel")):
        return None
    text = str(event.get("text") or "").strip()
    if not text:
        return None
    team = _team(body, event)
    return Incoming(
        channel=Channel.SLACK,
        user_id=slack_identity(team, str(event["user"])),
        chat_id=str(event["channel"]),
        text=text,
        is_private=True,
        metadata=_metadata(team_id=team, event_id=body.get("event_id"), ts=event.get("ts")),
    )


def mention_to_incoming(body: Payload, event: Payload) -> Incoming | None:
    """Convert an ``app_mention`` in a channel; the answer goes to the message's thread."""
    if event.get("bot_id") or not event.get("user") or is_direct_channel(event.get("channel")):
        return None
    text = _MENTION.sub("", str(event.get("text") or "")).strip()
    team = _team(body, event)
    thread_ts = event.get("thread_ts") or event.get("ts")
    return Incoming(
        channel=Channel.SLACK,
        user_id=slack_identity(team, str(event["user"])),
        chat_id=str(event["channel"]),
        text=text or "/help",
        is_private=False,
        metadata=_metadata(team_id=team, event_id=body.get("event_id"), thread_ts=thread_ts),
    )


def command_text(text: str) -> str:
    """Map the text after ``/article16`` to the core's command or free text.

    An empty text asks for help; a known sub-command becomes the core's
    command (``ask What is…`` → ``/ask What is…``); anything else is passed
    on as free text, so ``/article16 what is the plan?`` is a question.
    """
    stripped = text.strip()
    if not stripped:
        return SUB_COMMANDS["help"]
    head, _, rest = stripped.partition(" ")
    command = SUB_COMMANDS.get(head.lower().lstrip("/"))
    if command is None:
        return stripped
    rest = rest.strip()
    if head.lower().lstrip("/") in FORM_COMMANDS and rest.lower() in CHAT_WORDS:
        return command
    return f"{command} {rest}" if rest else command


def command_form(text: str) -> str | None:
    """Return the flow ``/article16 <text>`` opens as a modal, or None.

    ``need`` alone opens the needs questionnaire as a form; ``need chat``
    (see :data:`CHAT_WORDS`) and every other text go to the core as usual.
    """
    head, _, rest = text.strip().partition(" ")
    if rest.strip():
        return None
    return FORM_COMMANDS.get(head.lower().lstrip("/"))


def chat_command_for(flow: str) -> str | None:
    """Return the core's text command that walks ``flow`` step by step (``/need``), if any."""
    for name, form in FORM_COMMANDS.items():
        if form == flow:
            return SUB_COMMANDS.get(name)
    return None


def chat_subcommand_for(flow: str) -> str | None:
    """Return what to type after ``/article16`` to walk ``flow`` in the DM (``need chat``)."""
    for name, form in FORM_COMMANDS.items():
        if form == flow:
            return f"{name} {CHAT_WORD}"
    return None


def team_of(body: Payload) -> str | None:
    """Return the workspace id of a command, interaction or event body."""
    return _team(body)


def command_to_incoming(command: Payload, *, chat_id: str) -> Incoming:
    """Convert a ``/article16`` slash command; ``chat_id`` is where answers go."""
    team = _team(command)
    return Incoming(
        channel=Channel.SLACK,
        user_id=slack_identity(team, str(command["user_id"])),
        chat_id=chat_id,
        text=command_text(str(command.get("text") or "")),
        display_name=command.get("user_name"),
        is_private=is_direct_channel(chat_id),
        metadata=_metadata(team_id=team, command_channel=command.get("channel_id")),
    )


def action_channel(body: Payload) -> str | None:
    """Return the conversation that holds the pressed button (``None`` on the App Home)."""
    channel = body.get("channel")
    if isinstance(channel, Mapping) and channel.get("id"):
        return str(channel["id"])
    container = body.get("container")
    if isinstance(container, Mapping) and container.get("channel_id"):
        return str(container["channel_id"])
    return None


def action_message_ts(body: Payload) -> str | None:
    """Return the ``ts`` of the message that carried the pressed button, if any."""
    message = body.get("message")
    if isinstance(message, Mapping) and message.get("ts"):
        return str(message["ts"])
    return None


def action_thread_ts(body: Payload) -> str | None:
    """Return the thread the pressed button's message lives in, if any."""
    message = body.get("message")
    if isinstance(message, Mapping) and message.get("thread_ts"):
        return str(message["thread_ts"])
    return None


def action_to_incoming(body: Payload, action: Payload, *, chat_id: str) -> Incoming | None:
    """Convert one button press of a ``block_actions`` payload; ``value`` holds the action id."""
    value = action.get("value")
    user = body.get("user")
    if not value or not isinstance(user, Mapping) or not user.get("id"):
        return None
    team = _team(body)
    return Incoming(
        channel=Channel.SLACK,
        user_id=slack_identity(team, str(user["id"])),
        chat_id=chat_id,
        action=str(value),
        display_name=user.get("name") or user.get("username"),
        is_private=is_direct_channel(chat_id),
        metadata=_metadata(
            team_id=team,
            message_ts=action_message_ts(body),
            thread_ts=action_thread_ts(body),
        ),
    )


def form_incoming(
    *,
    team_id: str | None,
    user_id: str,
    chat_id: str,
    flow: str,
    display_name: str | None = None,
    language_hint: str | None = None,
) -> Incoming:
    """Return the ``Incoming`` that names a person opening or submitting a form modal.

    ``chat_id`` is the person's DM with the bot (where the replies go), so
    the request counts as private.
    """
    return Incoming(
        channel=Channel.SLACK,
        user_id=slack_identity(team_id, user_id),
        chat_id=chat_id,
        text=f"[form {flow}]",
        language_hint=language_hint,
        display_name=display_name,
        is_private=True,
        metadata=_metadata(team_id=team_id, form=flow),
    )


def submission_user(body: Payload) -> tuple[str | None, str, str | None]:
    """Return ``(team_id, user_id, name)`` of the person behind a ``view_submission``."""
    user = body.get("user")
    if not isinstance(user, Mapping) or not user.get("id"):
        raise ValueError("a view submission names no user")
    return _team(body), str(user["id"]), user.get("name") or user.get("username")


def home_to_incoming(body: Payload, event: Payload) -> Incoming | None:
    """Convert ``app_home_opened`` on the Home tab to the request the ``home`` callable gets."""
    if event.get("tab", "home") != "home" or not event.get("user"):
        return None
    team = _team(body, event)
    return Incoming(
        channel=Channel.SLACK,
        user_id=slack_identity(team, str(event["user"])),
        chat_id=str(event.get("channel") or event["user"]),
        text=HOME_TEXT,
        is_private=True,
        metadata=_metadata(team_id=team, event_id=body.get("event_id")),
    )


def event_id(body: Payload) -> str | None:
    """Return the Events API ``event_id`` of an ``event_callback`` body, if any."""
    if body.get("type") != "event_callback":
        return None
    value = body.get("event_id")
    return str(value) if value else None


def apology_target(body: Payload) -> tuple[str | None, str | None, str | None]:
    """Return where to tell a person something failed: ``(channel, thread_ts, user_id)``."""
    event = body.get("event")
    if isinstance(event, Mapping):
        channel = event.get("channel")
        thread = None if is_direct_channel(channel) else event.get("thread_ts") or event.get("ts")
        return _str(channel), _str(thread), _str(event.get("user"))
    user = body.get("user")
    user_id = user.get("id") if isinstance(user, Mapping) else body.get("user_id")
    channel = action_channel(body) or body.get("channel_id")
    return _str(channel), action_thread_ts(body), _str(user_id)


def _str(value: object) -> str | None:
    return str(value) if value else None
