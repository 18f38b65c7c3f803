"""Show the opportunities that fit a person, say why, follow interests, publish from the chat.

Commands: ``/opportunities``, ``/follow``, ``/unfollow``, and for the
Secretariat ``/publish`` (a short flow ending in a preview). Button actions:
``opp:why:<id>``, ``opp:no:<id>`` and ``fol:<g|a|k>:<code>``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import vocab
from bot.assistant import Assistant
from bot.conversation import broadcast
from bot.core import Button, Reply
from bot.errors import NotFound
from bot.flows.registry import FlowDefinition, load_definition
from bot.notify.render import opportunity_buttons, opportunity_card
from bot.router import Command, MenuEntry
from bot.services import audit, preferences
from bot.services import opportunities as service
from bot.services.identities import accounts_of
from bot.services.matching import explain, match_need_to_opportunity
from bot.storage.needs_tables import Need
from bot.storage.notify_tables import Opportunity
from bot.turn import Turn

#: How many opportunities one list shows.
LIST_LIMIT = 5


def recipient(turn: Turn) -> str:
    """Name the person talking the way matches and dismissals do."""
    focal_point = turn.person.focal_point
    return service.recipient_of(
        focal_point_id=focal_point.id if focal_point else None, account_id=turn.account_id
    )


def _accounts(turn: Turn) -> list[int]:
    focal_point = turn.person.focal_point
    ids = {turn.account_id}
    if focal_point is not None and focal_point.id is not None:
        ids.update(
            a.id for a in accounts_of(session=turn.session, focal_point_id=focal_point.id) if a.id
        )
    return sorted(ids)


def _fitting(turn: Turn) -> list[tuple[Opportunity, Any]]:
    return service.open_for_person(
        session=turn.session, focal_point=turn.person.focal_point, account_ids=_accounts(turn)
    )


def opportunity_reply(turn: Turn, opportunity: Opportunity, why: str) -> Reply:
    """Return one opportunity as a message with its buttons."""
    assert opportunity.id is not None
    text = opportunity_card(opportunity, turn.language)
    if why:
        text += "\n\n" + turn.t("notify.opp.why_line", reasons=why)
    return Reply(text=text, buttons=opportunity_buttons(opportunity.id, turn.language))


def replies_for_need(turn: Turn, need: Need) -> list[Reply]:
    """Return the open opportunities that fit a need just submitted (for the needs conversation)."""
    found = []
    for opportunity in service.list_opportunities(session=turn.session, open_only=True):
        match = match_need_to_opportunity(need, opportunity)
        if match.matched:
            found.append((match.score, opportunity, explain(match.reasons, turn.language)))
    found.sort(key=lambda item: -item[0])
    if not found:
        return []
    head = Reply(text=turn.t("notify.opp.for_need", count=len(found)))
    return [head, *(opportunity_reply(turn, o, why) for _, o, why in found[:LIST_LIMIT])]


def install(assistant: Assistant) -> None:
    """Register /opportunities, /follow, /unfollow, /publish, /broadcast and their buttons."""
    router = assistant.router

    def list_open(turn: Turn, _args: str) -> list[Reply]:
        found = _fitting(turn)
        if not found:
            return [turn.say("notify.opp.none")]
        replies = [Reply(text=turn.t("notify.opp.list_title", count=len(found)))]
        for opportunity, match in found[:LIST_LIMIT]:
            why = explain(match.reasons, turn.language) if match.matched else ""
            replies.append(opportunity_reply(turn, opportunity, why))
        if len(found) > LIST_LIMIT:
            replies.append(turn.say("notify.opp.more", count=len(found) - LIST_LIMIT))
        return replies

    def on_button(turn: Turn, argument: str) -> list[Reply]:
        verb, _, raw_id = argument.partition(":")
        if not raw_id.isdigit():
            return [turn.say("action.outdated")]
        try:
            opportunity = service.get_opportunity(session=turn.session, opportunity_id=int(raw_id))
        except NotFound:
            return [turn.say("action.outdated")]
        if verb == "no":
            service.dismiss(
                session=turn.session, recipient=recipient(turn), opportunity_id=int(raw_id)
            )
            return [turn.say("notify.opp.dismissed", title=opportunity.title)]
        for candidate, match in _fitting(turn):
            if candidate.id == opportunity.id and match.matched:
                words = explain(match.reasons, turn.language)
                return [turn.say("notify.opp.why", title=opportunity.title, reasons=words)]
        return [turn.say("notify.opp.why_open", title=opportunity.title)]

    def follow(turn: Turn, args: str) -> list[Reply]:
        if args:
            return _follow_text(turn, args, on=True)
        return [_follow_menu(turn)]

    def unfollow(turn: Turn, args: str) -> list[Reply]:
        if args:
            return _follow_text(turn, args, on=False)
        return [_follow_menu(turn)]

    def follow_button(turn: Turn, argument: str) -> list[Reply]:
        topic, _, code = argument.partition(":")
        if topic == "g" and code in vocab.AREA_GROUPS:
            return [_group_menu(turn, code)]
        if topic in ("a", "k"):
            name = "area" if topic == "a" else "kind"
            vocabulary = vocab.ASSISTANCE_AREA if topic == "a" else vocab.OPPORTUNITY_KIND
            if code not in vocabulary:
                return [turn.say("action.outdated")]
            changed = preferences.follow(
                session=turn.session, account_id=turn.account_id, topic=name, code=code
            )
            if not changed:
                preferences.unfollow(
                    session=turn.session, account_id=turn.account_id, topic=name, code=code
                )
            group = vocab.area_group(code) if topic == "a" else None
            menu = _group_menu(turn, group) if group else _follow_menu(turn)
            return [Reply(text=menu.text, buttons=menu.buttons, edit=True)]
        return [turn.say("action.outdated")]

    def publish(turn: Turn, _args: str) -> list[Reply]:
        return assistant.start_flow(turn, "opportunity")

    def publish_complete(turn: Turn, answers: dict[str, Any]) -> list[Reply]:
        url = str(answers.get("url") or "").strip()
        if url and not url.startswith(("http://", "https://")):
            url = "https://" + url
        opportunity = Opportunity(
            kind=str(answers["kind"]),
            title=str(answers["title"]),
            description=str(answers.get("description") or ""),
            areas=list(answers.get("areas") or []),
            languages=list(answers.get("languages") or []),
            format=answers.get("format"),
            starts_on=_day(answers.get("starts_on")),
            deadline=_day(answers.get("deadline")),
            url=url or None,
            created_by=turn.actor,
        )
        turn.session.add(opportunity)
        turn.session.flush()
        assert opportunity.id is not None
        audit.record(
            session=turn.session, actor=turn.actor, action="opportunity.add",
            added=[opportunity.id],
        )  # fmt: skip
        report = service.publish_opportunity(
            session=turn.session, opportunity_id=opportunity.id, actor=turn.actor
        )
        return [turn.say("notify.opp.published", id=opportunity.id, count=report.queued)]

    router.command(Command("opportunities", list_open, "notify.help.opportunities"), "opps")
    router.command(Command("follow", follow, "notify.help.follow"))
    router.command(Command("unfollow", unfollow, "notify.help.unfollow"))
    router.command(
        Command("publish", publish, "notify.help.publish", admin_only=True, private_only=True,
                starts_flow=True)
    )  # fmt: skip
    router.action("opp", on_button)
    router.action("fol", follow_button)
    router.menu_entry(MenuEntry("notify.menu.opportunities", "opportunities"))
    assistant.flows.register(
        FlowDefinition(
            spec=load_definition("opportunity"),
            on_complete=publish_complete,
            context=lambda turn: {"today": date.today().isoformat()},
        )
    )
    broadcast.install(assistant)


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _followed(turn: Turn) -> set[tuple[str, str]]:
    rows = preferences.follows_of(session=turn.session, account_id=turn.account_id)
    return {(row.topic, row.code) for row in rows}


def _mark(on: bool, label: str) -> str:
    return ("✓ " if on else "") + label


def _follow_menu(turn: Turn) -> Reply:
    followed = _followed(turn)
    rows: list[tuple[Button, ...]] = [
        (Button(vocab.AREA_GROUP.label(group, turn.language), f"fol:g:{group}"),)
        for group in vocab.AREA_GROUP_CODES
    ]
    kinds = [
        Button(_mark(("kind", code) in followed, label), f"fol:k:{code}")
        for code, label in vocab.OPPORTUNITY_KIND.choices(turn.language)
    ]
    rows.extend(tuple(kinds[i : i + 2]) for i in range(0, len(kinds), 2))
    areas = [
        vocab.ASSISTANCE_AREA.label(c, turn.language) for t, c in sorted(followed) if t == "area"
    ]
    text = turn.t("notify.follow.title")
    if areas:
        text += "\n" + turn.t("notify.follow.areas", areas=", ".join(areas))
    return Reply(text=text, buttons=tuple(rows))


def _group_menu(turn: Turn, group: str) -> Reply:
    followed = _followed(turn)
    rows = tuple(
        (
            Button(
                _mark(("area", code) in followed, vocab.ASSISTANCE_AREA.label(code, turn.language)),
                f"fol:a:{code}",
            ),
        )
        for code in vocab.AREA_GROUPS[group]  # type: ignore[index]
    )
    title = turn.t("notify.follow.group", group=vocab.AREA_GROUP.label(group, turn.language))
    return Reply(text=title, buttons=rows)


def _follow_text(turn: Turn, text: str, *, on: bool) -> list[Reply]:
    for topic, vocabulary in (("area", vocab.ASSISTANCE_AREA), ("kind", vocab.OPPORTUNITY_KIND)):
        code = vocabulary.parse(text, turn.language)
        if code is None:
            continue
        change = preferences.follow if on else preferences.unfollow
        change(session=turn.session, account_id=turn.account_id, topic=topic, code=code)
        label = vocabulary.label(code, turn.language)
        return [turn.say("notify.follow.on" if on else "notify.follow.off", what=label)]
    return [turn.say("notify.follow.unknown"), _follow_menu(turn)]
