"""Every table of the finance schema, imported here so Alembic sees them all."""

from services.finance.db import AuditLog

__all__ = ["AuditLog"]
