"""Challenge reads (the published list)."""

from datetime import datetime
from uuid import UUID

from common.money import Money
from common.schemas import ReadSchema
from services.intake.demands.schemas import CoreIndicator


class ChallengeRead(ReadSchema):
    id: UUID
    city: str
    demand_id: UUID
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
    bounty_amount: Money | None
    over_quota: bool
    publication_opens_at: datetime
    publication_closes_at: datetime
    results_public: bool
    results_public_at: datetime | None
    created_at: datetime
