"""The alembic migration is the schema: it matches the models and round-trips."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from app import migrate
from app.migrate import alembic_config, upgrade_to_head
from app.models import Base
from tests.conftest import psycopg_url
from tests.services import free_port

BACKEND = Path(__file__).resolve().parent.parent


def _migrate(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``python -m app.migrate`` as the deploy's migration Job does."""
    return subprocess.run(
        [sys.executable, "-m", "app.migrate"],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _migrate(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command_line = [sys.executable, "-m", "app.migrate"]
    return subprocess.run(
        command_line, cwd=BACKEND, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()

    assert diff == []


def test_migrations_downgrade_to_base_and_upgrade_back(database_url: str) -> None:
    command.downgrade(alembic_config(database_url), "base")
    with psycopg.connect(psycopg_url(database_url)) as conn:
        assert conn.execute("SELECT to_regclass('agents')").fetchone() == (None,)

    upgrade_to_head(database_url)

    with psycopg.connect(psycopg_url(database_url)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT to_regclass('agents')").fetchone() == ("agents",)


def test_python_m_app_migrate_upgrades_to_head_and_exits_0(database_url: str) -> None:
    command.downgrade(alembic_config(database_url), "base")
    env = {**os.environ, "ENVIRONMENT": "test", "DATABASE_URL": database_url}
    run = _migrate(env)

    assert run.returncode == 0, run.stderr
    with psycopg.connect(psycopg_url(database_url)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    messages = [json.loads(line)["message"] for line in run.stderr.splitlines() if line.strip()]
    assert messages[-1] == "database schema is at head"


def test_python_m_app_migrate_refuses_a_bad_configuration_with_2() -> None:
    env = {**os.environ, "ENVIRONMENT": "production"}
    for name in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    run = _migrate(env)

    assert run.returncode == 2
    assert run.stderr.startswith("configuration error: missing required")


def test_python_m_app_migrate_reports_an_unreachable_database_with_1() -> None:
    url = f"postgresql+psycopg://postgres:x@127.0.0.1:{free_port()}/none"
    env = {**os.environ, "ENVIRONMENT": "test", "DATABASE_URL": url}
    run = _migrate(env)

    assert run.returncode == 1
    assert run.stderr.splitlines()[-1] == "migration failed: OperationalError"
    assert "postgres:x@" not in run.stderr


def test_migrate_main_in_process_reports_each_outcome(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "test")
    monkeypatch.setenv("DATABASE_URL", database_url)
    calls: list[str] = []
    monkeypatch.setattr(migrate, "upgrade_to_head", calls.append)
    assert migrate.main() == 0
    assert calls == [database_url]

    def broken(_url: str) -> None:
        raise RuntimeError(f"cannot connect to {database_url}")

    monkeypatch.setattr(migrate, "upgrade_to_head", broken)
    assert migrate.main() == 1
    assert capsys.readouterr().err.splitlines()[-1] == "migration failed: RuntimeError"

    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert migrate.main() == 2
