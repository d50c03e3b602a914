"""Redis cache for agent lists. Best effort: any Redis failure degrades to the database."""

from __future__ import annotations

import logging

import redis
from fastapi import Request
from redis.backoff import NoBackoff
from redis.retry import Retry

from app.schemas import AgentPage
from app.settings import Settings

logger = logging.getLogger(__name__)

KEY_PREFIX = "helloagents:agents"
VERSION_KEY = f"{KEY_PREFIX}:version"


def create_redis_client(settings: Settings) -> redis.Redis:
    return redis.Redis.from_url(
        settings.effective_redis_url,
        socket_connect_timeout=settings.redis_socket_timeout,
        socket_timeout=settings.redis_socket_timeout,
        retry=Retry(NoBackoff(), 0),  # fail fast: a slow cache must not slow the API down
        health_check_interval=0,
        decode_responses=True,
    )


def list_key(version: int, limit: int, offset: int) -> str:
    return f"{KEY_PREFIX}:list:v{version}:limit={limit}:offset={offset}"


class AgentListCache:
    """Pages of ``GET /api/agents``, keyed by a version counter bumped on every write.

    Readers build the key from the version they saw, so a page computed before a write
    can never be served after it; stale pages simply expire.
    """

    def __init__(self, client: redis.Redis, ttl_seconds: int) -> None:
        self.client = client
        self.ttl_seconds = ttl_seconds

    def key_for(self, limit: int, offset: int) -> str | None:
        try:
            version = self.client.get(VERSION_KEY)
        except (redis.RedisError, OSError) as error:
            logger.warning("cache unavailable, reading from database: %s", error)
            return None
        return list_key(int(str(version)) if version else 0, limit, offset)

    def get(self, key: str) -> AgentPage | None:
        try:
            raw = self.client.get(key)
        except (redis.RedisError, OSError) as error:
            logger.warning("cache read failed: %s", error)
            return None
        if raw is None:
            return None
        try:
            return AgentPage.model_validate_json(str(raw))
        except ValueError:
            logger.warning("discarding undecodable cache entry %s", key)
            return None

    def put(self, key: str, page: AgentPage) -> None:
        try:
            self.client.set(key, page.model_dump_json(), ex=self.ttl_seconds)
        except (redis.RedisError, OSError) as error:
            logger.warning("cache write failed: %s", error)

    def invalidate(self) -> None:
        try:
            self.client.incr(VERSION_KEY)
        except (redis.RedisError, OSError) as error:
            logger.warning("cache invalidation failed: %s", error)


def get_agent_cache(request: Request) -> AgentListCache:
    cache: AgentListCache = request.app.state.agent_cache
    return cache
