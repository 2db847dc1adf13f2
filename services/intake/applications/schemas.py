"""Application payloads (API.md field names). Documents are stored files named by id."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from common.documents import DocumentLink, DocumentRefs
from common.errors import RuleViolationItem
from common.money import Money
from common.schemas import ReadSchema, Schema, ShortText
from common.states import ApplicationStatus
from services.intake.organizations.schemas import OrgIds

Plan = Annotated[str, StringConstraints(max_length=20_000)]


class Pi(Schema):
    """The principal investigator (项目负责人); HZ 三(三) wants a formal employee of the lead."""

    name: ShortText
    employed_by_lead: bool


class ApplicationFields(Schema):
    member_org_ids: OrgIds | None = None
    pi: Pi | None = None
    plan: Plan | None = None
    total_budget: Money | None = None
    requested_subsidy: Money | None = None
    other_municipal_application: bool | None = None
    documents: DocumentRefs | None = None


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
    documents: list[DocumentLink]
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
