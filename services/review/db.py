"""The review schema's declarative base and its audit trail."""

from common.audit import AuditMixin
from common.db import make_base

Base = make_base("review")


class AuditLog(AuditMixin, Base):
    pass
