"""Let registered users offer technical assistance and follow their offers in the chat.

``/offer`` runs the questionnaire of ``flows/definitions/offer.yaml``;
``/myoffers`` lists the person's offers with their review and how many
recorded needs each matches, by region and area (never whose);
``/introductions`` lists the introductions the Secretariat proposed to them.
Button actions: ``of:ok:<introduction id>`` accepts, ``of:no:<id>`` declines,
``of:w:<offer id>`` withdraws an offer.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from bot import vocab
from bot.assistant import Assistant
from bot.core import Button, Reply
from bot.errors import NotAllowed, NotFound
from bot.flows.registry import FlowDefinition, load_definition
from bot.flows.store import load_state, save_state
from bot.router import Command, MenuEntry
from bot.services import introductions
from bot.services import offers as service
from bot.storage.needs_tables import Need
from bot.storage.offer_tables import Introduction, IntroductionStatus, Offer, OfferStatus
from bot.turn import Turn

FLOW = "offer"
#: How many offers /myoffers shows.
LIST_LIMIT = 5


def _labelled(counter: Counter[str], vocabulary: vocab.Vocabulary, language: str) -> str:
    items = [
        (vocabulary.label(code, language) if code in vocabulary else code, n)
        for code, n in counter.most_common()
    ]
    return ", ".join(f"{label} {n}" for label, n in items)


def offer_card(turn: Turn, offer: Offer) -> Reply:
    """Describe one of the person's offers with its review and its match counts."""
    lines = [
        turn.t(
            "offers.card",
            id=offer.id,
            organisation=offer.organisation,
            status=turn.t(f"offers.status.{offer.status}"),
        )
    ]
    if offer.review_note:
        lines.append(turn.t("offers.card.note", note=offer.review_note))
    counts = service.match_counts(session=turn.session, offer=offer)
    if counts.total == 0:
        lines.append(turn.t("offers.matches_none"))
    else:
        lines.append(turn.t("offers.matches", count=counts.total))
        regions = _labelled(counts.by_region, vocab.REGION, turn.language)
        lines.append(turn.t("offers.matches_regions", items=regions))
        areas = _labelled(counts.by_area, vocab.ASSISTANCE_AREA, turn.language)
        lines.append(turn.t("offers.matches_areas", items=areas))
        lines.append(turn.t("offers.matches_private"))
    buttons: tuple[tuple[Button, ...], ...] = ()
    if offer.status in (OfferStatus.SUBMITTED, OfferStatus.APPROVED):
        buttons = ((Button(turn.t("offers.withdraw_button"), f"of:w:{offer.id}"),),)
    return Reply(text="\n".join(lines), buttons=buttons)


def introduction_reply(turn: Turn, intro: Introduction) -> Reply:
    """Describe an introduction waiting for the person's answer, with Accept and Decline."""
    assert intro.id is not None
    offer = service.get_offer(session=turn.session, offer_id=intro.offer_id)
    need = turn.session.get(Need, intro.need_id)
    assert need is not None
    areas = introductions.shared_areas(offer, need, turn.language)
    if service.is_offerer(turn.person, offer):
        country = vocab.country_name(need.country, turn.language) if need.country else "—"
        text = turn.t(
            "offers.intro.line_offerer", intro=intro.id, offer=offer.id, country=country,
            areas=areas,
        )  # fmt: skip
    else:
        text = turn.t(
            "offers.intro.line_need_owner", intro=intro.id, need=need.id,
            organisation=offer.organisation, areas=areas,
        )  # fmt: skip
    buttons = (
        Button(turn.t("offers.intro.accept"), f"of:ok:{intro.id}"),
        Button(turn.t("offers.intro.decline"), f"of:no:{intro.id}"),
    )
    return Reply(text=text, buttons=(buttons,))


def install(assistant: Assistant) -> None:
    """Register /offer, /myoffers, /introductions, the ``of`` buttons, a menu entry and the flow."""
    router = assistant.router
    spec = load_definition(FLOW)
    # The offer questionnaire reads a list of countries; the engine only knows one country.
    assistant.engine.add_parser("countries", service.parse_countries)

    def start_offer(turn: Turn, _args: str) -> list[Reply]:
        if turn.person.focal_point is None:
            button = Button(turn.t("offers.profile_button"), "m:profile")
            return [Reply(text=turn.t("offers.need_profile"), buttons=((button,),))]
        state = load_state(session=turn.session, account_id=turn.account_id)
        if state is not None and state.get("flow") == FLOW:
            outcome = assistant.engine.resume(spec, state, language=turn.language)
            save_state(session=turn.session, account_id=turn.account_id, state=outcome.state)
            return [turn.say("flow.continue"), *outcome.replies]
        return assistant.start_flow(turn, FLOW)

    def submit(turn: Turn, answers: dict[str, Any]) -> list[Reply]:
        try:
            offer = service.submit_offer(
                session=turn.session, person=turn.person, answers=answers,
                language=turn.language, actor=turn.actor,
            )  # fmt: skip
        except NotAllowed:
            return [turn.say("offers.need_profile")]
        lines = [turn.t("offers.submitted", id=offer.id)]
        if offer.verified:
            lines.append(turn.t("offers.verified_note"))
        else:
            lines.append(turn.t("offers.unverified_note"))
        button = Button(turn.t("offers.new_button"), "m:offer")
        return [Reply(text="\n".join(lines), buttons=((button,),))]

    def cancelled(turn: Turn, _answers: dict[str, Any]) -> list[Reply]:
        return [turn.say("offers.cancelled")]

    def my_offers(turn: Turn, _args: str) -> list[Reply]:
        mine = service.offers_of(session=turn.session, person=turn.person)
        if not mine:
            return [turn.say("offers.list_empty")]
        replies = [turn.say("offers.list_title")]
        replies.extend(offer_card(turn, offer) for offer in mine[:LIST_LIMIT])
        waiting = introductions.pending_for(session=turn.session, person=turn.person)
        replies.extend(introduction_reply(turn, intro) for intro in waiting)
        return replies

    def list_introductions(turn: Turn, _args: str) -> list[Reply]:
        waiting = introductions.pending_for(session=turn.session, person=turn.person)
        if not waiting:
            return [turn.say("offers.intro.none")]
        return [
            turn.say("offers.intro.list_title"),
            *(introduction_reply(turn, intro) for intro in waiting),
        ]

    def withdraw(turn: Turn, offer_id: int) -> list[Reply]:
        try:
            service.withdraw_offer(
                session=turn.session, person=turn.person, offer_id=offer_id, actor=turn.actor
            )
        except NotFound:
            return [turn.say("action.outdated")]
        except NotAllowed as error:
            return [turn.say(str(error.args[0]))]
        return [turn.say("offers.withdrawn", id=offer_id)]

    def on_button(turn: Turn, argument: str) -> list[Reply]:
        verb, _, raw_id = argument.partition(":")
        if verb not in ("ok", "no", "w") or not raw_id.isdigit():
            return [turn.say("action.outdated")]
        if verb == "w":
            return withdraw(turn, int(raw_id))
        try:
            before = introductions.get_introduction(session=turn.session, intro_id=int(raw_id))
            if before.status != IntroductionStatus.PROPOSED:
                return [turn.say("offers.intro.closed")]
            intro = introductions.answer_introduction(
                session=turn.session, intro_id=int(raw_id), person=turn.person,
                accept=verb == "ok",
            )  # fmt: skip
        except (NotFound, NotAllowed):
            return [turn.say("offers.intro.not_yours")]
        match intro.status:
            case IntroductionStatus.CONNECTED:
                return [turn.say("offers.intro.connected")]
            case IntroductionStatus.DECLINED:
                return [turn.say("offers.intro.declined")]
        return [turn.say("offers.intro.accepted")]

    router.command(
        Command("offer", start_offer, "offers.help.offer", private_only=True, starts_flow=True)
    )
    router.command(Command("myoffers", my_offers, "offers.help.myoffers", private_only=True))
    router.command(
        Command("introductions", list_introductions, "offers.help.introductions", private_only=True)
    )
    router.action("of", on_button)
    router.menu_entry(MenuEntry("offers.menu.offer", "offer"))
    assistant.flows.register(
        FlowDefinition(
            spec=spec,
            on_complete=submit,
            on_cancel=cancelled,
            context=lambda _turn: {"today": date.today().isoformat()},
        )
    )
