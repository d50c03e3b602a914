"""Request and response bodies."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

NAME_MAX = 100
MODEL_MAX = 100
SYSTEM_PROMPT_MAX = 20_000

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX)]
ModelName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MODEL_MAX)
]
SystemPrompt = Annotated[str, Field(max_length=SYSTEM_PROMPT_MAX)]


class Provider(StrEnum):
    ANTHROPIC = "anthropic"
    OPENAI = "openai"


class AgentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    provider: Provider
    model: ModelName
    system_prompt: SystemPrompt = ""


class AgentUpdate(BaseModel):
    """PATCH body: every field optional, but a field that is sent may not be null."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    provider: Provider | None = None
    model: ModelName | None = None
    system_prompt: SystemPrompt | None = None

    @field_validator("name", "provider", "model", "system_prompt")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may be omitted but not null")
        return value


class AgentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    provider: Provider
    model: str
    system_prompt: str
    created_at: datetime
    updated_at: datetime


class AgentPage(BaseModel):
    items: list[AgentRead]
    total: int
    limit: int
    offset: int
