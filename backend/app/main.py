"""Application factory."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.cache import AgentListCache, create_redis_client
from app.db import create_db_engine, create_session_factory
from app.request_context import RequestContextMiddleware
from app.routers import agents, health
from app.settings import Settings, load_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            app.state.redis.close()
            app.state.engine.dispose()

    app = FastAPI(title="HelloAgents API", version=settings.app_version, lifespan=lifespan)
    engine = create_db_engine(settings)
    redis_client = create_redis_client(settings)
    app.state.settings = settings
    app.state.started_at = time.monotonic()
    app.state.engine = engine
    app.state.session_factory = create_session_factory(engine)
    app.state.redis = redis_client
    app.state.agent_cache = AgentListCache(redis_client, settings.cache_ttl_seconds)

    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID"],
        )
    app.add_middleware(RequestContextMiddleware)

    app.include_router(health.router)
    app.include_router(health.router, prefix="/api")
    app.include_router(agents.router)
    return app
