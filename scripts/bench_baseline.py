"""The benchmark's yardstick: the same reads done plainly, in the same run.

A minimal FastAPI app — one asyncpg pool as the intake service's own login role, the SQL the
service issues, rows to ``orjson`` — no ORM, no pydantic, no auth, no middleware. Each read
endpoint of the bench is reported as a ratio to it (``make bench``, section *overhead*).

    uvicorn scripts.bench_baseline:app     (DATABASE_URL, JIEBANG_DATABASE_NAME as the stack)
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg
import orjson
from fastapi import FastAPI, Response

from common.db import service_url
from common.settings import get_settings

CHALLENGES = "SELECT * FROM intake.challenges WHERE city = $1 ORDER BY created_at, id LIMIT $2"
APPLICATION = "SELECT * FROM intake.applications WHERE city = $1 AND id = $2 AND lead_org_id = $3"
RESULTS = (
    "SELECT application_id, lead_org_id, stage_scores, total, band, qualified, rank, winner,"
    " explanation FROM review.results WHERE city = $1 AND challenge_id = $2 AND rank > $3"
    " ORDER BY rank LIMIT $4"
)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(type(value).__name__)


async def _codecs(conn: asyncpg.Connection) -> None:
    for kind in ("json", "jsonb"):
        await conn.set_type_codec(
            kind, encoder=orjson.dumps, decoder=orjson.loads, schema="pg_catalog", format="text"
        )


def _dsn(service: str) -> str:
    url = service_url(get_settings(), service).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.intake = await asyncpg.create_pool(
        _dsn("intake"), min_size=1, max_size=10, init=_codecs
    )
    app.state.review = await asyncpg.create_pool(
        _dsn("review"), min_size=1, max_size=10, init=_codecs
    )
    yield
    await app.state.intake.close()
    await app.state.review.close()


app = FastAPI(lifespan=lifespan, openapi_url=None)


def _json(content: Any) -> Response:
    return Response(orjson.dumps(content, default=_default), media_type="application/json")


@app.get("/challenges")
async def challenges(city: str, limit: int = 50) -> Response:
    rows = await app.state.intake.fetch(CHALLENGES, city, limit + 1)
    return _json({"items": [dict(r) for r in rows[:limit]], "next_cursor": None})


@app.get("/applications/{application_id}")
async def application(application_id: UUID, city: str, lead: UUID) -> Response:
    row = await app.state.intake.fetchrow(APPLICATION, city, application_id, lead)
    return _json(dict(row) if row else None)


@app.get("/results")
async def results(city: str, challenge_id: UUID, limit: int = 50) -> Response:
    rows = await app.state.review.fetch(RESULTS, city, challenge_id, 0, limit + 1)
    return _json({"items": [dict(r) for r in rows[:limit]], "next_cursor": None})


@app.get("/readyz")
async def readyz() -> Response:
    return _json({"status": "ready"})
