"""Every table of the intake schema, imported here so Alembic sees them all."""

from services.intake.applications.models import Application
from services.intake.challenges.models import Challenge
from services.intake.db import AuditLog
from services.intake.demands.models import Demand
from services.intake.documents.models import Document
from services.intake.memberships.models import Membership
from services.intake.organizations.models import Organization
from services.intake.rounds.models import Round

__all__ = [
    "Application",
    "AuditLog",
    "Challenge",
    "Demand",
    "Document",
    "Membership",
    "Organization",
    "Round",
]
