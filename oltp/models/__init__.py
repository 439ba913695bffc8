"""Typed SQLAlchemy models of the operational schema `app`, one module per section of the target schema."""

from oltp.models import identity  # noqa: F401  (each import registers its tables on the metadata)
from oltp.models.base import Base

metadata = Base.metadata
