"""The Secretariat's review: approving publishes and notifies once, declining tells the offerer."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session
from typer.testing import CliRunner

from bot.app import AppContext
from bot.cli_offers import offers_app
from bot.core import Channel
from bot.notify.dispatcher import Dispatcher
from bot.storage.notify_tables import Opportunity
from bot.storage.offer_tables import Offer
from tests.bot.offers.builders import answer_offer, outbox_rows
from tests.helpers.conversation import Conversation
from tests.helpers.notify import RecordingSender, need, person


@pytest.fixture
def cli(app: AppContext, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", str(app.engine.url))
    return CliRunner()


@pytest.fixture
def submitted(ingrid: Conversation) -> int:
    """Submit an online French webinar on e-waste for any Party; return its id."""
    answer_offer(ingrid)
    ingrid.press("Submit this offer")
    return 1


def said(output: str) -> str:
    """Return CLI output with Rich's line wrapping undone."""
    return " ".join(output.split())


def add_needs(app: AppContext) -> dict[str, int]:
    """Add two people whose needs the offer fits (one with two such needs) and one it does not."""
    with Session(app.engine) as session:
        senegal, _ = person(session, country="SN", user_id="awa")
        need(session, senegal, areas=["e_waste"])
        need(session, senegal, areas=["e_waste", "plastic_waste"])
        chile, _ = person(session, country="CL", language="es", user_id="rosa")
        need(
            session, chile, country="CL", region="grulac", areas=["e_waste"], languages=["fr", "es"]
        )
        kenya, _ = person(session, country="KE", user_id="otieno")
        need(session, kenya, country="KE", areas=["healthcare_waste"])
        session.commit()
        return {"SN": senegal.id or 0, "CL": chile.id or 0, "KE": kenya.id or 0}


def test_approval_publishes_an_offer_of_assistance_that_notifies_each_match_once(
    app: AppContext, cli: CliRunner, submitted: int
) -> None:
    people = add_needs(app)
    first = cli.invoke(offers_app, ["approve", str(submitted), "--note", "Welcome."])
    assert first.exit_code == 0, first.output
    assert "fits 2 people; 2 new notifications queued" in said(first.output)
    again = cli.invoke(offers_app, ["approve", str(submitted)])
    assert again.exit_code == 0, again.output
    assert "0 new notifications queued" in said(again.output)
    with Session(app.engine) as session:
        offer = session.get(Offer, submitted)
        assert offer is not None and offer.status == "approved" and offer.reviewed_by == "cli"
        opportunity = session.get(Opportunity, offer.opportunity_id)
    assert opportunity is not None
    assert (opportunity.kind, opportunity.status) == ("offer_of_assistance", "published")
    assert opportunity.provider == "Government of Norway" and opportunity.areas == ["e_waste"]
    notified = sorted(row.dedupe_key for row in outbox_rows(app, f"opp:{opportunity.id}:"))
    assert notified == sorted(f"opp:{opportunity.id}:fp:{people[c]}" for c in ("SN", "CL"))
    assert [row.render_key for row in outbox_rows(app, "offer:")] == ["offers.notice.approved"]


async def test_the_matching_focal_points_and_the_offerer_receive_their_messages(
    app: AppContext, cli: CliRunner, submitted: int
) -> None:
    add_needs(app)
    assert cli.invoke(offers_app, ["approve", str(submitted), "--note", "Welcome."]).exit_code == 0
    sender = RecordingSender(Channel.CONSOLE)
    await Dispatcher(engine=app.engine, senders={Channel.CONSOLE: sender}).run(until_idle=True)
    received = dict(sender.delivered)
    assert set(received) == {"awa", "rosa", "ingrid"}
    assert "Offre d'assistance: Government of Norway" in received["awa"]  # in French
    assert "Oferta de asistencia" in received["rosa"]  # in Spanish
    assert "Your offer #1 is approved and published" in received["ingrid"]
    assert "Welcome." in received["ingrid"]


async def test_declining_tells_the_offerer_why_and_publishes_nothing(
    app: AppContext, cli: CliRunner, submitted: int
) -> None:
    add_needs(app)
    result = cli.invoke(offers_app, ["decline", str(submitted), "--note", "Out of scope."])
    assert result.exit_code == 0, result.output
    assert outbox_rows(app, "opp:") == []
    sender = RecordingSender(Channel.CONSOLE)
    await Dispatcher(engine=app.engine, senders={Channel.CONSOLE: sender}).run(until_idle=True)
    assert sender.delivered == [
        ("ingrid", "Your offer #1 was not approved by the Secretariat. Their note: Out of scope.")
    ]
    refused = cli.invoke(offers_app, ["approve", str(submitted)])
    assert refused.exit_code == 1 and "declined" in said(refused.output)
    with Session(app.engine) as session:
        offer = session.get(Offer, submitted)
        assert offer is not None and offer.opportunity_id is None and offer.status == "declined"


def test_declining_needs_a_note(cli: CliRunner, submitted: int) -> None:
    result = cli.invoke(offers_app, ["decline", str(submitted)])
    assert result.exit_code != 0
    assert "--note" in result.output


def test_list_show_and_export_give_the_secretariat_the_offer_and_its_pairs(
    app: AppContext, cli: CliRunner, submitted: int, tmp_path: Path
) -> None:
    add_needs(app)
    listed = cli.invoke(offers_app, ["list", "--status", "submitted"])
    assert listed.exit_code == 0 and {"Government", "Norway"} <= set(said(listed.output).split())
    shown = cli.invoke(offers_app, ["show", str(submitted)])
    assert shown.exit_code == 0, shown.output
    assert "Matching needs: 3" in said(shown.output) and "Senegal" in shown.output
    assert "@example.org" in shown.output  # the Secretariat sees who, in full
    assert cli.invoke(offers_app, ["show", "99"]).exit_code == 1
    target = tmp_path / "offers.csv"
    exported = cli.invoke(offers_app, ["export", "--format", "csv", "--out", str(target)])
    assert exported.exit_code == 0 and "Wrote 1 offer(s)" in said(exported.output)
    (row,) = csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig")))
    assert row["Offered by"] == "A Party (government)" and row["Verified"] == "yes"
    assert row["Area(s)"] == "E-waste" and row["UN region(s)"] == "any"
    assert row["Matching needs"] == "3" and row["Status"] == "Waiting for review"
    workbook = tmp_path / "offers.xlsx"
    assert (
        cli.invoke(offers_app, ["export", "--format", "xlsx", "--out", str(workbook)]).exit_code
        == 0
    )
    sheet = load_workbook(workbook).active
    assert sheet is not None
    assert sheet["A1"].value == "Offer ID" and sheet["A2"].value == 1
