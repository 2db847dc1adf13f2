"""Project, change request and acceptance shapes."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field

from common.documents import DocumentLink, DocumentRefs
from common.money import Money
from common.rulesets.schema import Outcome
from common.schemas import ReadSchema, Schema, ShortText
from common.states import ChangeStatus, DeliveryStatus, ProjectStatus
from services.review.projects.duties_schemas import AcceptedBy, AuditReport
from services.review.projects.policy import ChangeKind

Text = Annotated[str, Field(max_length=20_000)]


class ProjectPi(Schema):
    """The new PI a ``pi_change`` names (not intake's ``Pi``: generated clients name files by
    the lower-cased schema name, so ``PI`` and ``Pi`` would overwrite each other)."""

    name: ShortText
    employed_by_lead: bool | None = None


class ChangeCreate(Schema):
    kind: Literal["extension", "member_change", "pi_change", "lower_indicator", "replace_solver"]
    months: Annotated[int, Field(ge=1, le=120)] | None = None
    member_org_ids: list[UUID] | None = Field(default=None, max_length=50)
    pi: ProjectPi | None = None
    indicator: dict[str, Any] | None = None
    reason: Text | None = None
    documents: DocumentRefs = Field(
        default_factory=list,
        description="Stored files; a member change needs the new consortium plan and agreement "
        "where the rule set says so (documents.member_change, HZ 三(七))",
    )


class ChangeDecision(Schema):
    approve: bool
    reason: Text | None = None


class ChangeRead(ReadSchema):
    id: UUID
    kind: ChangeKind
    status: ChangeStatus
    payload: dict[str, Any]
    reason: str | None
    requested_by: str
    decided_by: str | None
    decision_reason: str | None
    created_at: datetime


class FiledDocumentRead(DocumentLink):
    """A file one of the project's objects refers to, with its download link."""

    object_type: str
    object_id: UUID


class ProjectAcceptanceCreate(Schema):
    """The acceptance (验收) the bureau records: outcome and the special audit's figures."""

    outcome: Outcome
    audited_total_investment: Money
    audited_bounty_paid: Money | None = None
    unused_amount: Money = Decimal("0.00")
    noncompliant_amount: Money = Decimal("0.00")
    opinion: Annotated[str, Field(min_length=1, max_length=20_000)]
    accepted_by: AcceptedBy | None = Field(
        default=None, description="The bureau or the commissioned third party (URC 二(七))"
    )
    audit_report: AuditReport | None = Field(
        default=None, description="The special audit report and its accounting firm"
    )
    documents: DocumentRefs = Field(
        default_factory=list,
        description="Stored files: the written acceptance opinion and the accounting firm's "
        "special audit report (documents.acceptance)",
    )


class AcceptanceCorrection(ProjectAcceptanceCreate):
    """A corrected acceptance, whole, and why it is corrected (kept in the audit trail)."""

    reason: Annotated[str, Field(min_length=1, max_length=20_000)]


class ProjectRead(ReadSchema):
    id: UUID
    city: str
    challenge_id: UUID
    demand_id: UUID
    round_id: UUID
    application_id: UUID
    owner_org_id: UUID
    solver_org_id: UUID
    member_org_ids: list[UUID]
    pi: dict[str, Any] | None
    indicators: list[Any]
    category: str
    ruleset_version: str
    bounty_amount: Money
    equity_contribution_valuation: Money
    total_investment: Money
    requested_subsidy: Money
    over_quota: bool
    agreement_signed_at: datetime | None
    status: ProjectStatus
    extension_months: int
    acceptance: dict[str, Any] | None
    owner_duties: dict[str, Any] | None = None
    midterm: dict[str, Any] | None = None
    contract: dict[str, Any] | None = None
    funding_status: DeliveryStatus | None = None
    acceptance_delivery_status: DeliveryStatus | None = None
    changes: list[ChangeRead] = Field(default_factory=list)
    documents: list[FiledDocumentRead] = Field(
        default_factory=list, description="Files of the decision, changes and acceptance"
    )
    created_at: datetime
