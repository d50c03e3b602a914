"""The test harness itself: missing server binaries fail loudly instead of skipping."""

from __future__ import annotations

import glob
import shutil

import pytest

from tests import services


def test_missing_postgres_binaries_fail_with_instructions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    monkeypatch.setattr(glob, "glob", lambda _pattern: [])

    with pytest.raises(services.ServiceUnavailableError, match="set TEST_DATABASE_URL"):
        services.local_postgres().__enter__()


def test_missing_redis_server_fails_with_instructions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)

    with pytest.raises(services.ServiceUnavailableError, match="set TEST_REDIS_URL"):
        services.local_redis().__enter__()
