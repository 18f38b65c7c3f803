"""Settings: channels off without tokens, clear errors for malformed values."""

from __future__ import annotations

import pytest

from bot.config import load_settings
from bot.errors import ConfigurationError


def test_without_tokens_every_channel_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(_env_file=None)
    assert not settings.telegram.enabled and not settings.slack.enabled
    assert settings.database_url == "sqlite:///./article16.db"


def test_environment_variables_of_the_contract_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9/bot")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cret")
    monkeypatch.setenv("ARTICLE16_ADMINS", "telegram:123, slack:T1/U2")
    settings = load_settings(_env_file=None)
    assert settings.telegram.enabled and settings.slack.enabled
    assert not settings.slack.socket_mode
    assert settings.telegram.api_base_url == "http://127.0.0.1:9/bot"
    assert settings.is_admin("slack", "T1/U2") and not settings.is_admin("slack", "U2")


def test_a_malformed_admin_list_is_a_clear_start_up_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARTICLE16_ADMINS", "bob")
    with pytest.raises(ConfigurationError, match="ARTICLE16_ADMINS entry 'bob'"):
        load_settings(_env_file=None)


def test_a_placeholder_token_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "changeme")
    with pytest.raises(ConfigurationError, match="placeholder"):
        load_settings(_env_file=None)


def test_slack_without_a_signing_secret_or_app_token_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    with pytest.raises(ConfigurationError, match="SLACK_SIGNING_SECRET"):
        load_settings(_env_file=None)


def test_an_unsupported_database_url_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://x")
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        load_settings(_env_file=None)


def test_a_malformed_llm_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARTICLE16_LLM", "gpt4")
    with pytest.raises(ConfigurationError, match="provider:model"):
        load_settings(_env_file=None)
