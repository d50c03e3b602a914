"""Agent persistence: plain functions over a SQLAlchemy session."""

from __future__ import annotations

import uuid

from psycopg.errors import UniqueViolation
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import Agent
from app.schemas import AgentCreate, AgentUpdate


class AgentNotFoundError(LookupError):
    def __init__(self, agent_id: uuid.UUID) -> None:
        super().__init__(f"agent {agent_id} not found")


class DuplicateAgentNameError(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"an agent named {name!r} already exists")


def list_agents(session: Session, *, limit: int, offset: int) -> tuple[list[Agent], int]:
    total = session.scalar(select(func.count()).select_from(Agent)) or 0
    rows = session.scalars(
        select(Agent).order_by(Agent.created_at, Agent.id).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def get_agent(session: Session, agent_id: uuid.UUID) -> Agent:
    agent = session.get(Agent, agent_id)
    if agent is None:
        raise AgentNotFoundError(agent_id)
    return agent


def _commit(session: Session, name: str) -> None:
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        if isinstance(error.orig, UniqueViolation):
            raise DuplicateAgentNameError(name) from error
        raise


def create_agent(session: Session, data: AgentCreate) -> Agent:
    agent = Agent(**data.model_dump(mode="json"))
    session.add(agent)
    _commit(session, data.name)
    session.refresh(agent)
    return agent


def update_agent(session: Session, agent_id: uuid.UUID, data: AgentUpdate) -> Agent:
    agent = get_agent(session, agent_id)
    changes = data.model_dump(mode="json", exclude_unset=True)
    for field, value in changes.items():
        setattr(agent, field, value)
    if changes:
        _commit(session, changes.get("name", agent.name))
        session.refresh(agent)
    return agent


def delete_agent(session: Session, agent_id: uuid.UUID) -> None:
    agent = get_agent(session, agent_id)
    session.delete(agent)
    session.commit()
