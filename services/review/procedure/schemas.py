"""Shapes of the procedure's records: quota, joint review (proposal), decision meeting."""

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field

from common.schemas import ReadSchema, Schema, ShortText
from common.states import ProposalStatus

Text = Annotated[str, Field(min_length=1, max_length=20_000)]
Year = Annotated[int, Field(ge=2000, le=2100, examples=[2025])]


class QuotaSet(Schema):
    """How many projects the bureau may establish this year (立项控制数)."""

    projects: Annotated[int, Field(ge=0, le=100_000)]


class QuotaRead(Schema):
    year: int
    projects: int
    used: int


class CreditCheck(Schema):
    """The credit check (信用核查): where it was looked up, when, and what it found."""

    source: ShortText = Field(examples=["信用中国（湖州）"])
    checked_on: date
    result: Literal["pass", "fail"]
    reference: ShortText | None = None


class JointReviewCreate(Schema):
    """The divisions' joint review (处室联审) of one winning application; again until the
    meeting decides (each run replaces the checks, the audit trail keeps every run)."""

    challenge_id: UUID
    application_id: UUID
    year: Year | None = Field(default=None, description="Quota and budget year; default: now")
    credit: CreditCheck
    exception_reason: Text | None = Field(
        default=None, description="Lets a failed *soft* check pass; kept on the record"
    )


class ProposalRead(ReadSchema):
    id: UUID
    challenge_id: UUID
    application_id: UUID
    year: int
    status: ProposalStatus
    checks: list[dict[str, Any]]
    exception_reason: str | None
    reviewed_by: str
    reviewed_at: datetime
    meeting_id: UUID | None
    meeting_reason: str | None


class MeetingDecision(Schema):
    application_id: UUID
    outcome: Literal["approve", "reject"]
    reason: Text | None = None


class MeetingCreate(Schema):
    """The director meeting (局长办公会议) that decided the proposals collectively."""

    held_on: date
    attendees: list[ShortText] = Field(min_length=1, max_length=100)
    minutes: Text
    minutes_document_id: UUID | None = Field(
        default=None, description="The stored minutes, once documents are stored"
    )
    decisions: list[MeetingDecision] = Field(min_length=1, max_length=500)


class MeetingRead(ReadSchema):
    id: UUID
    held_on: date
    attendees: list[str]
    minutes: str
    minutes_document_id: UUID | None
    decisions: list[dict[str, Any]]
    recorded_by: str
    created_at: datetime
