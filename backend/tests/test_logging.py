"""Request ids and JSON log lines."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from fastapi.testclient import TestClient

from app.logging import JsonFormatter, configure_logging, request_id_var
from app.request_context import resolve_request_id


def test_incoming_request_id_is_echoed(client: TestClient) -> None:
    response = client.get("/health", headers={"X-Request-ID": "abc-123.trace:7"})

    assert response.headers["x-request-id"] == "abc-123.trace:7"


def test_a_request_id_is_generated_when_missing(client: TestClient) -> None:
    first = client.get("/health").headers["x-request-id"]
    second = client.get("/health").headers["x-request-id"]

    assert len(first) == 32
    assert first != second


@pytest.mark.parametrize("bad", ["x" * 129, "has space", "semi;colon", "new\\nline", ""])
def test_unsafe_request_ids_are_replaced(client: TestClient, bad: str) -> None:
    assert resolve_request_id(bad) != bad
    echoed = client.get("/health", headers={"X-Request-ID": bad}).headers["x-request-id"]
    assert echoed != bad
    assert len(echoed) == 32


def test_request_id_of_128_safe_characters_is_kept() -> None:
    assert resolve_request_id("a" * 128) == "a" * 128


def test_access_log_carries_request_fields(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app.access")

    client.get("/api/agents?limit=3", headers={"X-Request-ID": "req-42"})

    record = next(r for r in caplog.records if r.name == "app.access")
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "INFO"
    assert line["logger"] == "app.access"
    assert line["message"] == "GET /api/agents 200"
    assert line["method"] == "GET"
    assert line["path"] == "/api/agents"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["request_id"] == "req-42"
    assert line["ts"].endswith("+00:00")


def test_log_lines_inside_a_request_inherit_its_id() -> None:
    token = request_id_var.set("ctx-id")
    try:
        record = logging.LogRecord("app.x", logging.WARNING, __file__, 1, "hi %s", ("there",), None)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)

    assert line["request_id"] == "ctx-id"
    assert line["message"] == "hi there"


def test_exceptions_are_logged_in_one_json_line() -> None:
    try:
        raise ValueError("bad")
    except ValueError:
        record = logging.LogRecord("app", logging.ERROR, __file__, 1, "oops", (), sys.exc_info())

    formatted = JsonFormatter().format(record)

    assert "\n" not in formatted
    assert "ValueError: bad" in json.loads(formatted)["exc_info"]


def test_configure_logging_writes_json_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        configure_logging("WARNING")
        logging.getLogger("app.test").warning("careful", extra={"thing": 1})
        logging.getLogger("app.test").info("hidden")
    finally:
        root.handlers[:], root.level = saved

    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0]) == {
        **json.loads(lines[0]),
        "level": "WARNING",
        "thing": 1,
        "message": "careful",
        "request_id": None,
    }
