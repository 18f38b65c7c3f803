"""/myoffers: the offerer sees how many needs the offer matches, by region and area, not whose."""

from __future__ import annotations

from sqlmodel import Session

from bot.app import AppContext
from bot.services.offers import approve_offer
from bot.storage.db import session_scope
from bot.storage.notify_tables import Opportunity
from bot.storage.offer_tables import Offer
from bot.storage.tables import FocalPoint
from tests.bot.offers.builders import answer_offer
from tests.helpers.conversation import Conversation
from tests.helpers.notify import need, person


def test_myoffers_counts_matching_needs_by_region_and_area_without_saying_whose(
    app: AppContext, ingrid: Conversation
) -> None:
    with Session(app.engine, expire_on_commit=False) as session:
        owners: list[FocalPoint] = []
        for country, region in (("SN", "africa"), ("GH", "africa"), ("CL", "grulac")):
            owner, _ = person(session, country=country)
            owner.name, owner.email = f"Owner of {country}", f"owner.{country.lower()}@gov.example"
            areas = ["e_waste", "plastic_waste"] if country == "GH" else ["e_waste"]
            need(session, owner, country=country, region=region, areas=areas)
            owners.append(owner)
        need(session, owners[0], areas=["healthcare_waste"])  # fits no e-waste offer
        session.commit()
    answer_offer(ingrid, areas=("E-waste", "Plastic waste"))
    ingrid.press("Submit this offer")
    ingrid.say("/myoffers")
    text = ingrid.text
    assert "Offer #1 · Government of Norway — Waiting for review" in text
    assert "It matches 3 recorded need(s)." in text
    assert "By region: Africa 2, Latin America and the Caribbean 1" in text
    assert "By area: E-waste 3, Plastic waste 1" in text
    for owner in owners:
        assert owner.name not in text and str(owner.email) not in text
    for country in ("Senegal", "Ghana", "Chile"):
        assert country not in text


def test_myoffers_without_offers_says_how_to_start(app: AppContext, ingrid: Conversation) -> None:
    ingrid.say("/myoffers")
    assert "Type /offer to start" in ingrid.text


def test_an_offer_limited_to_a_region_counts_only_the_needs_there(
    app: AppContext, ingrid: Conversation
) -> None:
    with Session(app.engine) as session:
        senegal, _ = person(session, country="SN")
        need(session, senegal)
        chile, _ = person(session, country="CL")
        need(session, chile, country="CL", region="grulac")
        session.commit()
    answer_offer(ingrid, areas=("Monitoring of wastes",), scope="Some UN regions",
                 regions=("Latin America",))  # fmt: skip
    ingrid.press("Submit this offer")
    ingrid.say("/myoffers")
    assert "It matches 1 recorded need(s)." in ingrid.text
    assert "Africa" not in ingrid.text


def test_withdrawing_an_approved_offer_cancels_its_opportunity(
    app: AppContext, ingrid: Conversation
) -> None:
    answer_offer(ingrid)
    ingrid.press("Submit this offer")
    with session_scope(app.engine) as session:
        approval = approve_offer(session=session, offer_id=1, actor="test")
    stranger = Conversation(app.assistant.handle, user_id="stranger")
    stranger.press_action("of:w:1")
    assert "Only the person who made this offer" in stranger.text
    ingrid.say("/myoffers")
    ingrid.press("Withdraw")
    assert "Offer #1 is withdrawn" in ingrid.text
    with Session(app.engine) as session:
        offer = session.get(Offer, 1)
        opportunity = session.get(Opportunity, approval.opportunity_id)
    assert offer is not None and offer.status == "withdrawn"
    assert opportunity is not None and opportunity.status == "cancelled"
    ingrid.say("/myoffers")
    assert "Withdrawn" in ingrid.text
    assert not any(b.label.endswith("Withdraw") for r in ingrid.replies for b in r.flat_buttons)
