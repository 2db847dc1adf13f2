"""The routers of the intake service, in the order they appear in its OpenAPI document."""

from fastapi import APIRouter

from services.intake.applications.router import router as applications
from services.intake.challenges.router import router as challenges
from services.intake.demands.router import router as demands
from services.intake.documents.router import router as documents
from services.intake.memberships.router import router as memberships
from services.intake.organizations.router import router as organizations
from services.intake.rounds.router import router as rounds

ROUTERS: list[APIRouter] = [
    organizations,
    memberships,
    rounds,
    demands,
    challenges,
    applications,
    documents,
]
