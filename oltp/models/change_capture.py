"""Indexes on `updated_at` for the tables that grow with the business and that the warehouse reads incrementally.

A warehouse refresh asks each of these tables for the rows written since its last run (`updated_at >= watermark`),
and Dagster observes `max(updated_at)` to see that a source changed. Without an index both are sequential scans of
the whole table on every refresh: at tens of millions of rows that is most of a refresh's time. Rows loaded in one
transaction share one `updated_at`, which B-tree deduplication stores compactly.
"""

from sqlalchemy import Index, MetaData

CHANGE_CAPTURE_TABLES = (
    "customers",
    "addresses",
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


def add_change_capture_indexes(metadata: MetaData) -> None:
    """One index on `updated_at` per table of CHANGE_CAPTURE_TABLES (named by the metadata's convention)."""
    for name in CHANGE_CAPTURE_TABLES:
        table = metadata.tables[f"{metadata.schema}.{name}"]
        Index(None, table.c.updated_at)
