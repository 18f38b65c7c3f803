"""Offer the ``article16`` command line: run, chat, web, database and focal-point tools."""

from __future__ import annotations

import logging
import sys
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from bot.app import build_context
from bot.cli_common import cli_context, cli_settings, err, out, refused
from bot.errors import NotFound

app = typer.Typer(
    name="article16",
    help="The Article 16 Assistant of the Basel, Rotterdam and Stockholm conventions.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Manage the database.", no_args_is_help=True)
fp_app = typer.Typer(help="Manage the Secretariat's list of focal points.", no_args_is_help=True)
questions_app = typer.Typer(help="Questions put to the assistant.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(fp_app, name="fp")
app.add_typer(questions_app, name="questions")


def _mount_capabilities() -> None:
    from bot.cli_needs import needs_app, round_app
    from bot.cli_notify import broadcast_app, opp_app, outbox_app, worker
    from bot.cli_offers import offers_app
    from bot.cli_staff import staff_app
    from knowledge.cli import kb_app

    app.add_typer(kb_app, name="kb")
    app.add_typer(needs_app, name="needs")
    app.add_typer(round_app, name="round")
    app.add_typer(staff_app, name="staff")
    app.add_typer(opp_app, name="opp")
    app.add_typer(offers_app, name="offers")
    app.add_typer(broadcast_app, name="broadcast")
    app.add_typer(outbox_app, name="outbox")
    app.command()(worker)


_mount_capabilities()


def _configure_logging(level: int) -> None:
    logging.basicConfig(
        level=level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # bm25s sets its own logger to DEBUG; its index-building notes are noise here.
    logging.getLogger("bm25s").setLevel(max(level, logging.INFO))


@app.command()
def chat(
    user: Annotated[str, typer.Option("--user", help="Console user id.")] = "local",
    lang: Annotated[str | None, typer.Option("--lang", help="Language hint: en, fr, es.")] = None,
) -> None:
    """Talk to the assistant in this terminal (reads stdin line by line when piped)."""
    from handlers.console import ConsoleChat

    _configure_logging(logging.WARNING)
    context = cli_context()
    ConsoleChat(context.assistant.handle, user_id=user, language=lang).run()


@app.command()
def run() -> None:
    """Start every configured channel; with none configured, start the console chat."""
    _configure_logging(logging.INFO)
    settings = cli_settings()
    if not settings.telegram.enabled and not settings.slack.enabled:
        err.print(
            "No chat platform is configured, so the console chat starts.\n"
            "Set TELEGRAM_BOT_TOKEN to serve Telegram, or SLACK_BOT_TOKEN with "
            "SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode) to serve Slack."
        )
        from bot.notify.worker import notification_worker
        from bot.runtime import background_workers
        from handlers.console import ConsoleChat

        context = build_context(settings)
        with background_workers(context, [notification_worker]):
            ConsoleChat(context.assistant.handle).run()
        return
    from bot.notify.worker import notification_worker
    from bot.runtime import serve

    serve(build_context(settings), workers=[notification_worker])


@app.command()
def web(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the HTTP endpoints: /healthz, platform webhooks, staff pages."""
    import uvicorn

    from bot.runtime import build_web_app

    _configure_logging(logging.INFO)
    context = cli_context()
    settings = context.settings
    uvicorn.run(
        build_web_app(context),
        host=host or settings.web_host,
        port=port or settings.web_port,
        log_level="info",
    )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations."""
    from bot.storage.db import make_engine, upgrade

    settings = cli_settings()
    upgrade(make_engine(settings.database_url))
    out.print("Database is up to date.")


@fp_app.command("import")
def fp_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Import focal points from a CSV file (name, email, country, role)."""
    from bot.services.focal_points import import_focal_points
    from bot.storage.db import session_scope

    context = cli_context()
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        err.print(f"[red]{file} is not UTF-8 text: save it as CSV UTF-8 and try again.[/red]")
        raise typer.Exit(1) from exc
    with session_scope(context.engine) as session:
        report = import_focal_points(session=session, text=text, actor="cli")
    out.print(f"Imported: {report.created} new, {report.updated} updated.")
    for line, reason in report.errors:
        err.print(f"[yellow]line {line}: {reason}[/yellow]")
    if report.errors:
        err.print(f"{len(report.errors)} row(s) refused; the others were imported.")
        raise typer.Exit(1)


@fp_app.command("list")
def fp_list() -> None:
    """List the focal points."""
    from rich.table import Table
    from sqlmodel import col, select

    from bot.storage.db import session_scope
    from bot.storage.tables import FocalPoint

    context = cli_context()
    table = Table("id", "name", "email", "country", "roles", "verified")
    with session_scope(context.engine) as session:
        for fp in session.exec(select(FocalPoint).order_by(col(FocalPoint.id))):
            table.add_row(
                str(fp.id), fp.name, fp.email or "", fp.country or "", ", ".join(fp.roles),
                "yes" if fp.verified else "no",
            )  # fmt: skip
    out.print(table)


@fp_app.command("invite")
def fp_invite(
    ref: Annotated[str, typer.Argument(help="Focal point id or e-mail address.")],
) -> None:
    """Print a one-time invite code, its expiry and how to use it on Telegram and Slack."""
    from bot.services.invites import find_focal_point, issue_invite
    from bot.storage.db import session_scope

    context = cli_context()
    settings = context.settings
    with session_scope(context.engine) as session:
        with refused(NotFound):
            focal_point = find_focal_point(session=session, ref=ref)
        issued = issue_invite(
            session=session,
            focal_point=focal_point,
            created_by="cli",
            ttl=timedelta(hours=settings.invite_ttl_hours),
        )
    username = settings.telegram_bot_username or "<bot username>"
    out.print(f"Invite for {focal_point.name} <{focal_point.email or '-'}>")
    out.print(f"Code:     {issued.code}")
    out.print(f"Expires:  {issued.expires_at:%Y-%m-%d %H:%M} UTC (single use)")
    out.print(f"Telegram: https://t.me/{username}?start={issued.code}")
    out.print(f"Slack:    /article16 redeem {issued.code}")
    out.print(f"Console:  /redeem {issued.code}")


@app.command()
def ask(
    question: Annotated[
        str | None, typer.Argument(help="The question; omit to read stdin.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON objects.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="Language: en, fr, es.")] = "en",
) -> None:
    """Answer one question; with none, answer one question per line of stdin."""
    import json

    from bot.app import LazyKnowledgeBase
    from bot.i18n import normalise_language

    _configure_logging(logging.WARNING)
    knowledge = LazyKnowledgeBase(cli_settings())()
    language = normalise_language(lang)
    lines = [question] if question is not None else (line.strip() for line in sys.stdin)
    for line in lines:
        if not line:
            continue
        answer = knowledge.answer(line, language=language)
        if as_json:
            payload = {
                "answer": answer.text,
                "answered": answer.answered,
                "confidence": round(answer.confidence, 4),
                "sources": [
                    {"title": s.title, "url": s.url, "path": s.path, "score": round(s.score, 4)}
                    for s in answer.sources
                ],
            }
            sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        elif answer.answered:
            out.print(answer.text)
            for source in answer.sources:
                out.print(f"  source: {source.title} — {source.url or source.path}")
        else:
            out.print("I don't know; this question would be offered to the Secretariat.")


@questions_app.command("list")
def questions_list(
    unanswered: Annotated[
        bool,
        typer.Option(
            "--unanswered", help="Only questions passed to the Secretariat and not yet answered."
        ),
    ] = False,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List the questions asked, their answers, confidence and feedback."""
    import json

    from rich.table import Table

    from bot.services import questions
    from bot.storage.db import session_scope

    context = cli_context()
    with session_scope(context.engine) as session:
        entries = questions.list_questions(session=session, unanswered=unanswered, limit=limit)
        if as_json:
            for entry in entries:
                sys.stdout.write(json.dumps(questions.as_dict(entry), ensure_ascii=False) + "\n")
            return
        table = Table("id", "asked", "question", "answered", "conf.", "feedback", "to Secretariat")
        for entry in entries:
            table.add_row(
                str(entry.id),
                f"{entry.created_at:%Y-%m-%d %H:%M}",
                entry.question[:80],
                "yes" if entry.answered else "no",
                f"{entry.confidence:.2f}",
                {1: "👍", -1: "👎"}.get(entry.feedback or 0, ""),
                ("answered" if entry.secretariat_answer else "waiting") if entry.escalated else "",
            )
    out.print(table)


@questions_app.command("gaps")
def questions_gaps() -> None:
    """Group the questions the assistant declined or that were rated unhelpful."""
    from rich.table import Table

    from bot.services import questions
    from bot.storage.db import session_scope

    context = cli_context()
    with session_scope(context.engine) as session:
        gaps = questions.knowledge_gaps(session=session)
    table = Table("times", "declined", "👎", "question", "ids")
    for gap in gaps:
        table.add_row(
            str(gap.count), str(gap.declined), str(gap.rated_down), gap.question[:90],
            ",".join(map(str, gap.ids[:10])),
        )  # fmt: skip
    out.print(table)


@questions_app.command("answer")
def questions_answer(
    question_id: Annotated[int, typer.Argument(help="The question's id (questions list).")],
    text: Annotated[str, typer.Argument(help="The Secretariat's answer.")],
) -> None:
    """Answer a question passed to the Secretariat; the answer is relayed to the asker."""
    from bot.app import relay_secretariat_answer
    from bot.services import questions
    from bot.storage.db import session_scope

    context = cli_context()
    with session_scope(context.engine) as session:
        with refused(NotFound, ValueError):
            entry = questions.answer_escalated(
                session=session, entry_id=question_id, text=text, actor="cli"
            )
        relayed = relay_secretariat_answer(context, session=session, entry=entry)
    out.print(
        f"Answer stored for question {question_id}; "
        + (
            "it will be sent to the asker."
            if relayed
            else "the asker has no chat account to send it to."
        )
    )


def main() -> None:
    """Run the command line."""
    app()
