"""The intake schema's declarative base and its audit trail."""

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from common.audit import AuditMixin
from common.db import NAMING


class Base(DeclarativeBase):
    """Spelled out (same as ``common.db.make_base("intake")``) so type checkers see a class."""

    metadata = MetaData(schema="intake", naming_convention=NAMING)


class AuditLog(AuditMixin, Base):
    pass
