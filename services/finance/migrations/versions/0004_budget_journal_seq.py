"""budget journal: a sequence number, its order (the pinned test clock gives equal times)

Revision ID: finance_0004
Revises: finance_0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "finance_0004"
down_revision: str | None = "finance_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "budget_movements",
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        schema="finance",
    )
    op.create_index(
        "ix_budget_movements_city_seq", "budget_movements", ["city", "seq"], schema="finance"
    )


def downgrade() -> None:
    op.drop_index("ix_budget_movements_city_seq", "budget_movements", schema="finance")
    op.drop_column("budget_movements", "seq", schema="finance")
