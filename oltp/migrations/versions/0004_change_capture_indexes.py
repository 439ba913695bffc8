"""Indexes on `updated_at` for the tables the warehouse reads incrementally (see oltp/models/change_capture.py).

Revision ID: 0004_change_capture_indexes
Revises: 0003_seed_roles
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_change_capture_indexes"
down_revision: str | None = "0003_seed_roles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (not imported from the models) so this migration means the same thing forever.
TABLES = (
    "customers",
    "opportunities",
    "opportunity_activities",
    "orders",
    "order_line_items",
    "payment_schedules",
    "credit_notes",
    "revenue_recognition",
    "jobs",
    "job_assignments",
    "job_checklists",
    "job_checklist_items",
    "job_time_entries",
    "job_materials",
    "warranties",
    "warranty_claims",
    "issues",
)


def upgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_updated_at", table, ["updated_at"], schema="app")


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_updated_at", table_name=table, schema="app")
