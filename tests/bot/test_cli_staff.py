"""``article16 staff`` adds, lists and disables the console's staff accounts."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from bot.cli_staff import staff_app
from bot.storage.db import make_engine
from bot.storage.staff_tables import StaffAccount

PASSWORD = "a long enough password"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    return CliRunner()


def test_add_reads_the_password_from_piped_stdin(runner: CliRunner, sqlite_url: str) -> None:
    result = runner.invoke(
        staff_app,
        ["add", "Ama@Centre.org", "--role", "regional-centre", "--region", "Africa"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Added ama@centre.org (regional-centre for africa)" in result.output
    with Session(make_engine(sqlite_url)) as session:
        account = session.exec(select(StaffAccount)).one()
    assert account.region == "africa" and account.password_hash.startswith("$argon2id$")


def test_add_refuses_a_regional_centre_without_a_region(runner: CliRunner) -> None:
    result = runner.invoke(
        staff_app, ["add", "x@centre.org", "--role", "regional-centre"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 1 and "need --region" in result.output


def test_add_refuses_a_short_password(runner: CliRunner) -> None:
    result = runner.invoke(
        staff_app, ["add", "x@brs.int", "--role", "secretariat"], input="short\n"
    )
    assert result.exit_code == 1 and "at least 12 characters" in result.output


def test_list_and_disable(runner: CliRunner) -> None:
    runner.invoke(staff_app, ["add", "x@brs.int", "--role", "secretariat"], input=PASSWORD)
    assert "x@brs.int" in runner.invoke(staff_app, ["list"]).output
    result = runner.invoke(staff_app, ["disable", "x@brs.int"])
    assert result.exit_code == 0 and "Disabled x@brs.int" in result.output
    assert runner.invoke(staff_app, ["disable", "nobody@brs.int"]).exit_code == 1
