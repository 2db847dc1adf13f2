"""Operations shared by the services' Alembic migrations."""

from alembic import op

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
