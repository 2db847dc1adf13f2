"""agreement terms: a reasoned change of the money base, approved by a second bureau user

Revision ID: review_0004
Revises: review_0003
Create Date: 2026-11-25 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "review_0004"
down_revision: str | None = "review_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agreement_terms",
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("challenge_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("bounty_amount", sa.Numeric(14, 2), nullable=True),
        sa.Column("total_investment", sa.Numeric(14, 2), nullable=True),
        sa.Column("equity_contribution_valuation", sa.Numeric(14, 2), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("proposed_by", sa.String(length=200), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_terms")),
        schema="review",
    )
    op.create_index(
        op.f("ix_review_agreement_terms_city"), "agreement_terms", ["city"], schema="review"
    )
    op.create_index(
        op.f("ix_review_agreement_terms_application_id"),
        "agreement_terms",
        ["application_id"],
        schema="review",
    )
    op.create_index(
        "uq_agreement_terms_pending",
        "agreement_terms",
        ["application_id"],
        unique=True,
        schema="review",
        postgresql_where=sa.text("status = 'pending'"),
    )


def downgrade() -> None:
    op.drop_table("agreement_terms", schema="review")
