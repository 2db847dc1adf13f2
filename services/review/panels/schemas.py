"""Panel and score shapes. Scores are exact decimals 0–100 with at most two places."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

from common.money import Score, ScoreOut
from common.schemas import LongText, ReadSchema, Schema, ShortText
from common.states import PanelStatus

ScoreValue = Score
DecimalStr = ScoreOut  # computed scores, normalised on output


class PanelCreate(Schema):
    round_id: UUID
    stage: ShortText
    challenge_ids: list[UUID] = Field(min_length=1, max_length=50)
    expert_ids: list[UUID] = Field(min_length=1, max_length=25)


class ScoreWrite(Schema):
    score: ScoreValue
    comment: Annotated[LongText, Field(min_length=1)]


class ScoreRead(ReadSchema):
    application_id: UUID
    expert_id: UUID
    score: DecimalStr
    comment: str
    updated_at: datetime | None
    created_at: datetime


class EntryRead(ReadSchema):
    application_id: UUID
    challenge_id: UUID
    stage_score: DecimalStr | None = None
    explanation: list[dict[str, Any]] | None = None


class PanelRead(ReadSchema):
    """``scores`` holds every score for the bureau, and only the caller's own for an expert."""

    id: UUID
    city: str
    round_id: UUID
    stage: str
    status: PanelStatus
    ruleset_version: str
    challenge_ids: list[UUID]
    expert_ids: list[UUID]
    entries: list[EntryRead]
    scores: list[ScoreRead]
    closed_at: datetime | None
    created_at: datetime
