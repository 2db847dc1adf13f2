"""publicity notices (公示), public without a token

Revision ID: review_0005_notices
Revises: review_0004
Create Date: 2026-11-25 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "review_0005_notices"
down_revision: str | None = "review_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("challenge_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("items", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("how_to_object", sa.Text(), nullable=False),
        sa.Column("how_to_object_zh", sa.Text(), nullable=False),
        sa.Column("clause", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        schema="review",
    )
    op.create_index(op.f("ix_review_notices_city"), "notices", ["city"], schema="review")
    op.create_index(
        op.f("ix_review_notices_challenge_id"), "notices", ["challenge_id"], schema="review"
    )


def downgrade() -> None:
    op.drop_table("notices", schema="review")
