"""Every table of the intake schema, imported here so Alembic sees them all."""

from services.intake.db import AuditLog

__all__ = ["AuditLog"]
