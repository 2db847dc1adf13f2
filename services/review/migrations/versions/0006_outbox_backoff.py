"""outbox: next attempt time (backoff), dead letters

Revision ID: review_0004_outbox
Revises: review_0005_notices
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "review_0004_outbox"
down_revision: str | None = "review_0005_notices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "deliveries",
        sa.Column(
            "next_attempt_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        schema="review",
    )
    op.add_column(
        "deliveries",
        sa.Column("dead_at", sa.DateTime(timezone=True), nullable=True),
        schema="review",
    )
    op.create_index(
        "ix_deliveries_due", "deliveries", ["status", "next_attempt_at"], schema="review"
    )


def downgrade() -> None:
    op.drop_index("ix_deliveries_due", table_name="deliveries", schema="review")
    op.drop_column("deliveries", "dead_at", schema="review")
    op.drop_column("deliveries", "next_attempt_at", schema="review")
