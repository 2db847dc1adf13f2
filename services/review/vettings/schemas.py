"""Vetting input and output shapes."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field, model_validator

from common.auth import Role
from common.money import Score
from common.schemas import LongText, ReadSchema, Schema
from common.states import VettingVerdict


class CriterionAssessment(Schema):
    """A criterion (innovativeness, necessity, feasibility …) scored, noted, or both."""

    score: Score | None = None
    note: LongText | None = None

    @model_validator(mode="after")
    def _something(self) -> "CriterionAssessment":
        if self.score is None and not self.note:
            raise ValueError("give a score, a note, or both")
        return self


class VettingCreate(Schema):
    demand_id: UUID
    criteria: dict[Annotated[str, Field(max_length=64)], CriterionAssessment] = Field(max_length=20)
    verdict: Literal["pass", "fail"]
    field_visit_note: LongText | None = None


class VettingRead(ReadSchema):
    id: UUID
    city: str
    demand_id: UUID
    expert_id: UUID | None
    vetted_by: str
    vetted_by_role: Role
    criteria: dict[str, Any]
    verdict: VettingVerdict
    field_visit_note: str | None
    created_at: datetime


class AssignmentCreate(Schema):
    demand_id: UUID
    expert_ids: list[UUID] = Field(min_length=1, max_length=25)


class AssignmentRead(ReadSchema):
    id: UUID
    demand_id: UUID
    expert_id: UUID
    created_at: datetime
