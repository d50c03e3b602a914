"""Configuration from environment variables, validated once at start-up."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app import __version__

DEV_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/helloagents"
DEV_REDIS_URL = "redis://127.0.0.1:6379/0"

# Variables that must be set when ENVIRONMENT=production, in the order we report them.
PRODUCTION_REQUIRED = ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "DATABASE_URL", "REDIS_URL")


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    STAGING = "staging"
    PRODUCTION = "production"


LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]


class ConfigurationError(Exception):
    """The environment does not describe a runnable service (exit code 2)."""


def normalise_database_url(url: str) -> str:
    """Point plain ``postgresql://`` / ``postgres://`` URLs at the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=False, extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    log_level: LogLevel = "INFO"
    app_version: str = __version__

    database_url: str | None = None
    redis_url: str | None = None
    cors_origins: str = ""

    anthropic_api_key: SecretStr | None = None
    openai_api_key: SecretStr | None = None

    host: str = "0.0.0.0"  # noqa: S104 - the container must listen on all interfaces
    port: int = Field(default=8000, ge=1, le=65535)
    run_migrations: bool = False

    db_connect_timeout: int = Field(default=2, ge=1, description="seconds (libpq minimum is 2)")
    db_statement_timeout_ms: int = Field(default=2000, ge=1)
    redis_socket_timeout: float = Field(default=2.0, gt=0)
    health_check_timeout: float = Field(default=2.5, gt=0, description="hard bound per check")
    health_warn_ms: float = Field(default=1000.0, ge=0)
    cache_ttl_seconds: int = Field(default=30, ge=1)

    @field_validator("log_level", "environment", mode="before")
    @classmethod
    def _normalise_case(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        return (
            value.upper()
            if value.lower() in {"debug", "info", "warning", "error"}
            else value.lower()
        )

    @field_validator(
        "database_url", "redis_url", "anthropic_api_key", "openai_api_key", mode="before"
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url")
    @classmethod
    def _use_psycopg3(cls, value: str | None) -> str | None:
        return normalise_database_url(value) if value else value

    @property
    def effective_database_url(self) -> str:
        return self.database_url or DEV_DATABASE_URL

    @property
    def effective_redis_url(self) -> str:
        return self.redis_url or DEV_REDIS_URL

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    def missing_required(self) -> list[str]:
        if self.environment is not Environment.PRODUCTION:
            return []
        values = {
            "ANTHROPIC_API_KEY": self.anthropic_api_key,
            "OPENAI_API_KEY": self.openai_api_key,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
        }
        return [name for name in PRODUCTION_REQUIRED if values[name] is None]


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]).upper() or "settings"
        parts.append(f"{field}: {item['msg']}")
    return "invalid environment variables: " + "; ".join(parts)


def load_settings() -> Settings:
    """Read the environment; raise ConfigurationError with a one-line reason when unusable."""
    try:
        settings = Settings()
    except ValidationError as error:
        raise ConfigurationError(_describe(error)) from None
    missing = settings.missing_required()
    if missing:
        raise ConfigurationError(
            f"missing required environment variables for {settings.environment.value}: "
            + ", ".join(missing)
        )
    return settings


EXIT_CONFIG_ERROR = 2
"""Exit code of a command (the service, the migration) started with settings it cannot run with."""


def load_settings_or_report() -> Settings | None:
    """Settings for a command's ``main``, or None once the configuration error is printed."""
    try:
        return load_settings()
    except ConfigurationError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return None
