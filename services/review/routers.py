"""The routers of the review service, in the order they appear in its OpenAPI document."""

from fastapi import APIRouter

from services.review.agreements.router import router as agreements
from services.review.decisions.router import router as decisions
from services.review.experts.router import router as experts
from services.review.notices.router import router as notices
from services.review.objections.router import router as objections
from services.review.outbox.router import router as deliveries
from services.review.panels.router import router as panels
from services.review.procedure.router import router as procedure
from services.review.projects.router import router as projects
from services.review.results.router import router as results
from services.review.vettings.router import router as vettings

ROUTERS: list[APIRouter] = [
    experts,
    vettings,
    panels,
    results,
    objections,
    notices,
    agreements,
    procedure,
    decisions,
    projects,
    deliveries,
]
