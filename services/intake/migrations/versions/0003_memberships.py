"""memberships: who acts for which organisation

Revision ID: intake_0003
Revises: intake_0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0003"
down_revision: str | None = "intake_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "memberships",
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("person_name", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
        sa.UniqueConstraint("city", "subject", "role", "org_id", name="uq_memberships_person_org"),
        schema="intake",
    )
    op.create_index(
        "ix_memberships_lookup",
        "memberships",
        ["city", "subject", "role", "status"],
        unique=False,
        schema="intake",
    )
    op.create_index(
        op.f("ix_intake_memberships_org_id"),
        "memberships",
        ["org_id"],
        unique=False,
        schema="intake",
    )


def downgrade() -> None:
    op.drop_table("memberships", schema="intake")
