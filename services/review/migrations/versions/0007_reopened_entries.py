"""panel entries reopened by an upheld objection (not whole panels)

Revision ID: review_0005_reopened
Revises: review_0004_outbox
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "review_0005_reopened"
down_revision: str | None = "review_0004_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "panel_entries",
        sa.Column("reopened", sa.Boolean(), server_default=sa.false(), nullable=False),
        schema="review",
    )


def downgrade() -> None:
    op.drop_column("panel_entries", "reopened", schema="review")
