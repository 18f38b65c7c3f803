"""Introductions: contact details are shared only when both sides have accepted in the chat."""

from __future__ import annotations

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from bot.app import AppContext
from bot.cli_offers import offers_app
from bot.services.offers import approve_offer
from bot.storage.db import session_scope
from tests.bot.offers.builders import answer_offer, outbox_rows
from tests.helpers.conversation import Conversation
from tests.helpers.notify import need, person


@pytest.fixture
def cli(app: AppContext, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", str(app.engine.url))
    return CliRunner()


@pytest.fixture
def awa(app: AppContext) -> Conversation:
    """Return the owner of need #1 (Senegal, e-waste), in the chat."""
    with Session(app.engine) as session:
        owner, _ = person(session, country="SN", language="en", user_id="awa")
        owner.name, owner.email = "Awa Ndiaye", "awa.ndiaye@environnement.sn"
        need(session, owner, areas=["e_waste"])
        session.commit()
    return Conversation(app.assistant.handle, user_id="awa")


@pytest.fixture
def proposed(app: AppContext, ingrid: Conversation, awa: Conversation, cli: CliRunner) -> int:
    """Approve Ingrid's offer and propose to introduce her to Awa; return the introduction id."""
    answer_offer(ingrid)
    ingrid.press("Submit this offer")
    with session_scope(app.engine) as session:
        approve_offer(session=session, offer_id=1, actor="test")
    result = cli.invoke(offers_app, ["introduce", "1", "1"])
    assert result.exit_code == 0, result.output
    assert "Introduction 1 proposed" in result.output
    return 1


def contact_rows(app: AppContext) -> list[str]:
    return [row.dedupe_key for row in outbox_rows(app, "intro:1:contact")]


def test_both_sides_are_asked_and_contacts_go_out_only_after_both_accept(
    app: AppContext, ingrid: Conversation, awa: Conversation, proposed: int
) -> None:
    asks = outbox_rows(app, "intro:1:ask")
    assert [row.render_key for row in asks] == [
        "offers.intro.ask_offerer", "offers.intro.ask_need_owner",
    ]  # fmt: skip
    assert "Awa" not in str(asks[0].params) and "awa.ndiaye" not in str(asks[0].params)
    ingrid.say("/introductions")
    assert "your offer #1 and a need from Senegal (E-waste)" in ingrid.text
    ingrid.press("Accept")
    assert "only when the other side accepts too" in ingrid.text
    assert contact_rows(app) == []
    ingrid.say("/introductions")
    assert "No introduction is waiting" in ingrid.text
    awa.say("/introductions")
    assert "your need #1 and an offer of Government of Norway" in awa.text
    awa.press("Accept")
    assert "Both sides accepted" in awa.text
    rows = {row.dedupe_key: row for row in outbox_rows(app, "intro:1:contact")}
    assert set(rows) == {"intro:1:contact:offerer", "intro:1:contact:need"}
    to_ingrid, to_awa = rows["intro:1:contact:offerer"], rows["intro:1:contact:need"]
    assert (to_ingrid.params["name"], to_ingrid.params["email"]) == (
        "Awa Ndiaye", "awa.ndiaye@environnement.sn",
    )  # fmt: skip
    assert to_ingrid.params["country"] == "Senegal"
    assert (to_awa.params["name"], to_awa.params["contact"]) == (
        "Ingrid Berg", "Ingrid Berg, ingrid@example.no",
    )  # fmt: skip
    awa.press_action("of:ok:1")  # a second press changes nothing
    assert "already settled" in awa.text
    assert len(contact_rows(app)) == 2


def test_a_side_that_declines_ends_it_and_nothing_is_shared(
    app: AppContext, ingrid: Conversation, awa: Conversation, proposed: int
) -> None:
    awa.say("/introductions")
    awa.press("Decline")
    assert "no contact details are shared" in awa.text
    ingrid.say("/introductions")
    assert "No introduction is waiting" in ingrid.text
    ingrid.press_action("of:ok:1")
    assert "already settled" in ingrid.text
    assert contact_rows(app) == []


def test_someone_else_cannot_answer_an_introduction(
    app: AppContext, awa: Conversation, proposed: int
) -> None:
    stranger = Conversation(app.assistant.handle, user_id="stranger")
    stranger.press_action("of:ok:1")
    assert "not addressed to you" in stranger.text
    stranger.say("/introductions")
    assert "No introduction is waiting" in stranger.text
    assert contact_rows(app) == []


def test_proposing_again_asks_nobody_twice_and_a_submitted_offer_cannot_be_introduced(
    app: AppContext, ingrid: Conversation, proposed: int, cli: CliRunner
) -> None:
    again = cli.invoke(offers_app, ["introduce", "1", "1"])
    assert again.exit_code == 0 and "already proposed" in again.output
    assert len(outbox_rows(app, "intro:")) == 2
    answer_offer(ingrid, name="Norwegian Environment Agency")
    ingrid.press("Submit this offer")
    refused = cli.invoke(offers_app, ["introduce", "2", "1"])
    assert refused.exit_code == 1 and "approve it first" in refused.output


def test_the_consent_request_carries_accept_and_decline_buttons(
    app: AppContext, proposed: int
) -> None:
    from bot.notify.render import render

    ask = outbox_rows(app, "intro:1:ask")[0]
    with Session(app.engine) as session:
        reply = render(session=session, row=ask, language="en")
    assert [(b.label, b.action) for b in reply.flat_buttons] == [
        ("✅ Accept", "of:ok:1"), ("✖ Decline", "of:no:1"),
    ]  # fmt: skip


def test_a_parser_name_cannot_be_registered_twice(app: AppContext) -> None:
    with pytest.raises(ValueError, match="countries"):
        app.assistant.engine.add_parser("countries", lambda text, language: text)
