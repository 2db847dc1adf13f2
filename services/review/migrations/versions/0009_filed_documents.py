"""filed documents: which stored file (in intake) belongs to which review object

Revision ID: review_0009_documents
Revises: review_0008_procedure
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "review_0009_documents"
down_revision: str | None = "review_0008_procedure"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "filed_documents",
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("object_type", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filed_documents")),
        schema="review",
    )
    for column in ("city", "project_id", "object_id"):
        op.create_index(
            op.f(f"ix_review_filed_documents_{column}"),
            "filed_documents",
            [column],
            unique=False,
            schema="review",
        )


def downgrade() -> None:
    for column in ("city", "project_id", "object_id"):
        op.drop_index(
            op.f(f"ix_review_filed_documents_{column}"),
            table_name="filed_documents",
            schema="review",
        )
    op.drop_table("filed_documents", schema="review")
