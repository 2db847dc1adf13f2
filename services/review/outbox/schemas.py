"""What the bureau sees of the outbox, and the retry it asks for."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field

from common.schemas import ReadSchema, Schema


class DeliveryRead(ReadSchema):
    id: UUID
    project_id: UUID
    kind: str
    path: str
    body: dict[str, Any]
    status: Literal["pending", "delivered", "dead"]
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    delivered_at: datetime | None
    dead_at: datetime | None
    created_at: datetime


class DeliveryRetry(Schema):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
