"""Scale volumes for ``make bench``, written by SQL straight into the services' schemas.

The API would take minutes to make 10⁴ applications' worth of scores or 10⁶ ledger lines, so
these rows go in with ``INSERT … SELECT generate_series`` as the admin user (the output says
so). They are shaped exactly like the rows the services write, and every figure measured on
them is taken through the public API, beside the raw SQL of the same aggregation.
"""

import uuid

import asyncpg

ACCOUNTS = 8
EXPERTS = 5

# The aggregation each endpoint performs, as one statement (the yardstick for the ratio).
RAW_STAGE_SCORES = """
SELECT application_id, avg(score), array_agg(score ORDER BY score)
FROM review.scores WHERE panel_id = $1 GROUP BY application_id
"""
RAW_RESULTS = """
SELECT e.application_id, sum(e.stage_score * w.weight) AS total,
       rank() OVER (ORDER BY sum(e.stage_score * w.weight) DESC)
FROM review.panel_entries e
JOIN review.panels p ON p.id = e.panel_id
JOIN unnest($2::text[], $3::numeric[]) AS w(stage, weight) ON w.stage = p.stage
WHERE e.challenge_id = $1 GROUP BY e.application_id
"""
RAW_BALANCES = """
SELECT account,
       coalesce(sum(amount) FILTER (WHERE amount > 0), 0),
       coalesce(sum(-amount) FILTER (WHERE amount < 0), 0),
       sum(amount), count(id)
FROM finance.ledger_entries WHERE city = $1 GROUP BY account ORDER BY account
"""


async def seed_review(
    conn: asyncpg.Connection, city: str, applications: int, stages: list[str]
) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """A challenge under review: one open panel of five per stage, every application scored
    by every member. Returns the challenge and its panels (closed later through the API)."""
    challenge, round_ = uuid.uuid4(), uuid.uuid4()
    experts = [uuid.uuid4() for _ in range(EXPERTS)]
    await conn.executemany(
        "INSERT INTO review.experts (id, city, name, org_id, fields, affiliated_org_ids) "
        "VALUES ($1, $2, $3, $4, '[]', '[]')",
        [(e, city, f"scale expert {i}", uuid.uuid4()) for i, e in enumerate(experts)],
    )
    await conn.execute(
        "INSERT INTO review.challenge_reviews (id, city, challenge_id, round_id, demand_id, "
        "owner_org_id, status, chosen_application_ids) "
        "VALUES ($1, $2, $3, $4, $5, $6, 'reviewing', '[]')",
        uuid.uuid4(), city, challenge, round_, uuid.uuid4(), uuid.uuid4(),
    )  # fmt: skip
    panels = []
    for stage in stages:
        panel = uuid.uuid4()
        panels.append(panel)
        await conn.execute(
            "INSERT INTO review.panels (id, city, round_id, stage, status, ruleset_version, "
            "created_by) VALUES ($1, $2, $3, $4, 'open', 'bench', 'bench')",
            panel, city, round_, stage,
        )  # fmt: skip
        await conn.execute(
            "INSERT INTO review.panel_challenges (id, panel_id, challenge_id, stage) "
            "VALUES ($1, $2, $3, $4)",
            uuid.uuid4(), panel, challenge, stage,
        )  # fmt: skip
        await conn.execute(
            "INSERT INTO review.panel_members (id, panel_id, expert_id) "
            "SELECT gen_random_uuid(), $1, unnest($2::uuid[])",
            panel, experts,
        )  # fmt: skip
        await conn.execute(
            "INSERT INTO review.panel_entries (id, panel_id, application_id, challenge_id, "
            "lead_org_id, submitted_at, requested_subsidy) "
            "SELECT gen_random_uuid(), $1, md5($2 || i)::uuid, $2::uuid, gen_random_uuid(), "
            "now() - i * interval '1 second', 1000000 + i FROM generate_series(1, $3) i",
            panel, str(challenge), applications,
        )  # fmt: skip
        await conn.execute(
            "INSERT INTO review.scores (id, panel_id, application_id, expert_id, score, comment) "
            "SELECT gen_random_uuid(), $1, md5($2 || i)::uuid, e, "
            "60 + ((i * 7 + n * 13) % 4000) / 100.0, 'scale' "
            "FROM generate_series(1, $3) i, unnest($4::uuid[]) WITH ORDINALITY AS x(e, n)",
            panel, str(challenge), applications, experts,
        )  # fmt: skip
    await conn.execute("ANALYZE review.scores; ANALYZE review.panel_entries")
    return challenge, panels


async def grow_ledger(conn: asyncpg.Connection, city: str, total: int) -> int:
    """Add balanced two-line postings to ``city``'s ledger until it holds ``total`` lines.

    The city is the benchmark's own, so its chain never meets a real posting; the hashes are
    placeholders (this volume measures the audit aggregation, not ``/ledger/verify``).
    """
    have = int(
        await conn.fetchval("SELECT count(*) FROM finance.ledger_entries WHERE city = $1", city)
    )
    postings = max(0, (total - have) // 2)
    if postings == 0:
        return have
    first = have // 2 + 1
    await conn.execute(
        "INSERT INTO finance.ledger_transactions (id, city, kind, project_id, actor, request_id, "
        "created_at) SELECT md5($1 || i)::uuid, $1, 'scale', md5($1 || 'p' || i % 1000)::uuid, "
        "'bench', 'bench', now() FROM generate_series($2::bigint, $3::bigint) i",
        city, first, first + postings - 1,
    )  # fmt: skip
    await conn.execute(
        "INSERT INTO finance.ledger_entries (id, transaction_id, city, seq, account, amount, "
        "project_id, actor, request_id, created_at, prev_hash, hash) "
        "SELECT gen_random_uuid(), md5($1 || i)::uuid, $1, 2 * i - 1 + side, "
        "'account:' || ((i + side) % $4), (1 - 2 * side) * ((i % 100000) + 1) / 100.0, "
        "md5($1 || 'p' || i % 1000)::uuid, 'bench', 'bench', now(), "
        "repeat('0', 64), md5(i::text) || md5(side::text) "
        "FROM generate_series($2::bigint, $3::bigint) i, (VALUES (0), (1)) AS s(side)",
        city, first, first + postings - 1, ACCOUNTS,
    )  # fmt: skip
    await conn.execute("ANALYZE finance.ledger_entries")
    return have + 2 * postings
