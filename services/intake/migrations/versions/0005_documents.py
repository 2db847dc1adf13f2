"""documents: stored files and the object each is filed under; a demand's documents

Revision ID: intake_0005
Revises: intake_0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "intake_0005"
down_revision: str | None = "intake_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "demands",
        sa.Column(
            "documents",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        schema="intake",
    )
    op.create_table(
        "documents",
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=128), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("uploader_role", sa.String(length=32), nullable=False),
        sa.Column("uploader_org_id", sa.Uuid(), nullable=True),
        sa.Column("supersedes_id", sa.Uuid(), nullable=True),
        sa.Column("attached_type", sa.String(length=32), nullable=True),
        sa.Column("attached_id", sa.Uuid(), nullable=True),
        sa.Column("attached_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("readers", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        schema="intake",
    )
    op.create_index(
        op.f("ix_intake_documents_city"), "documents", ["city"], unique=False, schema="intake"
    )
    op.create_index(
        op.f("ix_intake_documents_sha256"), "documents", ["sha256"], unique=False, schema="intake"
    )
    op.create_index(
        "ix_documents_attached",
        "documents",
        ["attached_type", "attached_id"],
        unique=False,
        schema="intake",
    )
    op.create_index(
        "ix_documents_unattached_expiry",
        "documents",
        ["expires_at"],
        unique=False,
        schema="intake",
        postgresql_where=sa.text("attached_id IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_documents_unattached_expiry", table_name="documents", schema="intake")
    op.drop_index("ix_documents_attached", table_name="documents", schema="intake")
    op.drop_index(op.f("ix_intake_documents_sha256"), table_name="documents", schema="intake")
    op.drop_index(op.f("ix_intake_documents_city"), table_name="documents", schema="intake")
    op.drop_table("documents", schema="intake")
    op.drop_column("demands", "documents", schema="intake")
