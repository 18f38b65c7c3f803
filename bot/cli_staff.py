"""Offer ``article16 staff …``: the accounts that sign in to the web console."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from bot.cli_common import cli_context, out, refused
from bot.errors import NotFound, UserInputError
from bot.storage.db import session_scope

staff_app = typer.Typer(help="Manage the staff accounts of the web console.", no_args_is_help=True)

ACTOR = "cli"


def _read_password() -> str:
    """Prompt twice on a terminal; read the first line of stdin when piped."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@staff_app.command("add")
def staff_add(
    email: Annotated[str, typer.Argument(help="The staff member's e-mail address.")],
    role: Annotated[str, typer.Option(help="secretariat or regional-centre.")],
    region: Annotated[
        str | None, typer.Option(help="UN region of a regional centre, e.g. africa.")
    ] = None,
    name: Annotated[str, typer.Option(help="Name shown in the console.")] = "",
) -> None:
    """Create a staff account; the password is asked twice, or read from stdin when piped."""
    from bot.services.staff import add_staff

    context = cli_context()
    password = _read_password()
    with refused(UserInputError):
        with session_scope(context.engine) as session:
            account = add_staff(
                session=session,
                email=email,
                password=password,
                role=role,
                region=region,
                actor=ACTOR,
                name=name,
            )
    where = f" for {account.region}" if account.region else ""
    out.print(f"Added {account.email} ({account.role}{where}).")


@staff_app.command("list")
def staff_list() -> None:
    """List the staff accounts."""
    from bot.services.staff import list_staff

    context = cli_context()
    table = Table("e-mail", "name", "role", "region", "active", "last sign-in")
    with session_scope(context.engine) as session:
        for account in list_staff(session=session):
            table.add_row(
                account.email,
                account.name,
                account.role,
                account.region or "",
                "yes" if account.active else "no",
                f"{account.last_login_at:%Y-%m-%d %H:%M}" if account.last_login_at else "",
            )
    out.print(table)


@staff_app.command("disable")
def staff_disable(
    email: Annotated[str, typer.Argument(help="The account to disable.")],
) -> None:
    """Disable an account; its open sessions end at once."""
    from bot.services.staff import disable_staff

    context = cli_context()
    with refused(NotFound):
        with session_scope(context.engine) as session:
            disable_staff(session=session, email=email, actor=ACTOR)
    out.print(f"Disabled {email.strip().lower()}.")
