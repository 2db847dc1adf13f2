"""Decision shapes."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field

from common.documents import DocumentLink, DocumentRefs
from common.schemas import ReadSchema, Schema
from services.review.decisions.policy import Outcome


class DecisionCreate(Schema):
    challenge_id: UUID
    application_id: UUID
    outcome: Literal["approve", "reject"]
    reason: Annotated[str, Field(max_length=20_000)] | None = None
    agreement_signed_at: datetime | None = Field(
        default=None,
        description="When the agreement was signed; not after now. The money base comes from "
        "the demand and application as submitted, or from approved agreement terms "
        "(POST /decisions/agreement-terms), never from this body.",
    )
    documents: DocumentRefs = Field(
        default_factory=list,
        description="Stored files (POST /documents): the signed agreement when "
        "agreement_signed_at is given (rule set documents.decision)",
    )


class DecisionRead(ReadSchema):
    id: UUID
    challenge_id: UUID
    application_id: UUID
    outcome: Outcome
    reason: str | None
    project_id: UUID | None
    explanation: list[dict[str, Any]]
    documents: list[DocumentLink] = Field(default_factory=list)
    created_at: datetime
