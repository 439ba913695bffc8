"""The read side's isolation tests run against the `tiny` warehouse that tests/dbt builds (seed 7, two
organizations), as the `warehouse_reader` role, next to the owner (the session cluster's superuser).

Importing `tiny_warehouse` from tests/dbt/conftest.py would register a second session fixture with its own cache,
so a session running both folders would build the warehouse twice. This one reuses the database when a fixture of
this session already built it (the cluster is new each session, so a complete `dbt_tiny_seed7` was built by it),
and otherwise builds it exactly as tests/dbt does.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from tests.dbt.conftest import (
    dbt_scratch_paths,  # noqa: F401  (autouse: dbt writes under the session's folder)
    generate,
    new_database,
)

DATABASE = "dbt_tiny_seed7"
# What a finished build has: the reporting relations (built last) and a fact table.
BUILT = ("reporting.mv_daily_metrics", "reporting.mv_daily_pipeline", "reporting.mv_daily_warranty",
         "reporting.mv_daily_jobs", "reporting.mv_current_state", "reporting.target_attainment",
         "marts.fct_orders")  # fmt: skip


def _already_built(admin_url: str, url: str) -> bool:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("select 1 from pg_database where datname = %s", (DATABASE,)).fetchone() is None:
            return False
    with psycopg.connect(url, autocommit=True) as conn:
        return all(conn.execute("select to_regclass(%s)", (name,)).fetchone()[0] for name in BUILT)


@pytest.fixture(scope="session")
def tiny_warehouse(pg_server, admin_url) -> Iterator[str]:
    """The owner's URL (a superuser) of the `tiny` warehouse, seed 7, built by `dbt build` once per session."""
    from orchestration.dbt_runner import build

    url = pg_server.url().rsplit("/", 1)[0] + "/" + DATABASE
    if not _already_built(admin_url, url):
        url = new_database(pg_server, admin_url, DATABASE)
        generate(url, "--seed", "7")
        result = build(url=url)
        assert result.success, result.failures
    yield url


@pytest.fixture(scope="module")
def reader(tiny_warehouse):
    """The read side's own engine for the warehouse (readside.database.reader_engine), disposed after the module."""
    from readside.database import reader_engine

    engine = reader_engine(tiny_warehouse)
    yield engine
    engine.dispose()
