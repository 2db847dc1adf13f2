"""The intake schema's declarative base and its audit trail."""

from common.audit import AuditMixin
from common.db import make_base

Base = make_base("intake")


class AuditLog(AuditMixin, Base):
    pass
