"""The round report's shape (also its JSON answer)."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from common.money import Money


class DocumentLine(BaseModel):
    kind: str
    download_url: str


class ResultLine(BaseModel):
    application_id: UUID
    label: str
    total: str | None = None
    band: str | None = None
    rank: int | None = None
    winner: bool = False
    documents: list[DocumentLine] = []


class MoneyLine(BaseModel):
    committed: Money
    paid: Money
    clawed_back: Money


class ChallengeReport(BaseModel):
    challenge_id: UUID
    title: str
    results: list[ResultLine]
    money: MoneyLine


class RoundReport(BaseModel):
    round_id: UUID
    city: str
    city_name: str
    ruleset_version: str
    title: str
    bands: list[str]
    generated_at: datetime
    challenges: list[ChallengeReport]
