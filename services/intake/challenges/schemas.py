"""Challenge reads (the published list)."""

from datetime import datetime
from uuid import UUID

from pydantic import Field

from common.money import Money
from common.schemas import ReadSchema
from services.intake.demands.schemas import CoreIndicator


class PublicChallengeRead(ReadSchema):
    """What the published list (榜单) shows to society, without a token (URC 一(一) 公开发布;
    HZ 三(二) 向社会公告): the demand as published, its owner's name, the amount and the window.
    Nothing internal (ids of the demand or the owner, quota flags, results hand-off)."""

    id: UUID
    city: str
    round_id: UUID
    owner_name: str = Field(description="The organisation that posted the demand (发榜单位)")
    category: str
    field: str | None
    title: str
    problem: str | None
    core_indicators: list[CoreIndicator]
    due_months: int | None
    expected_results: str | None
    end_users: str | None
    bounty_amount: Money | None
    publication_opens_at: datetime
    publication_closes_at: datetime


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
