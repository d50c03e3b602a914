"""The /api/agents resource against a real PostgreSQL schema."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

NewAgent = Callable[..., dict[str, Any]]


def test_create_returns_201_with_generated_fields(client: TestClient) -> None:
    response = client.post(
        "/api/agents", json={"name": "  Researcher ", "provider": "openai", "model": "gpt-4o"}
    )

    assert response.status_code == 201
    body = response.json()
    assert uuid.UUID(body["id"])
    assert body["name"] == "Researcher"
    assert body["provider"] == "openai"
    assert body["system_prompt"] == ""
    assert body["created_at"] == body["updated_at"]


def test_get_returns_the_stored_agent(client: TestClient, new_agent: NewAgent) -> None:
    created = new_agent(system_prompt="Be brief.")

    response = client.get(f"/api/agents/{created['id']}")

    assert response.status_code == 200
    assert response.json() == created


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_unknown_id_is_404_with_a_message(client: TestClient, method: str) -> None:
    agent_id = uuid.uuid4()
    kwargs: dict[str, Any] = {"json": {"model": "x"}} if method == "patch" else {}

    response = client.request(method.upper(), f"/api/agents/{agent_id}", **kwargs)

    assert response.status_code == 404
    assert response.json() == {"detail": f"agent {agent_id} not found"}


def test_malformed_id_is_422(client: TestClient) -> None:
    response = client.get("/api/agents/not-a-uuid")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "agent_id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"provider": "openai", "model": "m"}, "name"),
        ({"name": "", "provider": "openai", "model": "m"}, "name"),
        ({"name": "x" * 101, "provider": "openai", "model": "m"}, "name"),
        ({"name": "a", "provider": "mistral", "model": "m"}, "provider"),
        ({"name": "a", "provider": "openai", "model": "   "}, "model"),
        (
            {"name": "a", "provider": "openai", "model": "m", "system_prompt": "p" * 20001},
            "system_prompt",
        ),
        ({"name": "a", "provider": "openai", "model": "m", "temperature": 1}, "temperature"),
    ],
)
def test_invalid_create_is_422_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    response = client.post("/api/agents", json=body)

    assert response.status_code == 422
    assert [item["loc"] for item in response.json()["detail"]] == [["body", field]]


def test_system_prompt_of_exactly_the_limit_is_accepted(new_agent: NewAgent) -> None:
    assert len(new_agent(system_prompt="p" * 20000)["system_prompt"]) == 20000


def test_duplicate_name_is_409(client: TestClient, new_agent: NewAgent) -> None:
    new_agent(name="twin")

    response = client.post("/api/agents", json={"name": "twin", "provider": "openai", "model": "m"})

    assert response.status_code == 409
    assert response.json() == {"detail": "an agent named 'twin' already exists"}


def test_patch_changes_only_the_fields_sent(client: TestClient, new_agent: NewAgent) -> None:
    created = new_agent(system_prompt="keep me")

    response = client.patch(f"/api/agents/{created['id']}", json={"model": "claude-opus"})

    assert response.status_code == 200
    body = response.json()
    assert body["model"] == "claude-opus"
    assert body["system_prompt"] == "keep me"
    assert body["name"] == created["name"]
    assert datetime.fromisoformat(body["updated_at"]) > datetime.fromisoformat(
        created["updated_at"]
    )
    assert body["created_at"] == created["created_at"]


def test_empty_patch_changes_nothing(client: TestClient, new_agent: NewAgent) -> None:
    created = new_agent()

    response = client.patch(f"/api/agents/{created['id']}", json={})

    assert response.status_code == 200
    assert response.json() == created


def test_patch_to_a_taken_name_is_409(client: TestClient, new_agent: NewAgent) -> None:
    new_agent(name="first")
    second = new_agent(name="second")

    response = client.patch(f"/api/agents/{second['id']}", json={"name": "first"})

    assert response.status_code == 409
    assert client.get(f"/api/agents/{second['id']}").json()["name"] == "second"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": None}, "name"), ({"provider": "gemini"}, "provider"), ({"model": ""}, "model")],
)
def test_invalid_patch_is_422_naming_the_field(
    client: TestClient, new_agent: NewAgent, body: dict[str, Any], field: str
) -> None:
    created = new_agent()

    response = client.patch(f"/api/agents/{created['id']}", json=body)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_delete_is_204_and_the_agent_is_gone(client: TestClient, new_agent: NewAgent) -> None:
    created = new_agent()

    response = client.delete(f"/api/agents/{created['id']}")

    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"/api/agents/{created['id']}").status_code == 404


def test_list_defaults_to_20_items_in_creation_order(
    client: TestClient, new_agent: NewAgent
) -> None:
    names = [new_agent()["name"] for _ in range(22)]

    body = client.get("/api/agents").json()

    assert body["total"] == 22
    assert body["limit"] == 20
    assert body["offset"] == 0
    assert [item["name"] for item in body["items"]] == names[:20]


def test_list_pages_with_limit_and_offset(client: TestClient, new_agent: NewAgent) -> None:
    names = [new_agent()["name"] for _ in range(5)]

    body = client.get("/api/agents", params={"limit": 2, "offset": 3}).json()

    assert [item["name"] for item in body["items"]] == names[3:5]
    assert (body["total"], body["limit"], body["offset"]) == (5, 2, 3)
    beyond = client.get("/api/agents", params={"offset": 50}).json()
    assert beyond["items"] == []
    assert beyond["total"] == 5


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"offset": -1}, "offset"),
        ({"limit": "many"}, "limit"),
    ],
)
def test_list_rejects_out_of_range_paging(
    client: TestClient, params: dict[str, Any], field: str
) -> None:
    response = client.get("/api/agents", params=params)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", field]


def test_limit_of_100_is_allowed(client: TestClient) -> None:
    assert client.get("/api/agents", params={"limit": 100}).json()["limit"] == 100
