"""Record technical-assistance needs in a guided conversation, keeping drafts.

``/need`` runs the questionnaire of ``flows/definitions/needs.yaml``. An
interrupted questionnaire is kept as a draft and offered again; a draft left
for a day is offered on the next message. Submitting calls every hook in
:attr:`NeedsCapability.on_need_submitted` (matching attaches there).
``/needs`` and the review of needs live in :mod:`bot.conversation.my_needs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.assistant import Assistant
from bot.conversation import my_needs
from bot.conversation.my_needs import FLOW
from bot.core import Button, Reply
from bot.flows.registry import DEFINITIONS_DIR, FlowDefinition, load_definition
from bot.flows.store import load_state, save_state
from bot.router import Command, MenuEntry
from bot.services import needs, rounds
from bot.services.needs import NEED_ID_KEY, NeedSubmittedHook
from bot.storage.needs_tables import Need
from bot.turn import Turn

__all__ = ["FLOW", "NeedsCapability", "install"]


@dataclass(slots=True)
class NeedsCapability:
    """What installing the needs capability gives the rest of the application."""

    on_need_submitted: list[NeedSubmittedHook] = field(default_factory=list)


def install(assistant: Assistant, *, definitions: Path = DEFINITIONS_DIR) -> NeedsCapability:
    """Register /need, /needs, the ``nd`` actions, two menu entries and the two flows.

    ``definitions`` is where ``needs.yaml`` and ``need_withdraw.yaml`` are read from.
    """
    capability = NeedsCapability()
    spec = load_definition("needs", definitions)
    router = assistant.router

    def flow_context(turn: Turn) -> dict[str, Any]:
        focal_point = turn.person.focal_point
        return {
            "has_country": bool(focal_point and focal_point.country),
            "has_roles": bool(focal_point and focal_point.roles),
            "today": date.today().isoformat(),
        }

    def start_need(turn: Turn, _args: str) -> list[Reply]:
        state = load_state(session=turn.session, account_id=turn.account_id)
        if state is not None and state.get("flow") == FLOW:
            # /need typed during the questionnaire goes on with it rather than restarting.
            outcome = assistant.engine.resume(spec, state, language=turn.language)
            save_state(session=turn.session, account_id=turn.account_id, state=outcome.state)
            return [turn.say("flow.continue"), *outcome.replies]
        draft = needs.latest_draft(session=turn.session, person=turn.person)
        if draft is not None:
            return [my_needs.draft_offer(turn, draft, restart=True)]
        return assistant.start_flow(turn, FLOW)

    def submit(turn: Turn, answers: dict[str, Any]) -> list[Reply]:
        def pick_round(need: Need) -> int | None:
            found = rounds.round_for_need(
                session=turn.session, country=need.country, conventions=need.conventions
            )
            return found.id if found is not None else None

        need = needs.submit_need(
            session=turn.session,
            person=turn.person,
            answers=answers,
            language=turn.language,
            actor=turn.actor,
            assign_round=pick_round,
            hooks=capability.on_need_submitted,
        )
        if need.version > 1:
            lines = [turn.t("needs.updated", id=need.id, version=need.version)]
        else:
            lines = [turn.t("needs.submitted", id=need.id)]
            if need.round_id is not None:
                round_ = rounds.get_round(session=turn.session, round_id=need.round_id)
                lines.append(
                    turn.t("needs.round_note", title=round_.title, closes=f"{round_.closes_on}")
                )
        if not need.verified:
            lines.append(turn.t("needs.unverified_note"))
        return [
            Reply(
                text="\n".join(lines),
                buttons=(
                    (
                        Button(turn.t("needs.new_button"), "m:need"),
                        Button(turn.t("menu.needs"), "m:needs"),
                    ),
                ),
            )
        ]

    def keep_draft(turn: Turn, answers: dict[str, Any]) -> list[Reply]:
        draft = needs.save_draft(
            session=turn.session,
            person=turn.person,
            answers=answers,
            language=turn.language,
            actor=turn.actor,
        )
        if draft is not None:
            return [turn.say("needs.draft_kept")]
        if answers.get(NEED_ID_KEY) is not None:
            return [turn.say("needs.edit_cancelled")]
        return []

    def offer_stale_draft(turn: Turn) -> list[Reply]:
        text = (turn.incoming.text or "").strip().lower()
        if not turn.incoming.is_private or text.startswith(("/need", "/cancel")):
            return []
        draft = needs.stale_draft(session=turn.session, person=turn.person)
        return [my_needs.draft_offer(turn, draft)] if draft is not None else []

    router.command(Command("need", start_need, "help.need", private_only=True, starts_flow=True))
    router.menu_entry(MenuEntry("menu.need", "need"))
    assistant.before_dispatch.append(offer_stale_draft)
    assistant.flows.register(
        FlowDefinition(spec=spec, on_complete=submit, on_cancel=keep_draft, context=flow_context)
    )
    my_needs.install(assistant, spec=spec, definitions=definitions)
    return capability
