"""``python -m app`` serves the API; ``python -m app.healthcheck`` probes it without curl."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
import uvicorn

import app.__main__ as entrypoint
from app import healthcheck, migrate
from app import logging as app_logging
from tests.services import free_port

BACKEND = Path(__file__).resolve().parent.parent


@pytest.fixture
def fake_service(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """A stand-in HTTP service whose status and body each test chooses."""
    reply: dict[str, Any] = {"code": 200, "body": b'{"status":"pass"}'}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            reply["path"] = self.path
            self.send_response(reply["code"])
            self.end_headers()
            self.wfile.write(reply["body"])

        def log_message(self, *_args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    monkeypatch.setenv("PORT", str(server.server_address[1]))
    try:
        yield reply
    finally:
        server.shutdown()
        server.server_close()


def test_healthcheck_passes_on_a_healthy_service(fake_service: dict[str, Any]) -> None:
    assert healthcheck.main([]) == 0
    assert fake_service["path"] == "/health"


def test_healthcheck_probes_the_path_it_is_given(fake_service: dict[str, Any]) -> None:
    assert healthcheck.main(["/health/db"]) == 0
    assert fake_service["path"] == "/health/db"


@pytest.mark.parametrize(
    ("code", "body"),
    [(503, b'{"status":"fail"}'), (200, b'{"status":"fail"}'), (200, b"not json")],
)
def test_healthcheck_fails_on_an_unhealthy_service(
    fake_service: dict[str, Any], code: int, body: bytes
) -> None:
    fake_service.update(code=code, body=body)

    assert healthcheck.main([]) == 1


def test_healthcheck_fails_when_nothing_listens(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PORT", str(free_port()))

    assert healthcheck.main([]) == 1
    assert "unreachable" in capsys.readouterr().out


def test_main_migrates_when_asked_then_runs_uvicorn(
    monkeypatch: pytest.MonkeyPatch, database_url: str, redis_url: str
) -> None:
    calls: dict[str, Any] = {}
    monkeypatch.setattr(migrate, "upgrade_to_head", lambda url: calls.update(migrated=url))
    monkeypatch.setattr(app_logging, "configure_logging", lambda lvl: calls.update(level=lvl))
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.update(app=app, **kw))
    for name, value in {
        "ENVIRONMENT": "test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "RUN_MIGRATIONS": "1",
        "PORT": "8123",
        "LOG_LEVEL": "WARNING",
    }.items():
        monkeypatch.setenv(name, value)

    assert entrypoint.main() == 0

    assert calls["migrated"] == database_url
    assert calls["level"] == "WARNING"
    assert (calls["host"], calls["port"]) == ("0.0.0.0", 8123)
    assert calls["log_config"] is None
    assert calls["access_log"] is False


def test_main_reports_a_configuration_error_and_returns_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    for name in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "DATABASE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)

    assert entrypoint.main() == 2
    assert capsys.readouterr().err.startswith("configuration error: missing required")


def test_python_m_app_serves_health_and_logs_json(database_url: str, redis_url: str) -> None:
    port = free_port()
    env = {
        **os.environ,
        "ENVIRONMENT": "test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "PORT": str(port),
        "RUN_MIGRATIONS": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "app"],
        cwd=BACKEND,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while healthcheck.check(f"http://127.0.0.1:{port}/health", timeout=1)[0] is False:
            assert server.poll() is None, server.communicate()[1]
            assert time.monotonic() < deadline, "backend did not become healthy"
            time.sleep(0.1)
        probe = subprocess.run(
            [sys.executable, "-m", "app.healthcheck", "/api/health/db"],
            cwd=BACKEND,
            env=env,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        assert probe.returncode == 0, probe.stdout + probe.stderr
        assert probe.stdout.strip() == "healthcheck /api/health/db: 200 pass"
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=20)

    # uvicorn shuts down gracefully, then re-raises SIGTERM so the exit status tells why.
    assert server.returncode == -signal.SIGTERM
    lines = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    assert "Application shutdown complete." in [line["message"] for line in lines]
    assert {"ts", "level", "logger", "message", "request_id"} <= set(lines[0])
    access = [line for line in lines if line["logger"] == "app.access"]
    assert {line["path"] for line in access} >= {"/health", "/api/health/db"}
