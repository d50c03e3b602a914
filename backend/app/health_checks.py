"""Dependency probes with a hard time bound, reported in the IETF health-check draft shape.

See https://datatracker.ietf.org/doc/html/draft-inadarei-api-health-check
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import redis
from sqlalchemy import Engine, text

Status = Literal["pass", "warn", "fail"]

# The statement the PostgreSQL probe runs; tests swap in ``pg_sleep`` to simulate a slow database.
POSTGRES_PROBE_SQL = "SELECT 1"

_SEVERITY: dict[Status, int] = {"pass": 0, "warn": 1, "fail": 2}


@dataclass(frozen=True)
class CheckResult:
    name: str
    component_type: str
    status: Status
    observed_value: float | None
    time: str
    output: str | None = None
    observed_unit: str = "ms"

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"componentType": self.component_type, "status": self.status}
        if self.observed_value is not None:
            body["observedValue"] = self.observed_value
            body["observedUnit"] = self.observed_unit
        body["time"] = self.time
        if self.output:
            body["output"] = self.output
        return body


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def overall_status(results: list[CheckResult]) -> Status:
    worst: Status = "pass"
    for result in results:
        if _SEVERITY[result.status] > _SEVERITY[worst]:
            worst = result.status
    return worst


def _one_line(error: BaseException) -> str:
    message = str(error).strip().splitlines()
    return f"{type(error).__name__}: {message[0]}" if message else type(error).__name__


async def run_check(
    name: str,
    component_type: str,
    probe: Callable[[], object],
    *,
    deadline_s: float,
    warn_ms: float,
) -> CheckResult:
    """Run a blocking probe in a worker thread; never wait longer than ``deadline_s``."""
    started = time.perf_counter()
    try:
        await asyncio.wait_for(asyncio.to_thread(probe), timeout=deadline_s)
    except TimeoutError:
        return CheckResult(
            name, component_type, "fail", None, now_iso(), f"no answer within {deadline_s:g} s"
        )
    except Exception as error:  # noqa: BLE001 - any failure of the dependency is a "fail"
        elapsed = round((time.perf_counter() - started) * 1000, 2)
        return CheckResult(name, component_type, "fail", elapsed, now_iso(), _one_line(error))
    elapsed = round((time.perf_counter() - started) * 1000, 2)
    if elapsed > warn_ms:
        return CheckResult(
            name,
            component_type,
            "warn",
            elapsed,
            now_iso(),
            f"responded in {elapsed:g} ms, above the {warn_ms:g} ms warn threshold",
        )
    return CheckResult(name, component_type, "pass", elapsed, now_iso())


def postgres_probe(engine: Engine) -> Callable[[], object]:
    def probe() -> object:
        with engine.connect() as connection:
            return connection.execute(text(POSTGRES_PROBE_SQL)).scalar()

    return probe


def redis_probe(client: redis.Redis) -> Callable[[], object]:
    def probe() -> object:
        return client.ping()

    return probe
