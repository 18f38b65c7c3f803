"""Staff sign in with argon2-hashed passwords, signed session cookies, CSRF and rate limits."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.app import AppContext
from bot.services.staff import MAX_FAILURES_PER_EMAIL, SESSION_IDLE, disable_staff
from bot.storage.staff_tables import StaffAccount, StaffSession
from bot.storage.tables import AuditEntry, utcnow
from tests.web.console.builders import PASSWORD, csrf_of, sign_in, staff


def _login(client: TestClient, email: str, password: str) -> int:
    page = client.get("/console/login")
    response = client.post(
        "/console/login",
        data={"email": email, "password": password, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    return response.status_code


def test_passwords_are_stored_as_argon2id_hashes(console_context: AppContext) -> None:
    staff(console_context, "sec@brs.int")
    with Session(console_context.engine) as session:
        account = session.exec(select(StaffAccount)).one()
    assert account.password_hash.startswith("$argon2id$")
    assert PASSWORD not in account.password_hash


def test_anonymous_visitors_are_sent_to_the_sign_in_page(client: TestClient) -> None:
    response = client.get("/console/needs?status=submitted", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?next=/console/needs%3Fstatus%3Dsubmitted"


def test_signing_in_sets_a_signed_http_only_samesite_cookie(
    client: TestClient, console_context: AppContext
) -> None:
    staff(console_context, "sec@brs.int")
    page = client.get("/console/login")
    response = client.post(
        "/console/login",
        data={"email": "SEC@brs.int", "password": PASSWORD, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("a16_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/console" in cookie
    assert "Max-Age=43200" in cookie
    assert client.get("/console/").status_code == 200


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    client: TestClient, console_context: AppContext
) -> None:
    staff(console_context, "sec@brs.int")
    assert _login(client, "sec@brs.int", "wrong password!") == 401
    assert _login(client, "nobody@brs.int", "wrong password!") == 401
    assert client.get("/console/", follow_redirects=False).status_code == 303


def test_too_many_wrong_passwords_lock_the_account_even_for_the_right_one(
    client: TestClient, console_context: AppContext
) -> None:
    staff(console_context, "sec@brs.int")
    for _ in range(MAX_FAILURES_PER_EMAIL):
        assert _login(client, "sec@brs.int", "wrong password!") == 401
    assert _login(client, "sec@brs.int", PASSWORD) == 429
    with Session(console_context.engine) as session:
        actions = session.exec(select(AuditEntry.action)).all()
    assert "staff.lock" in actions


def test_too_many_failures_from_one_address_are_refused(
    client: TestClient, console_context: AppContext
) -> None:
    staff(console_context, "sec@brs.int")
    for number in range(20):
        _login(client, f"guess{number}@brs.int", "wrong password!")
    assert _login(client, "sec@brs.int", PASSWORD) == 429


def test_the_sign_in_form_needs_its_csrf_token(
    client: TestClient, console_context: AppContext
) -> None:
    staff(console_context, "sec@brs.int")
    client.get("/console/login")
    response = client.post(
        "/console/login",
        data={"email": "sec@brs.int", "password": PASSWORD, "csrf": "forged"},
        follow_redirects=False,
    )
    assert response.status_code == 403


def test_a_form_without_the_session_csrf_token_is_refused(
    client: TestClient, console_context: AppContext
) -> None:
    staff(console_context, "sec@brs.int")
    sign_in(client, "sec@brs.int")
    response = client.post("/console/rounds/open", data={"title": "R", "closes_on": "2099-01-01"})
    assert response.status_code == 403
    response = client.post(
        "/console/rounds/open", data={"title": "R", "closes_on": "2099-01-01", "csrf": "x" * 43}
    )
    assert response.status_code == 403


def test_a_tampered_cookie_opens_nothing(client: TestClient, console_context: AppContext) -> None:
    staff(console_context, "sec@brs.int")
    sign_in(client, "sec@brs.int")
    value = client.cookies.get("a16_session")
    assert value is not None
    client.cookies.clear()
    client.cookies.set("a16_session", ("B" if value[0] == "A" else "A") + value[1:])
    assert client.get("/console/", follow_redirects=False).status_code == 303


def test_an_idle_session_expires(client: TestClient, console_context: AppContext) -> None:
    staff(console_context, "sec@brs.int")
    sign_in(client, "sec@brs.int")
    with Session(console_context.engine) as session:
        row = session.exec(select(StaffSession)).one()
        row.last_seen_at = utcnow() - SESSION_IDLE - timedelta(minutes=1)
        session.add(row)
        session.commit()
    assert client.get("/console/", follow_redirects=False).status_code == 303
    with Session(console_context.engine) as session:
        assert session.exec(select(StaffSession)).all() == []


def test_a_session_ends_at_its_expiry_even_when_used(
    client: TestClient, console_context: AppContext
) -> None:
    staff(console_context, "sec@brs.int")
    sign_in(client, "sec@brs.int")
    with Session(console_context.engine) as session:
        row = session.exec(select(StaffSession)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
        session.commit()
    assert client.get("/console/", follow_redirects=False).status_code == 303


def test_signing_out_ends_the_session(client: TestClient, console_context: AppContext) -> None:
    staff(console_context, "sec@brs.int")
    csrf = sign_in(client, "sec@brs.int")
    old = client.cookies.get("a16_session")
    response = client.post("/console/logout", data={"csrf": csrf}, follow_redirects=False)
    assert response.status_code == 303
    client.cookies.clear()
    client.cookies.set("a16_session", old or "")
    assert client.get("/console/", follow_redirects=False).status_code == 303


def test_disabling_an_account_ends_its_sessions(
    client: TestClient, console_context: AppContext
) -> None:
    staff(console_context, "sec@brs.int")
    sign_in(client, "sec@brs.int")
    with Session(console_context.engine) as session:
        disable_staff(session=session, email="sec@brs.int", actor="test")
        session.commit()
    assert client.get("/console/", follow_redirects=False).status_code == 303
    assert _login(client, "sec@brs.int", PASSWORD) == 401


def test_signing_in_never_sends_the_browser_to_another_site(
    client: TestClient, console_context: AppContext
) -> None:
    staff(console_context, "sec@brs.int")
    page = client.get("/console/login")
    response = client.post(
        "/console/login",
        data={
            "email": "sec@brs.int",
            "password": PASSWORD,
            "csrf": csrf_of(page.text),
            "next": "https://evil.example/console",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/console/"


def test_sign_in_and_out_are_in_the_audit_log_with_the_staff_member(
    client: TestClient, console_context: AppContext
) -> None:
    staff(console_context, "sec@brs.int")
    csrf = sign_in(client, "sec@brs.int")
    client.post("/console/logout", data={"csrf": csrf})
    with Session(console_context.engine) as session:
        rows = session.exec(select(AuditEntry.actor, AuditEntry.action)).all()
    assert ("staff:sec@brs.int", "staff.login") in rows
    assert ("staff:sec@brs.int", "staff.logout") in rows


def test_pages_carry_security_headers(client: TestClient, console_context: AppContext) -> None:
    staff(console_context, "sec@brs.int")
    sign_in(client, "sec@brs.int")
    headers = client.get("/console/").headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
