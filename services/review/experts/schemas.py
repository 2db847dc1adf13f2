"""Expert pool input and output shapes."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from common.schemas import ReadSchema, Schema, ShortText

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]


class ExpertCreate(Schema):
    name: ShortText
    org_id: UUID
    fields: list[Code] = Field(default_factory=list, max_length=50)
    affiliated_org_ids: list[UUID] = Field(default_factory=list, max_length=200)


class ExpertRead(ReadSchema):
    id: UUID
    city: str
    name: str
    org_id: UUID
    fields: list[str]
    affiliated_org_ids: list[UUID]
    created_at: datetime


class AssignmentsRead(ReadSchema):
    """What an expert may read in intake: demands to vet and applications to score."""

    demand_ids: list[UUID]
    application_ids: list[UUID]
