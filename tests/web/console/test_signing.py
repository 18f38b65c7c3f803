"""Cookies are signed with ARTICLE16_WEB_SECRET, or with a key made once and kept in the DB."""

from __future__ import annotations

import pytest

from bot.app import AppContext
from bot.web.console.signing import Signer, load_secret


def test_the_environment_secret_wins(console_context: AppContext) -> None:
    assert load_secret(console_context.engine, {"ARTICLE16_WEB_SECRET": "s" * 40}) == b"s" * 40


def test_a_short_environment_secret_is_refused(console_context: AppContext) -> None:
    with pytest.raises(ValueError, match="at least 32"):
        load_secret(console_context.engine, {"ARTICLE16_WEB_SECRET": "short"})


def test_without_one_a_key_is_made_once_and_kept(console_context: AppContext) -> None:
    first = load_secret(console_context.engine, {})
    assert len(first) >= 32
    assert load_secret(console_context.engine, {}) == first


def test_a_signature_binds_value_and_purpose() -> None:
    signer = Signer(b"k" * 32)
    signed = signer.sign("token")
    assert signer.unsign(signed) == "token"
    assert signer.unsign(signed, purpose="login") is None
    assert signer.unsign("other." + signed.rpartition(".")[2]) is None
    assert signer.check_token("token", signer.token("token", purpose="csrf"), purpose="csrf")
    assert not signer.check_token("other", signer.token("token", purpose="csrf"), purpose="csrf")
