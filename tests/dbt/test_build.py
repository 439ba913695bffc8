"""`dbt build` (models, snapshots, data tests and unit tests) passes on a freshly migrated, empty database, the
reporting relations land in schema reporting with row-level security, and `dbt docs generate` works."""

from __future__ import annotations

import psycopg

from oltp.schemas import MARTS_SCHEMA, REPORTING_SCHEMA, SNAPSHOTS_SCHEMA, STAGING_SCHEMA
from orchestration.dbt_runner import build, execute
from tests.conftest import new_database

REPORTING = {"mv_daily_metrics", "mv_daily_pipeline", "mv_daily_warranty", "mv_daily_jobs", "mv_current_state",
             "target_attainment"}  # fmt: skip


def test_dbt_build_passes_on_an_empty_migrated_database_and_docs_generate(pg_server, admin_url):
    url = new_database(pg_server, admin_url, "dbt_empty")
    result = build(url=url)
    statuses = set(result.nodes.values())
    assert statuses <= {"success", "pass", "no-op"}, statuses  # exposures are no-ops
    assert sum(1 for node in result.nodes if node.startswith("unit_test.")) >= 7
    assert sum(1 for node in result.nodes if node.startswith("test.")) >= 150

    with psycopg.connect(url) as conn:
        tables = dict(
            conn.execute(
                """select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
                   where n.nspname = %s and c.relkind = 'r'""",
                (REPORTING_SCHEMA,),
            ).fetchall()
        )
        schemas = {row[0] for row in conn.execute("select nspname from pg_namespace")}
    assert set(tables) == REPORTING
    assert all(tables.values()), tables
    assert {STAGING_SCHEMA, MARTS_SCHEMA, REPORTING_SCHEMA, SNAPSHOTS_SCHEMA} <= schemas

    execute("docs generate", url=url)
