"""Every table of the review schema, imported here so Alembic sees them all."""

from services.review.db import AuditLog

__all__ = ["AuditLog"]
