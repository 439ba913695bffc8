"""Declarative base and column vocabulary shared by every operational table.

The helpers below carry the standardization targets of the target schema into the database itself: one money
type, one quantity type, checked percentages and statuses, timestamptz everywhere, and foreign keys between
tenant tables that include ``organization_id`` so that a row can never point at another organization's row.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    MetaData,
    Numeric,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, TIMESTAMP
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from oltp.schemas import APP_SCHEMA


def _key_columns(constraint: Any, table: Any) -> str:
    """Column names of a key without the ``organization_id`` every tenant key starts with (names stay short)."""
    names = [column.name for column in constraint.columns]
    return "_".join([name for name in names if name != "organization_id"] or names)


def _fk_columns(constraint: Any, table: Any) -> str:
    names = [element.parent.name for element in constraint.elements]
    return "_".join([name for name in names if name != "organization_id"] or names)


NAMING_CONVENTION = {
    "key_columns": _key_columns,
    "fk_columns": _fk_columns,
    "ix": "ix_%(table_name)s_%(key_columns)s",
    "uq": "uq_%(table_name)s_%(key_columns)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(fk_columns)s",
    "pk": "pk_%(table_name)s",
}

MONEY = Numeric(14, 2)
QUANTITY = Numeric(14, 3)
PERCENT = Numeric(5, 2)
TIMESTAMPTZ = TIMESTAMP(timezone=True)

# Column kinds recorded in Column.info["kind"]; the schema lint and the ER diagrams read them back.
KIND_MONEY = "money"
KIND_QUANTITY = "quantity"
KIND_PERCENT = "percent"
KIND_COUNT = "count"
KIND_STATUS = "status"
KIND_CURRENCY = "currency"


class Base(DeclarativeBase):
    """Root of every model: schema ``app``, named constraints, timestamptz for every datetime."""

    metadata = MetaData(schema=APP_SCHEMA, naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: TIMESTAMPTZ,
        date: Date,
        Decimal: MONEY,
        dict[str, Any]: JSONB,
        list[Any]: JSONB,
        str: Text,
        int: BigInteger,
        bool: Boolean,
    }

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        table = cls.__dict__.get("__table__")
        if table is not None:
            _add_declared_constraints(table)


def _add_declared_constraints(table: Any) -> None:
    """Turn the column vocabulary's ``info`` into CHECK and tenant-safe FOREIGN KEY constraints."""
    tenant = "organization_id" in table.c and table.name != "organizations"
    for column in list(table.columns):
        info = column.info
        kind = info.get("kind")
        name = column.name
        if kind in (KIND_MONEY, KIND_QUANTITY, KIND_COUNT) and not info.get("signed"):
            table.append_constraint(CheckConstraint(f"{name} >= 0", name=f"{name}_non_negative"))
        elif kind == KIND_PERCENT:
            table.append_constraint(CheckConstraint(f"{name} between 0 and 100", name=f"{name}_range"))
        elif kind == KIND_STATUS:
            allowed = ", ".join(f"'{value}'" for value in info["allowed"])
            table.append_constraint(CheckConstraint(f"{name} in ({allowed})", name=f"{name}_allowed"))
        elif kind == KIND_CURRENCY:
            table.append_constraint(CheckConstraint(f"{name} ~ '^[A-Z]{{3}}$'", name=f"{name}_iso4217"))
        target = info.get("references")
        if target is None:
            continue
        ondelete = info.get("ondelete")
        if info.get("reference_table") or not tenant:
            table.append_constraint(ForeignKeyConstraint([name], [f"{APP_SCHEMA}.{target}.id"], ondelete=ondelete))
        else:
            table.append_constraint(
                ForeignKeyConstraint(
                    ["organization_id", name],
                    [f"{APP_SCHEMA}.{target}.organization_id", f"{APP_SCHEMA}.{target}.id"],
                    ondelete=ondelete,
                    use_alter=info.get("use_alter", False),
                )
            )


class TimestampMixin:
    """``created_at`` and ``updated_at``; incremental extraction reads ``updated_at``."""

    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), sort_order=900, comment="When the row was inserted."
    )
    updated_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ,
        server_default=func.now(),
        sort_order=901,
        comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
    )


class TenantBase(TimestampMixin, Base):
    """A table owned by one organization: primary key ``(organization_id, id)``, ready to distribute on Citus."""

    __abstract__ = True

    @declared_attr
    def organization_id(cls) -> Mapped[int]:
        return mapped_column(
            BigInteger,
            ForeignKey(f"{APP_SCHEMA}.organizations.id", ondelete="CASCADE"),
            primary_key=True,
            sort_order=-100,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True, sort_order=-99)


class ReferenceBase(TimestampMixin, Base):
    """A tenant-less lookup shared by every organization (a Citus reference table)."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True, sort_order=-99)


class SoftDeleteMixin:
    """Entities that users delete from lists but that history and analytics must keep."""

    deleted_at: Mapped[datetime | None] = mapped_column(
        TIMESTAMPTZ, sort_order=902, comment="Set when the row is soft-deleted; NULL while it is live."
    )
