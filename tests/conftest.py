"""Test-wide fixtures: a throwaway embedded PostgreSQL that never touches the user's `.local/` data."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
WAREHOUSE = str(Path(sys.executable).parent / "warehouse")

# Every test, and every subprocess a test starts, sees a private WAREHOUSE_HOME: the user's .local/ is never used.
_SESSION_HOME = Path(tempfile.mkdtemp(prefix="warehouse-tests-"))
os.environ["WAREHOUSE_HOME"] = str(_SESSION_HOME / "home")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("DAGSTER_HOME", None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server() -> Iterator:
    """One embedded PostgreSQL cluster for the whole session, in a temporary folder, on a free port."""
    from oltp.database import EmbeddedPostgres

    data_dir = _SESSION_HOME / "cluster" / "pgdata"
    data_dir.parent.mkdir(parents=True)
    server = EmbeddedPostgres(data_dir, free_port())
    server.start()
    yield server
    server.stop()
    shutil.rmtree(_SESSION_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def admin_url(pg_server) -> str:
    return pg_server.url().rsplit("/", 1)[0] + "/postgres"


@pytest.fixture
def fresh_database_url(pg_server, admin_url, request) -> Iterator[str]:
    """A new, empty database on the session cluster, dropped after the test."""
    import psycopg

    name = "t_" + request.node.name.lower().replace("[", "_").replace("]", "").replace("-", "_")[:50]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')
    yield pg_server.url().rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the `warehouse` console script as a user would."""
    full_env = dict(os.environ, **(env or {}))
    full_env = {k: v for k, v in full_env.items() if v is not None}
    return subprocess.run(
        [WAREHOUSE, *args], capture_output=True, text=True, env=full_env, timeout=timeout, cwd=REPO_ROOT
    )


# -- the `tiny` warehouse, built once per session for every folder that reads it ------------------------------------
@pytest.fixture(scope="session")
def dbt_scratch_paths() -> None:
    """dbt writes its target/ and logs/ under the session's temporary folder, never into the repository's."""
    os.environ["DBT_TARGET_PATH"] = str(_SESSION_HOME / "dbt-target")
    os.environ["DBT_LOG_PATH"] = str(_SESSION_HOME / "dbt-logs")


def new_database(pg_server, admin_url: str, name: str) -> str:
    """A new database on the session cluster, migrated to head; its URL."""
    import psycopg

    from oltp import migrate

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
def tiny_warehouse(pg_server, admin_url, dbt_scratch_paths) -> Iterator[str]:
    """`tiny` data (seed 7, several organizations), built by `dbt build` once per session: the owner's URL (a
    superuser) of a warehouse to reconcile, query and read through the read side. Defined here, once, so that
    every folder shares the one build."""
    from orchestration.dbt_runner import build

    url = new_database(pg_server, admin_url, "dbt_tiny_seed7")
    generate(url, "--seed", "7")
    build(url=url)
    yield url
