"""acceptance revision: reasoned corrections of a recorded acceptance before settlement

Revision ID: finance_0006
Revises: finance_0003_checkpoints
Create Date: 2026-11-25 10:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "finance_0006"
down_revision: str | None = "finance_0003_checkpoints"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "funding_plans",
        sa.Column("acceptance_revision", sa.Integer(), server_default="0", nullable=False),
        schema="finance",
    )


def downgrade() -> None:
    op.drop_column("funding_plans", "acceptance_revision", schema="finance")
