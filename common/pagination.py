"""Keyset pagination: the cursor is an opaque token for (created_at, id) of the last row."""

import base64
import json
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, and_, or_

from common.errors import BadRequest


class PageParams(BaseModel):
    limit: int
    cursor: str | None


def page_params(
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


def encode_cursor(created_at: datetime, row_id: UUID) -> str:
    raw = json.dumps([created_at.isoformat(), str(row_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created, row = json.loads(base64.urlsafe_b64decode(padded))
        return datetime.fromisoformat(created), UUID(row)
    except Exception as exc:
        raise BadRequest("Invalid cursor", code="request.cursor") from exc


def apply_keyset(statement: Select[Any], model: Any, params: PageParams) -> Select[Any]:
    """Order by (created_at, id) and start after the cursor; fetch one extra row to see more."""
    statement = statement.order_by(model.created_at, model.id).limit(params.limit + 1)
    if params.cursor:
        created, row_id = decode_cursor(params.cursor)
        statement = statement.where(
            or_(model.created_at > created, and_(model.created_at == created, model.id > row_id))
        )
    return statement


def split_page(rows: list[Any], params: PageParams) -> tuple[list[Any], str | None]:
    if len(rows) > params.limit:
        rows = rows[: params.limit]
        last = rows[-1]
        return rows, encode_cursor(last.created_at, last.id)
    return rows, None
