"""A publicity notice as the public reads it: times in the city's own time zone."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from common.money import ScoreOut
from common.schemas import ReadSchema


class NoticeItem(BaseModel):
    rank: int
    organization: str = Field(description="The lead organisation's name, as publicised")
    total: ScoreOut
    band: str
    winner: bool


class NoticeRead(ReadSchema):
    id: UUID
    city: str
    challenge_id: UUID
    kind: Literal["results"]
    title: str
    subject: str = Field(description="The challenge publicised")
    items: list[NoticeItem]
    opens_at: datetime = Field(description="Start of the period, in the city's time zone")
    closes_at: datetime = Field(description="End of the period, in the city's time zone")
    timezone: str
    status: Literal["open", "closed"] = Field(description="Whether objections are still taken")
    how_to_object: str
    how_to_object_zh: str
    clause: str
