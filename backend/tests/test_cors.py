"""CORS is off by default and allows exactly the configured origins."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type",
}


def test_configured_origin_may_call_the_api(make_client: Callable[..., TestClient]) -> None:
    client = make_client(cors_origins="https://app.example, https://admin.example")

    preflight = client.options(
        "/api/agents", headers={"Origin": "https://admin.example", **PREFLIGHT}
    )
    simple = client.get("/api/health", headers={"Origin": "https://app.example"})

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://admin.example"
    assert simple.headers["access-control-allow-origin"] == "https://app.example"
    assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()


def test_other_origins_get_no_cors_headers(make_client: Callable[..., TestClient]) -> None:
    client = make_client(cors_origins="https://app.example")

    response = client.get("/api/health", headers={"Origin": "https://evil.example"})

    assert "access-control-allow-origin" not in response.headers


def test_cors_is_off_without_configuration(client: TestClient) -> None:
    response = client.get("/api/health", headers={"Origin": "https://app.example"})

    assert "access-control-allow-origin" not in response.headers
