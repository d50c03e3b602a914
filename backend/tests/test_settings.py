"""Configuration: URL normalisation, defaults, and refusing to start incomplete production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.settings import (
    DEV_DATABASE_URL,
    DEV_REDIS_URL,
    ConfigurationError,
    Environment,
    Settings,
    load_settings,
    normalise_database_url,
)

BACKEND = Path(__file__).resolve().parent.parent
CONFIG_VARS = (
    "ENVIRONMENT",
    "DATABASE_URL",
    "REDIS_URL",
    "ANTHROPIC_API_KEY",
    "OPENAI_API_KEY",
    "LOG_LEVEL",
    "CORS_ORIGINS",
    "APP_VERSION",
    "PORT",
    "RUN_MIGRATIONS",
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in CONFIG_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def run_entrypoint(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    return subprocess.run(
        [sys.executable, "-m", "app"],
        cwd=BACKEND,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@db:5432/app", "postgresql+psycopg://u:p@db:5432/app"),
        ("postgres://u@db/app", "postgresql+psycopg://u@db/app"),
        ("postgresql+psycopg2://u@db/app", "postgresql+psycopg://u@db/app"),
        ("postgresql+psycopg://u@db/app", "postgresql+psycopg://u@db/app"),
    ],
)
def test_database_url_is_normalised_to_psycopg3(given: str, expected: str) -> None:
    assert normalise_database_url(given) == expected
    assert Settings(database_url=given).effective_database_url == expected


def test_development_needs_no_variables_and_uses_local_defaults(
    clean_env: pytest.MonkeyPatch,
) -> None:
    settings = load_settings()

    assert settings.environment is Environment.DEVELOPMENT
    assert settings.effective_database_url == DEV_DATABASE_URL
    assert settings.effective_redis_url == DEV_REDIS_URL
    assert settings.app_version == "0.1.0"
    assert settings.port == 8000
    assert settings.run_migrations is False


def test_environment_variables_are_read_and_normalised(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("ENVIRONMENT", "Staging")
    clean_env.setenv("LOG_LEVEL", "debug")
    clean_env.setenv("CORS_ORIGINS", "https://a.example, https://b.example,,")
    clean_env.setenv("DATABASE_URL", "  ")
    clean_env.setenv("APP_VERSION", "1.2.3")
    clean_env.setenv("RUN_MIGRATIONS", "1")

    settings = load_settings()

    assert settings.environment is Environment.STAGING
    assert settings.log_level == "DEBUG"
    assert settings.cors_origin_list == ["https://a.example", "https://b.example"]
    assert settings.database_url is None
    assert settings.app_version == "1.2.3"
    assert settings.run_migrations is True


def test_secrets_never_appear_in_the_settings_repr() -> None:
    settings = Settings(anthropic_api_key="sk-ant-secret", openai_api_key="sk-secret")

    assert "secret" not in repr(settings)
    assert "secret" not in str(settings.model_dump())


def test_production_lists_every_missing_variable(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("ENVIRONMENT", "production")
    clean_env.setenv("OPENAI_API_KEY", "sk")

    with pytest.raises(ConfigurationError) as caught:
        load_settings()

    assert str(caught.value) == (
        "missing required environment variables for production: "
        "ANTHROPIC_API_KEY, DATABASE_URL, REDIS_URL"
    )


def test_production_with_everything_set_loads(clean_env: pytest.MonkeyPatch) -> None:
    for name, value in {
        "ENVIRONMENT": "production",
        "ANTHROPIC_API_KEY": "a",
        "OPENAI_API_KEY": "o",
        "DATABASE_URL": "postgresql://db/app",
        "REDIS_URL": "redis://cache:6379/0",
    }.items():
        clean_env.setenv(name, value)

    assert load_settings().missing_required() == []


def test_invalid_values_are_one_readable_line(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("ENVIRONMENT", "prod")
    clean_env.setenv("LOG_LEVEL", "LOUD")

    with pytest.raises(ConfigurationError) as caught:
        load_settings()

    message = str(caught.value)
    assert message.startswith("invalid environment variables: ENVIRONMENT: Input should be")
    assert "; LOG_LEVEL: Input should be" in message
    assert "\n" not in message


def test_entrypoint_refuses_incomplete_production_with_exit_code_2() -> None:
    result = run_entrypoint(ENVIRONMENT="production", OPENAI_API_KEY="sk", REDIS_URL="redis://r")

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "configuration error: missing required environment variables for production: "
        "ANTHROPIC_API_KEY, DATABASE_URL\n"
    )


def test_entrypoint_refuses_production_with_nothing_set() -> None:
    result = run_entrypoint(ENVIRONMENT="production")

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "configuration error: missing required environment variables for production: "
        "ANTHROPIC_API_KEY, OPENAI_API_KEY, DATABASE_URL, REDIS_URL"
    ]


def test_entrypoint_rejects_an_unknown_environment() -> None:
    result = run_entrypoint(ENVIRONMENT="qa")

    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(
        "configuration error: invalid environment variables: ENVIRONMENT"
    )
