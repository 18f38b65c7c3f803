"""Let the Secretariat broadcast from the chat: preview with the recipient count, then confirm.

``/broadcast [region=R] [country=C] [role=X] [convention=C] [language=L] TEXT``
stores a draft and shows it; ``bc:ok:<id>`` sends it, ``bc:no:<id>`` drops it.
"""

from __future__ import annotations

from bot.assistant import Assistant
from bot.core import Button, Reply
from bot.errors import NotFound
from bot.notify.render import render
from bot.router import Command
from bot.services import broadcasts
from bot.storage.notify_tables import OutboxMessage
from bot.turn import Turn

FILTERS = ("region", "country", "role", "convention", "language")


def parse_broadcast(args: str) -> tuple[broadcasts.Segment, str]:
    """Split leading ``key=value`` filters from the text; raise ``ValueError`` on a bad one."""
    words = args.split(" ")
    filters: dict[str, str] = {}
    while words and "=" in words[0] and words[0].split("=", 1)[0].lower() in FILTERS:
        key, value = words.pop(0).split("=", 1)
        filters[key.lower()] = value.strip().lower() if key.lower() != "country" else value
    return broadcasts.Segment(**filters).check(), " ".join(words).strip()


def install(assistant: Assistant) -> None:
    """Register /broadcast and its confirmation buttons (Secretariat only)."""
    router = assistant.router

    def start(turn: Turn, args: str) -> list[Reply]:
        try:
            segment, text = parse_broadcast(args)
        except ValueError as exc:
            return [turn.say("notify.broadcast.bad_filter", error=str(exc))]
        if not text:
            return [turn.say("notify.broadcast.how")]
        draft = broadcasts.create_broadcast(
            session=turn.session, text=text, segment=segment, actor=turn.actor, draft=True
        )
        preview = render(
            session=turn.session,
            row=OutboxMessage(dedupe_key="", kind="broadcast", text=text),
            language=turn.language,
        )
        buttons = (
            (
                Button(
                    turn.t("notify.broadcast.send", count=draft.recipients), f"bc:ok:{draft.id}"
                ),
                Button(turn.t("flow.cancel"), f"bc:no:{draft.id}"),
            ),
        )
        return [
            Reply(text=turn.t("notify.broadcast.preview", count=draft.recipients)),
            Reply(text=preview.text, buttons=buttons),
        ]

    def confirm(turn: Turn, argument: str) -> list[Reply]:
        if not turn.is_admin:
            return [turn.say("command.admin_only")]
        verb, _, raw_id = argument.partition(":")
        try:
            draft = broadcasts.get_broadcast(session=turn.session, broadcast_id=int(raw_id or 0))
        except (NotFound, ValueError):
            return [turn.say("action.outdated")]
        if draft.status != "draft":
            return [turn.say("notify.broadcast.already", id=draft.id)]
        if verb == "no":
            turn.session.delete(draft)
            return [Reply(text=turn.t("notify.broadcast.dropped"), edit=True)]
        sent = broadcasts.send_draft(
            session=turn.session, broadcast_id=draft.id or 0, actor=turn.actor
        )
        return [
            Reply(
                text=turn.t("notify.broadcast.queued", id=sent.id, count=sent.recipients), edit=True
            )
        ]

    router.command(Command("broadcast", start, "notify.help.broadcast", admin_only=True))
    router.action("bc", confirm)
