"""declarations: the other-municipal-programme declaration is explicit (None until declared)

Revision ID: intake_0004
Revises: intake_0003
Create Date: 2026-11-25 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0004"
down_revision: str | None = "intake_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.alter_column(
        "applications",
        "other_municipal_application",
        existing_type=sa.Boolean(),
        nullable=True,
        schema="intake",
    )


def downgrade() -> None:
    op.execute(
        "UPDATE intake.applications SET other_municipal_application = false "
        "WHERE other_municipal_application IS NULL"
    )
    op.alter_column(
        "applications",
        "other_municipal_application",
        existing_type=sa.Boolean(),
        nullable=False,
        schema="intake",
    )
