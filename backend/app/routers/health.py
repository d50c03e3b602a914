"""Liveness and dependency health, mounted at ``/`` and again under ``/api``."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.health_checks import (
    CheckResult,
    now_iso,
    overall_status,
    postgres_probe,
    redis_probe,
    run_check,
)
from app.settings import Settings

HEALTH_MEDIA_TYPE = "application/health+json"

router = APIRouter(tags=["health"])


class HealthResponse(JSONResponse):
    media_type = HEALTH_MEDIA_TYPE


def health_response(settings: Settings, results: list[CheckResult]) -> HealthResponse:
    status = overall_status(results)
    body: dict[str, Any] = {
        "status": status,
        "version": settings.app_version,
        "serviceId": "helloagents-backend",
        "description": "HelloAgents API",
    }
    problems = [f"{r.name}: {r.output}" for r in results if r.status != "pass" and r.output]
    if problems:
        body["output"] = "; ".join(problems)
    body["checks"] = {r.name: [r.as_json()] for r in results}
    return HealthResponse(
        body,
        status_code=503 if status == "fail" else 200,
        headers={"Cache-Control": "no-store"},
    )


@router.get("/health", response_class=HealthResponse, summary="Liveness: no dependency calls")
async def health(request: Request) -> HealthResponse:
    uptime = round(time.monotonic() - request.app.state.started_at, 3)
    result = CheckResult("uptime", "system", "pass", uptime, now_iso(), observed_unit="s")
    return health_response(request.app.state.settings, [result])


async def dependency_health(
    request: Request, name: str, probe: Callable[[], object]
) -> HealthResponse:
    """Run one dependency probe within the configured deadline and answer in the health format."""
    settings: Settings = request.app.state.settings
    result = await run_check(
        name,
        "datastore",
        probe,
        deadline_s=settings.health_check_timeout,
        warn_ms=settings.health_warn_ms,
    )
    return health_response(settings, [result])


@router.get("/health/db", response_class=HealthResponse, summary="PostgreSQL connectivity")
async def health_db(request: Request) -> HealthResponse:
    return await dependency_health(
        request, "postgres:connection", postgres_probe(request.app.state.engine)
    )


@router.get("/health/cache", response_class=HealthResponse, summary="Redis connectivity")
async def health_cache(request: Request) -> HealthResponse:
    return await dependency_health(
        request, "redis:connection", redis_probe(request.app.state.redis)
    )
