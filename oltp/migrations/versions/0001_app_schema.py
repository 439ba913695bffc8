"""The operational schema `app` and the trigger function that keeps `updated_at` current.

Revision ID: 0001_app_schema
Revises:
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0001_app_schema"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("create schema if not exists app")
    op.execute("comment on schema app is 'Operational tables of the field-service CRM/ERP (the warehouse source).'")
    # Any writer bumps updated_at, so incremental extraction can trust it as the change watermark.
    op.execute(
        """
        create or replace function app.set_updated_at() returns trigger
        language plpgsql as $$
        begin
            new.updated_at := now();
            return new;
        end;
        $$
        """
    )


def downgrade() -> None:
    op.execute("drop function if exists app.set_updated_at()")
    op.execute("drop schema if exists app cascade")
