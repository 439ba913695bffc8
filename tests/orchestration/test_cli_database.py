"""The `warehouse db` and `migrate` commands, and every bad input of the foundation, as a user meets them."""

from __future__ import annotations

import socket

import psycopg
import pytest

from tests.conftest import free_port, run_cli


@pytest.fixture
def own_home(tmp_path) -> dict[str, str]:
    """An environment with its own WAREHOUSE_HOME and port: a second embedded server, stopped afterwards."""
    env = {"WAREHOUSE_HOME": str(tmp_path / "home"), "WAREHOUSE_PG_PORT": str(free_port())}
    yield env
    run_cli("db", "stop", env=env)


def assert_one_line_error(result, *fragments: str) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def test_db_start_twice_says_already_running_and_rows_survive_a_restart(own_home):
    first = run_cli("db", "start", env=own_home)
    assert first.returncode == 0, first.stderr
    assert "started on 127.0.0.1:" + own_home["WAREHOUSE_PG_PORT"] in first.stdout

    second = run_cli("db", "start", env=own_home)
    assert second.returncode == 0
    assert "already running" in second.stdout

    url = run_cli("db", "url", "--show-password", env=own_home).stdout.strip()
    with psycopg.connect(url) as conn:
        conn.execute("create table kept (n integer)")
        conn.execute("insert into kept values (1), (2), (3)")

    stopped = run_cli("db", "stop", env=own_home)
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    status = run_cli("db", "status", env=own_home)
    assert status.returncode == 3 and "not running" in status.stdout

    assert run_cli("db", "start", env=own_home).returncode == 0
    with psycopg.connect(url) as conn:
        assert conn.execute("select sum(n) from kept").fetchone()[0] == 6
    running = run_cli("db", "status", env=own_home)
    assert running.returncode == 0 and "is running on 127.0.0.1:" in running.stdout


def test_db_stop_when_nothing_runs_is_a_note_not_an_error(own_home):
    result = run_cli("db", "stop", env=own_home)
    assert result.returncode == 0
    assert "not running; nothing to stop" in result.stdout


def test_db_url_masks_the_password_unless_asked(pg_server):
    env = {"DATABASE_URL": pg_server.url()}
    masked = run_cli("db", "url", env=env).stdout.strip()
    shown = run_cli("db", "url", "--show-password", env=env).stdout.strip()
    assert pg_server.password() not in masked and "***" in masked
    assert pg_server.password() in shown
    assert shown.startswith("postgresql://")


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("not a url at all", "DATABASE_URL is not a valid URL"),
        ("mysql://user:pw@localhost/db", "uses 'mysql', not PostgreSQL"),
        ("postgresql://user:pw@/db", "names no host"),
        ("postgresql://user:pw@localhost:5432", "names no database"),
    ],
)
def test_malformed_database_url_is_one_clear_line(url, fragment):
    result = run_cli("migrate", env={"DATABASE_URL": url})
    assert_one_line_error(result, fragment)
    assert "pw" not in result.stderr


def test_unreachable_database_url_names_host_and_port_but_never_the_password():
    port = free_port()
    result = run_cli("migrate", env={"DATABASE_URL": f"postgresql://someone:s3cr3t-pw@127.0.0.1:{port}/nowhere"})
    line = assert_one_line_error(result, f"cannot reach PostgreSQL at 127.0.0.1:{port}/nowhere")
    assert "s3cr3t-pw" not in line


def test_embedded_port_in_use_is_reported(own_home):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", int(own_home["WAREHOUSE_PG_PORT"])))
        squatter.listen()
        result = run_cli("db", "start", env=own_home)
    assert_one_line_error(result, f"port {own_home['WAREHOUSE_PG_PORT']}", "already in use", "WAREHOUSE_PG_PORT")


def test_data_directory_of_another_major_version_is_refused_and_kept(own_home, tmp_path):
    data_dir = tmp_path / "home" / "pgdata"
    data_dir.mkdir(parents=True)
    (data_dir / "PG_VERSION").write_text("15\n")
    (data_dir / "precious").write_text("old cluster files")
    result = run_cli("db", "start", env=own_home)
    assert_one_line_error(result, "written by PostgreSQL 15", "embedded server is PostgreSQL 16")
    assert (data_dir / "precious").read_text() == "old cluster files"


def test_port_setting_that_is_not_a_number_is_refused(tmp_path):
    result = run_cli("db", "start", env={"WAREHOUSE_HOME": str(tmp_path), "WAREHOUSE_PG_PORT": "fifty"})
    assert_one_line_error(result, "WAREHOUSE_PG_PORT='fifty' is not a whole number")


def test_db_commands_refuse_to_manage_an_external_database(pg_server):
    result = run_cli("db", "stop", env={"DATABASE_URL": pg_server.url()})
    assert_one_line_error(result, "DATABASE_URL is set")


def test_migrate_check_exits_1_while_migrations_are_pending_and_0_after(fresh_database_url):
    env = {"DATABASE_URL": fresh_database_url}
    before = run_cli("migrate", "--check", env=env)
    assert_one_line_error(before, "pending", "run `warehouse migrate`")

    applied = run_cli("migrate", env=env)
    assert applied.returncode == 0, applied.stderr
    assert "applied" in applied.stdout

    after = run_cli("migrate", "--check", env=env)
    assert after.returncode == 0 and "schema is current" in after.stdout
    with psycopg.connect(fresh_database_url) as conn:
        assert conn.execute("select count(*) from pg_namespace where nspname = 'app'").fetchone()[0] == 1
