"""Memberships for the tokens the tests mint: the platform acts for an organisation only
through an active membership, so a test that mints an owner's or solver's token naming an
``org_id`` gets that membership registered, as a bureau user would have done.

* in process (``api``): just before the request leaves the test client, in the test's own
  (rolled back) intake transaction;
* real processes (``live``): when the token is minted, straight into that stack's database.

A token minted with ``member=False`` (the ``NO_MEMBERSHIP`` claim) gets none.
"""

import asyncio
import threading
import uuid
from typing import Any

import asyncpg
import httpx
from fastapi import FastAPI
from jose import jwt
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert

from common.settings import Settings

NO_MEMBERSHIP = "test_no_membership"
# An organisation the tests name may exist nowhere (finance tests plan for made-up ones); one
# registered in another city gets no membership, as the bureau could not register it.
_HOME = text("SELECT city FROM intake.organizations WHERE id = CAST(:org AS uuid)")
MEMBER_ROLES = ("demand_owner", "solver")
LIVE_DATABASES: list[Settings] = []


def _grant(token: str) -> tuple[str, str, str, str] | None:
    try:
        claims: dict[str, Any] = jwt.get_unverified_claims(token)
    except Exception:
        return None
    if claims.get("role") not in MEMBER_ROLES or not claims.get("org_id"):
        return None
    if claims.get(NO_MEMBERSHIP):
        return None
    return str(claims["city"]), str(claims["sub"]), str(claims["role"]), str(claims["org_id"])


def _row(city: str, sub: str, role: str, org_id: str) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "city": city,
        "subject": sub,
        "person_name": f"Test person {sub}",
        "role": role,
        "org_id": uuid.UUID(org_id),
        "status": "active",
        "created_by": "tests",
    }


async def register_on_request(
    intake: FastAPI, request: httpx.Request, registered: set[tuple[str, ...]]
) -> None:
    from services.intake.memberships.models import Membership

    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    grant = _grant(token) if scheme.lower() == "bearer" else None
    if grant is None or grant in registered:
        return
    registered.add(grant)
    async with intake.state.sessionmaker() as session:
        home = (await session.execute(_HOME, {"org": grant[3]})).scalar_one_or_none()
        if home not in (None, grant[0]):
            return  # another city's organisation: the bureau could not register it either
        await session.execute(insert(Membership).values(**_row(*grant)).on_conflict_do_nothing())
        await session.commit()


async def _insert_live(settings: Settings, row: dict[str, Any]) -> None:
    from common.bootstrap import _dsn
    from common.db import admin_url

    conn = await asyncpg.connect(_dsn(admin_url(settings)))
    try:
        home = await conn.fetchval(
            "SELECT city FROM intake.organizations WHERE id = $1", row["org_id"]
        )
        if home not in (None, row["city"]):
            return
        await conn.execute(
            "INSERT INTO intake.memberships (id, city, subject, person_name, role, org_id,"
            " status, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
            *row.values(),
        )
    finally:
        await conn.close()


def register_live(city: str, sub: str, role: str, org_id: str) -> None:
    """Into every running stack's database (the call blocks briefly: it is a test helper)."""
    if role not in MEMBER_ROLES or not LIVE_DATABASES:
        return
    row = _row(city, sub, role, org_id)
    for settings in list(LIVE_DATABASES):
        worker = threading.Thread(target=asyncio.run, args=(_insert_live(settings, row),))
        worker.start()
        worker.join()
