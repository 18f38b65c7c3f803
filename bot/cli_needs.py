"""Offer the Secretariat's needs commands: ``article16 needs …`` and ``article16 round …``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from bot.cli_common import ExportFormat, cli_context, out, refused
from bot.errors import NotFound, UserInputError
from bot.storage.db import session_scope

needs_app = typer.Typer(
    help="Export and summarise technical-assistance needs.", no_args_is_help=True
)
round_app = typer.Typer(help="Run needs-assessment rounds.", no_args_is_help=True)

ACTOR = "cli"


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date like 2027-03-31") from exc


RoundOption = Annotated[int | None, typer.Option("--round", help="Only the needs of this round.")]


@needs_app.command("export")
def export(
    format: Annotated[ExportFormat, typer.Option("--format", help="csv or xlsx.")] = (
        ExportFormat.CSV
    ),
    round_id: RoundOption = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="File to write.")] = None,
) -> None:
    """Write one row per need, with labels, country, UN region, verified flag, dates, status."""
    from bot.services.needs_export import export_rows, to_csv, to_xlsx

    context = cli_context()
    with session_scope(context.engine) as session:
        rows = export_rows(session=session, round_id=round_id)
    content = to_xlsx(rows) if format is ExportFormat.XLSX else to_csv(rows)
    target = out_file or Path(f"needs.{format.value}")
    target.write_bytes(content)
    out.print(f"Wrote {len(rows)} need(s) to {target}")


@needs_app.command("report")
def report(
    out_file: Annotated[Path, typer.Option("--out", help="HTML file to write.")],
    round_id: RoundOption = None,
) -> None:
    """Write the needs summary as a self-contained HTML page (charts inline, works offline)."""
    from bot.services.needs_report import build_report

    context = cli_context()
    with refused(NotFound):
        with session_scope(context.engine) as session:
            html = build_report(session=session, round_id=round_id)
    out_file.write_text(html, encoding="utf-8")
    out.print(f"Wrote the report to {out_file}")


@needs_app.command("show")
def show(need_id: Annotated[int, typer.Argument(help="Need id.")]) -> None:
    """Show one need and its version history."""
    from bot.services.needs import get_need, versions_of
    from bot.services.needs_export import COLUMNS, need_row
    from bot.storage.needs_tables import Round
    from bot.storage.tables import FocalPoint

    context = cli_context()
    with refused(NotFound):
        with session_scope(context.engine) as session:
            need = get_need(session=session, need_id=need_id)
            focal_point = session.get(FocalPoint, need.focal_point_id or -1)
            round_ = session.get(Round, need.round_id or -1)
            row = need_row(need, focal_point=focal_point, round_=round_)
            history = versions_of(session=session, need_id=need_id)
    for name, value in zip(COLUMNS, row, strict=True):
        out.print(f"{name + ':':<24}{value}")
    out.print("History:")
    for version in history:
        out.print(
            f"  v{version.version} · {version.at:%Y-%m-%d %H:%M} · {version.changed_by} · "
            f"{version.note}",
            soft_wrap=True,
        )


@round_app.command("open")
def round_open(
    title: Annotated[str, typer.Option("--title", help="The round's title.")],
    closes: Annotated[str, typer.Option("--closes", help="Close date, YYYY-MM-DD.")],
    region: Annotated[str | None, typer.Option("--region", help="Only this UN region.")] = None,
    convention: Annotated[
        str | None, typer.Option("--convention", help="Only this convention.")
    ] = None,
    opens: Annotated[str | None, typer.Option("--opens", help="Opening date (today).")] = None,
) -> None:
    """Open a round and invite every registered focal point in scope."""
    from bot.services.rounds import open_round, round_status

    context = cli_context()
    with refused(UserInputError):
        with session_scope(context.engine) as session:
            opened = open_round(
                session=session,
                title=title,
                closes_on=_date(closes),
                opens_on=_date(opens) if opens else None,
                region=region,
                convention=convention,
                actor=ACTOR,
            )
            assert opened.id is not None
            status = round_status(session=session, round_id=opened.id)
    out.print(f"Opened round {opened.id}: {opened.title} (closes {opened.closes_on}).")
    out.print(f"{status.invited} focal point(s) in scope are to be invited.")


@round_app.command("list")
def round_list() -> None:
    """List the rounds."""
    from bot.services.rounds import list_rounds

    context = cli_context()
    table = Table("id", "title", "opens", "closes", "region", "convention", "status")
    with session_scope(context.engine) as session:
        for r in list_rounds(session=session):
            table.add_row(
                str(r.id), r.title, str(r.opens_on), str(r.closes_on), r.region or "all",
                r.convention or "all", r.status,
            )  # fmt: skip
    out.print(table)


@round_app.command("status")
def round_status_command(round_id: Annotated[int, typer.Argument(help="Round id.")]) -> None:
    """Show the response rate per region and country, and who has not answered."""
    from bot.services.rounds import round_status

    context = cli_context()
    with refused(NotFound):
        with session_scope(context.engine) as session:
            status = round_status(session=session, round_id=round_id)
    r = status.round
    out.print(f"Round {r.id}: {r.title} — {r.status}, {r.opens_on} to {r.closes_on}")
    out.print(
        f"Answered: {status.answered} of {status.invited} invited ({status.rate:.0%}); "
        f"{status.needs} need(s) submitted."
    )
    for title, rates in (("Region", status.by_region), ("Country", status.by_country)):
        if not rates:
            continue
        table = Table(title, "answered", "invited", "rate", "needs")
        for rate in rates:
            table.add_row(
                rate.label, str(rate.answered), str(rate.invited), f"{rate.rate:.0%}",
                str(rate.needs),
            )  # fmt: skip
        out.print(table)
    if status.not_answered:
        table = Table("Not answered", "country", "invitation", "reachable in chat")
        for p in status.not_answered:
            table.add_row(
                p.name, p.country, "sent" if p.invited else "to be sent",
                "yes" if p.reachable else "no",
            )  # fmt: skip
        out.print(table)


@round_app.command("close")
def round_close(round_id: Annotated[int, typer.Argument(help="Round id.")]) -> None:
    """Close a round."""
    from bot.services.rounds import close_round

    context = cli_context()
    with refused(NotFound):
        with session_scope(context.engine) as session:
            closed = close_round(session=session, round_id=round_id, actor=ACTOR)
    out.print(f"Closed round {closed.id}: {closed.title}.")
