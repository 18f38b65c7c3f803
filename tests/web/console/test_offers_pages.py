"""The Secretariat reviews offers of assistance in the console: list, read, decide, introduce."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from bot.app import AppContext
from bot.services.offers import approve_offer
from bot.storage.notify_tables import Opportunity, OutboxMessage
from bot.storage.offer_tables import Introduction, Offer
from bot.storage.tables import AuditEntry
from tests.web.console import builders as build
from tests.web.console.test_accessibility import FieldLabels


def add_offer(context: AppContext, focal_point_id: int | None, **fields: Any) -> int:
    """Add a submitted offer of an online e-waste webinar for any Party; return its id."""
    values: dict[str, Any] = {
        "focal_point_id": focal_point_id,
        "offerer_kind": "regional_centre",
        "organisation": "BCRC Nordic",
        "contact": "training@bcrc.example.org",
        "verified": True,
        "areas": ["e_waste"],
        "types": ["webinar"],
        "conventions": ["basel"],
        "languages": ["en"],
        "format": "online",
        "capacity": "40",
        "period": "Spring",
        "conditions": ["cost_sharing"],
        "conditions_note": "Half the travel",
        "description": "A webinar on recognising e-waste shipments. Two sessions.",
        **fields,
    }
    with Session(context.engine) as session:
        row = Offer(**values)
        session.add(row)
        session.commit()
        assert row.id is not None
        return row.id


def _world(context: AppContext) -> dict[str, int]:
    build.staff(context, "sec@brs.int")
    build.staff(context, "africa@centre.org", "regional-centre", "africa")
    offerer = build.focal_point(context, "Ingrid Berg", "NO")
    amina = build.focal_point(context, "Amina Diallo", "SN")
    return {
        "offerer": offerer,
        "amina": amina,
        "need": build.need(context, amina, "SN", "africa"),
        "offer": add_offer(context, offerer),
    }


def _post(client: TestClient, path: str, **data: Any) -> Any:
    return client.post(path, data=data, follow_redirects=False)


def _audit(context: AppContext, action: str) -> list[str]:
    with Session(context.engine) as session:
        return list(session.exec(select(AuditEntry.actor).where(AuditEntry.action == action)))


def test_only_the_secretariat_opens_the_offers(
    client: TestClient, console_context: AppContext
) -> None:
    ids = _world(console_context)
    assert _post(client, "/console/offers").status_code == 405
    anonymous = client.get("/console/offers", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/console/login")
    csrf = build.sign_in(client, "africa@centre.org")
    assert "/console/offers" not in client.get("/console/").text
    assert client.get("/console/offers").status_code == 403
    assert client.get(f"/console/offers/{ids['offer']}").status_code == 403
    path = f"/console/offers/{ids['offer']}/approve"
    assert _post(client, path, csrf=csrf).status_code == 403
    assert _audit(console_context, "offer.approve") == []


def test_the_list_filters_shows_labels_the_verified_mark_and_the_match_count(
    client: TestClient, console_context: AppContext
) -> None:
    ids = _world(console_context)
    add_offer(console_context, None, organisation="Acme Recycling", verified=False,
              offerer_kind="partner", areas=["mercury"], status="declined")  # fmt: skip
    build.sign_in(client, "sec@brs.int")
    text = client.get("/console/").text
    assert 'href="/console/offers"' in text
    text = client.get("/console/offers").text
    assert "BCRC Nordic" in text and "Acme Recycling" in text
    assert "A Basel or Stockholm regional centre" in text and "E-waste" in text
    assert "Waiting for review" in text and "✓ verified" in text and "unverified" in text
    assert ">regional_centre<" not in text and ">e_waste<" not in text
    row = text.split(f'href="/console/offers/{ids["offer"]}">BCRC Nordic')[1].split("</tr>")[0]
    assert '<td class="num">1</td>' in row
    text = client.get("/console/offers?status=declined").text
    assert "Acme Recycling" in text and "BCRC Nordic" not in text
    text = client.get("/console/offers?kind=regional_centre").text
    assert "BCRC Nordic" in text and "Acme Recycling" not in text
    # An unknown filter is ignored rather than trusted.
    assert "Acme Recycling" in client.get("/console/offers?status=<script>").text


def test_the_list_paginates_and_keeps_the_filters(
    client: TestClient, console_context: AppContext
) -> None:
    build.staff(console_context, "sec@brs.int")
    for number in range(55):
        add_offer(console_context, None, organisation=f"Centre{number:02d}")
    build.sign_in(client, "sec@brs.int")
    first = client.get("/console/offers?status=submitted").text
    assert "1–50 of 55" in first and "status=submitted&amp;page=2" in first
    second = client.get("/console/offers?status=submitted&page=2").text
    assert "51–55 of 55" in second and "Centre00" in second


def test_the_detail_shows_the_offer_as_entered_and_the_matching_needs_in_full(
    client: TestClient, console_context: AppContext
) -> None:
    ids = _world(console_context)
    build.sign_in(client, "sec@brs.int")
    response = client.get(f"/console/offers/{ids['offer']}")
    assert response.status_code == 200
    text = response.text
    for shown in (
        "BCRC Nordic", "training@bcrc.example.org", "Ingrid Berg", "E-waste", "Webinar",
        "Basel", "English", "Online", "40", "Spring", "Cost-sharing", "Half the travel",
        "A webinar on recognising e-waste shipments.", "Any eligible Party", "Waiting for review",
    ):  # fmt: skip
        assert shown in text, shown
    # The matching need, with whose it is.
    assert f'href="/console/needs/{ids["need"]}"' in text
    assert "Amina Diallo" in text and "amina@sn.example.org" in text and "Senegal" in text
    assert "Customs officers cannot recognise e-waste shipments." in text
    # Only an approved offer may be introduced.
    assert "/introduce/" not in text
    assert client.get("/console/offers/999").status_code == 404
    dated = add_offer(
        console_context, None, starts_on=date(2027, 1, 1), ends_on=date(2027, 6, 30),
        regions=["africa"], countries=["KE"],
    )  # fmt: skip
    text = client.get(f"/console/offers/{dated}").text
    assert "2027-01-01 to 2027-06-30; Spring" in text and "Africa; Kenya" in text


def test_approving_publishes_an_offer_of_assistance_and_notifies_the_match(
    client: TestClient, console_context: AppContext
) -> None:
    ids = _world(console_context)
    csrf = build.sign_in(client, "sec@brs.int")
    path = f"/console/offers/{ids['offer']}/approve"
    assert _post(client, path, note="Welcome").status_code == 403  # no CSRF token
    response = _post(client, path, note="Welcome", csrf=csrf)
    assert response.status_code == 303
    assert response.headers["location"] == f"/console/offers/{ids['offer']}?done=approved"
    with Session(console_context.engine) as session:
        offer = session.get(Offer, ids["offer"])
        assert offer is not None and offer.status == "approved"
        assert offer.review_note == "Welcome" and offer.reviewed_by == "staff:sec@brs.int"
        opportunity = session.get(Opportunity, offer.opportunity_id)
        assert opportunity is not None and opportunity.kind == "offer_of_assistance"
        assert opportunity.status == "published"
        queued = session.exec(
            select(OutboxMessage).where(OutboxMessage.opportunity_id == opportunity.id)
        ).all()
        assert [row.focal_point_id for row in queued] == [ids["amina"]]
    assert _audit(console_context, "offer.approve") == ["staff:sec@brs.int"]
    text = client.get(response.headers["location"]).text
    assert "The offer is approved and published" in text
    assert "Approved and published" in text and "Welcome" in text
    assert f'href="/console/opportunities/{opportunity.id}"' in text
    # Approved: no more review forms; a declined decision is refused.
    assert "/approve" not in text and "/decline" not in text
    decline = f"/console/offers/{ids['offer']}/decline"
    assert _post(client, decline, note="No", csrf=csrf).status_code == 409


def test_declining_needs_a_note_and_records_it(
    client: TestClient, console_context: AppContext
) -> None:
    ids = _world(console_context)
    csrf = build.sign_in(client, "sec@brs.int")
    path = f"/console/offers/{ids['offer']}/decline"
    refused = _post(client, path, note="   ", csrf=csrf)
    assert refused.status_code == 400 and "Say why the offer is declined" in refused.text
    with Session(console_context.engine) as session:
        offer = session.get(Offer, ids["offer"])
        assert offer is not None and offer.status == "submitted"
    response = _post(client, path, note="Outside the programme's scope", csrf=csrf)
    assert response.status_code == 303
    with Session(console_context.engine) as session:
        offer = session.get(Offer, ids["offer"])
        assert offer is not None and offer.status == "declined"
        assert offer.review_note == "Outside the programme's scope"
        assert offer.reviewed_by == "staff:sec@brs.int" and offer.opportunity_id is None
        told = session.exec(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == f"offer:{offer.id}:declined")
        ).one()
        assert told.focal_point_id == ids["offerer"]
    assert _audit(console_context, "offer.decline") == ["staff:sec@brs.int"]
    text = client.get(response.headers["location"]).text
    assert "Not approved" in text and "Outside the programme&#39;s scope" in text
    approve = f"/console/offers/{ids['offer']}/approve"
    assert _post(client, approve, csrf=csrf).status_code == 409


def test_introducing_asks_both_sides_once(client: TestClient, console_context: AppContext) -> None:
    ids = _world(console_context)
    csrf = build.sign_in(client, "sec@brs.int")
    path = f"/console/offers/{ids['offer']}/introduce/{ids['need']}"
    # Not before the offer is approved.
    assert _post(client, path, csrf=csrf).status_code == 409
    _post(client, f"/console/offers/{ids['offer']}/approve", csrf=csrf)
    text = client.get(f"/console/offers/{ids['offer']}").text
    assert f'action="{path}"' in text
    assert _post(client, path).status_code == 403  # no CSRF token
    missing = f"/console/offers/{ids['offer']}/introduce/999"
    assert _post(client, missing, csrf=csrf).status_code == 404
    response = _post(client, path, csrf=csrf)
    assert response.status_code == 303 and response.headers["location"].endswith("done=introduced")
    again = _post(client, path, csrf=csrf)
    assert again.headers["location"].endswith("done=already-introduced")
    with Session(console_context.engine) as session:
        intro = session.exec(select(Introduction)).one()
        assert (intro.offer_id, intro.need_id) == (ids["offer"], ids["need"])
        assert intro.proposed_by == "staff:sec@brs.int" and intro.status == "proposed"
        asked = session.exec(
            select(OutboxMessage.focal_point_id).where(
                col(OutboxMessage.dedupe_key).startswith(f"intro:{intro.id}:ask:")
            )
        ).all()
        assert len(asked) == 2 and set(asked) == {ids["offerer"], ids["amina"]}
    assert _audit(console_context, "offer.introduce") == ["staff:sec@brs.int"]
    text = client.get(f"/console/offers/{ids['offer']}").text
    assert f'action="{path}"' not in text and "proposed" in text


def test_every_field_of_the_offer_pages_has_a_label(
    client: TestClient, console_context: AppContext
) -> None:
    ids = _world(console_context)
    build.sign_in(client, "sec@brs.int")
    approved = add_offer(console_context, ids["offerer"], organisation="Approved centre")
    with Session(console_context.engine) as session:
        approve_offer(session=session, offer_id=approved, actor="test")
        session.commit()
    missing = {}
    for page in (
        "/console/offers",
        f"/console/offers/{ids['offer']}",
        f"/console/offers/{approved}",
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        parser = FieldLabels()
        parser.feed(response.text)
        if parser.unlabelled():
            missing[page] = parser.unlabelled()
    assert missing == {}
