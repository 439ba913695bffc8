"""Index on `addresses.updated_at`: the warehouse's dim_customers refreshes by customer and reads the addresses
written since its last refresh (see oltp/models/change_capture.py).

Revision ID: 0005_addresses_updated_at
Revises: 0004_change_capture_indexes
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_addresses_updated_at"
down_revision: str | None = "0004_change_capture_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_addresses_updated_at", "addresses", ["updated_at"], schema="app")


def downgrade() -> None:
    op.drop_index("ix_addresses_updated_at", table_name="addresses", schema="app")
