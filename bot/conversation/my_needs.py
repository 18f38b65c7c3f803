"""Let users list, read, edit and withdraw their needs: ``/needs`` and the ``nd`` buttons.

Actions are ``nd:<verb>:<need id>``: ``v`` view, ``e`` edit (a new version),
``w`` withdraw, ``h`` history (Secretariat), ``c`` continue a draft, ``x``
discard a draft, ``n`` discard it and start afresh, ``k`` the needs of the
user's country, ``a`` all needs (Secretariat).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot import vocab
from bot.assistant import Assistant
from bot.core import Button, Reply
from bot.errors import NotAllowed, NotFound
from bot.flows.registry import FlowDefinition, load_definition
from bot.flows.spec import FlowSpec
from bot.router import Command, MenuEntry
from bot.services import needs
from bot.services.needs import NEED_ID_KEY
from bot.storage.needs_tables import Need
from bot.turn import Turn

FLOW = "need"
WITHDRAW_FLOW = "need_withdraw"
#: How many needs one list shows.
LIST_LIMIT = 15


def area_label(code: str, language: str) -> str:
    """Return the label of an assistance area, or the code itself if it is not in the vocabulary."""
    if code in vocab.ASSISTANCE_AREA:
        return vocab.ASSISTANCE_AREA.label(code, language)
    return code


def draft_offer(turn: Turn, draft: Need, *, restart: bool = False) -> Reply:
    """Offer to continue or discard a draft; ``restart`` starts afresh after discarding."""
    discard = f"nd:{'n' if restart else 'x'}:{draft.id}"
    return Reply(
        text=turn.t("needs.draft_offer", date=f"{draft.updated_at:%Y-%m-%d}"),
        buttons=(
            (
                Button(turn.t("needs.draft_continue"), f"nd:c:{draft.id}"),
                Button(turn.t("needs.draft_discard"), discard),
            ),
        ),
    )


def install(assistant: Assistant, *, spec: FlowSpec, definitions: Path) -> None:
    """Register /needs, the ``nd`` actions, the "My needs" menu entry and the withdraw flow."""
    router = assistant.router

    def resume(turn: Turn, need: Need) -> list[Reply]:
        return assistant.start_flow(turn, FLOW, answers={**need.answers, NEED_ID_KEY: need.id})

    def list_mine(turn: Turn, _args: str) -> list[Reply]:
        mine = needs.needs_of(session=turn.session, person=turn.person)
        title = turn.t("needs.list_title") if mine else turn.t("needs.list_empty")
        rows = [*need_rows(turn, mine), (Button(turn.t("needs.new_button"), "m:need"),)]
        focal_point = turn.person.focal_point
        extra: list[Button] = []
        if focal_point is not None and focal_point.verified and focal_point.country:
            name = vocab.country_name(focal_point.country, turn.language)
            extra.append(Button(turn.t("needs.country_button", country=name)[:60], "nd:k:"))
        if turn.is_admin:
            extra.append(Button(turn.t("needs.all_button"), "nd:a:"))
        if extra:
            rows.append(tuple(extra))
        return [Reply(text=title, buttons=tuple(rows))]

    def need_rows(turn: Turn, items: list[Need]) -> list[tuple[Button, ...]]:
        return [
            (Button(need_line(turn, need)[:60], f"nd:v:{need.id}"),) for need in items[:LIST_LIMIT]
        ]

    def need_line(turn: Turn, need: Need) -> str:
        status = vocab.NEED_STATUS.label(need.status, turn.language)
        areas = ", ".join(area_label(code, turn.language) for code in need.areas[:2]) or "—"
        return f"#{need.id} · {status} · {areas}"

    def list_country(turn: Turn, _argument: str) -> list[Reply]:
        focal_point = turn.person.focal_point
        if focal_point is None or not focal_point.verified or not focal_point.country:
            return [turn.say("needs.not_allowed")]
        items = needs.country_needs(session=turn.session, country=focal_point.country)
        name = vocab.country_name(focal_point.country, turn.language)
        title = turn.t("needs.country_title", country=name, count=len(items))
        return [Reply(text=title, buttons=tuple(need_rows(turn, items)))]

    def list_all(turn: Turn, _argument: str) -> list[Reply]:
        if not turn.is_admin:
            return [turn.say("command.admin_only")]
        items = needs.all_needs(session=turn.session)[::-1]
        title = turn.t("needs.all_title", count=len(items))
        return [Reply(text=title, buttons=tuple(need_rows(turn, items)))]

    def view(turn: Turn, need: Need) -> list[Reply]:
        language = turn.language
        lines = [
            turn.t(
                "needs.card.title",
                id=need.id,
                status=vocab.NEED_STATUS.label(need.status, language),
                version=need.version,
            ),
            turn.t(
                "needs.card.country",
                country=vocab.country_name(need.country, language) if need.country else "—",
            ),
        ]
        shown = {k: v for k, v in need.answers.items() if k not in ("country", "roles")}
        for label, value in assistant.engine.describe(spec, shown, language=language):
            lines.append(f"• {label}: {value}")
        if need.submitted_at is not None:
            lines.append(turn.t("needs.card.submitted", date=f"{need.submitted_at:%Y-%m-%d}"))
        if need.status == "withdrawn" and need.withdrawn_reason:
            lines.append(turn.t("needs.card.withdrawn", reason=need.withdrawn_reason))
        if not need.verified:
            lines.append(turn.t("needs.card.unverified"))
        buttons: list[Button] = []
        if needs.is_owner(turn.person, need) and need.status == "draft":
            buttons.append(Button(turn.t("needs.draft_continue"), f"nd:c:{need.id}"))
            buttons.append(Button(turn.t("needs.draft_discard"), f"nd:x:{need.id}"))
        elif needs.is_owner(turn.person, need) and need.status in needs.OPEN_STATUSES:
            buttons.append(Button(turn.t("needs.edit_button"), f"nd:e:{need.id}"))
            buttons.append(Button(turn.t("needs.withdraw_button"), f"nd:w:{need.id}"))
        if turn.is_admin and need.version > 0:
            buttons.append(Button(turn.t("needs.history_button"), f"nd:h:{need.id}"))
        return [Reply(text="\n".join(lines), buttons=(tuple(buttons),) if buttons else ())]

    def history(turn: Turn, need: Need) -> list[Reply]:
        if not turn.is_admin:
            return [turn.say("command.admin_only")]
        assert need.id is not None
        lines = [turn.t("needs.history_title", id=need.id)]
        for version in needs.versions_of(session=turn.session, need_id=need.id):
            lines.append(
                turn.t(
                    "needs.history_item",
                    version=version.version,
                    at=f"{version.at:%Y-%m-%d %H:%M}",
                    by=version.changed_by,
                    note=version.note,
                )
            )
        return [Reply(text="\n".join(lines))]

    def withdraw(turn: Turn, answers: dict[str, Any]) -> list[Reply]:
        need = needs.get_need(session=turn.session, need_id=int(answers[NEED_ID_KEY]))
        needs.withdraw_need(
            session=turn.session,
            person=turn.person,
            need=need,
            reason=str(answers["reason"]),
            actor=turn.actor,
        )
        return [turn.say("needs.withdrawn", id=need.id), assistant.menu(turn)]

    def on_need_action(turn: Turn, argument: str) -> list[Reply]:
        verb, _, raw_id = argument.partition(":")
        if verb == "k":
            return list_country(turn, raw_id)
        if verb == "a":
            return list_all(turn, raw_id)
        try:
            need = needs.get_need(session=turn.session, need_id=int(raw_id))
        except (ValueError, NotFound):
            return [turn.say("needs.not_found")]
        if not needs.can_see(turn.person, need, is_admin=turn.is_admin):
            return [turn.say("needs.not_found")]
        owner = needs.is_owner(turn.person, need)
        try:
            match verb:
                case "v":
                    return view(turn, need)
                case "h":
                    return history(turn, need)
                case "c" if owner and need.status == "draft":
                    return resume(turn, need)
                case "x" | "n" if owner and need.status == "draft":
                    needs.discard_draft(session=turn.session, need=need, actor=turn.actor)
                    if verb == "n":
                        return [
                            turn.say("needs.draft_discarded"),
                            *assistant.start_flow(turn, FLOW),
                        ]
                    return [turn.say("needs.draft_discarded"), assistant.menu(turn)]
                case "e" if owner and need.status in needs.OPEN_STATUSES:
                    return resume(turn, need)
                case "w" if owner and need.status in needs.OPEN_STATUSES:
                    return assistant.start_flow(turn, WITHDRAW_FLOW, answers={NEED_ID_KEY: need.id})
        except NotAllowed as error:
            return [turn.say(str(error.args[0]))]
        return [turn.say("action.outdated"), *view(turn, need)]

    def withdraw_cancelled(turn: Turn, _answers: dict[str, Any]) -> list[Reply]:
        return [turn.say("needs.withdraw_cancelled")]

    router.command(Command("needs", list_mine, "help.needs", private_only=True))
    router.action("nd", on_need_action)
    router.menu_entry(MenuEntry("menu.needs", "needs"))
    assistant.flows.register(
        FlowDefinition(
            spec=load_definition(WITHDRAW_FLOW, definitions),
            on_complete=withdraw,
            on_cancel=withdraw_cancelled,
        )
    )
