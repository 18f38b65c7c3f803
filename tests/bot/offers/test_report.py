"""The needs report's supply-and-demand section and its comparison of rounds."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlmodel import Session

from bot.app import AppContext
from bot.services import rounds
from bot.services.needs_report import build_report, summarise
from bot.services.offers import approve_offer
from bot.storage.db import session_scope
from bot.storage.offer_tables import Offer
from bot.storage.tables import utcnow
from tests.helpers.notify import need, opportunity, person


def row_of(html: str, region: str, area: str) -> list[str]:
    """Return the cells of the supply-and-demand row for an area under a region's heading."""
    section = html.split('id="supply-and-demand"')[1].split('id="rounds"')[0]
    heading = None
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", section, flags=re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        if len(cells) == 1:
            heading = cells[0]
        elif heading == region and cells and cells[0] == area:
            return cells[1:]
    raise AssertionError(f"no row for {region} / {area}")


def test_supply_and_demand_sets_needs_against_approved_offers_and_open_opportunities(
    app: AppContext,
) -> None:
    with session_scope(app.engine) as session:
        owner, _ = person(session, country="SN")
        for _ in range(3):
            need(session, owner, areas=["e_waste"])
        need(session, owner, areas=["healthcare_waste"])
        chile, _ = person(session, country="CL")
        need(session, chile, country="CL", region="grulac", areas=["e_waste"])
        offer = Offer(
            offerer_kind="party", organisation="Government of Norway", areas=["e_waste"],
            regions=["africa"], languages=["fr"], format="online", account_id=None,
            description="An e-waste course for customs officers of the region.",
        )  # fmt: skip
        session.add(offer)
        session.add(Offer(offerer_kind="party", organisation="Declined", areas=["healthcare_waste"],
                          status="declined"))  # fmt: skip
        session.flush()
        assert offer.id is not None
        opportunity(session, areas=["e_waste"], deadline=date(2099, 1, 1), ends_on=None)
    with session_scope(app.engine) as session:
        approve_offer(session=session, offer_id=1, actor="test")
        html = build_report(session=session)
        summary = summarise(session=session)
    assert "Supply and demand" in html
    # Needs, approved offers, open opportunities (the offer's own opportunity counted once).
    assert row_of(html, "Africa", "E-waste")[:3] == ["3", "1", "1"]
    assert row_of(html, "Latin America and the Caribbean", "E-waste")[:3] == ["1", "0", "1"]
    assert row_of(html, "Africa", "Biomedical and healthcare waste") == ["1", "0", "0", "no supply"]
    assert summary.gaps == 1
    assert 'class="uncovered"' in html


def test_the_report_compares_rounds_by_year_and_region(app: AppContext) -> None:
    with session_scope(app.engine) as session:
        first = rounds.open_round(
            session=session, title="Needs assessment 2025", opens_on=date(2025, 3, 1),
            closes_on=date(2025, 6, 30), actor="test",
        )  # fmt: skip
        second = rounds.open_round(
            session=session, title="Needs assessment 2027", opens_on=date(2027, 3, 1),
            closes_on=date(2027, 6, 30), actor="test",
        )  # fmt: skip
        owner, _ = person(session, country="SN")
        chile, _ = person(session, country="CL")
        tz = utcnow().tzinfo
        need(session, owner, round_id=first.id, submitted_at=datetime(2025, 4, 1, tzinfo=tz))
        need(session, chile, country="CL", region="grulac", round_id=first.id,
             submitted_at=datetime(2025, 4, 2, tzinfo=tz))  # fmt: skip
        for _ in range(2):
            need(session, owner, round_id=second.id, submitted_at=datetime(2027, 4, 1, tzinfo=tz))
        html = build_report(session=session)
    section = html.split('id="rounds"')[1]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", section)]
    # Round, year, Africa, Asia-Pacific, Eastern Europe, GRULAC, WEOG, total, response rate.
    at = cells.index("Needs assessment 2025")
    assert cells[at : at + 8] == ["Needs assessment 2025", "2025", "1", "0", "0", "1", "0", "2"]
    at = cells.index("Needs assessment 2027")
    assert cells[at : at + 8] == ["Needs assessment 2027", "2027", "2", "0", "0", "0", "0", "2"]
    assert cells[at + 8] == "50%"  # Chile did not answer the second round
    years = section.split('class="years"')[1]
    year_cells = [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", years)
    ]
    assert year_cells[:7] == ["2025", "1", "0", "0", "1", "0", "2"]
    assert year_cells[7:14] == ["2027", "2", "0", "0", "0", "0", "2"]


def test_without_offers_or_rounds_the_sections_say_so(app: AppContext) -> None:
    with Session(app.engine) as session:
        html = build_report(session=session)
    assert "Supply and demand" in html and "No round has been run yet." in html
