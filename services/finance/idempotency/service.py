"""Money-moving POSTs run once per (city, Idempotency-Key, endpoint).

The first request stores its answer in the same transaction as its effects, so either both are
committed or neither is; a failed first attempt leaves nothing behind and may be retried. The
same key with the same body answers the stored response again; with another body, 409.
"""

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Claims
from common.errors import Conflict
from services.finance.idempotency import repository as repo

REPLAY_HEADER = "Idempotent-Replayed"


def body_hash(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


async def run_once(
    session: AsyncSession,
    *,
    user: Claims,
    key: str,
    endpoint: str,
    payload: Any,
    response: Response,
    status_code: int,
    action: Callable[[], Awaitable[BaseModel]],
) -> Any:
    """Run ``action`` unless the key was used before; answer the stored response if it was."""
    digest = body_hash(payload)
    record_id = await repo.claim(session, user.city, key, endpoint, digest)
    if record_id is None:
        record = await repo.get(session, user.city, key, endpoint)
        if record.body_hash != digest:
            raise Conflict(
                "This Idempotency-Key was used with another request body",
                code="idempotency.key_reused",
                detail_zh="该幂等键已用于内容不同的请求",
            )
        response.status_code = record.status_code or status_code
        response.headers[REPLAY_HEADER] = "true"
        return record.response
    result = await action()
    await repo.complete(session, record_id, status_code, result.model_dump(mode="json"))
    response.status_code = status_code
    return result
