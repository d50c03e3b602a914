"""The alembic migration is the schema: it matches the models and round-trips."""

from __future__ import annotations

import psycopg
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from app.migrate import alembic_config, upgrade_to_head
from app.models import Base
from tests.conftest import psycopg_url


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
