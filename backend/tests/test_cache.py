"""Agent list pages are cached in Redis, invalidated on writes, and optional."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient

from app.cache import VERSION_KEY, list_key
from tests.services import TcpProxy, free_port

NewAgent = Callable[..., dict[str, Any]]


def list_keys(client: redis.Redis) -> list[str]:
    return sorted(str(k) for k in client.scan_iter("helloagents:agents:list:*"))


def test_list_is_stored_in_redis_with_a_short_ttl(
    client: TestClient, new_agent: NewAgent, redis_client: redis.Redis
) -> None:
    new_agent()

    first = client.get("/api/agents", params={"limit": 5, "offset": 0})
    second = client.get("/api/agents", params={"limit": 5, "offset": 0})

    assert first.headers["x-cache"] == "MISS"
    assert second.headers["x-cache"] == "HIT"
    assert second.json() == first.json()
    key = list_key(1, 5, 0)
    assert list_keys(redis_client) == [key]
    assert 0 < redis_client.ttl(key) <= 30
    assert redis_client.get(key) is not None


def test_cached_page_is_served_until_a_write_invalidates_it(
    client: TestClient, new_agent: NewAgent, redis_client: redis.Redis
) -> None:
    client.get("/api/agents")
    key = list_key(0, 20, 0)
    redis_client.set(key, '{"items":[],"total":999,"limit":20,"offset":0}')

    assert client.get("/api/agents").json()["total"] == 999

    new_agent()
    assert client.get("/api/agents").json()["total"] == 1


@pytest.mark.parametrize("write", ["create", "update", "delete"])
def test_every_write_bumps_the_cache_version(
    client: TestClient, new_agent: NewAgent, redis_client: redis.Redis, write: str
) -> None:
    agent = new_agent()
    client.get("/api/agents")
    version_before = int(redis_client.get(VERSION_KEY) or 0)
    assert list_keys(redis_client) == [list_key(version_before, 20, 0)]

    if write == "create":
        new_agent()
    elif write == "update":
        assert client.patch(f"/api/agents/{agent['id']}", json={"model": "m2"}).status_code == 200
    else:
        assert client.delete(f"/api/agents/{agent['id']}").status_code == 204

    assert int(redis_client.get(VERSION_KEY) or 0) == version_before + 1
    fresh = client.get("/api/agents")
    assert fresh.headers["x-cache"] == "MISS"
    assert list_key(version_before + 1, 20, 0) in list_keys(redis_client)
    expected_total = {"create": 2, "update": 1, "delete": 0}[write]
    assert fresh.json()["total"] == expected_total


def test_rejected_writes_do_not_invalidate(
    client: TestClient, new_agent: NewAgent, redis_client: redis.Redis
) -> None:
    new_agent(name="taken")
    version = redis_client.get(VERSION_KEY)

    assert (
        client.post(
            "/api/agents", json={"name": "taken", "provider": "openai", "model": "m"}
        ).status_code
        == 409
    )
    assert client.post("/api/agents", json={}).status_code == 422

    assert redis_client.get(VERSION_KEY) == version


def test_undecodable_cache_entry_falls_back_to_the_database(
    client: TestClient, new_agent: NewAgent, redis_client: redis.Redis
) -> None:
    new_agent()
    redis_client.set(list_key(1, 20, 0), "not json")

    response = client.get("/api/agents")

    assert response.headers["x-cache"] == "MISS"
    assert response.json()["total"] == 1


def test_api_works_from_the_database_when_redis_is_unreachable(
    make_client: Callable[..., TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    caplog.set_level(logging.WARNING, logger="app.cache")

    created = client.post("/api/agents", json={"name": "a", "provider": "openai", "model": "m"})
    listed = client.get("/api/agents")
    patched = client.patch(f"/api/agents/{created.json()['id']}", json={"model": "m2"})
    deleted = client.delete(f"/api/agents/{created.json()['id']}")

    assert created.status_code == 201
    assert listed.status_code == 200
    assert listed.json()["total"] == 1
    assert listed.headers["x-cache"] == "MISS"
    assert patched.status_code == 200
    assert deleted.status_code == 204
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(m.startswith("cache unavailable, reading from database") for m in messages)
    assert any(m.startswith("cache invalidation failed") for m in messages)


def test_redis_going_down_mid_flight_degrades_to_the_database(
    make_client: Callable[..., TestClient], redis_url: str, new_agent: NewAgent
) -> None:
    target = redis.Redis.from_url(redis_url).connection_pool.connection_kwargs
    proxy = TcpProxy(str(target["host"]), int(target["port"]))
    client = make_client(redis_url=f"redis://127.0.0.1:{proxy.port}/0")
    client.post("/api/agents", json={"name": "before", "provider": "openai", "model": "m"})
    client.get("/api/agents")
    assert client.get("/api/agents").headers["x-cache"] == "HIT"
    assert client.get("/health/cache").status_code == 200

    proxy.shut_down()

    assert client.get("/health/cache").status_code == 503
    created = client.post("/api/agents", json={"name": "after", "provider": "openai", "model": "m"})
    assert created.status_code == 201
    listed = client.get("/api/agents")
    assert listed.status_code == 200
    assert [item["name"] for item in listed.json()["items"]] == ["before", "after"]


def test_cache_read_and_write_failures_are_swallowed(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    cache = client.app.state.agent_cache  # type: ignore[attr-defined]

    def broken(*_args: object, **_kwargs: object) -> None:
        raise redis.ConnectionError("boom")

    monkeypatch.setattr(cache.client, "set", broken)
    assert client.get("/api/agents").status_code == 200
    monkeypatch.setattr(cache.client, "get", lambda key: None if key == VERSION_KEY else broken())
    assert client.get("/api/agents").status_code == 200

    messages = [r.getMessage() for r in caplog.records]
    assert "cache write failed: boom" in messages
    assert "cache read failed: boom" in messages
