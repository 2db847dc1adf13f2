"""Application payloads (API.md field names). Documents are metadata; files live elsewhere."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from common.errors import RuleViolationItem
from common.money import Money
from common.schemas import ReadSchema, Schema, ShortText
from common.states import ApplicationStatus
from services.intake.organizations.schemas import OrgIds
from services.intake.rounds.schemas import Code

Sha256 = Annotated[
    str, StringConstraints(min_length=64, max_length=64, pattern=r"^[0-9a-f]{64}$", to_lower=True)
]
Plan = Annotated[str, StringConstraints(max_length=20_000)]


class Pi(Schema):
    """The principal investigator (项目负责人); HZ 三(三) wants a formal employee of the lead."""

    name: ShortText
    employed_by_lead: bool


class Document(Schema):
    kind: Code
    title: ShortText
    sha256: Sha256
    size: Annotated[int, Field(ge=0, le=10**12)]


Documents = Annotated[list[Document], Field(max_length=100)]


class ApplicationFields(Schema):
    member_org_ids: OrgIds | None = None
    pi: Pi | None = None
    plan: Plan | None = None
    total_budget: Money | None = None
    requested_subsidy: Money | None = None
    other_municipal_application: bool | None = None
    documents: Documents | None = None


class ApplicationCreate(ApplicationFields):
    """``lead_org_id`` defaults to the caller's organisation and must be it."""

    lead_org_id: UUID | None = None


class ApplicationUpdate(ApplicationFields):
    pass


class ApplicationRead(ReadSchema):
    id: UUID
    city: str
    challenge_id: UUID
    demand_id: UUID
    owner_org_id: UUID
    lead_org_id: UUID
    member_org_ids: list[UUID]
    pi: Pi | None
    plan: str | None
    total_budget: Money | None
    requested_subsidy: Money | None
    other_municipal_application: bool | None
    documents: list[Document]
    county: str | None = Field(
        description="Read-only: the lead organisation's county as the bureau registered it "
        "(HZ 三(四)3), taken at creation and again at submit"
    )
    status: ApplicationStatus
    submitted_at: datetime | None
    withdrawn_at: datetime | None
    created_at: datetime


class EligibilityRead(Schema):
    """The application's conditions re-checked on the organisations' current records."""

    application_id: UUID
    eligible: bool
    violations: list[RuleViolationItem]
