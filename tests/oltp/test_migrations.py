"""Alembic: one head, no drift between models and migrations, and a round trip with rows present."""

from __future__ import annotations

import psycopg
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, pool

from oltp import migrate
from oltp.models import metadata
from oltp.schemas import APP_SCHEMA


def test_there_is_exactly_one_head():
    assert len(migrate.head_revisions()) == 1


def test_models_and_migrations_do_not_drift(migrated_url):
    engine = create_engine(migrate.alembic_url(migrated_url), poolclass=pool.NullPool)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_schemas": True,
                "include_object": migrate.include_object,
                "compare_type": True,
                "compare_server_default": True,
            },
        )
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []


def _table_count(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "select count(*) from information_schema.tables where table_schema = %s", (APP_SCHEMA,)
        ).fetchone()[0]


def test_upgrade_downgrade_upgrade_round_trip_with_rows_present(fresh_database_url):
    migrate.upgrade(fresh_database_url)
    expected_tables = len(metadata.tables)
    assert _table_count(fresh_database_url) == expected_tables
    with psycopg.connect(fresh_database_url) as conn:
        org = conn.execute("insert into app.organizations (name, slug) values ('Acme', 'acme') returning id")
        org_id = org.fetchone()[0]
        customer = conn.execute(
            "insert into app.customers (organization_id, customer_number, name) values (%s, 'C-1', 'Ann') returning id",
            (org_id,),
        ).fetchone()[0]
        conn.execute(
            """insert into app.orders (organization_id, order_number, customer_id, order_date)
               values (%s, 'SO-1', %s, current_date)""",
            (org_id, customer),
        )

    migrate.downgrade(fresh_database_url, "base")
    assert _table_count(fresh_database_url) == 0
    assert migrate.current_revision(fresh_database_url) is None

    migrate.upgrade(fresh_database_url)
    assert _table_count(fresh_database_url) == expected_tables
    assert migrate.pending_revisions(fresh_database_url) == []
