"""Sign staff in and out: the login form, its CSRF nonce, the session cookie."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from bot.services.staff import SESSION_LIFETIME, LoginRefused, authenticate, end_session
from bot.services.staff import start_session as open_session
from bot.web.console.base import PREFIX, SESSION_COOKIE, Console, client_address

LOGIN_COOKIE = "a16_login"


def _safe_next(target: str) -> str:
    """Return a local console path to go to after signing in (never another site)."""
    if target.startswith(PREFIX) and not target.startswith("//") and "\\" not in target:
        return target
    return f"{PREFIX}/"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def routes(console: Console) -> APIRouter:
    """Return the sign-in and sign-out routes."""
    router = APIRouter()

    def login_form(
        request: Request, *, next_url: str, error: str = "", email: str = "", status: int = 200
    ) -> Response:
        nonce = secrets.token_urlsafe(16)
        response = console.page(
            request,
            "console/login.html",
            None,
            status_code=status,
            login_csrf=console.signer.token(nonce, purpose="login"),
            next_url=_safe_next(next_url),
            error=error,
            email=email,
        )
        response.set_cookie(
            LOGIN_COOKIE,
            console.signer.sign(nonce, purpose="login"),
            max_age=3600,
            httponly=True,
            samesite="strict",
            secure=_secure(request),
            path=PREFIX,
        )
        return response

    @router.get("/login")
    def login_page(request: Request, next: str = "") -> Response:  # noqa: A002
        """Show the sign-in form (or go on when already signed in)."""
        if console.signed_in(request) is not None:
            return console.redirect("/")
        return login_form(request, next_url=next)

    @router.post("/login")
    def login(
        request: Request,
        email: Annotated[str, Form(max_length=320)],
        password: Annotated[str, Form(max_length=1000)],
        csrf: Annotated[str, Form(max_length=100)] = "",
        next: Annotated[str, Form(max_length=500)] = "",  # noqa: A002
    ) -> Response:
        """Check the password, open a session and set its cookie."""
        nonce = console.signer.unsign(request.cookies.get(LOGIN_COOKIE, ""), purpose="login")
        if nonce is None or not console.signer.check_token(nonce, csrf, purpose="login"):
            return login_form(
                request,
                next_url=next,
                email=email,
                error="The form had expired; please sign in again.",
                status=403,
            )
        with console.db() as session:
            try:
                account = authenticate(
                    session=session,
                    email=email,
                    password=password,
                    address=client_address(request),
                )
            except LoginRefused as exc:
                refusal = str(exc)
            else:
                refusal = ""
                token = open_session(
                    session=session,
                    account=account,
                    user_agent=request.headers.get("user-agent", ""),
                )
        if refusal:
            status = 429 if "too many" in refusal else 401
            return login_form(
                request, next_url=next, email=email, error=refusal.capitalize() + ".", status=status
            )
        response = console.redirect("/")
        response.headers["Location"] = _safe_next(next)
        response.set_cookie(
            SESSION_COOKIE,
            console.signer.sign(token),
            max_age=int(SESSION_LIFETIME.total_seconds()),
            httponly=True,
            samesite="lax",
            secure=_secure(request),
            path=PREFIX,
        )
        response.delete_cookie(LOGIN_COOKIE, path=PREFIX)
        return response

    @router.post("/logout")
    def logout(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
        """End the session and forget the cookie."""
        staff = console.require(request)
        console.check_csrf(request, csrf)
        with console.db() as session:
            end_session(session=session, token=request.state.session_token, actor=staff.actor)
        response = console.redirect("/login")
        response.delete_cookie(SESSION_COOKIE, path=PREFIX)
        return response

    return router
