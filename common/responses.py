"""Pre-serialised JSON answers for hot read paths.

A route that returns a pydantic model (or ORM rows) pays twice: FastAPI validates the value
against ``response_model`` and then serialises it. Where the rows are already in the shape of
the documented schema (``response_model`` stays on the route for the OpenAPI document), the
route builds plain values and returns them through ``json_response``: one ``orjson`` pass.
"""

from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from fastapi import Response


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, UUID):  # asyncpg's own UUID subclass, which orjson does not know
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(content: Any) -> bytes:
    """UUIDs and datetimes natively (ISO 8601), Decimals as exact strings."""
    return orjson.dumps(content, default=_default, option=orjson.OPT_UTC_Z)


def json_response(
    content: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(dumps(content), status_code, headers, media_type="application/json")
