"""Warehouse databases for the dbt tests, each built once per session: an empty migrated one, and one with the
`tiny` synthetic data (seed 7) that the reconciliation and custom-report tests read."""

from __future__ import annotations

import os
from collections.abc import Iterator

import psycopg
import pytest

from oltp import migrate
from tests.conftest import _SESSION_HOME, run_cli


@pytest.fixture(scope="session", autouse=True)
def dbt_scratch_paths() -> None:
    """dbt writes its target/ and logs/ under the session's temporary folder, never into the repository's."""
    os.environ["DBT_TARGET_PATH"] = str(_SESSION_HOME / "dbt-target")
    os.environ["DBT_LOG_PATH"] = str(_SESSION_HOME / "dbt-logs")


def new_database(pg_server, admin_url: str, name: str) -> str:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')
    url = pg_server.url().rsplit("/", 1)[0] + "/" + name
    migrate.upgrade(url)
    return url


def generate(url: str, *args: str) -> None:
    result = run_cli("generate", "--scale", "tiny", *args, env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session")
def tiny_warehouse(pg_server, admin_url) -> Iterator[str]:
    """`tiny` data (seed 7), built by `dbt build` once: the URL of a warehouse to reconcile and query."""
    from orchestration.dbt_runner import build

    url = new_database(pg_server, admin_url, "dbt_tiny_seed7")
    generate(url, "--seed", "7")
    build(url=url)
    yield url
