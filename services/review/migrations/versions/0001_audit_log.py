"""audit log (append-only)

Revision ID: review_0001
Revises:
"""

from collections.abc import Sequence

from alembic import op

from common.migration_ops import create_audit_log

revision: str = "review_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_audit_log("review")


def downgrade() -> None:
    op.drop_table("audit_log", schema="review")
