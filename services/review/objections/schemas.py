"""Objection shapes."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from common.auth import Role
from common.schemas import ReadSchema, Schema
from common.states import ObjectionStatus

Text = Annotated[str, Field(min_length=1, max_length=20_000)]


class ObjectionCreate(Schema):
    challenge_id: UUID
    application_id: UUID | None = None
    text: Text


class ObjectionAnswer(Schema):
    answer: Text


class ObjectionResolve(Schema):
    outcome: Literal["upheld", "dismissed"]
    reason: Text


class ObjectionRead(ReadSchema):
    id: UUID
    challenge_id: UUID
    application_id: UUID | None
    text: str
    filed_by: str
    filed_by_role: Role
    status: ObjectionStatus
    answer: str | None
    answered_at: datetime | None
    resolution_reason: str | None
    resolved_at: datetime | None
    created_at: datetime
