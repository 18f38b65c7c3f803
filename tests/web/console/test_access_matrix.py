"""Walk every console route as anonymous, as another region's centre staff and as Secretariat.

Anonymous visitors are sent to sign in; regional-centre staff of another
region get 403 on the Secretariat's pages and 404 on things outside their
region (as if they did not exist), and change nothing; the Secretariat gets
every page, and each of its forms leaves an entry in the audit log. A last
test checks the matrix names every route of the console.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.app import AppContext
from bot.storage.tables import AuditEntry
from bot.web.console import PAGE_MODULES
from bot.web.console.base import PREFIX, Console
from bot.web.console.signing import Signer
from tests.web.console import builders as build
from tests.web.console.test_offers_pages import add_offer

ANON, OTHER, SEC = "anonymous", "other-region", "secretariat"
CSV = "name,email,country,role\nAli Ben,ali@tn.example.org,Tunisia,Basel focal point\n"


@dataclass(frozen=True)
class Step:
    """One request and the status each kind of visitor gets."""

    method: str
    path: str
    expect: dict[str, int]
    data: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Any] | None = None
    hidden: str | None = None  # text the other region must not see in a 200 page


def _steps() -> list[Step]:
    page = {ANON: 303, OTHER: 200, SEC: 200}
    secret = {ANON: 303, OTHER: 403, SEC: 200}
    secret_post = {ANON: 303, OTHER: 403, SEC: 303}
    elsewhere = {ANON: 303, OTHER: 404, SEC: 200}
    elsewhere_post = {ANON: 303, OTHER: 404, SEC: 303}
    opp_form = {"kind": "webinar", "title": "Matrix webinar", "areas": ["e_waste"]}
    return [
        Step("GET", "/console/", page),
        Step("GET", "/console/focal-points", page, hidden="Amina Diallo"),
        Step("GET", "/console/focal-points?country=SN&role=basel_focal_point", page,
             hidden="Amina Diallo"),
        Step("GET", "/console/focal-points/{fp}", elsewhere),
        Step("POST", "/console/focal-points/{fp}/invite", elsewhere),
        Step("POST", "/console/focal-points/import", secret,
             files={"file": ("list.csv", CSV.encode(), "text/csv")}),
        Step("GET", "/console/needs", page, hidden="/console/needs/{need}"),
        Step("GET", "/console/needs?status=submitted&area=e_waste", page,
             hidden="/console/needs/{need}"),
        Step("GET", "/console/needs/export.csv", page, hidden="Customs officers"),
        Step("GET", "/console/needs/export.xlsx", page),
        Step("GET", "/console/needs/report", page, hidden="Customs officers"),
        Step("GET", "/console/needs/{need}", elsewhere),
        Step("POST", "/console/needs/{need}/status", elsewhere_post,
             data={"status": "under_review", "note": "Looking at it"}),
        Step("GET", "/console/opportunities", page, hidden="E-waste webinar"),
        Step("GET", "/console/opportunities/new", page),
        Step("POST", "/console/opportunities/new", {ANON: 303, OTHER: 303, SEC: 303},
             data=opp_form),
        Step("GET", "/console/opportunities/{opp}", elsewhere),
        Step("GET", "/console/opportunities/{opp}/edit", elsewhere),
        Step("POST", "/console/opportunities/{opp}/edit", elsewhere_post, data=opp_form),
        Step("GET", "/console/opportunities/{opp}/publish", elsewhere),
        Step("POST", "/console/opportunities/{opp}/publish", elsewhere_post),
        Step("POST", "/console/opportunities/{opp2}/cancel", elsewhere_post,
             data={"reason": "postponed"}),
        Step("GET", "/console/offers", secret, hidden="BCRC Nordic"),
        Step("GET", "/console/offers?status=submitted&kind=regional_centre", secret,
             hidden="BCRC Nordic"),
        Step("GET", "/console/offers/{offer}", secret, hidden="BCRC Nordic"),
        Step("POST", "/console/offers/{offer}/approve", secret_post, data={"note": "Welcome"}),
        Step("POST", "/console/offers/{offer}/introduce/{need}", secret_post),
        Step("POST", "/console/offers/{offer2}/decline", secret_post,
             data={"note": "Outside the programme"}),
        Step("GET", "/console/broadcasts", secret),
        Step("GET", "/console/broadcasts/new", secret),
        Step("GET", "/console/broadcasts/count?region=africa", secret),
        Step("POST", "/console/broadcasts/new", secret_post,
             data={"text": "Hello", "region": "africa"}),
        Step("GET", "/console/broadcasts/{broadcast}", secret),
        Step("GET", "/console/broadcasts/{broadcast}/progress", secret),
        Step("POST", "/console/broadcasts/{broadcast}/send", secret_post, data={"when": "now"}),
        Step("GET", "/console/questions", secret),
        Step("GET", "/console/questions/{question}", secret),
        Step("POST", "/console/questions/{question}/answer", secret_post,
             data={"text": "The Secretariat's answer."}),
        Step("POST", "/console/questions/{question}/knowledge", secret_post,
             data={"title": "Who funds training", "text": "The Special Programme funds it."}),
        Step("GET", "/console/knowledge", secret),
        Step("POST", "/console/knowledge/upload", secret_post,
             files={"file": ("note.md", b"# Note\n\nA short note on e-waste.\n", "text/markdown")}),
        Step("POST", "/console/knowledge/remove", secret_post,
             data={"key": "en/regional-centres.md"}),
        Step("GET", "/console/rounds", secret),
        Step("POST", "/console/rounds/open", secret_post,
             data={"title": "2027 round", "closes_on": "2099-01-01"}),
        Step("GET", "/console/rounds/{round}", secret),
        Step("POST", "/console/rounds/{round}/close", secret_post),
    ]  # fmt: skip


#: Routes outside the matrix: reachable by anyone, or tested in test_auth.
PUBLIC = {("GET", "/console/login"), ("POST", "/console/login"), ("POST", "/console/logout"),
          }  # fmt: skip


@pytest.fixture
def world(console_context: AppContext) -> dict[str, int]:
    """Make an African focal point with a need and a question, opportunities and offers."""
    build.staff(console_context, "sec@brs.int")
    build.staff(console_context, "apac@centre.org", "regional-centre", "asia_pacific")
    fp = build.focal_point(console_context, "Amina Diallo", "SN")
    return {
        "fp": fp,
        "need": build.need(console_context, fp, "SN", "africa"),
        "question": build.escalated_question(console_context, fp, "Who funds training?"),
        "opp": build.opportunity(console_context, "staff:sec@brs.int"),
        "opp2": build.opportunity(console_context, "staff:sec@brs.int", title="Other"),
        "offer": add_offer(console_context, None),
        "offer2": add_offer(console_context, None, organisation="Acme Recycling"),
        "broadcast": 1,
        "round": 1,
    }


def _audited(context: AppContext, actor: str) -> int:
    with Session(context.engine) as session:
        return len(session.exec(select(AuditEntry.id).where(AuditEntry.actor == actor)).all())


def _walk(
    client: TestClient, who: str, ids: dict[str, int], csrf: str, context: AppContext
) -> list[str]:
    wrong = []
    for step in _steps():
        before = _audited(context, "staff:sec@brs.int")
        path = step.path.format(**ids)
        data = {**step.data, "csrf": csrf}
        response = client.request(
            step.method, path, data=data, files=step.files, follow_redirects=False
        )
        expected = step.expect[who]
        if (
            who == SEC
            and step.method == "POST"
            and _audited(context, "staff:sec@brs.int") == before
        ):
            wrong.append(f"{who} {step.method} {path}: not in the audit log")
        if response.status_code != expected:
            wrong.append(f"{who} {step.method} {path}: {response.status_code} != {expected}")
        elif expected == 303 and who == ANON:
            if not response.headers["location"].startswith("/console/login"):
                wrong.append(f"{who} {step.method} {path}: not sent to sign in")
        elif step.hidden and who == OTHER and step.hidden.format(**ids) in response.text:
            wrong.append(f"{who} {step.method} {path}: shows {step.hidden}")
        elif step.hidden and who == SEC and step.method == "GET":
            if step.hidden.format(**ids) not in response.text and "xlsx" not in path:
                wrong.append(f"{who} {step.method} {path}: does not show {step.hidden}")
    return wrong


def test_every_route_answers_each_kind_of_visitor_as_it_should(
    console_app: FastAPI, console_context: AppContext, world: dict[str, int]
) -> None:
    anonymous = TestClient(console_app, base_url="http://127.0.0.1")
    wrong = _walk(anonymous, ANON, world, "", console_context)
    other = TestClient(console_app, base_url="http://127.0.0.1")
    wrong += _walk(other, OTHER, world, build.sign_in(other, "apac@centre.org"), console_context)
    with Session(console_context.engine) as session:
        by_other = session.exec(
            select(AuditEntry.action).where(AuditEntry.actor == "staff:apac@centre.org")
        ).all()
    # The other region's staff changed nothing but their own draft offer.
    assert sorted(set(by_other)) == ["opportunity.add", "staff.login"]
    secretariat = TestClient(console_app, base_url="http://127.0.0.1")
    wrong += _walk(
        secretariat, SEC, world, build.sign_in(secretariat, "sec@brs.int"), console_context
    )
    assert wrong == []


def test_the_matrix_names_every_console_route(console_context: AppContext) -> None:
    console = Console.build(console_context, Signer(b"k" * 32))
    routes = {
        (method, PREFIX + route.path)
        for module in PAGE_MODULES
        for route in module.routes(console).routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    walked = {(step.method, step.path.split("?")[0]) for step in _steps()}
    templated = {
        (method, path.replace("{fp}", "{fp_id}").replace("{need}", "{need_id}")
         .replace("{opp2}", "{opp_id}").replace("{opp}", "{opp_id}")
         .replace("{broadcast}", "{broadcast_id}").replace("{question}", "{entry_id}")
         .replace("{round}", "{round_id}").replace("{offer2}", "{offer_id}")
         .replace("{offer}", "{offer_id}").replace("export.csv", "export.{fmt}")
         .replace("export.xlsx", "export.{fmt}"))
        for method, path in walked
    }  # fmt: skip
    assert routes - PUBLIC == templated


def test_regional_centre_staff_see_and_act_on_their_own_region(
    client: TestClient, console_context: AppContext, world: dict[str, int]
) -> None:
    build.staff(console_context, "africa@centre.org", "regional-centre", "africa")
    csrf = build.sign_in(client, "africa@centre.org")
    assert "Amina Diallo" in client.get("/console/focal-points").text
    assert client.get(f"/console/needs/{world['need']}").status_code == 200
    response = client.post(
        f"/console/needs/{world['need']}/status",
        data={"status": "under_review", "note": "We will call you", "csrf": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    # The Secretariat's own offers stay the Secretariat's.
    assert client.get(f"/console/opportunities/{world['opp']}").status_code == 404
