"""Health endpoints: IETF health+json shape, real dependencies, bounded failures."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app import health_checks
from tests.services import free_port, stalled_server

HEALTH_PATHS = ["/health", "/health/db", "/health/cache"]


@pytest.mark.parametrize("prefix", ["", "/api"])
def test_liveness_passes_with_health_json_shape(client: TestClient, prefix: str) -> None:
    response = client.get(f"{prefix}/health")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/health+json"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["status"] == "pass"
    assert body["version"] == "0.1.0"
    uptime = body["checks"]["uptime"][0]
    assert uptime["observedUnit"] == "s"
    assert uptime["observedValue"] >= 0
    assert uptime["time"].endswith("Z")


def test_liveness_makes_no_dependency_calls(make_client: Callable[..., TestClient]) -> None:
    closed = free_port()
    client = make_client(
        database_url=f"postgresql://postgres@127.0.0.1:{closed}/nope",
        redis_url=f"redis://127.0.0.1:{closed}/0",
    )

    assert client.get("/health").json()["status"] == "pass"
    assert client.get("/api/health").status_code == 200


@pytest.mark.parametrize("prefix", ["", "/api"])
def test_database_check_passes_against_real_postgres(client: TestClient, prefix: str) -> None:
    response = client.get(f"{prefix}/health/db")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/health+json"
    body = response.json()
    assert body["status"] == "pass"
    assert "output" not in body
    check = body["checks"]["postgres:connection"][0]
    assert check["componentType"] == "datastore"
    assert check["status"] == "pass"
    assert check["observedUnit"] == "ms"
    assert check["observedValue"] >= 0


@pytest.mark.parametrize("prefix", ["", "/api"])
def test_cache_check_passes_against_real_redis(client: TestClient, prefix: str) -> None:
    response = client.get(f"{prefix}/health/cache")

    assert response.status_code == 200
    check = response.json()["checks"]["redis:connection"][0]
    assert check == {**check, "componentType": "datastore", "status": "pass", "observedUnit": "ms"}


def test_database_check_fails_fast_when_nothing_listens(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(database_url=f"postgresql://postgres@127.0.0.1:{free_port()}/x")

    started = time.monotonic()
    response = client.get("/health/db")

    assert time.monotonic() - started < 2
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["output"].startswith("postgres:connection: OperationalError")
    assert body["checks"]["postgres:connection"][0]["status"] == "fail"


def test_database_check_gives_up_on_a_server_that_never_answers(
    make_client: Callable[..., TestClient],
) -> None:
    with stalled_server() as port:
        client = make_client(
            database_url=f"postgresql://postgres@127.0.0.1:{port}/x", health_check_timeout=0.5
        )
        started = time.monotonic()
        response = client.get("/api/health/db")
        elapsed = time.monotonic() - started

    assert elapsed < 1.5
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["output"] == "postgres:connection: no answer within 0.5 s"
    assert "observedValue" not in body["checks"]["postgres:connection"][0]


def test_database_check_fails_when_the_statement_timeout_cancels_a_slow_query(
    make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health_checks, "POSTGRES_PROBE_SQL", "SELECT pg_sleep(5)")
    client = make_client(db_statement_timeout_ms=200, health_check_timeout=4)

    started = time.monotonic()
    response = client.get("/health/db")

    assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert "statement timeout" in response.json()["output"]


def test_database_check_warns_when_postgres_answers_slowly(
    make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health_checks, "POSTGRES_PROBE_SQL", "SELECT pg_sleep(0.2)")
    client = make_client(health_warn_ms=100)

    response = client.get("/health/db")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "warn"
    assert "above the 100 ms warn threshold" in body["output"]
    check = body["checks"]["postgres:connection"][0]
    assert check["status"] == "warn"
    assert check["observedValue"] >= 200


def test_cache_check_fails_when_redis_is_down(make_client: Callable[..., TestClient]) -> None:
    client = make_client(redis_url=f"redis://127.0.0.1:{free_port()}/0")

    response = client.get("/api/health/cache")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["output"].startswith("redis:connection: ConnectionError")


def test_cache_check_is_bounded_by_the_socket_timeout(
    make_client: Callable[..., TestClient],
) -> None:
    with stalled_server() as port:
        client = make_client(redis_url=f"redis://127.0.0.1:{port}/0", redis_socket_timeout=0.3)
        started = time.monotonic()
        response = client.get("/health/cache")
        elapsed = time.monotonic() - started

    assert elapsed < 1.5
    assert response.status_code == 503
    assert response.json()["output"].startswith("redis:connection: TimeoutError")


def test_cache_check_warns_above_the_threshold(make_client: Callable[..., TestClient]) -> None:
    client = make_client(health_warn_ms=0)

    response = client.get("/health/cache")

    assert response.status_code == 200
    assert response.json()["status"] == "warn"


def test_overall_status_is_the_worst_component() -> None:
    def result(status: health_checks.Status) -> health_checks.CheckResult:
        return health_checks.CheckResult("x", "component", status, 1.0, "t")

    assert health_checks.overall_status([]) == "pass"
    assert health_checks.overall_status([result("pass"), result("warn")]) == "warn"
    assert health_checks.overall_status([result("fail"), result("warn")]) == "fail"


def test_health_routes_exist_at_the_root_and_under_api(client: TestClient) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])

    assert {p for p in paths if "health" in p} == {
        *HEALTH_PATHS,
        *(f"/api{p}" for p in HEALTH_PATHS),
    }
