"""procedure records: proposals (joint review), decision meetings, project quotas; project
owner duties, mid-term check and contract; evaluation opinions on a challenge's solvers

Revision ID: review_0008_procedure
Revises: review_0005_reopened
Create Date: 2026-11-25 10:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "review_0008_procedure"
down_revision: str | None = "review_0005_reopened"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = postgresql.JSONB(astext_type=sa.Text())


def _common() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "proposals",
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("challenge_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("checks", JSON, nullable=False),
        sa.Column("exception_reason", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=True),
        sa.Column("meeting_reason", sa.Text(), nullable=True),
        *_common(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
        sa.UniqueConstraint("application_id", name=op.f("uq_proposals_application_id")),
        schema="review",
    )
    op.create_index(
        op.f("ix_review_proposals_city"), "proposals", ["city"], unique=False, schema="review"
    )
    op.create_index(
        op.f("ix_review_proposals_challenge_id"),
        "proposals",
        ["challenge_id"],
        unique=False,
        schema="review",
    )
    op.create_table(
        "decision_meetings",
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("attendees", JSON, nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("minutes_document_id", sa.Uuid(), nullable=True),
        sa.Column("decisions", JSON, nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        *_common(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_meetings")),
        schema="review",
    )
    op.create_index(
        op.f("ix_review_decision_meetings_city"),
        "decision_meetings",
        ["city"],
        unique=False,
        schema="review",
    )
    op.create_table(
        "project_quotas",
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("projects", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        *_common(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_quotas")),
        sa.UniqueConstraint("city", "year", name=op.f("uq_project_quotas_city")),
        schema="review",
    )
    for column in ("owner_duties", "midterm", "contract"):
        op.add_column("projects", sa.Column(column, JSON, nullable=True), schema="review")
    op.add_column(
        "challenge_reviews",
        sa.Column("evaluation_opinions", JSON, nullable=False, server_default="[]"),
        schema="review",
    )


def downgrade() -> None:
    op.drop_column("challenge_reviews", "evaluation_opinions", schema="review")
    for column in ("owner_duties", "midterm", "contract"):
        op.drop_column("projects", column, schema="review")
    op.drop_table("project_quotas", schema="review")
    op.drop_table("decision_meetings", schema="review")
    op.drop_table("proposals", schema="review")
