"""CRUD for agents under ``/api/agents``; list pages are cached in Redis."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status
from sqlalchemy.orm import Session

from app import repository
from app.cache import AgentListCache, get_agent_cache
from app.db import get_session
from app.schemas import AgentCreate, AgentPage, AgentRead, AgentUpdate

router = APIRouter(prefix="/api/agents", tags=["agents"])

SessionDep = Annotated[Session, Depends(get_session)]
CacheDep = Annotated[AgentListCache, Depends(get_agent_cache)]

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No agent with this id"}}
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "Another agent already has this name"}
}


def _not_found(error: repository.AgentNotFoundError) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, detail=str(error))


def _conflict(error: repository.DuplicateAgentNameError) -> HTTPException:
    return HTTPException(status.HTTP_409_CONFLICT, detail=str(error))


@router.get("", response_model=AgentPage)
def list_agents(
    session: SessionDep,
    cache: CacheDep,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> AgentPage:
    key = cache.key_for(limit, offset)
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            response.headers["X-Cache"] = "HIT"
            return cached
    rows, total = repository.list_agents(session, limit=limit, offset=offset)
    page = AgentPage(
        items=[AgentRead.model_validate(row) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
    )
    if key is not None:
        cache.put(key, page)
    response.headers["X-Cache"] = "MISS"
    return page


@router.post("", response_model=AgentRead, status_code=status.HTTP_201_CREATED, responses=CONFLICT)
def create_agent(body: AgentCreate, session: SessionDep, cache: CacheDep) -> AgentRead:
    try:
        agent = repository.create_agent(session, body)
    except repository.DuplicateAgentNameError as error:
        raise _conflict(error) from error
    cache.invalidate()
    return AgentRead.model_validate(agent)


@router.get("/{agent_id}", response_model=AgentRead, responses=NOT_FOUND)
def get_agent(agent_id: uuid.UUID, session: SessionDep) -> AgentRead:
    try:
        return AgentRead.model_validate(repository.get_agent(session, agent_id))
    except repository.AgentNotFoundError as error:
        raise _not_found(error) from error


@router.patch("/{agent_id}", response_model=AgentRead, responses={**NOT_FOUND, **CONFLICT})
def update_agent(
    agent_id: uuid.UUID, body: AgentUpdate, session: SessionDep, cache: CacheDep
) -> AgentRead:
    try:
        agent = repository.update_agent(session, agent_id, body)
    except repository.AgentNotFoundError as error:
        raise _not_found(error) from error
    except repository.DuplicateAgentNameError as error:
        raise _conflict(error) from error
    cache.invalidate()
    return AgentRead.model_validate(agent)


@router.delete("/{agent_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
def delete_agent(agent_id: uuid.UUID, session: SessionDep, cache: CacheDep) -> Response:
    try:
        repository.delete_agent(session, agent_id)
    except repository.AgentNotFoundError as error:
        raise _not_found(error) from error
    cache.invalidate()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
