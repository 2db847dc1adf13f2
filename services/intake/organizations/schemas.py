"""Organisation payloads; amounts are exact decimals (Money), never floats."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, StringConstraints, field_validator

from common.money import Money
from common.schemas import ReadSchema, Schema, ShortText
from services.intake.organizations.policy import is_valid_credit_code

OrgKind = Literal["enterprise", "university", "institute", "other"]
CountyCode = Annotated[str, StringConstraints(min_length=1, max_length=64)]
CreditCode = Annotated[str, StringConstraints(min_length=18, max_length=18, to_upper=True)]
OrgIds = Annotated[list[UUID], Field(max_length=100)]


class OrganizationCreate(Schema):
    name: ShortText
    credit_code: CreditCode
    kind: OrgKind
    county: CountyCode | None = None
    revenue_last_year: Money | None = None
    rd_spend_last_year: Money | None = None
    affiliated_org_ids: OrgIds = Field(default_factory=list)
    over_quota: bool = False

    @field_validator("credit_code")
    @classmethod
    def _checksum(cls, value: str) -> str:
        if not is_valid_credit_code(value):
            raise ValueError("not a valid unified social credit code (GB 32100-2015 check digit)")
        return value


class OrganizationUpdate(Schema):
    """Bureau corrections; ``over_quota`` marks an owner past its project quota (超过限项)."""

    name: ShortText | None = None
    county: CountyCode | None = None
    revenue_last_year: Money | None = None
    rd_spend_last_year: Money | None = None
    affiliated_org_ids: OrgIds | None = None
    over_quota: bool | None = None


class OrganizationRead(ReadSchema):
    id: UUID
    city: str
    name: str
    credit_code: str
    kind: OrgKind
    county: str | None
    revenue_last_year: Money | None
    rd_spend_last_year: Money | None
    over_quota: bool
    affiliated_org_ids: list[UUID]
    created_at: datetime
