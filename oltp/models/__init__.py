"""Typed SQLAlchemy models of the operational schema `app`, one module per section of the target schema."""

from oltp.models import (  # noqa: F401  (each import registers its tables on the metadata)
    analytics,
    catalog,
    communications,
    crm,
    financial,
    identity,
    orders,
    shared,
    suppliers,
    support,
)
from oltp.models.base import Base
from oltp.models.change_capture import add_change_capture_indexes

# The sections of docs/target-schema.md, in its order, as module names.
DOMAINS = (
    "identity",
    "crm",
    "catalog",
    "orders",
    "communications",
    "financial",
    "suppliers",
    "support",
    "shared",
    "analytics",
)

metadata = Base.metadata
add_change_capture_indexes(metadata)
