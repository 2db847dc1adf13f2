"""Every table of the review schema, imported here so Alembic sees them all."""

from services.review.agreements.models import AgreementTerms
from services.review.db import AuditLog
from services.review.decisions.models import Decision
from services.review.documents.models import FiledDocument
from services.review.experts.models import Expert
from services.review.notices.models import Notice
from services.review.objections.models import Objection
from services.review.outbox.models import Delivery
from services.review.panels.models import Panel, PanelChallenge, PanelEntry, PanelMember, Score
from services.review.procedure.models import DecisionMeeting, ProjectQuota, Proposal
from services.review.projects.models import Project, ProjectChange
from services.review.results.models import ChallengeReview
from services.review.vettings.models import Vetting, VettingAssignment

__all__ = [
    "AgreementTerms",
    "AuditLog",
    "ChallengeReview",
    "Decision",
    "DecisionMeeting",
    "Delivery",
    "Expert",
    "FiledDocument",
    "Notice",
    "Objection",
    "Panel",
    "PanelChallenge",
    "PanelEntry",
    "PanelMember",
    "Project",
    "ProjectChange",
    "ProjectQuota",
    "Proposal",
    "Score",
    "Vetting",
    "VettingAssignment",
]
