"""The one place that gives every component its database.

``DATABASE_URL`` when it is set; otherwise an embedded PostgreSQL 16 (the binaries of the ``pgserver`` wheel) that
listens on 127.0.0.1, keeps its data under ``$WAREHOUSE_HOME/pgdata`` and is started on demand.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import socket
import subprocess
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from oltp.errors import WarehouseError
from oltp.settings import Settings, get_settings

EMBEDDED_USER = "warehouse"
EMBEDDED_DATABASE = "warehouse"
EMBEDDED_HOST = "127.0.0.1"
# PostgreSQL refuses to run as root; under root the embedded server runs as this system user (pgserver's own).
SYSTEM_USER = "pgserver"
# The embedded server's settings beyond PostgreSQL's defaults, for a warehouse on one machine: bulk loads and dbt
# rebuilds write gigabytes at a time, so checkpoints are spaced by WAL volume (default 1 GB) and time (5 min) less
# often, and the buffer cache is sized for tables of millions of rows (default 128 MB). Measured on `warehouse
# generate --scale demo`: 38 s against 42 s with the defaults (docs/benchmarks.md). `wal_level = minimal` (with no
# WAL senders, which it requires) lets a transaction that creates or truncates a table skip the write-ahead log for
# it: `warehouse generate` into an empty database wrote 0.05 GB of WAL at `large` instead of many GB. It rules out
# streaming replication and `pg_basebackup` from this server (it is a local one), and like the others it takes
# effect when the server starts: `warehouse db stop` then `warehouse db start` applies it to a running one.
EMBEDDED_SETTINGS = {
    "shared_buffers": "1GB",
    "max_wal_size": "4GB",
    "checkpoint_timeout": "15min",
    "maintenance_work_mem": "256MB",
    "wal_level": "minimal",
    "max_wal_senders": "0",
}


class DatabaseError(WarehouseError):
    """The database cannot be used as configured; the message says what to do."""


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    port: int | None
    pid: int | None
    data_dir: Path


def _bin_dir() -> Path:
    # Located without importing pgserver, whose import touches the user's runtime folder.
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise DatabaseError("the pgserver package is not installed; run `make install`")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def embedded_major_version() -> str:
    out = subprocess.run([str(_bin_dir() / "postgres"), "--version"], check=True, capture_output=True, text=True).stdout
    return out.split()[-1].split(".")[0]


class EmbeddedPostgres:
    """Start, stop and inspect the embedded cluster under ``data_dir``."""

    def __init__(self, data_dir: Path, port: int) -> None:
        self.data_dir = Path(data_dir)
        self.port = port
        self.password_file = self.data_dir.parent / "postgres-password"
        self.log_file = self.data_dir / "server.log"

    # -- running the server's own programs -------------------------------------------------------------------
    def _as_server_user(self) -> dict[str, str]:
        return {"user": SYSTEM_USER} if os.geteuid() == 0 else {}

    def _run(self, program: str, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(_bin_dir() / program), *args],
            check=check,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd="/",
            **self._as_server_user(),
        )

    def _prepare_permissions(self, *paths: Path) -> None:
        """Under root, let the server's system user reach its binaries and own its data directory."""
        if os.geteuid() != 0:
            return
        import pwd

        try:
            entry = pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "-s", "/bin/false", SYSTEM_USER], check=True, capture_output=True)
            entry = pwd.getpwnam(SYSTEM_USER)
        for folder in (self.data_dir, _bin_dir().parent):
            for parent in folder.parents:
                parent.chmod(parent.stat().st_mode | 0o055)
        for root, dirs, files in os.walk(_bin_dir().parent):
            for name in dirs:
                Path(root, name).chmod(Path(root, name).stat().st_mode | 0o055)
            for name in files:
                Path(root, name).chmod(Path(root, name).stat().st_mode | 0o044)
        for path in (self.data_dir, *paths):
            os.chown(path, entry.pw_uid, entry.pw_gid)

    # -- state -----------------------------------------------------------------------------------------------
    @property
    def initialised(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists()

    def password(self) -> str:
        try:
            return self.password_file.read_text().strip()
        except FileNotFoundError:
            raise DatabaseError(
                f"the embedded database at {self.data_dir} has no password file {self.password_file}; "
                "move the folder aside and run `warehouse db start` to create a new one"
            ) from None

    def status(self) -> ServerStatus:
        pid_file = self.data_dir / "postmaster.pid"
        try:
            lines = pid_file.read_text().splitlines()
            pid, port = int(lines[0]), int(lines[3])
        except (FileNotFoundError, IndexError, ValueError):
            return ServerStatus(False, None, None, self.data_dir)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return ServerStatus(False, None, None, self.data_dir)
        except PermissionError:
            pass
        return ServerStatus(True, port, pid, self.data_dir)

    def url(self) -> str:
        state = self.status()
        port = state.port if state.running else self.port
        return f"postgresql://{EMBEDDED_USER}:{self.password()}@{EMBEDDED_HOST}:{port}/{EMBEDDED_DATABASE}"

    # -- lifecycle -------------------------------------------------------------------------------------------
    def check_version(self) -> None:
        version_file = self.data_dir / "PG_VERSION"
        if not version_file.exists():
            return
        found = version_file.read_text().strip()
        expected = embedded_major_version()
        if found != expected:
            raise DatabaseError(
                f"data directory {self.data_dir} was written by PostgreSQL {found}, but the embedded server is "
                f"PostgreSQL {expected}; move it aside (or pg_upgrade it) and run `warehouse db start` again"
            )

    def initdb(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.password_file.write_text(secrets.token_urlsafe(24) + "\n")
        self.password_file.chmod(0o600)
        # initdb wants an empty data directory, so its password file sits beside it.
        pwfile = self.data_dir.parent / ".initdb-password"
        pwfile.write_text(self.password_file.read_text())
        pwfile.chmod(0o600)
        self._prepare_permissions(pwfile)
        try:
            self._run(
                "initdb",
                "-D",
                str(self.data_dir),
                f"--username={EMBEDDED_USER}",
                f"--pwfile={pwfile}",
                "--auth-host=scram-sha-256",
                "--auth-local=trust",
                "--encoding=UTF8",
                "--locale=C",
            )
        except subprocess.CalledProcessError as error:
            raise DatabaseError(f"initdb failed in {self.data_dir}: {_last_line(error.stderr)}") from None
        finally:
            pwfile.unlink(missing_ok=True)

    def start(self) -> bool:
        """Start the server; returns False when it was already running."""
        if self.status().running:
            return False
        self.check_version()
        if not self.initialised:
            self.initdb()
        else:
            self._prepare_permissions()
        if port_in_use(EMBEDDED_HOST, self.port):
            raise DatabaseError(
                f"port {self.port} on {EMBEDDED_HOST} is already in use by another program; "
                "set WAREHOUSE_PG_PORT to a free port"
            )
        try:
            self._run(
                "pg_ctl",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-w",
                "-t",
                "60",
                "-o",
                f"-h {EMBEDDED_HOST} -p {self.port} -k {self.data_dir} "
                + " ".join(f"-c {name}={value}" for name, value in EMBEDDED_SETTINGS.items()),
                "start",
            )
        except subprocess.CalledProcessError:
            raise DatabaseError(
                f"embedded PostgreSQL did not start on port {self.port}: {self._log_tail()} (log: {self.log_file})"
            ) from None
        self._ensure_database()
        return True

    def _ensure_database(self) -> None:
        import psycopg

        admin = f"postgresql://{EMBEDDED_USER}:{self.password()}@{EMBEDDED_HOST}:{self.port}/postgres"
        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
            exists = conn.execute("select 1 from pg_database where datname = %s", (EMBEDDED_DATABASE,)).fetchone()
            if not exists:
                conn.execute(f'create database "{EMBEDDED_DATABASE}"')

    def stop(self) -> bool:
        """Stop the server; returns False when it was not running."""
        if not self.status().running:
            return False
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "60", "stop")
        return True

    def _log_tail(self) -> str:
        try:
            lines = [line for line in self.log_file.read_text().splitlines() if line.strip()]
        except FileNotFoundError:
            return "no server log was written"
        errors = [line for line in lines if "FATAL" in line or "ERROR" in line]
        return (errors or lines or ["empty server log"])[-1]


def _last_line(text: str) -> str:
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def embedded(settings: Settings | None = None) -> EmbeddedPostgres:
    settings = settings or get_settings()
    return EmbeddedPostgres(settings.pg_data_dir, settings.pg_port)


# -- URLs ----------------------------------------------------------------------------------------------------
def parse_database_url(url: str):
    """Validate ``url`` and return it as a SQLAlchemy URL on the psycopg 3 driver; never echoes the password."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    expected = "expected postgresql://user:password@host:port/database"
    try:
        parsed = make_url(url.strip())
    except (ArgumentError, ValueError):
        raise DatabaseError(f"DATABASE_URL is not a valid URL ({expected})") from None
    backend = parsed.drivername.split("+")[0]
    if backend not in ("postgresql", "postgres"):
        raise DatabaseError(f"DATABASE_URL uses {backend!r}, not PostgreSQL ({expected})")
    if not parsed.host:
        raise DatabaseError(f"DATABASE_URL names no host ({expected})")
    if not parsed.database:
        raise DatabaseError(f"DATABASE_URL names no database ({expected})")
    return parsed.set(drivername="postgresql+psycopg")


def describe(url) -> str:
    """``host:port/database`` of a URL, for messages that must never show a password."""
    return f"{url.host}:{url.port or 5432}/{url.database}"


def libpq_url(url: str) -> str:
    """The URL without the SQLAlchemy driver suffix, as psql, libpq and most tools take it."""
    return parse_database_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def mask(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def database_url(settings: Settings | None = None, *, start: bool = True) -> str:
    """The platform's database URL (psycopg 3 driver), starting the embedded server when needed."""
    settings = settings or get_settings()
    if settings.database_url:
        return parse_database_url(settings.database_url).render_as_string(hide_password=False)
    server = embedded(settings)
    if start:
        server.start()
    elif not server.initialised:
        raise DatabaseError("the embedded database has not been created yet; run `warehouse db start`")
    return parse_database_url(server.url()).render_as_string(hide_password=False)


def check_reachable(url: str, timeout: int = 5) -> str:
    """Connect once; return the server version, or raise a one-line error naming host and port."""
    import psycopg

    parsed = parse_database_url(url)
    try:
        with psycopg.connect(libpq_url(url), connect_timeout=timeout) as conn:
            return conn.execute("show server_version").fetchone()[0]
    except psycopg.OperationalError as error:
        reason = _last_line(str(error)).split("failed:")[-1].strip()
        raise DatabaseError(f"cannot reach PostgreSQL at {describe(parsed)}: {reason}") from None


def wait_until_reachable(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            check_reachable(url, timeout=2)
            return
        except DatabaseError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@cache
def _engine(url: str):
    from sqlalchemy import create_engine

    return create_engine(url, pool_pre_ping=True, future=True)


def get_engine(url: str | None = None):
    """A SQLAlchemy engine on the platform's database (one per URL per process)."""
    return _engine(url or database_url())
