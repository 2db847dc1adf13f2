"""organisations, rounds, demands, challenges, applications

Revision ID: intake_0002
Revises: intake_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "intake_0002"
down_revision: str | None = "intake_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("county", sa.String(length=64), nullable=True),
        sa.Column("revenue_last_year", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("rd_spend_last_year", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("over_quota", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "affiliated_org_ids",
            postgresql.ARRAY(sa.Uuid()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("city", "credit_code", name="uq_organizations_city_code"),
        schema="intake",
    )
    op.create_index(
        op.f("ix_intake_organizations_city"),
        "organizations",
        ["city"],
        unique=False,
        schema="intake",
    )
    op.create_table(
        "rounds",
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("ruleset_version", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("fields_open", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("collection_opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("collection_closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("publication_opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("publication_closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "overrides",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
        schema="intake",
    )
    op.create_index(
        op.f("ix_intake_rounds_city"), "rounds", ["city"], unique=False, schema="intake"
    )
    op.create_table(
        "demands",
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("owner_org_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column(
            "core_indicators",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("due_months", sa.Integer(), nullable=True),
        sa.Column("expected_results", sa.Text(), nullable=True),
        sa.Column("end_users", sa.Text(), nullable=True),
        sa.Column("total_investment", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("bounty_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("classified", sa.Boolean(), nullable=False),
        sa.Column("evaluation_opinion", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("project_manager", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("over_quota", sa.Boolean(), nullable=False),
        sa.Column(
            "overrides",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_org_id"],
            ["intake.organizations.id"],
            name=op.f("fk_demands_owner_org_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["intake.rounds.id"], name=op.f("fk_demands_round_id_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demands")),
        schema="intake",
    )
    op.create_index(
        op.f("ix_intake_demands_city"), "demands", ["city"], unique=False, schema="intake"
    )
    op.create_index(
        op.f("ix_intake_demands_owner_org_id"),
        "demands",
        ["owner_org_id"],
        unique=False,
        schema="intake",
    )
    op.create_index(
        op.f("ix_intake_demands_round_id"), "demands", ["round_id"], unique=False, schema="intake"
    )
    op.create_index(
        op.f("ix_intake_demands_status"), "demands", ["status"], unique=False, schema="intake"
    )
    op.create_table(
        "challenges",
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("demand_id", sa.Uuid(), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("owner_org_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column("core_indicators", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("due_months", sa.Integer(), nullable=True),
        sa.Column("expected_results", sa.Text(), nullable=True),
        sa.Column("end_users", sa.Text(), nullable=True),
        sa.Column("bounty_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("over_quota", sa.Boolean(), nullable=False),
        sa.Column("publication_opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("publication_closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("results_public", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("results_public_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["demand_id"], ["intake.demands.id"], name=op.f("fk_challenges_demand_id_demands")
        ),
        sa.ForeignKeyConstraint(
            ["owner_org_id"],
            ["intake.organizations.id"],
            name=op.f("fk_challenges_owner_org_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["intake.rounds.id"], name=op.f("fk_challenges_round_id_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenges")),
        sa.UniqueConstraint("demand_id", name=op.f("uq_challenges_demand_id")),
        schema="intake",
    )
    op.create_index(
        op.f("ix_intake_challenges_city"), "challenges", ["city"], unique=False, schema="intake"
    )
    op.create_index(
        op.f("ix_intake_challenges_owner_org_id"),
        "challenges",
        ["owner_org_id"],
        unique=False,
        schema="intake",
    )
    op.create_index(
        op.f("ix_intake_challenges_round_id"),
        "challenges",
        ["round_id"],
        unique=False,
        schema="intake",
    )
    op.create_table(
        "applications",
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("challenge_id", sa.Uuid(), nullable=False),
        sa.Column("demand_id", sa.Uuid(), nullable=False),
        sa.Column("owner_org_id", sa.Uuid(), nullable=False),
        sa.Column("lead_org_id", sa.Uuid(), nullable=False),
        sa.Column(
            "member_org_ids",
            postgresql.ARRAY(sa.Uuid()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("pi", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("plan", sa.Text(), nullable=True),
        sa.Column("total_budget", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("requested_subsidy", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("other_municipal_application", sa.Boolean(), nullable=False),
        sa.Column(
            "documents",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("county", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["intake.challenges.id"],
            name=op.f("fk_applications_challenge_id_challenges"),
        ),
        sa.ForeignKeyConstraint(
            ["demand_id"], ["intake.demands.id"], name=op.f("fk_applications_demand_id_demands")
        ),
        sa.ForeignKeyConstraint(
            ["lead_org_id"],
            ["intake.organizations.id"],
            name=op.f("fk_applications_lead_org_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_org_id"],
            ["intake.organizations.id"],
            name=op.f("fk_applications_owner_org_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        schema="intake",
    )
    op.create_index(
        op.f("ix_intake_applications_challenge_id"),
        "applications",
        ["challenge_id"],
        unique=False,
        schema="intake",
    )
    op.create_index(
        op.f("ix_intake_applications_city"), "applications", ["city"], unique=False, schema="intake"
    )
    op.create_index(
        op.f("ix_intake_applications_lead_org_id"),
        "applications",
        ["lead_org_id"],
        unique=False,
        schema="intake",
    )
    op.create_index(
        op.f("ix_intake_applications_owner_org_id"),
        "applications",
        ["owner_org_id"],
        unique=False,
        schema="intake",
    )
    op.create_index(
        op.f("ix_intake_applications_status"),
        "applications",
        ["status"],
        unique=False,
        schema="intake",
    )
    op.create_index(
        "uq_applications_active_lead",
        "applications",
        ["challenge_id", "lead_org_id"],
        unique=True,
        schema="intake",
        postgresql_where=sa.text("status <> 'withdrawn'"),
    )


def downgrade() -> None:
    op.drop_index(
        "uq_applications_active_lead",
        table_name="applications",
        schema="intake",
        postgresql_where=sa.text("status <> 'withdrawn'"),
    )
    op.drop_index(op.f("ix_intake_applications_status"), table_name="applications", schema="intake")
    op.drop_index(
        op.f("ix_intake_applications_owner_org_id"), table_name="applications", schema="intake"
    )
    op.drop_index(
        op.f("ix_intake_applications_lead_org_id"), table_name="applications", schema="intake"
    )
    op.drop_index(op.f("ix_intake_applications_city"), table_name="applications", schema="intake")
    op.drop_index(
        op.f("ix_intake_applications_challenge_id"), table_name="applications", schema="intake"
    )
    op.drop_table("applications", schema="intake")
    op.drop_index(op.f("ix_intake_challenges_round_id"), table_name="challenges", schema="intake")
    op.drop_index(
        op.f("ix_intake_challenges_owner_org_id"), table_name="challenges", schema="intake"
    )
    op.drop_index(op.f("ix_intake_challenges_city"), table_name="challenges", schema="intake")
    op.drop_table("challenges", schema="intake")
    op.drop_index(op.f("ix_intake_demands_status"), table_name="demands", schema="intake")
    op.drop_index(op.f("ix_intake_demands_round_id"), table_name="demands", schema="intake")
    op.drop_index(op.f("ix_intake_demands_owner_org_id"), table_name="demands", schema="intake")
    op.drop_index(op.f("ix_intake_demands_city"), table_name="demands", schema="intake")
    op.drop_table("demands", schema="intake")
    op.drop_index(op.f("ix_intake_rounds_city"), table_name="rounds", schema="intake")
    op.drop_table("rounds", schema="intake")
    op.drop_index(op.f("ix_intake_organizations_city"), table_name="organizations", schema="intake")
    op.drop_table("organizations", schema="intake")
