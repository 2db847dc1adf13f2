"""Membership payloads."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import Field

from common.schemas import ReadSchema, Schema, ShortText

MemberRole = Literal["demand_owner", "solver"]
MemberStatus = Literal["active", "suspended"]


class MembershipCreate(Schema):
    subject: ShortText = Field(description="The person's subject (`sub`) at the identity provider")
    person_name: ShortText | None = Field(default=None, description="Named in the audit trail")
    role: MemberRole
    org_id: UUID


class MembershipUpdate(Schema):
    """Suspend or reactivate; the reason is kept in the audit trail."""

    status: MemberStatus
    reason: ShortText | None = None


class MembershipRead(ReadSchema):
    id: UUID
    city: str
    subject: str
    person_name: str | None
    role: MemberRole
    org_id: UUID
    status: MemberStatus
    created_by: str
    created_at: datetime
    updated_at: datetime | None


class ActiveOrganizations(Schema):
    org_ids: list[UUID]
