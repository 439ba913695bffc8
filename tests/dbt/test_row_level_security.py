"""Dashboards read the reporting relations under per-organization row-level security: a reader sees the rows of
the organization its session names and nothing without one, while the owner (dbt) sees every row."""

from __future__ import annotations

import psycopg
from psycopg import sql

REPORTING = ("mv_daily_metrics", "mv_daily_pipeline", "mv_daily_warranty", "mv_daily_jobs", "mv_current_state",
             "target_attainment")  # fmt: skip


def test_a_dashboard_reader_sees_only_its_organizations_rows(tiny_warehouse):
    with psycopg.connect(tiny_warehouse, autocommit=True) as conn:
        conn.execute("drop role if exists dashboard_reader")
        conn.execute("create role dashboard_reader nologin")
        conn.execute("grant usage on schema reporting to dashboard_reader")
        conn.execute("grant select on all tables in schema reporting to dashboard_reader")
        organizations = [row[0] for row in conn.execute("select organization_id from reporting.mv_current_state")]
        assert len(organizations) > 1
        for name in REPORTING:
            table = sql.Identifier("reporting", name)
            owner_sees = conn.execute(
                sql.SQL("select count(distinct organization_id) from {}").format(table)
            ).fetchone()
            assert owner_sees[0] == len(organizations), name
            conn.execute("set role dashboard_reader")
            try:
                conn.execute("select set_config('app.organization_id', '', false)")
                assert conn.execute(sql.SQL("select count(*) from {}").format(table)).fetchone()[0] == 0, name
                conn.execute("select set_config('app.organization_id', %s, false)", (str(organizations[0]),))
                seen = conn.execute(sql.SQL("select distinct organization_id from {}").format(table)).fetchall()
                assert seen in ([(organizations[0],)], []), (name, seen)
            finally:
                conn.execute("reset role")


def test_a_refresh_of_an_incremental_relation_takes_no_lock_that_blocks_its_readers(tiny_warehouse, monkeypatch):
    """The grants and policies are stated again on every build (a new model gets its own), but only what is missing
    runs: a refresh of an incremental relation while a reader holds it open waits for no lock."""
    from orchestration.dbt_runner import execute
    from readside.database import Scope, reader_engine, scoped

    with psycopg.connect(tiny_warehouse) as conn:
        organization = conn.execute("select min(organization_id) from reporting.mv_daily_metrics").fetchone()[0]
    with scoped(Scope(organization), reader_engine(tiny_warehouse)) as reader:
        seen = reader.exec_driver_sql("select count(*) from reporting.mv_daily_metrics").scalar()
        assert seen > 0
        # any ACCESS EXCLUSIVE lock (ALTER TABLE, a rename) would wait on the reader's and fail after 5 s
        monkeypatch.setenv("PGOPTIONS", "-c lock_timeout=5000")
        result = execute("run", select=["mv_daily_metrics", "mv_daily_jobs"], quiet=True, url=tiny_warehouse)
        assert result.success, result.failures
        assert reader.exec_driver_sql("select count(*) from reporting.mv_daily_metrics").scalar() == seen
