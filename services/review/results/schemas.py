"""Result shapes: per application stage scores, total, band, rank, winner, explanation."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field

from common.schemas import ReadSchema, Schema, ShortText
from common.states import ResultsStatus
from services.review.panels.schemas import DecimalStr


class ResultRead(ReadSchema):
    application_id: UUID
    stage_scores: dict[str, DecimalStr]
    total: DecimalStr
    band: str
    qualified: bool
    rank: int
    winner: bool
    explanation: list[dict[str, Any]]


class ResultsRead(ReadSchema):
    challenge_id: UUID
    status: ResultsStatus
    publicity_opens_at: datetime | None
    publicity_closes_at: datetime | None
    chosen_application_ids: list[UUID]
    horse_race: dict[str, Any] | None
    override_reason: str | None
    items: list[ResultRead]
    next_cursor: str | None = None
    evaluation_opinions: list[dict[str, Any]] = Field(
        default_factory=list,
        description="The bureau's evaluation opinions on the solvers, for the owner (URC 二(三))",
    )


class Consent(Schema):
    application_id: UUID
    consent: Literal[True]
    by: ShortText


class HorseRaceCreate(Schema):
    consents: list[Consent] = Field(min_length=1, max_length=20)
    override_reason: Annotated[str, Field(max_length=2000)] | None = None


class ChoiceCreate(Schema):
    application_id: UUID


class EvaluationOpinionCreate(Schema):
    """The bureau's evaluation opinion on one solver, given to the owner (URC 二(三))."""

    application_id: UUID
    opinion: Annotated[str, Field(min_length=1, max_length=20_000)]
