"""Demand payloads (DOMAIN.md §3.2). Drafts may be incomplete; submit checks completeness."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, StringConstraints

from common.documents import DocumentLink, DocumentRefs
from common.money import Money
from common.schemas import ReadSchema, Schema, ShortText
from common.states import DemandStatus
from services.intake.rounds.schemas import Code, Override, Reason

Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Unit = Annotated[str, StringConstraints(max_length=32)]
Phone = Annotated[str, StringConstraints(max_length=32, pattern=r"^[0-9+\- ()]*$")]
Category = Literal["tech_breakthrough", "achievement_transfer"]


class CoreIndicator(Schema):
    name: ShortText
    target: ShortText
    unit: Unit | None = None


class EvaluationOpinion(Schema):
    """评价/推荐意见 an achievement-transfer demand carries (URC 二(一))."""

    issuer_kind: Code
    issuer_name: ShortText
    summary: Annotated[str, StringConstraints(max_length=5000)] = ""


class ProjectManager(Schema):
    """项目经理人 the owner names (URC 三(四))."""

    name: ShortText
    phone: Phone | None = None


Indicators = Annotated[list[CoreIndicator], Field(max_length=50)]
Months = Annotated[int, Field(ge=1, le=240)]


class DemandFields(Schema):
    field: Code | None = None
    problem: Text | None = None
    core_indicators: Indicators | None = None
    due_months: Months | None = None
    expected_results: Text | None = None
    end_users: Text | None = None
    total_investment: Money | None = None
    bounty_amount: Money | None = None
    classified: bool | None = None
    evaluation_opinion: EvaluationOpinion | None = None
    project_manager: ProjectManager | None = None
    documents: DocumentRefs | None = None


class DemandCreate(DemandFields):
    round_id: UUID
    category: Category
    title: ShortText


class DemandUpdate(DemandFields):
    category: Category | None = None
    title: ShortText | None = None


class DemandSubmit(Schema):
    """Only a bureau user's reason lifts a soft rule (e.g. classified, URC 二(一))."""

    override_reason: Reason | None = None


class DemandRead(ReadSchema):
    id: UUID
    city: str
    round_id: UUID
    owner_org_id: UUID
    category: str
    field: str | None
    title: str
    problem: str | None
    core_indicators: list[CoreIndicator]
    due_months: int | None
    expected_results: str | None
    end_users: str | None
    total_investment: Money | None
    bounty_amount: Money | None
    classified: bool
    evaluation_opinion: EvaluationOpinion | None
    project_manager: ProjectManager | None
    documents: list[DocumentLink]
    status: DemandStatus
    over_quota: bool
    overrides: list[Override]
    submitted_at: datetime | None
    published_at: datetime | None
    created_at: datetime
