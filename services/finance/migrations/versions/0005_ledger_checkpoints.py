"""ledger checkpoints; the chain rehashed over every meaningful column

Revision ID: finance_0003_checkpoints
Revises: finance_0004
Signed checkpoints (append-only), and every line's hash recomputed so it covers its
transaction's kind and reference too (``services.finance.ledger.chain``). Pre-production: the
chain is rewritten once here, by the owner, with the append-only triggers held off.
"""

from collections.abc import Sequence
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

from common.migration_ops import make_append_only
from services.finance.ledger.chain import ENTRY_FIELDS, TRANSACTION_FIELDS, entry_hash

revision: str = "finance_0003_checkpoints"
down_revision: str | None = "finance_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ledger_checkpoints",
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_checkpoints")),
        sa.UniqueConstraint("city", "seq", name="uq_ledger_checkpoints_city_seq"),
        schema="finance",
    )
    op.create_index(
        op.f("ix_finance_ledger_checkpoints_city"),
        "ledger_checkpoints",
        ["city"],
        unique=False,
        schema="finance",
    )
    make_append_only("ledger_checkpoints", "finance")
    _rehash()


def _rehash() -> None:
    bind = op.get_bind()
    entry = ", ".join(f"e.{c} AS e_{c}" for c in (*ENTRY_FIELDS, "hash"))
    txn = ", ".join(f"t.{c} AS t_{c}" for c in TRANSACTION_FIELDS)
    rows = bind.execute(
        sa.text(
            f"SELECT {entry}, {txn} FROM finance.ledger_entries e "
            "JOIN finance.ledger_transactions t ON t.id = e.transaction_id ORDER BY e.city, e.seq"
        )
    ).mappings()
    bind.execute(sa.text("ALTER TABLE finance.ledger_entries DISABLE TRIGGER USER"))
    heads: dict[str, str] = {}
    for row in rows.all():
        line = SimpleNamespace(**{c: row[f"e_{c}"] for c in ENTRY_FIELDS})
        line.prev_hash = heads.get(line.city, "0" * 64)
        transaction = SimpleNamespace(**{c: row[f"t_{c}"] for c in TRANSACTION_FIELDS})
        heads[line.city] = entry_hash(line, transaction)
        bind.execute(
            sa.text("UPDATE finance.ledger_entries SET prev_hash = :p, hash = :h WHERE id = :i"),
            {"p": line.prev_hash, "h": heads[line.city], "i": line.id},
        )
    bind.execute(sa.text("ALTER TABLE finance.ledger_entries ENABLE TRIGGER USER"))
    for city, last in heads.items():
        bind.execute(
            sa.text("UPDATE finance.ledger_chain_heads SET hash = :h WHERE city = :c"),
            {"h": last, "c": city},
        )


def downgrade() -> None:
    op.drop_table("ledger_checkpoints", schema="finance")
    op.execute("DROP FUNCTION IF EXISTS finance.refuse_change_ledger_checkpoints()")
