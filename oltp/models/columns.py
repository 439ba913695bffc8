"""Column vocabulary: every model declares columns through these, as ``col.money(...)``, ``col.fk(...)``.

Each helper records its kind in ``Column.info``; ``Base`` turns that into CHECK and tenant-safe FOREIGN KEY
constraints, and the schema lint reads the result back from the PostgreSQL catalog.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import MappedColumn, mapped_column

from oltp.models.base import (
    KIND_COUNT,
    KIND_CURRENCY,
    KIND_MONEY,
    KIND_PERCENT,
    KIND_QUANTITY,
    KIND_STATUS,
    MONEY,
    PERCENT,
    QUANTITY,
    TIMESTAMPTZ,
)


def money(
    comment: str | None = None, *, nullable: bool = False, signed: bool = False, default: int | None = 0
) -> MappedColumn[Any]:
    """An amount of money, numeric(14,2); non-negative unless ``signed`` (adjustments, variances)."""
    return mapped_column(
        MONEY,
        nullable=nullable,
        server_default=None if default is None else str(default),
        comment=comment,
        info={"kind": KIND_MONEY, "signed": signed},
    )


def quantity(
    comment: str | None = None, *, nullable: bool = False, signed: bool = False, default: int | None = 0
) -> MappedColumn[Any]:
    """A quantity of goods or hours, numeric(14,3); non-negative unless ``signed`` (stock movements)."""
    return mapped_column(
        QUANTITY,
        nullable=nullable,
        server_default=None if default is None else str(default),
        comment=comment,
        info={"kind": KIND_QUANTITY, "signed": signed},
    )


def percent(comment: str | None = None, *, nullable: bool = False, default: int | None = 0) -> MappedColumn[Any]:
    """A percentage or probability from 0 to 100, numeric(5,2), range-checked."""
    return mapped_column(
        PERCENT,
        nullable=nullable,
        server_default=None if default is None else str(default),
        comment=comment,
        info={"kind": KIND_PERCENT},
    )


def count(comment: str | None = None, *, nullable: bool = False, default: int | None = 0) -> MappedColumn[Any]:
    """A count of things: integer, never negative."""
    return mapped_column(
        Integer,
        nullable=nullable,
        server_default=None if default is None else str(default),
        comment=comment,
        info={"kind": KIND_COUNT},
    )


def one_of(
    allowed: Iterable[str], comment: str, *, default: str | None = None, nullable: bool = False
) -> MappedColumn[Any]:
    """A status, type or stage limited to ``allowed``; the column comment lists the values."""
    values = tuple(allowed)
    if default is not None and default not in values:
        raise ValueError(f"default {default!r} is not one of {values}")
    return mapped_column(
        String(40),
        nullable=nullable,
        server_default=None if default is None else default,
        comment=f"{comment} One of: {', '.join(values)}.",
        info={"kind": KIND_STATUS, "allowed": values},
    )


def fk(
    target: str,
    comment: str | None = None,
    *,
    nullable: bool = True,
    ondelete: str | None = None,
    deferred: bool = False,
) -> MappedColumn[Any]:
    """A reference to a tenant table, enforced as ``(organization_id, col) -> target(organization_id, id)``."""
    return mapped_column(
        BigInteger,
        nullable=nullable,
        comment=comment,
        # deferred: the key closes a cycle between tables, so migrations add it after both tables exist.
        info={"references": target, "ondelete": ondelete, "use_alter": deferred},
    )


def reference_fk(target: str, comment: str | None = None, *, nullable: bool = False) -> MappedColumn[Any]:
    """A reference to a tenant-less lookup table (a Citus reference table), a plain single-column key."""
    return mapped_column(
        BigInteger,
        nullable=nullable,
        comment=comment,
        info={"references": target, "reference_table": True},
    )


def timestamp(comment: str | None = None, *, nullable: bool = True) -> MappedColumn[Any]:
    """A point in time, always timestamptz."""
    return mapped_column(TIMESTAMPTZ, nullable=nullable, comment=comment)


def currency(comment: str = "ISO 4217 currency code of the amounts on this row.") -> MappedColumn[Any]:
    """The currency of a row whose amounts may be in another currency than the organization's."""
    return mapped_column(String(3), server_default="USD", comment=comment, info={"kind": KIND_CURRENCY})
