"""The `warehouse db` and `migrate` commands, and every bad input of the foundation, as a user meets them."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from oltp.database import (
    EMBEDDED_DATABASE,
    EMBEDDED_USER,
    EXPECTED_URL,
    DatabaseError,
    check_reachable,
    database_url,
    describe,
    get_engine,
    libpq_url,
    mask,
    parse_database_url,
    server_host,
)
from oltp.settings import get_settings
from orchestration.dbt_runner import dbt_args, dbt_environment, run_dbt
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


def test_db_url_of_the_reader_role_signs_in_as_the_reader(fresh_database_url):
    env = {"DATABASE_URL": fresh_database_url, "WAREHOUSE_READER_PASSWORD": "reader-pw-for-this-test"}
    try:
        # `migrate` states the password given: the role is the cluster's, so the session's is put back after
        assert run_cli("migrate", env=env).returncode == 0
        masked = run_cli("db", "url", "--role", "reader", env=env).stdout.strip()
        shown = run_cli("db", "url", "--role", "reader", "--show-password", env=env).stdout.strip()
        host_and_database = fresh_database_url.split("@", 1)[1]
        assert masked == f"postgresql://warehouse_reader:***@{host_and_database}"
        assert shown == f"postgresql://warehouse_reader:reader-pw-for-this-test@{host_and_database}"
        with psycopg.connect(shown) as conn:
            assert conn.execute("select current_user").fetchone()[0] == "warehouse_reader"
            # with no organization set it sees no rows, and it cannot list users
            assert conn.execute("select count(*) from app.custom_reports").fetchone()[0] == 0
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("select count(*) from app.users")
    finally:
        assert run_cli("migrate", env={"DATABASE_URL": fresh_database_url}).returncode == 0


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("not a url at all", "DATABASE_URL is not a valid URL"),
        ("mysql://user:pw@localhost/db", "uses 'mysql', not PostgreSQL"),
        ("postgresql://user:pw@/db", "names no host or socket directory"),
        ("postgresql://user:pw@localhost:5432", "names no database"),
        ("postgresql://user:pw@/?host=/var/run/postgresql", "names no database"),
        ("postgresql://user:pw@localhost/db?sslmod=require", "has the parameter 'sslmod', which libpq does not know"),
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


# -- DATABASE_URL: the forms libpq takes for one server, a Unix-socket directory included ------------------------
@pytest.mark.parametrize(
    ("url", "host", "port", "database", "user", "described", "for_libpq"),
    [
        (
            "postgresql://analyst:pw@db.example:5432/warehouse",
            "db.example",
            5432,
            "warehouse",
            "analyst",
            "db.example:5432/warehouse",
            "postgresql://analyst:pw@db.example:5432/warehouse",
        ),
        (
            "postgresql://analyst@/warehouse?host=/var/run/postgresql",
            "/var/run/postgresql",
            None,
            "warehouse",
            "analyst",
            "/var/run/postgresql (socket):5432/warehouse",
            "postgresql://analyst@/warehouse?host=/var/run/postgresql",
        ),
        (
            "postgresql:///warehouse?host=/tmp",
            "/tmp",
            None,
            "warehouse",
            None,
            "/tmp (socket):5432/warehouse",
            "postgresql:///warehouse?host=/tmp",
        ),
        (
            "postgresql://analyst@%2Fvar%2Frun%2Fpostgresql/warehouse",
            "/var/run/postgresql",
            None,
            "warehouse",
            "analyst",
            "/var/run/postgresql (socket):5432/warehouse",
            "postgresql://analyst@/warehouse?host=/var/run/postgresql",
        ),
        (
            "postgresql://analyst@%2Fvar%2Frun%2Fpostgresql:5433/warehouse",
            "/var/run/postgresql",
            5433,
            "warehouse",
            "analyst",
            "/var/run/postgresql (socket):5433/warehouse",
            "postgresql://analyst@/warehouse?host=/var/run/postgresql&port=5433",
        ),
        (
            "postgresql://analyst@/warehouse?host=/var/run/postgresql&port=5433",
            "/var/run/postgresql",
            5433,
            "warehouse",
            "analyst",
            "/var/run/postgresql (socket):5433/warehouse",
            "postgresql://analyst@/warehouse?host=/var/run/postgresql&port=5433",
        ),
        (
            "postgresql://analyst:pw@db.example/warehouse?port=6543&sslmode=require",
            "db.example",
            6543,
            "warehouse",
            "analyst",
            "db.example:6543/warehouse",
            "postgresql://analyst:pw@db.example:6543/warehouse?sslmode=require",
        ),
        (
            "postgres://analyst@[::1]:5432/my%20warehouse",
            "::1",
            5432,
            "my warehouse",
            "analyst",
            "[::1]:5432/my warehouse",
            "postgresql://analyst@[::1]:5432/my%20warehouse",
        ),
    ],
)
def test_database_url_forms_libpq_takes_are_accepted(url, host, port, database, user, described, for_libpq):
    parsed = parse_database_url(url)
    assert (server_host(parsed), parsed.port, parsed.database, parsed.username) == (host, port, database, user)
    assert describe(parsed) == described
    assert libpq_url(url) == for_libpq
    # libpq's own parser reads the same server out of it ...
    libpq = psycopg.conninfo.conninfo_to_dict(for_libpq)
    assert (libpq["host"], libpq.get("port"), libpq["dbname"]) == (host, port and str(port), database)
    # ... SQLAlchemy's psycopg dialect hands libpq the same host, and the canonical form parses to itself ...
    rendered = parsed.render_as_string(hide_password=False)
    assert rendered.startswith("postgresql+psycopg://")
    assert parse_database_url(rendered) == parsed
    _, connect_args = parsed.get_dialect()().create_connect_args(parsed)
    assert (connect_args["host"], connect_args.get("port"), connect_args["dbname"]) == (host, port, database)
    # ... and so does the dbt profile.
    env = dbt_environment(url)
    assert (env["DBT_PG_HOST"], env["DBT_PG_PORT"], env["DBT_PG_DBNAME"]) == (host, str(port or 5432), database)


def test_a_password_given_as_a_parameter_is_masked_like_one_in_the_url():
    url = "postgresql://analyst@/warehouse?host=/var/run/postgresql&password=s3cr3t-pw&sslmode=disable"
    assert parse_database_url(url).password == "s3cr3t-pw"
    assert mask(url) == "postgresql://analyst:***@/warehouse?host=/var/run/postgresql&sslmode=disable"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url at all", f"DATABASE_URL is not a valid URL ({EXPECTED_URL})"),
        ("postgresql://user:s3cr3t-pw@db.example:abc/db", f"DATABASE_URL is not a valid URL ({EXPECTED_URL})"),
        ("mysql://user:s3cr3t-pw@localhost/db", f"DATABASE_URL uses 'mysql', not PostgreSQL ({EXPECTED_URL})"),
        ("postgresql://user:s3cr3t-pw@/db", f"DATABASE_URL names no host or socket directory ({EXPECTED_URL})"),
        ("postgresql:///db", f"DATABASE_URL names no host or socket directory ({EXPECTED_URL})"),
        ("postgresql://user:s3cr3t-pw@localhost:5432", f"DATABASE_URL names no database ({EXPECTED_URL})"),
        ("postgresql://user:s3cr3t-pw@/?host=/var/run/postgresql", f"DATABASE_URL names no database ({EXPECTED_URL})"),
        ("postgresql://user:s3cr3t-pw@db1,db2/db", "DATABASE_URL names several hosts; name one server"),
        ("postgresql://user:s3cr3t-pw@db1:5432,db2:5432/db", "DATABASE_URL names several hosts; name one server"),
        (
            "postgresql://user:s3cr3t-pw@/db?host=/tmp,/var/run/postgresql",
            "DATABASE_URL names several hosts; name one server",
        ),
        (
            "postgresql://user:s3cr3t-pw@/db?host=/tmp&host=/var/run/postgresql",
            "DATABASE_URL gives the parameter 'host' more than once; give it once",
        ),
        (
            "postgresql://user:s3cr3t-pw@/db?host=/var/run/postgresql&port=fifty",
            "DATABASE_URL's port 'fifty' is not a number from 1 to 65535",
        ),
        (
            "postgresql://user:s3cr3t-pw@db.example:99999/db",
            "DATABASE_URL's port '99999' is not a number from 1 to 65535",
        ),
        (
            "postgresql://user:s3cr3t-pw@db.example/db?sslmod=require",
            "DATABASE_URL has the parameter 'sslmod', which libpq does not know "
            "(see https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS)",
        ),
    ],
)
def test_unusable_database_url_is_refused_with_one_exact_line(url, message):
    with pytest.raises(DatabaseError) as refused:
        parse_database_url(url)
    assert str(refused.value) == message
    assert "\n" not in message and "s3cr3t-pw" not in message


# -- a real connection through the embedded server's Unix socket --------------------------------------------------
@pytest.fixture(scope="module")
def socket_directory(pg_server) -> Path:
    """The embedded server's socket directory (its data directory: it is started with `-k <data_dir>`)."""
    directory = pg_server.data_dir
    assert (directory / f".s.PGSQL.{pg_server.port}").is_socket()
    # Under root the server runs as `pgserver` and its data directory is mode 0700: root may still enter it.
    assert os.access(directory, os.X_OK), f"{directory} is not searchable by uid {os.geteuid()}"
    return directory


def socket_urls(directory: Path, port: int, database: str = EMBEDDED_DATABASE) -> list[str]:
    from urllib.parse import quote

    return [
        f"postgresql://{EMBEDDED_USER}@/{database}?host={directory}&port={port}",
        f"postgresql://{EMBEDDED_USER}@{quote(str(directory), safe='')}:{port}/{database}",
        f"postgresql:///{database}?host={directory}&port={port}&user={EMBEDDED_USER}",
    ]


@pytest.mark.parametrize("form", [0, 1, 2], ids=["host-parameter", "percent-encoded-host", "user-parameter"])
def test_check_reachable_and_an_engine_run_select_1_through_the_unix_socket(pg_server, socket_directory, form):
    url = socket_urls(socket_directory, pg_server.port)[form]
    assert check_reachable(url).startswith("16")

    engine = get_engine(database_url(get_settings({"DATABASE_URL": url})))
    with engine.connect() as conn:
        assert conn.execute(text("select 1")).scalar_one() == 1
        # No server address: the session came through the socket, not TCP (which would show 127.0.0.1).
        assert conn.execute(text("select inet_server_addr()")).scalar_one() is None
    with psycopg.connect(libpq_url(url)) as conn:
        assert conn.execute("select 1, inet_server_addr()").fetchone() == (1, None)


def test_dbt_connects_through_the_unix_socket(pg_server, socket_directory):
    url = socket_urls(socket_directory, pg_server.port)[0]
    assert dbt_environment(url)["DBT_PG_HOST"] == str(socket_directory)
    result = run_dbt(dbt_args("debug", extra=["--connection"]), url=url)
    assert result.success, result.failures


def test_cli_status_and_migrate_through_the_unix_socket(pg_server, socket_directory, fresh_database_url):
    url = socket_urls(socket_directory, pg_server.port)[0]
    status = run_cli("db", "status", env={"DATABASE_URL": url})
    assert status.returncode == 0, status.stderr
    assert f"at {socket_directory} (socket):{pg_server.port}/{EMBEDDED_DATABASE} (from DATABASE_URL)" in status.stdout

    fresh = parse_database_url(fresh_database_url).database
    applied = run_cli("migrate", env={"DATABASE_URL": socket_urls(socket_directory, pg_server.port, fresh)[0]})
    assert applied.returncode == 0, applied.stderr
    with psycopg.connect(fresh_database_url) as conn:
        assert conn.execute("select count(*) from pg_namespace where nspname = 'app'").fetchone()[0] == 1


def test_unreachable_socket_names_the_directory_but_never_the_password(tmp_path):
    port = free_port()
    result = run_cli(
        "migrate", env={"DATABASE_URL": f"postgresql://someone:s3cr3t-pw@/nowhere?host={tmp_path}&port={port}"}
    )
    line = assert_one_line_error(
        result, f"cannot reach PostgreSQL at {tmp_path} (socket):{port}/nowhere: No such file or directory"
    )
    assert "s3cr3t-pw" not in line
