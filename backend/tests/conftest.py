"""Real PostgreSQL and Redis for the whole session.

``TEST_DATABASE_URL`` / ``TEST_REDIS_URL`` point at existing servers (the Dagger pipeline binds
``postgres:16`` as ``db`` and ``redis:7`` as ``redis``). Without them we start a throwaway
cluster and redis-server on free loopback ports and stop both by PID when the session ends.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import psycopg
import pytest
import redis
from fastapi.testclient import TestClient

from app.main import create_app
from app.migrate import upgrade_to_head
from app.settings import Settings, normalise_database_url
from tests.services import ServiceUnavailableError, local_postgres, local_redis


@pytest.fixture(scope="session")
def _services() -> Iterator[tuple[str, str]]:
    with ExitStack() as stack:
        try:
            db_url = os.environ.get("TEST_DATABASE_URL") or stack.enter_context(local_postgres())
            redis_url = os.environ.get("TEST_REDIS_URL") or stack.enter_context(local_redis())
        except ServiceUnavailableError as error:
            pytest.fail(str(error), pytrace=False)
        yield normalise_database_url(db_url), redis_url


@pytest.fixture(scope="session")
def database_url(_services: tuple[str, str]) -> str:
    """A database with the alembic migrations applied (``alembic upgrade head``)."""
    url = _services[0]
    upgrade_to_head(url)
    return url


@pytest.fixture(scope="session")
def redis_url(_services: tuple[str, str]) -> str:
    return _services[1]


def psycopg_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def clean_db(database_url: str) -> str:
    with psycopg.connect(psycopg_url(database_url), autocommit=True) as conn:
        conn.execute("TRUNCATE agents")
    return database_url


@pytest.fixture
def make_settings(
    clean_db: str, redis_client: redis.Redis, redis_url: str
) -> Callable[..., Settings]:
    """Settings for the test servers; keyword arguments override any field."""

    def build(**overrides: Any) -> Settings:
        # Start from the declared defaults so stray environment variables cannot leak in.
        values: dict[str, Any] = {
            name: field.default for name, field in Settings.model_fields.items()
        }
        values |= {
            "environment": "test",
            "database_url": clean_db,
            "redis_url": redis_url,
            "db_connect_timeout": 2,
            "health_check_timeout": 2.0,
            "redis_socket_timeout": 1.0,
        }
        values.update(overrides)
        return Settings(**values)

    return build


@pytest.fixture
def make_client(make_settings: Callable[..., Settings]) -> Iterator[Callable[..., TestClient]]:
    """Build a TestClient for an app with the given settings overrides; all closed at teardown."""
    with ExitStack() as stack:

        def build(**overrides: Any) -> TestClient:
            app = create_app(make_settings(**overrides))
            return stack.enter_context(TestClient(app))

        yield build


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture
def new_agent(client: TestClient) -> Callable[..., dict[str, Any]]:
    counter = iter(range(1, 10_000))

    def create(**fields: Any) -> dict[str, Any]:
        body = {"name": f"agent-{next(counter):03d}", "provider": "anthropic", "model": "claude"}
        body.update(fields)
        response = client.post("/api/agents", json=body)
        assert response.status_code == 201, response.text
        return dict(response.json())

    return create
