"""A log of the rows deleted for good from the app tables the warehouse refreshes by key, so that a refresh finds
them in proportion to what was deleted instead of comparing its whole table with the app's.

`app_changes.row_deletions` gets one row per deleted row (the table's name, organization and id, and the time),
written by a statement-level trigger on each table below, which reads the deleted rows from the statement's
transition table (one insert per statement, however many rows it deletes; cascades included). The warehouse's
keyed models read it from their watermark on (dbt/macros/incremental_keys.sql, hard_deleted_rows) and delete what
is older than they keep changes. The row of table `*` records when the log began (-infinity for a database that had
none of these rows yet): a model refreshed before that compares its table with the app's once more, as it did
before this log.

The schema is not `app`: it is bookkeeping, not part of the operational model (tests/oltp/test_schema_lint.py).

Revision ID: 0008_row_deletions_log
Revises: 0007_scheduled_report_deliveries
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008_row_deletions_log"
down_revision: str | None = "0007_scheduled_report_deliveries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (not imported) so this migration means the same thing forever: the tables whose rows are deleted for
# good and whose deletions a keyed model must see.
TABLES = (
    "customers",
    "order_line_items",
    "revenue_recognition",
    "job_time_entries",
    "job_materials",
    "warranties",
    "warranty_claims",
    "csat_responses",
)


def upgrade() -> None:
    op.execute("create schema if not exists app_changes")
    op.execute(
        """create table app_changes.row_deletions (
               source_table text not null,
               organization_id bigint not null,
               id bigint not null,
               deleted_at timestamptz not null default now()
           )"""
    )
    op.execute(
        "comment on table app_changes.row_deletions is 'Rows deleted for good from the app tables the"
        " warehouse refreshes by key (written by triggers); table * marks when the log began.'"
    )
    op.execute(
        "create index ix_row_deletions_source_table_deleted_at on app_changes.row_deletions (source_table, deleted_at)"
    )
    # the log begins now, or for a database with none of these rows yet (a new install), before anything was deleted
    empty = " and ".join(f"not exists (select 1 from app.{table})" for table in TABLES)
    op.execute(
        "insert into app_changes.row_deletions (source_table, organization_id, id, deleted_at)"
        f" select '*', 0, 0, case when {empty} then '-infinity'::timestamptz else now() end"
    )
    # security definer: whoever may delete an app row may log it, without a grant on the log
    op.execute(
        """create function app_changes.log_row_deletions() returns trigger
           language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
           begin
               insert into app_changes.row_deletions (source_table, organization_id, id)
               select tg_table_name, deleted.organization_id, deleted.id from deleted_rows as deleted;
               return null;
           end
           $$"""
    )
    op.execute("revoke all on function app_changes.log_row_deletions() from public")
    for table in TABLES:
        op.execute(
            f"create trigger log_row_deletions after delete on app.{table}"
            " referencing old table as deleted_rows for each statement"
            " execute function app_changes.log_row_deletions()"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"drop trigger if exists log_row_deletions on app.{table}")
    op.execute("drop schema app_changes cascade")
