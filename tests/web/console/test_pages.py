"""The console's pages do what the Secretariat needs, through the HTTP forms."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session, col, select

from bot.app import AppContext
from bot.notify.scheduler import relay_answer
from bot.storage.needs_tables import Need, NeedVersion
from bot.storage.notify_tables import Broadcast, Opportunity, OutboxMessage
from bot.storage.tables import AuditEntry, FocalPoint, Invite, QuestionLog, utcnow
from tests.web.console import builders as build


def _secretariat(client: TestClient, context: AppContext) -> str:
    build.staff(context, "sec@brs.int")
    return build.sign_in(client, "sec@brs.int")


def _actions(context: AppContext) -> list[tuple[str, str]]:
    with Session(context.engine) as session:
        return [tuple(row) for row in session.exec(select(AuditEntry.actor, AuditEntry.action))]


def test_focal_points_filter_by_country_role_and_chat_and_paginate(
    client: TestClient, console_context: AppContext
) -> None:
    _secretariat(client, console_context)
    build.focal_point(console_context, "Amina Diallo", "SN")
    build.focal_point(console_context, "Kofi Mensah", "GH", chat=False)
    build.focal_point(console_context, "Li Wei", "CN", roles=("stockholm_national_focal_point",))
    for number in range(60):
        build.focal_point(console_context, f"Person{number:02d} Test", "KE", chat=False)
    text = client.get("/console/focal-points?country=SN").text
    assert "Amina Diallo" in text and "Kofi Mensah" not in text
    text = client.get("/console/focal-points?role=stockholm_national_focal_point").text
    assert "Li Wei" in text and "Amina Diallo" not in text
    text = client.get("/console/focal-points?channel=none&region=africa").text
    assert "Kofi Mensah" in text and "Amina Diallo" not in text and "Li Wei" not in text
    first = client.get("/console/focal-points?country=KE").text
    assert "1–50 of 60" in first and "country=KE&amp;page=2" in first
    second = client.get("/console/focal-points?country=KE&page=2").text
    assert "51–60 of 60" in second and "Person59 Test" in second
    # Labels, never codes, on screen.
    assert "Stockholm" in client.get("/console/focal-points?country=CN").text
    assert "stockholm_national_focal_point</td>" not in text


def test_importing_the_csv_reports_the_bad_rows(
    client: TestClient, console_context: AppContext
) -> None:
    csrf = _secretariat(client, console_context)
    csv = (
        "name,email,country,role\n"
        "Ali Ben,ali@tn.example.org,Tunisia,Basel focal point\n"
        "Nobody,not-an-email,Tunisia,Basel focal point\n"
        "Zed,zed@x.example.org,Atlantis,Basel focal point\n"
    )
    response = client.post(
        "/console/focal-points/import",
        data={"csrf": csrf},
        files={"file": ("list.csv", csv.encode(), "text/csv")},
    )
    assert response.status_code == 200
    assert "1 new, 0 updated, 2 refused" in response.text
    assert "not an e-mail address" in response.text and "Atlantis" in response.text
    assert ("staff:sec@brs.int", "focal_points.import") in _actions(console_context)


def test_an_invite_shows_its_telegram_link_and_a_qr_code(
    client: TestClient, console_context: AppContext
) -> None:
    csrf = _secretariat(client, console_context)
    fp = build.focal_point(console_context, "Amina Diallo", "SN", chat=False)
    response = client.post(f"/console/focal-points/{fp}/invite", data={"csrf": csrf})
    assert "https://t.me/article16_bot?start=" in response.text
    assert 'src="data:image/svg+xml' in response.text
    with Session(console_context.engine) as session:
        invite = session.exec(select(Invite)).one()
    assert invite.created_by == "staff:sec@brs.int"


def test_answering_a_question_relays_it_and_can_become_knowledge(
    client: TestClient, console_context: AppContext
) -> None:
    console_context.extras["relay_answer"] = relay_answer
    csrf = _secretariat(client, console_context)
    fp = build.focal_point(console_context, "Amina Diallo", "SN")
    question = build.escalated_question(console_context, fp, "Who funds e-waste inventories?")
    assert "Who funds e-waste inventories?" in client.get("/console/questions").text
    answer = "The Special Programme funds institutional strengthening, including inventories."
    response = client.post(
        f"/console/questions/{question}/answer", data={"text": answer, "csrf": csrf}
    )
    assert "will be sent to the person who asked" in response.text
    with Session(console_context.engine) as session:
        entry = session.get(QuestionLog, question)
        queued = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "answer")).one()
    assert entry is not None and entry.secretariat_answered_by == "staff:sec@brs.int"
    assert queued.params["answer"] == answer
    assert "Who funds e-waste inventories?" not in client.get("/console/questions").text
    response = client.post(
        f"/console/questions/{question}/knowledge",
        data={"title": "Funding for e-waste inventories", "text": answer, "csrf": csrf},
    )
    assert "now in the knowledge base" in response.text
    found = console_context.knowledge().answer("Who funds e-waste inventories?")
    assert found.answered and "Special Programme" in found.text


def test_the_knowledge_base_lists_uploads_and_removes_documents(
    client: TestClient, console_context: AppContext
) -> None:
    csrf = _secretariat(client, console_context)
    assert "Regional centres" in client.get("/console/knowledge").text
    note = b"---\ntitle: Mercury storage note\n---\n# Mercury storage\n\nStore mercury safely.\n"
    response = client.post(
        "/console/knowledge/upload",
        data={"csrf": csrf},
        files={"file": ("../../mercury.md", note, "text/markdown")},
    )
    assert "Mercury storage note" in response.text
    entries = console_context.knowledge().index.list()
    uploaded = next(e for e in entries if e.title == "Mercury storage note")
    assert Path(uploaded.path).parent.name == "console-documents"
    response = client.post("/console/knowledge/remove", data={"key": uploaded.path, "csrf": csrf})
    assert "Mercury storage note" not in response.text
    assert not Path(uploaded.path).exists()
    refused = client.post(
        "/console/knowledge/upload",
        data={"csrf": csrf},
        files={"file": ("tool.exe", b"MZ", "application/octet-stream")},
    )
    assert refused.status_code == 400


def test_changing_a_needs_status_keeps_history_and_tells_the_focal_point(
    client: TestClient, console_context: AppContext
) -> None:
    csrf = _secretariat(client, console_context)
    fp = build.focal_point(console_context, "Amina Diallo", "SN")
    need = build.need(console_context, fp, "SN", "africa")
    response = client.post(
        f"/console/needs/{need}/status",
        data={"status": "matched", "note": "The June webinar fits.", "csrf": csrf},
    )
    assert "Matched" in response.text and "The June webinar fits." in response.text
    with Session(console_context.engine) as session:
        row = session.get(Need, need)
        versions = session.exec(select(NeedVersion)).all()
        message = session.exec(select(OutboxMessage)).one()
    assert row is not None and row.status == "matched"
    assert versions[-1].changed_by == "staff:sec@brs.int"
    assert message.focal_point_id == fp and "The June webinar fits." in (message.text or "")


def test_needs_filter_and_download_as_csv_and_xlsx(
    client: TestClient, console_context: AppContext
) -> None:
    _secretariat(client, console_context)
    fp = build.focal_point(console_context, "Amina Diallo", "SN")
    mercury = build.need(console_context, fp, "SN", "africa", areas=("mercury_wastes",))
    build.need(console_context, fp, "SN", "africa", areas=("e_waste",))
    text = client.get("/console/needs?area=mercury_wastes").text
    assert f"/console/needs/{mercury}" in text and "1–1 of 1" in text
    csv = client.get("/console/needs/export.csv?area=mercury_wastes")
    assert csv.headers["content-disposition"].startswith("attachment")
    assert csv.content.decode("utf-8-sig").count("\n") == 2
    xlsx = client.get("/console/needs/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.max_row == 3
    assert "Senegal" in client.get("/console/needs/report").text


def test_publishing_shows_the_reach_first_then_queues_the_matches(
    client: TestClient, console_context: AppContext
) -> None:
    csrf = _secretariat(client, console_context)
    fp = build.focal_point(console_context, "Amina Diallo", "SN")
    build.need(console_context, fp, "SN", "africa")
    response = client.post(
        "/console/opportunities/new",
        data={
            "csrf": csrf, "kind": "webinar", "title": "E-waste webinar",
            "areas": ["e_waste"], "types": ["webinar"], "languages": ["en"],
            "format": "online", "deadline": "2099-01-31",
        },
    )  # fmt: skip
    assert "Saved." in response.text
    with Session(console_context.engine) as session:
        opp = session.exec(select(Opportunity)).one()
    preview = client.get(f"/console/opportunities/{opp.id}/publish").text
    assert 'id="reach-count">1<' in preview and "Africa" in preview
    response = client.post(f"/console/opportunities/{opp.id}/publish", data={"csrf": csrf})
    assert 'id="matched-count">1<' in response.text
    with Session(console_context.engine) as session:
        assert session.exec(select(OutboxMessage.kind)).all() == ["opportunity"]
    assert ("staff:sec@brs.int", "opportunity.publish") in _actions(console_context)


def test_a_bad_opportunity_form_says_why(client: TestClient, console_context: AppContext) -> None:
    csrf = _secretariat(client, console_context)
    response = client.post(
        "/console/opportunities/new",
        data={"csrf": csrf, "kind": "webinar", "title": "X", "url": "ftp://x"},
    )
    assert response.status_code == 400 and "url must start with https://" in response.text


def test_a_regional_centres_offer_stays_in_its_region(
    client: TestClient, console_context: AppContext
) -> None:
    build.staff(console_context, "africa@centre.org", "regional-centre", "africa")
    csrf = build.sign_in(client, "africa@centre.org")
    client.post(
        "/console/opportunities/new",
        data={"csrf": csrf, "kind": "workshop", "title": "Dakar workshop",
              "regions": ["weog"], "countries": ["SN", "FR"]},
    )  # fmt: skip
    with Session(console_context.engine) as session:
        opp = session.exec(select(Opportunity)).one()
    assert opp.regions == ["africa"] and opp.countries == ["SN"]
    assert opp.provider_type == "regional_centre" and opp.created_by == "staff:africa@centre.org"


def test_a_broadcast_is_counted_previewed_sent_and_followed(
    client: TestClient, console_context: AppContext
) -> None:
    csrf = _secretariat(client, console_context)
    build.focal_point(console_context, "Amina Diallo", "SN")
    build.focal_point(console_context, "Li Wei", "CN")
    assert client.get("/console/broadcasts/count?region=africa").json() == {"recipients": 1}
    assert client.get("/console/broadcasts/count").json() == {"recipients": 2}
    assert client.get("/console/broadcasts/count?region=mars").status_code == 400
    response = client.post(
        "/console/broadcasts/new",
        data={"csrf": csrf, "text": "The COP starts on Monday.", "region": "africa"},
    )
    assert "Announcement from the BRS Secretariat" in response.text
    assert "On Telegram" in response.text and "On Slack" in response.text
    with Session(console_context.engine) as session:
        broadcast = session.exec(select(Broadcast)).one()
    assert broadcast.status == "draft"
    response = client.post(f"/console/broadcasts/{broadcast.id}/send", data={"csrf": csrf})
    assert "queued for delivery" in response.text
    progress = client.get(f"/console/broadcasts/{broadcast.id}/progress").json()
    assert progress["counts"]["pending"] == 1 and progress["finished"] is False


def test_a_broadcast_can_wait_for_a_set_time(
    client: TestClient, console_context: AppContext
) -> None:
    csrf = _secretariat(client, console_context)
    build.focal_point(console_context, "Amina Diallo", "SN")
    client.post("/console/broadcasts/new", data={"csrf": csrf, "text": "Tomorrow."})
    at = (utcnow() + timedelta(days=1)).replace(microsecond=0, tzinfo=None)
    client.post(
        "/console/broadcasts/1/send",
        data={"csrf": csrf, "when": "later", "send_at": at.isoformat(timespec="minutes")},
    )
    with Session(console_context.engine) as session:
        due = session.exec(select(OutboxMessage.next_attempt_at)).one()
    assert due.replace(tzinfo=None) == at.replace(second=0)


def test_a_round_opens_charts_its_response_rate_and_closes(
    client: TestClient, console_context: AppContext
) -> None:
    csrf = _secretariat(client, console_context)
    build.focal_point(console_context, "Amina Diallo", "SN")
    response = client.post(
        "/console/rounds/open",
        data={"csrf": csrf, "title": "2027 round", "closes_on": "2099-01-01"},
    )
    assert "2027 round" in response.text and "<svg" in response.text
    assert "Senegal" in response.text
    response = client.post("/console/rounds/1/close", data={"csrf": csrf})
    assert "The round is closed." in response.text
    refused = client.post(
        "/console/rounds/open", data={"csrf": csrf, "title": "Bad", "closes_on": "2000-01-01"}
    )
    assert refused.status_code == 400


def test_the_overview_counts_what_the_staff_member_may_see(
    client: TestClient, console_context: AppContext
) -> None:
    fp = build.focal_point(console_context, "Amina Diallo", "SN")
    build.need(console_context, fp, "SN", "africa")
    other = build.focal_point(console_context, "Li Wei", "CN")
    build.need(console_context, other, "CN", "asia_pacific")
    build.escalated_question(console_context, fp, "Who funds training?")
    build.staff(console_context, "africa@centre.org", "regional-centre", "africa")
    build.sign_in(client, "africa@centre.org")
    text = client.get("/console/").text
    assert "Africa" in text and "Asia-Pacific" not in text
    assert "Questions waiting" not in text and "Outbox" not in text
    client.cookies.clear()
    sec = TestClient(client.app, base_url="http://127.0.0.1")
    _secretariat(sec, console_context)
    text = sec.get("/console/").text
    assert "Questions waiting" in text and "Outbox" in text
    assert all(region in text for region in ("Africa", "Asia-Pacific", "Western Europe"))
    with Session(console_context.engine) as session:
        assert session.exec(select(col(FocalPoint.id))).all()
