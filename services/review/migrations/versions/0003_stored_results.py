"""stored results: computed once at panel close, read page by page

Revision ID: review_0003
Revises: review_0002
Create Date: 2026-11-25 10:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "review_0003"
down_revision: str | None = "review_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "challenge_reviews",
        sa.Column("results_computed_at", sa.DateTime(timezone=True), nullable=True),
        schema="review",
    )
    op.create_table(
        "results",
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("challenge_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("lead_org_id", sa.Uuid(), nullable=False),
        sa.Column("stage_scores", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("total", sa.Numeric(), nullable=False),
        sa.Column("band", sa.String(length=64), nullable=False),
        sa.Column("qualified", sa.Boolean(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("winner", sa.Boolean(), nullable=False),
        sa.Column("explanation", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_results")),
        sa.UniqueConstraint("challenge_id", "application_id", name=op.f("uq_results_challenge_id")),
        schema="review",
    )
    op.create_index(
        "ix_results_challenge_rank", "results", ["challenge_id", "rank"], schema="review"
    )


def downgrade() -> None:
    op.drop_index("ix_results_challenge_rank", table_name="results", schema="review")
    op.drop_table("results", schema="review")
    op.drop_column("challenge_reviews", "results_computed_at", schema="review")
