"""Turn an outbox row into the message its reader sees, in the reader's language."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from bot import vocab
from bot.core import Button, Reply
from bot.i18n import translate
from bot.services.matching import Reason, explain
from bot.storage.notify_tables import Opportunity, OutboxMessage


class Unrenderable(Exception):
    """The row refers to something that is gone (an opportunity deleted or cancelled)."""


def opportunity_buttons(opportunity_id: int, language: str) -> tuple[tuple[Button, ...], ...]:
    """Return the "Why this?" and "Not interested" buttons of an opportunity."""
    return (
        (
            Button(translate("notify.opp.why_button", language), f"opp:why:{opportunity_id}"),
            Button(translate("notify.opp.dismiss_button", language), f"opp:no:{opportunity_id}"),
        ),
    )


def opportunity_card(opportunity: Opportunity, language: str) -> str:
    """Describe an opportunity in a few short lines."""
    kind = vocab.OPPORTUNITY_KIND.label(opportunity.kind, language)
    lines = [f"🎓 {kind}: {opportunity.title}", opportunity.provider]
    if opportunity.starts_on is not None:
        ends = opportunity.ends_on
        dates = f"{opportunity.starts_on}" + (
            f" – {ends}" if ends and ends != opportunity.starts_on else ""
        )
        lines.append(translate("notify.opp.dates", language, dates=dates))
    if opportunity.deadline is not None:
        lines.append(translate("notify.opp.deadline", language, deadline=f"{opportunity.deadline}"))
    details = [vocab.LANGUAGE.label(code, language) for code in opportunity.languages]
    if opportunity.format:
        details.append(vocab.FORMAT.label(opportunity.format, language))
    if details:
        lines.append("🌐 " + " · ".join(details))
    if opportunity.description:
        lines.append(opportunity.description[:600])
    if opportunity.url:
        lines.append(opportunity.url)
    return "\n".join(lines)


def reasons_line(raw: list[dict[str, Any]], language: str) -> str:
    """Return the "Why" line for stored reasons, or an empty string."""
    words = explain([Reason.from_dict(item) for item in raw], language)
    return translate("notify.opp.why_line", language, reasons=words) if words else ""


def _opportunity(session: Session, params: dict[str, Any]) -> Opportunity:
    opportunity = session.get(Opportunity, int(params.get("opportunity_id", 0)))
    if opportunity is None or opportunity.status != "published":
        raise Unrenderable("the opportunity is no longer published")
    return opportunity


def render(
    *, session: Session, row: OutboxMessage, language: str, today: date | None = None
) -> Reply:
    """Return the message of ``row`` for a reader of ``language``."""
    if row.text is not None:
        header = translate(
            "notify.broadcast.critical" if row.critical else "notify.broadcast.header", language
        )
        return Reply(text=f"{header}\n\n{row.text}")
    params = dict(row.params)
    match row.render_key:
        case "notify.opportunity":
            opportunity = _opportunity(session, params)
            assert opportunity.id is not None
            parts = [
                translate("notify.opp.new", language),
                opportunity_card(opportunity, language),
                reasons_line(list(params.get("reasons", [])), language),
            ]
            return Reply(
                text="\n\n".join(p for p in parts if p),
                buttons=opportunity_buttons(opportunity.id, language),
            )
        case "notify.reminder":
            opportunity = _opportunity(session, params)
            assert opportunity.id is not None and opportunity.deadline is not None
            days = (opportunity.deadline - (today or date.today())).days
            intro = translate(
                "notify.reminder", language, title=opportunity.title,
                deadline=f"{opportunity.deadline}", days=max(days, 0),
            )  # fmt: skip
            return Reply(
                text=f"{intro}\n\n{opportunity_card(opportunity, language)}",
                buttons=opportunity_buttons(opportunity.id, language),
            )
        case "notify.digest":
            return _digest(session, params, language)
        case "notify.round_invitation" | "notify.round_reminder":
            text = translate(row.render_key, language, **params)
            return Reply(
                text=text,
                buttons=((Button(translate("notify.round.button", language), "m:need"),),),
            )
        case "offers.intro.ask_offerer" | "offers.intro.ask_need_owner":
            # The consent request carries its answers, so nobody has to find the command.
            intro = params["intro"]
            return Reply(
                text=translate(row.render_key, language, **params),
                buttons=((
                    Button(translate("offers.intro.accept", language), f"of:ok:{intro}"),
                    Button(translate("offers.intro.decline", language), f"of:no:{intro}"),
                ),),
            )  # fmt: skip
        case str(key):
            return Reply(text=translate(key, language, **params))
    raise Unrenderable("the row has neither text nor render key")


def _digest(session: Session, params: dict[str, Any], language: str) -> Reply:
    lines = [translate(f"notify.digest.{params.get('period', 'daily')}", language)]
    for opportunity_id in params.get("opportunities", []):
        opportunity = session.get(Opportunity, int(opportunity_id))
        if opportunity is None or opportunity.status != "published":
            continue
        deadline = (
            translate("notify.digest.until", language, deadline=f"{opportunity.deadline}")
            if opportunity.deadline
            else ""
        )
        lines.append(f"• {opportunity.title}{deadline}")
    if len(lines) == 1:
        raise Unrenderable("every opportunity of the digest is gone")
    lines.append(translate("notify.digest.more", language))
    button = Button(translate("notify.opp.list_button", language), "m:opportunities")
    return Reply(text="\n".join(lines), buttons=((button,),))
