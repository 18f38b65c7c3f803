"""Share what every ``article16`` sub-command needs: consoles and the built application."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

import typer
from rich.console import Console

from bot.app import AppContext, build_context
from bot.config import Settings, load_settings
from bot.errors import ConfigurationError


class ExportFormat(StrEnum):
    """The file formats of the ``export`` commands."""

    CSV = "csv"
    XLSX = "xlsx"


out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def cli_settings() -> Settings:
    """Load the settings, or print why they are wrong and exit with status 2."""
    try:
        return load_settings()
    except ConfigurationError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


def cli_context(*, migrate: bool = True) -> AppContext:
    """Build the application from the settings (applying pending migrations)."""
    return build_context(cli_settings(), migrate=migrate)


@contextmanager
def refused(*errors: type[Exception]) -> Iterator[None]:
    """Turn an expected error into a red message and exit status 1.

    Raised inside ``session_scope``, the exit also rolls the transaction back.
    """
    try:
        yield
    except errors as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
