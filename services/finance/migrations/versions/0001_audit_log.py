"""audit log (append-only)

Revision ID: finance_0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from common.migration_ops import make_append_only

revision: str = "finance_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("actor_role", sa.String(32), nullable=False),
        sa.Column("city", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("from_state", sa.String(64)),
        sa.Column("to_state", sa.String(64)),
        sa.Column("reason", sa.Text()),
        sa.Column("data", postgresql.JSONB()),
        sa.Column("request_id", sa.String(128)),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        schema="finance",
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"], schema="finance")
    op.create_index("ix_audit_log_city", "audit_log", ["city"], schema="finance")
    op.create_index("ix_audit_log_entity_id", "audit_log", ["entity_id"], schema="finance")
    make_append_only("audit_log", "finance")


def downgrade() -> None:
    op.drop_table("audit_log", schema="finance")
