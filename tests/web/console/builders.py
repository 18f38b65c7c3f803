"""Build staff, focal points, needs and questions for the console tests, and sign in."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlmodel import Session

from bot.app import AppContext
from bot.core import Channel
from bot.services.staff import add_staff
from bot.storage.needs_tables import Need
from bot.storage.notify_tables import Opportunity
from bot.storage.tables import ChannelAccount, FocalPoint, QuestionLog, utcnow

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def staff(
    context: AppContext, email: str, role: str = "secretariat", region: str | None = None
) -> None:
    """Create a staff account with the test password."""
    with Session(context.engine) as session:
        add_staff(
            session=session, email=email, password=PASSWORD, role=role, region=region, actor="test"
        )
        session.commit()


def csrf_of(html: str) -> str:
    """Return the first CSRF token of a page."""
    found = _CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in through the form; return the CSRF token of the session's pages."""
    page = client.get("/console/login")
    response = client.post(
        "/console/login",
        data={"email": email, "password": password, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/console/").text)


def focal_point(
    context: AppContext,
    name: str,
    country: str,
    *,
    roles: tuple[str, ...] = ("basel_focal_point",),
    chat: bool = True,
    language: str = "en",
    email: str | None = None,
) -> int:
    """Add a verified focal point, linked to a console account when ``chat``; return its id."""
    with Session(context.engine) as session:
        person = FocalPoint(
            name=name,
            email=email or f"{name.split()[0].lower()}@{country.lower()}.example.org",
            country=country,
            roles=list(roles),
            conventions=["basel"],
            language=language,
            verified=True,
        )
        session.add(person)
        session.flush()
        if chat:
            session.add(
                ChannelAccount(
                    channel=Channel.CONSOLE.value,
                    platform_user_id=f"u{person.id}",
                    chat_id=f"u{person.id}",
                    focal_point_id=person.id,
                )
            )
        session.commit()
        assert person.id is not None
        return person.id


def need(
    context: AppContext,
    focal_point_id: int,
    country: str,
    region: str,
    *,
    areas: tuple[str, ...] = ("e_waste",),
    types: tuple[str, ...] = ("webinar",),
) -> int:
    """Add a submitted need of a focal point; return its id."""
    with Session(context.engine) as session:
        row = Need(
            focal_point_id=focal_point_id,
            status="submitted",
            country=country,
            region=region,
            verified=True,
            conventions=["basel"],
            areas=list(areas),
            types=list(types),
            priority="high",
            format="online",
            languages=["en"],
            timeframe="within_12_months",
            description="Customs officers cannot recognise e-waste shipments.",
            version=1,
        )
        session.add(row)
        session.commit()
        assert row.id is not None
        return row.id


def escalated_question(context: AppContext, focal_point_id: int, text: str) -> int:
    """Log a question the asker passed to the Secretariat; return its id."""
    with Session(context.engine) as session:
        account = session.query(ChannelAccount).filter_by(focal_point_id=focal_point_id).first()
        entry = QuestionLog(
            account_id=account.id if account else None,
            focal_point_id=focal_point_id,
            channel="console",
            question=text,
            escalated=True,
            escalated_at=utcnow(),
            context={"earlier_questions": ["What is the Special Programme?"], "flow": None},
        )
        session.add(entry)
        session.commit()
        assert entry.id is not None
        return entry.id


def opportunity(context: AppContext, created_by: str, **fields: object) -> int:
    """Add a draft opportunity; return its id."""
    values: dict[str, object] = {
        "kind": "webinar",
        "title": "E-waste webinar",
        "areas": ["e_waste"],
        "types": ["webinar"],
        "languages": ["en"],
        "format": "online",
        "deadline": date(2099, 1, 1),
        "created_by": created_by,
        **fields,
    }
    with Session(context.engine) as session:
        row = Opportunity(**values)  # type: ignore[arg-type]
        session.add(row)
        session.commit()
        assert row.id is not None
        return row.id
