"""Offer the notification commands: ``opp``, ``broadcast``, ``outbox`` and ``worker``.

The lead's ``bot/cli.py`` mounts them::

    app.add_typer(opp_app, name="opp")
    app.add_typer(broadcast_app, name="broadcast")
    app.add_typer(outbox_app, name="outbox")
    app.command()(worker)
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from bot.app import AppContext
from bot.cli_common import cli_context, err, out, refused
from bot.core import Channel
from bot.errors import NotFound, UserInputError
from bot.ports import Sender
from bot.storage.db import session_scope

opp_app = typer.Typer(help="Manage training opportunities.", no_args_is_help=True)
broadcast_app = typer.Typer(
    help="Send an announcement to a segment of focal points, or follow one."
)
outbox_app = typer.Typer(help="Look at the notification outbox.", no_args_is_help=True)


# ---- opp ---------------------------------------------------------------------------------


@opp_app.command("add")
def opp_add(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True)],
    publish: Annotated[bool, typer.Option("--publish", help="Publish what was added.")] = False,
) -> None:
    """Add opportunities from YAML or CSV files; refused entries are listed with the reason."""
    from bot.services import opportunities, opportunity_files

    context = cli_context()
    failed = 0
    for file in files:
        try:
            entries = opportunity_files.read_entries(
                file.read_text(encoding="utf-8-sig"), filename=file.name
            )
        except (UnicodeDecodeError, UserInputError, ValueError) as exc:
            err.print(f"[red]{file}: cannot be read: {exc}[/red]")
            failed += 1
            continue
        with session_scope(context.engine) as session:
            report = opportunity_files.add_opportunities(
                session=session, entries=entries, actor="cli"
            )
            published = [
                opportunities.publish_opportunity(session=session, opportunity_id=i, actor="cli")
                for i in (report.added if publish else [])
            ]
        ids = ", ".join(map(str, report.added)) or "none"
        out.print(f"{file}: added {len(report.added)} (ids {ids}).")
        if published:
            out.print(f"Published; notifications queued: {sum(p.queued for p in published)}.")
        for label, reason in report.errors:
            err.print(f"[yellow]{file} {label}: {reason}[/yellow]")
        failed += len(report.errors)
    if failed:
        raise typer.Exit(1)


@opp_app.command("list")
def opp_list(
    open_only: Annotated[bool, typer.Option("--open", help="Only open ones.")] = False,
) -> None:
    """List opportunities, newest first."""
    from bot.services import opportunities

    context = cli_context()
    table = Table("id", "status", "kind", "title", "starts", "deadline", "provider")
    with session_scope(context.engine) as session:
        for o in opportunities.list_opportunities(session=session, open_only=open_only):
            table.add_row(
                str(o.id), o.status, o.kind, o.title[:60], f"{o.starts_on or ''}",
                f"{o.deadline or ''}", o.provider[:30],
            )  # fmt: skip
    out.print(table)


@opp_app.command("show")
def opp_show(opportunity_id: Annotated[int, typer.Argument(help="Opportunity id.")]) -> None:
    """Show one opportunity and how many people were notified of it."""
    from sqlmodel import func, select

    from bot.notify.render import opportunity_card
    from bot.services import opportunities
    from bot.storage.notify_tables import OpportunityMatch

    context = cli_context()
    with session_scope(context.engine) as session:
        with refused(NotFound):
            o = opportunities.get_opportunity(session=session, opportunity_id=opportunity_id)
        matched = session.exec(
            select(func.count()).where(OpportunityMatch.opportunity_id == opportunity_id)
        ).one()
        out.print(opportunity_card(o, "en"))
        out.print(f"status: {o.status}" + (f" ({o.cancel_reason})" if o.cancel_reason else ""))
        out.print(f"areas: {', '.join(o.areas) or 'any'}; types: {', '.join(o.types) or 'any'}")
        regions = ", ".join([*o.regions, *o.countries]) or "everyone"
        out.print(f"eligible: {regions}; capacity: {o.capacity or '—'}")
        out.print(f"matched people: {matched}")


@opp_app.command("publish")
def opp_publish(opportunity_id: Annotated[int, typer.Argument(help="Opportunity id.")]) -> None:
    """Publish an opportunity and notify everyone it fits (once each)."""
    from bot.services import opportunities

    context = cli_context()
    with session_scope(context.engine) as session:
        with refused(NotFound, UserInputError):
            report = opportunities.publish_opportunity(
                session=session, opportunity_id=opportunity_id, actor="cli"
            )
    out.print(
        f"Opportunity {opportunity_id} is published: it fits {report.matched} people; "
        f"{report.queued} new notifications queued."
    )


@opp_app.command("cancel")
def opp_cancel(
    opportunity_id: Annotated[int, typer.Argument(help="Opportunity id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is cancelled.")],
) -> None:
    """Cancel an opportunity; notifications about it not yet sent are dropped."""
    from bot.services import opportunities

    context = cli_context()
    with session_scope(context.engine) as session:
        with refused(NotFound):
            opportunities.cancel_opportunity(
                session=session, opportunity_id=opportunity_id, reason=reason, actor="cli"
            )
    out.print(f"Opportunity {opportunity_id} is cancelled.")


# ---- broadcast ---------------------------------------------------------------------------


@broadcast_app.callback(invoke_without_command=True)
def broadcast(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Option("--text", help="The announcement.")] = None,
    region: Annotated[str | None, typer.Option(help="UN regional group code.")] = None,
    country: Annotated[str | None, typer.Option(help="Country name or ISO code.")] = None,
    role: Annotated[str | None, typer.Option(help="Role code.")] = None,
    convention: Annotated[str | None, typer.Option(help="basel, rotterdam or stockholm.")] = None,
    language: Annotated[str | None, typer.Option(help="Language of the recipients.")] = None,
    critical: Annotated[
        bool, typer.Option("--critical", help="A notice nobody can switch off.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count, send nothing.")] = False,
) -> None:
    """Send ``--text`` to the focal points of a segment; print the number of recipients."""
    if ctx.invoked_subcommand is not None:
        return
    if not text:
        err.print("Give the announcement with --text, or use: article16 broadcast status ID")
        raise typer.Exit(2)
    from bot.services import broadcasts

    try:
        segment = broadcasts.Segment(region, country, role, convention, language).check()
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    context = cli_context()
    with session_scope(context.engine) as session:
        if dry_run:
            count = len(broadcasts.recipients(session=session, segment=segment))
            out.print(f"Dry run: this broadcast would reach {count} recipients; nothing sent.")
            return
        sent = broadcasts.create_broadcast(
            session=session, text=text, segment=segment, actor="cli", critical=critical
        )
    out.print(f"Broadcast {sent.id} queued for {sent.recipients} recipients.")
    out.print(f"Follow it with: article16 broadcast status {sent.id}")


@broadcast_app.command("status")
def broadcast_status(broadcast_id: Annotated[int, typer.Argument(help="Broadcast id.")]) -> None:
    """Show a broadcast's delivery statistics."""
    from bot.services import broadcasts, outbox

    context = cli_context()
    with session_scope(context.engine) as session:
        with refused(NotFound):
            sent = broadcasts.get_broadcast(session=session, broadcast_id=broadcast_id)
        report = outbox.status(session=session, broadcast_id=broadcast_id)
    out.print(
        f"Broadcast {sent.id} ({sent.status}, {sent.created_at:%Y-%m-%d %H:%M} UTC) "
        f"to {sent.recipients} recipients; filters: {sent.filters or 'everyone'}"
    )
    _print_status(report)


# ---- outbox and worker -------------------------------------------------------------------


def _print_status(report: Any) -> None:
    table = Table("state", "rows")
    for state, count in report.counts.items():
        table.add_row(state, str(count))
    out.print(table)
    if report.errors:
        errors = Table("id", "kind", "state", "last error")
        for row_id, kind, state, error in report.errors:
            errors.add_row(str(row_id), kind, state, error[:100])
        out.print(errors)


@outbox_app.callback()
def outbox_group() -> None:
    """Look at the notification outbox."""


@outbox_app.command("status")
def outbox_status(
    errors: Annotated[int, typer.Option(help="How many recent errors to show.")] = 10,
) -> None:
    """Count the notifications by state and show the latest errors."""
    from bot.services import outbox

    context = cli_context()
    with session_scope(context.engine) as session:
        report = outbox.status(session=session, errors=errors)
    _print_status(report)


def build_senders(context: AppContext) -> dict[Channel, Sender]:
    """Return a sender per configured channel, and the console's (it prints).

    The channels are built as ``article16 run`` builds them, but not started:
    this process only writes. ``context.extras["senders"]`` (a mapping)
    replaces them, for tests.
    """
    given = context.extras.get("senders")
    if isinstance(given, Mapping):
        return dict(given)
    from bot.runtime import build_channels, senders_for

    return senders_for(context, build_channels(context, include_slack_home=False))


def worker(
    every: Annotated[float, typer.Option(help="Seconds between scheduler runs.")] = 60.0,
) -> None:
    """Run the notification dispatcher and the scheduler, without the chat channels."""
    from bot.notify.worker import run_workers

    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )  # fmt: skip
    context = cli_context()
    senders = build_senders(context)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await run_workers(context.engine, senders, stop, schedule_every=every)

    asyncio.run(main())
