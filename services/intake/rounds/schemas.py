"""Round payloads. Times must carry an offset; day counts use the city's time zone."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime, Field, StringConstraints, computed_field, model_validator

from common.schemas import ReadSchema, Schema, ShortText

Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class RoundCreate(Schema):
    title: ShortText
    fields_open: Annotated[list[Code], Field(min_length=1, max_length=50)]
    collection_opens_at: AwareDatetime
    collection_closes_at: AwareDatetime
    publication_opens_at: AwareDatetime
    publication_closes_at: AwareDatetime
    override_reason: Reason | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "RoundCreate":
        if self.collection_closes_at <= self.collection_opens_at:
            raise ValueError("collection_closes_at must be after collection_opens_at")
        if self.publication_closes_at <= self.publication_opens_at:
            raise ValueError("publication_closes_at must be after publication_opens_at")
        if self.publication_opens_at < self.collection_closes_at:
            raise ValueError("publication cannot open before collection closes")
        return self


class Override(ReadSchema):
    code: str
    clause: str | None
    reason: str | None
    by: str
    at: datetime


class RoundRead(ReadSchema):
    id: UUID
    city: str
    ruleset_version: str
    title: str
    fields_open: list[str]
    collection_opens_at: datetime
    collection_closes_at: datetime
    publication_opens_at: datetime
    publication_closes_at: datetime
    overrides: list[Override]
    created_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def override_reason(self) -> str | None:
        """The written reason a bureau user gave to lift a soft window limit, if any."""
        return self.overrides[0].reason if self.overrides else None
