"""Operations shared by the services' Alembic migrations."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from common.db import role_name
from common.settings import get_settings


def make_append_only(table: str, service: str) -> None:
    """Refuse UPDATE, DELETE and TRUNCATE on ``service.table`` for the run-time role and for
    everyone else through a trigger, so history can only grow."""
    app_role = role_name(get_settings(), service)
    fn = f"{service}.refuse_change_{table}"
    op.execute(f'REVOKE UPDATE, DELETE, TRUNCATE ON {service}.{table} FROM "{app_role}"')
    op.execute(
        f"""
        CREATE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{service}.{table} is append-only'
                USING ERRCODE = 'insufficient_privilege';
        END $$;
        """
    )
    op.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {service}.{table} "
        f"FOR EACH ROW EXECUTE FUNCTION {fn}()"
    )
    op.execute(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {service}.{table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {fn}()"
    )


def create_audit_log(service: str) -> None:
    """``<service>.audit_log`` (``common.audit.AuditMixin``), append-only; every service's
    first migration."""
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("actor_role", sa.String(32), nullable=False),
        sa.Column("city", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("from_state", sa.String(64)),
        sa.Column("to_state", sa.String(64)),
        sa.Column("reason", sa.Text()),
        sa.Column("data", postgresql.JSONB()),
        sa.Column("request_id", sa.String(128)),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        schema=service,
    )
    for column in ("at", "city", "entity_id"):
        op.create_index(f"ix_audit_log_{column}", "audit_log", [column], schema=service)
    make_append_only("audit_log", service)
