"""The ``provincial`` role: a provincial platform reads across the cities of its province.

Its token's city claim names the province (``zhejiang``); each request names the city it reads
(``X-Jiebang-City``), which must belong to that province by the city's rule set
(``province:``, configuration like every other rule). Reads only — challenges, results,
projects, funding, ledger, reports (the gateway lets nothing else through) — and every read
is written in the audit trail of the service that answered it.

Tested by ``tests/identity/test_provincial.py``.
"""

import importlib
import re
import uuid

from fastapi import Request

from common.audit import record
from common.auth import CITY_HEADER, Claims, Role
from common.errors import Forbidden
from common.rulesets.registry import RuleSetRegistry

READS = frozenset({"GET", "HEAD"})
SEGMENTS = frozenset(
    {"challenges", "results", "projects", "funding", "ledger", "reports", "budgets"}
)
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def city_in_province(request: Request, claims: Claims) -> Claims:
    """The claims for the city this request reads, or 403."""
    if request.method not in READS:
        raise Forbidden("The provincial role only reads", code="provincial.read_only")
    city = request.headers.get(CITY_HEADER, "")
    registry: RuleSetRegistry = request.app.state.rulesets
    ruleset = next((r for r in registry.cities() if r.city == city), None)
    if ruleset is None or ruleset.province != claims.city:
        raise Forbidden(
            f"Name a city of province '{claims.city}' in {CITY_HEADER}",
            code="provincial.city",
        )
    return claims.model_copy(update={"city": city})


async def audit_read(request: Request, claims: Claims) -> None:
    """One audit row per provincial read, committed on its own (the read itself writes
    nothing). The object is the first id in the path, else a stable id for the path."""
    state = request.app.state
    model = importlib.import_module(f"services.{state.service}.db").AuditLog
    path = request.url.path
    found = _UUID.search(path)
    entity_id = uuid.UUID(found[0]) if found else uuid.uuid5(uuid.NAMESPACE_URL, path)
    async with state.sessionmaker() as session:
        record(
            session,
            model,
            claims,
            entity="provincial_read",
            entity_id=entity_id,
            action="read",
            data={"path": path, "query": request.url.query or None},
        )
        await session.commit()


async def provincial_reader(request: Request, claims: Claims) -> Claims:
    if claims.role != Role.provincial:
        return claims
    claims = city_in_province(request, claims)
    await audit_read(request, claims)
    return claims
