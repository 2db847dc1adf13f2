"""annual budget (年度预算): budgets, entries, commitments, and the append-only journal

Revision ID: finance_0003
Revises: finance_0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from common.migration_ops import make_append_only

revision: str = "finance_0003"
down_revision: str | None = "finance_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=14, scale=2)


def _id_and_times() -> list[sa.Column]:  # type: ignore[type-arg]
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
        "budgets",
        sa.Column("city", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("appropriated", MONEY, nullable=False),
        sa.Column("committed", MONEY, nullable=False),
        sa.Column("paid", MONEY, nullable=False),
        *_id_and_times(),
        sa.CheckConstraint(
            "committed >= 0 AND paid >= 0 AND committed + paid <= appropriated",
            name=op.f("ck_budgets_within_appropriation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budgets")),
        schema="finance",
    )
    op.create_index(
        "uq_budgets_city_year", "budgets", ["city", "year"], unique=True, schema="finance"
    )
    op.create_table(
        "budget_entries",
        sa.Column("city", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reference", sa.String(200), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        *_id_and_times(),
        sa.CheckConstraint("amount > 0", name=op.f("ck_budget_entries_amount_positive")),
        sa.CheckConstraint(
            "status <> 'confirmed' OR decided_by <> recorded_by",
            name=op.f("ck_budget_entries_four_eyes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_entries")),
        schema="finance",
    )
    op.create_index(
        "ix_budget_entries_city_year", "budget_entries", ["city", "year"], schema="finance"
    )
    op.create_index(
        "uq_budget_entries_appropriation",
        "budget_entries",
        ["city", "year"],
        unique=True,
        schema="finance",
        postgresql_where=sa.text("kind = 'appropriation' AND status <> 'rejected'"),
    )
    op.create_table(
        "budget_commitments",
        sa.Column("city", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("outstanding", MONEY, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=True),
        *_id_and_times(),
        sa.CheckConstraint(
            "outstanding >= 0 AND outstanding <= amount",
            name=op.f("ck_budget_commitments_outstanding_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_commitments")),
        sa.UniqueConstraint("plan_id", name=op.f("uq_budget_commitments_plan_id")),
        sa.UniqueConstraint("project_id", name=op.f("uq_budget_commitments_project_id")),
        schema="finance",
    )
    op.create_index(
        "ix_budget_commitments_waiting",
        "budget_commitments",
        ["city", "year", "status", "created_at"],
        schema="finance",
    )
    op.create_table(
        "budget_movements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("city", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("reference_id", sa.Uuid(), nullable=True),
        sa.Column("appropriated", MONEY, nullable=False),
        sa.Column("committed", MONEY, nullable=False),
        sa.Column("paid", MONEY, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("request_id", sa.String(128), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_movements")),
        schema="finance",
    )
    op.create_index(
        "ix_budget_movements_city_year_at",
        "budget_movements",
        ["city", "year", "at"],
        schema="finance",
    )
    make_append_only("budget_movements", "finance")


def downgrade() -> None:
    for table in ("budget_movements", "budget_commitments", "budget_entries", "budgets"):
        op.drop_table(table, schema="finance")
