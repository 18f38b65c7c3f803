"""Read the assistant's settings from the environment and ``.env``."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.errors import ConfigurationError

_PLACEHOLDERS = {"changeme", "change-me", "xxx", "todo", "your-token-here", "<token>"}


def _is_placeholder(secret: SecretStr | None) -> bool:
    return secret is not None and secret.get_secret_value().strip().lower() in _PLACEHOLDERS


class TelegramSettings(BaseModel):
    """The Telegram channel; on when ``bot_token`` is set."""

    bot_token: SecretStr | None = None
    api_base_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None

    @property
    def enabled(self) -> bool:
        """Tell whether the channel is configured."""
        return self.bot_token is not None and bool(self.bot_token.get_secret_value())


class SlackSettings(BaseModel):
    """The Slack channel; on when the bot token and signing secret are set."""

    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None
    api_base_url: str | None = None

    @property
    def enabled(self) -> bool:
        """Tell whether the channel is configured."""
        return self.bot_token is not None and bool(self.bot_token.get_secret_value())

    @property
    def socket_mode(self) -> bool:
        """Tell whether Socket Mode is used instead of HTTP events."""
        return self.enabled and self.app_token is not None


def _split_admins(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Every setting of the assistant; build one in the composition root and pass it down."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
        extra="ignore",
    )

    database_url: str = "sqlite:///./article16.db"
    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_bot_username: str | None = None
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_base_url: str | None = None
    admins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias="ARTICLE16_ADMINS"
    )
    llm: str = Field(default="", validation_alias="ARTICLE16_LLM")
    index_dir: str = Field(default="./.article16-index", validation_alias="ARTICLE16_INDEX_DIR")
    invite_ttl_hours: int = Field(default=72, ge=1, validation_alias="ARTICLE16_INVITE_TTL_HOURS")
    web_host: str = Field(default="127.0.0.1", validation_alias="ARTICLE16_WEB_HOST")
    web_port: int = Field(default=8080, ge=1, le=65535, validation_alias="ARTICLE16_WEB_PORT")

    @field_validator("admins", mode="before")
    @classmethod
    def _parse_admins(cls, value: object) -> object:
        return _split_admins(value)

    @field_validator("admins")
    @classmethod
    def _check_admins(cls, value: list[str]) -> list[str]:
        for identity in value:
            channel, sep, ident = identity.partition(":")
            if not sep or channel not in {"telegram", "slack", "console"} or not ident:
                raise ValueError(
                    f"ARTICLE16_ADMINS entry {identity!r} must look like "
                    "telegram:123 or slack:T1/U2"
                )
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("DATABASE_URL must be a sqlite:// or postgresql:// SQLAlchemy URL")
        return value

    @field_validator("llm")
    @classmethod
    def _check_llm(cls, value: str) -> str:
        if value and ":" not in value:
            raise ValueError("ARTICLE16_LLM must look like provider:model, e.g. openai:gpt-4o-mini")
        return value

    @model_validator(mode="after")
    def _check_secrets(self) -> Settings:
        for name in ("telegram_bot_token", "slack_bot_token", "slack_signing_secret"):
            if _is_placeholder(getattr(self, name)):
                raise ValueError(f"{name.upper()} is a placeholder; set the real value or unset it")
        if self.slack_bot_token and not self.slack_signing_secret and not self.slack_app_token:
            raise ValueError(
                "SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP events) "
                "nor SLACK_APP_TOKEN (Socket Mode) is"
            )
        if self.telegram_webhook_url and not self.telegram_webhook_secret:
            raise ValueError("TELEGRAM_WEBHOOK_URL is set; set TELEGRAM_WEBHOOK_SECRET as well")
        return self

    @property
    def telegram(self) -> TelegramSettings:
        """Return the Telegram section."""
        return TelegramSettings(
            bot_token=self.telegram_bot_token,
            api_base_url=self.telegram_api_base_url,
            webhook_url=self.telegram_webhook_url,
            webhook_secret=self.telegram_webhook_secret,
        )

    @property
    def slack(self) -> SlackSettings:
        """Return the Slack section."""
        return SlackSettings(
            bot_token=self.slack_bot_token,
            signing_secret=self.slack_signing_secret,
            app_token=self.slack_app_token,
            api_base_url=self.slack_api_base_url,
        )

    def is_admin(self, channel: str, user_id: str) -> bool:
        """Tell whether this identity is one of the Secretariat's."""
        return f"{channel}:{user_id}" in self.admins


def load_settings(**overrides: object) -> Settings:
    """Build the settings, turning validation errors into one clear start-up error."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigurationError(f"invalid configuration: {problems}") from exc
