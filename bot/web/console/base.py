"""Hold what every console page needs: who is signed in, CSRF checks, rendering, scope."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import Session

from bot import vocab
from bot.app import AppContext
from bot.services.staff import Staff, resume_session
from bot.storage.db import session_scope
from bot.web.console.signing import Signer

PREFIX = "/console"
SESSION_COOKIE = "a16_session"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
#: Notices a redirect may ask a page to show (by key, so a link cannot inject text).
NOTICES: Mapping[str, str] = {
    "answered": "The answer is stored and will be sent to the person who asked.",
    "answered-unrelayed": "The answer is stored; the person who asked has no chat account.",
    "kb-added": "The answer is now in the knowledge base and indexed.",
    "kb-ingested": "The file is indexed.",
    "kb-removed": "The document is removed from the knowledge base.",
    "status": "The need's status is changed and the focal point is told.",
    "saved": "Saved.",
    "published": "The opportunity is published; the matched focal points are being notified.",
    "cancelled": "The opportunity is cancelled.",
    "sent": "The broadcast is queued for delivery.",
    "scheduled": "The broadcast is scheduled.",
    "round-opened": "The round is open and the focal points in scope are invited.",
    "round-closed": "The round is closed.",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def label(vocabulary: str, code: str | None) -> str:
    """Return the English label of a code, or the code itself when it is not in the list."""
    if not code:
        return "—"
    words = vocab.get_vocabulary(vocabulary)
    return words.label(code, "en") if code in words else code


def labels(vocabulary: str, codes: list[str] | None) -> str:
    """Return the labels of several codes, comma-separated."""
    return ", ".join(label(vocabulary, code) for code in codes or []) or "—"


def country(code: str | None) -> str:
    """Return a country's English name."""
    if not code:
        return "—"
    return vocab.country_name(code, "en") if code in vocab.COUNTRY_REGIONS else code


def country_choices(allowed: list[str] | None = None) -> list[tuple[str, str]]:
    """Return ``(code, name)`` of the countries (those in ``allowed``), sorted by name."""
    return sorted(
        (
            (code, vocab.country_name(code, "en"))
            for code in vocab.COUNTRY_REGIONS
            if allowed is None or code in allowed
        ),
        key=lambda item: item[1],
    )


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
    )
    environment.globals.update(
        label=label,
        labels=labels,
        country=country,
        vocab=vocab,
        prefix=PREFIX,
        country_choices=country_choices(),
    )
    environment.filters["when"] = lambda moment: f"{moment:%Y-%m-%d %H:%M}" if moment else "—"
    return environment


def client_address(request: Request) -> str:
    """Return the client's address (uvicorn has applied trusted proxy headers)."""
    return request.client.host if request.client else "unknown"


@dataclass(slots=True)
class Console:
    """The console's shared state: the application, the cookie signer and the templates."""

    context: AppContext
    signer: Signer
    templates: Environment

    @classmethod
    def build(cls, context: AppContext, signer: Signer) -> Console:
        """Return the console state for ``context``."""
        return cls(context=context, signer=signer, templates=_environment())

    @contextmanager
    def db(self) -> Iterator[Session]:
        """Yield a database session committed at the end of the block."""
        with session_scope(self.context.engine) as session:
            yield session

    def session_token(self, request: Request) -> str | None:
        """Return the session token of the request's signed cookie, if it is genuine."""
        raw = request.cookies.get(SESSION_COOKIE)
        return self.signer.unsign(raw) if raw else None

    def signed_in(self, request: Request) -> Staff | None:
        """Return the signed-in staff member, or None."""
        token = self.session_token(request)
        if token is None:
            return None
        with self.db() as session:
            staff = resume_session(session=session, token=token)
        if staff is not None:
            request.state.session_token = token
        return staff

    def require(self, request: Request, *, secretariat: bool = False) -> Staff:
        """Return the signed-in staff member; send others to sign in, or refuse them."""
        staff = self.signed_in(request)
        if staff is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise HTTPException(
                status_code=303,
                detail="sign in first",
                headers={"Location": f"{PREFIX}/login?next={quote(target)}"},
            )
        if secretariat and not staff.is_secretariat:
            raise HTTPException(status_code=403, detail="only the Secretariat can open this page")
        return staff

    def csrf_token(self, request: Request) -> str:
        """Return the CSRF token of the request's session."""
        token = getattr(request.state, "session_token", "")
        return self.signer.token(token, purpose="csrf") if token else ""

    def check_csrf(self, request: Request, token: str) -> None:
        """Refuse a form whose CSRF token does not belong to the session."""
        session_token = getattr(request.state, "session_token", "")
        if not session_token or not self.signer.check_token(session_token, token, purpose="csrf"):
            raise HTTPException(status_code=403, detail="the form has expired; reload the page")

    def page(
        self,
        request: Request,
        template: str,
        staff: Staff | None,
        *,
        status_code: int = 200,
        **values: Any,
    ) -> HTMLResponse:
        """Render a page of the console."""
        notice = NOTICES.get(request.query_params.get("notice", ""))
        html = self.templates.get_template(template).render(
            request=request,
            staff=staff,
            csrf=self.csrf_token(request),
            notice=notice,
            path=request.url.path,
            **values,
        )
        return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)

    def redirect(self, path: str, *, notice: str | None = None) -> Response:
        """Send the browser to another console page after a form (303 See Other)."""
        target = f"{PREFIX}{path}"
        if notice:
            target += ("&" if "?" in target else "?") + urlencode({"notice": notice})
        return RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)


def region_countries(staff: Staff) -> list[str] | None:
    """Return the countries a staff member may act on; None means all of them."""
    if staff.is_secretariat or staff.region is None:
        return None
    return vocab.countries_in(staff.region)


def ensure_in_region(staff: Staff, country_code: str | None) -> None:
    """Refuse (404, as if it did not exist) something outside the staff member's region."""
    allowed = region_countries(staff)
    if allowed is not None and country_code not in allowed:
        raise HTTPException(status_code=404, detail="not found")
