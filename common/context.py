"""Per-request context carried across await points and onto downstream calls."""

import re
import uuid
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
clock_override_var: ContextVar[str | None] = ContextVar("clock_override", default=None)
# SQL statements run for this request and the seconds spent in them (dev/test only): the N+1
# guard in tests and the bench (``X-DB-Statements``, ``X-DB-Ms``). [count, seconds]
db_statements_var: ContextVar[list[float] | None] = ContextVar("db_statements", default=None)

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


def accept_or_make_request_id(candidate: str | None) -> str:
    """Keep a caller's ID when it is safe to echo into logs and headers; otherwise make one."""
    if candidate and _SAFE_ID.match(candidate):
        return candidate
    return uuid.uuid4().hex
