"""Offer the Secretariat's review of offers of assistance: ``article16 offers …``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from bot import vocab
from bot.cli_common import ExportFormat, cli_context, out, refused
from bot.errors import NotFound, UserInputError
from bot.storage.db import session_scope

offers_app = typer.Typer(
    help="Review offers of technical assistance and put offerers in touch with Parties.",
    no_args_is_help=True,
)

ACTOR = "cli"
OfferId = Annotated[int, typer.Argument(help="Offer id.")]


@offers_app.command("list")
def offers_list(
    status: Annotated[
        str | None, typer.Option(help="submitted, approved, declined or withdrawn.")
    ] = None,
) -> None:
    """List the offers, newest first."""
    from bot.services import offers

    context = cli_context()
    table = Table("id", "status", "by", "name", "verified", "areas", "submitted")
    with session_scope(context.engine) as session:
        for o in offers.list_offers(session=session, status=status):
            table.add_row(
                str(o.id), o.status, o.offerer_kind, o.organisation[:40],
                "yes" if o.verified else "no", ", ".join(o.areas[:3]),
                f"{o.created_at:%Y-%m-%d}",
            )  # fmt: skip
    out.print(table)


@offers_app.command("show")
def offers_show(offer_id: OfferId) -> None:
    """Show one offer and, in full, the needs it matches."""
    from bot.services import offers
    from bot.services.matching import explain
    from bot.services.offers_export import COLUMNS, offer_row
    from bot.storage.tables import FocalPoint

    context = cli_context()
    with session_scope(context.engine) as session:
        with refused(NotFound):
            offer = offers.get_offer(session=session, offer_id=offer_id)
        pairs = offers.matching_needs(session=session, offer=offer)
        focal_point = session.get(FocalPoint, offer.focal_point_id or -1)
        row = offer_row(offer, focal_point=focal_point, matching=len(pairs))
        for name, value in zip(COLUMNS, row, strict=True):
            out.print(f"{name + ':':<24}{value}", soft_wrap=True)
        if not pairs:
            out.print("It matches no active need.")
            return
        table = Table("need", "country", "focal point", "e-mail", "score", "why")
        for need, match in pairs:
            owner = session.get(FocalPoint, need.focal_point_id or -1)
            table.add_row(
                str(need.id), vocab.country_name(need.country, "en") if need.country else "—",
                owner.name if owner else "—", (owner.email or "") if owner else "",
                f"{match.score:g}", explain(match.reasons, "en"),
            )  # fmt: skip
        out.print(table)
        out.print(f"Put both sides in touch with: article16 offers introduce {offer_id} NEED_ID")


@offers_app.command("approve")
def offers_approve(
    offer_id: OfferId,
    note: Annotated[str | None, typer.Option("--note", help="A note to the offerer.")] = None,
) -> None:
    """Approve an offer: publish it as an opportunity and notify the people it fits, once."""
    from bot.services import offers

    context = cli_context()
    with refused(NotFound, UserInputError):
        with session_scope(context.engine) as session:
            approval = offers.approve_offer(
                session=session, offer_id=offer_id, actor=ACTOR, note=note
            )
    out.print(
        f"Offer {offer_id} is approved as opportunity {approval.opportunity_id}: it fits "
        f"{approval.matched} people; {approval.queued} new notifications queued."
    )


@offers_app.command("decline")
def offers_decline(
    offer_id: OfferId,
    note: Annotated[str, typer.Option("--note", help="Why; sent to the offerer.")],
) -> None:
    """Decline an offer; the offerer is sent the note."""
    from bot.services import offers

    context = cli_context()
    with refused(NotFound, UserInputError):
        with session_scope(context.engine) as session:
            offers.decline_offer(session=session, offer_id=offer_id, actor=ACTOR, note=note)
    out.print(f"Offer {offer_id} is declined; the offerer will be told.")


@offers_app.command("introduce")
def offers_introduce(
    offer_id: OfferId, need_id: Annotated[int, typer.Argument(help="Need id.")]
) -> None:
    """Ask both sides whether they agree to be put in touch; contacts go out only if both do."""
    from bot.services import introductions

    context = cli_context()
    with refused(NotFound, UserInputError):
        with session_scope(context.engine) as session:
            intro, created = introductions.propose_introduction(
                session=session, offer_id=offer_id, need_id=need_id, actor=ACTOR
            )
    if created:
        out.print(f"Introduction {intro.id} proposed: both sides are asked to accept.")
    else:
        out.print(f"Introduction {intro.id} was already proposed; it is {intro.status}.")


@offers_app.command("introductions")
def offers_introductions() -> None:
    """List the introductions and each side's answer."""
    from sqlmodel import col, select

    from bot.storage.offer_tables import Introduction

    def answer(consent: bool | None) -> str:
        return {True: "accepted", False: "declined", None: "waiting"}[consent]

    context = cli_context()
    table = Table("id", "offer", "need", "offerer", "need owner", "status", "proposed")
    with session_scope(context.engine) as session:
        for i in session.exec(select(Introduction).order_by(col(Introduction.id).desc())):
            table.add_row(
                str(i.id), str(i.offer_id), str(i.need_id), answer(i.offerer_consent),
                answer(i.need_owner_consent), i.status, f"{i.created_at:%Y-%m-%d}",
            )  # fmt: skip
    out.print(table)


@offers_app.command("export")
def offers_export(
    format: Annotated[ExportFormat, typer.Option("--format", help="csv or xlsx.")] = (
        ExportFormat.CSV
    ),
    out_file: Annotated[Path | None, typer.Option("--out", help="File to write.")] = None,
) -> None:
    """Write one row per offer, with labels, review and the number of needs it matches."""
    from bot.services.offers_export import export_rows, to_csv, to_xlsx

    context = cli_context()
    with session_scope(context.engine) as session:
        rows = export_rows(session=session)
    content = to_xlsx(rows) if format is ExportFormat.XLSX else to_csv(rows)
    target = out_file or Path(f"offers.{format.value}")
    target.write_bytes(content)
    out.print(f"Wrote {len(rows)} offer(s) to {target}")
