"""The review schema's declarative base and its audit trail.

A class statement (not ``make_base``'s return value) so mypy sees a real base class.
"""

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from common.audit import AuditMixin
from common.db import NAMING


class Base(DeclarativeBase):
    metadata = MetaData(schema="review", naming_convention=NAMING)


class AuditLog(AuditMixin, Base):
    pass
