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
from urllib.parse import unquote

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
# What a refused DATABASE_URL is told to look like: a server by name, or the directory of a Unix socket.
EXPECTED_URL = (
    "expected postgresql://user:password@host:port/database, "
    "or postgresql://user@/database?host=/socket/directory for a Unix socket"
)
DEFAULT_PORT = 5432
# Query parameters whose value is a secret: masked like the password.
_SECRET_PARAMETERS = frozenset(
    {"password", "sslpassword", "oauth_client_secret", "scram_client_key", "scram_server_key"}
)


def is_socket_directory(host: str | None) -> bool:
    """True when libpq takes ``host`` as a Unix-socket directory rather than a server: an absolute path (or, on
    Linux, ``@name`` in the abstract namespace)."""
    return bool(host) and host.startswith(("/", "@"))


def server_host(url) -> str | None:
    """The host a parsed URL connects to, as libpq takes it: a server's name or address, or a socket directory."""
    host = url.query.get("host")
    if host:
        return host
    return unquote(url.host) if url.host else None


@cache
def _libpq_parameters() -> frozenset[str]:
    import psycopg

    return frozenset(option.keyword.decode() for option in psycopg.pq.Conninfo.get_defaults())


def _port(value) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 65535:
        raise DatabaseError(f"DATABASE_URL's port {str(value)!r} is not a number from 1 to 65535")
    return number


def parse_database_url(url: str):
    """Validate ``url`` and return it as a SQLAlchemy URL on the psycopg 3 driver; never echoes the password.

    Takes the forms libpq takes for one server: ``postgresql://user:password@host:port/database``, and a Unix-socket
    directory either as the ``host`` query parameter (``postgresql://user@/database?host=/var/run/postgresql``) or
    percent-encoded in the host's place (``postgresql://user@%2Fvar%2Frun%2Fpostgresql/database``). As in libpq, the
    ``host``, ``port``, ``user``, ``password`` and ``dbname`` query parameters win over the URL's own parts. The
    result is canonical: a server in its ``host`` and ``port``; a socket directory in its ``host`` query parameter
    (its ``host`` empty), which SQLAlchemy's psycopg dialect hands to libpq as the host.
    """
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url.strip())
    except (ArgumentError, ValueError):
        if "," in url.partition("://")[2].partition("/")[0].rpartition("@")[2]:
            raise DatabaseError("DATABASE_URL names several hosts; name one server") from None
        raise DatabaseError(f"DATABASE_URL is not a valid URL ({EXPECTED_URL})") from None
    backend = parsed.drivername.split("+")[0]
    if backend not in ("postgresql", "postgres"):
        raise DatabaseError(f"DATABASE_URL uses {backend!r}, not PostgreSQL ({EXPECTED_URL})")
    query = dict(parsed.query)
    unknown = sorted(set(query) - _libpq_parameters())
    if unknown:
        raise DatabaseError(
            f"DATABASE_URL has the parameter {unknown[0]!r}, which libpq does not know "
            "(see https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS)"
        )
    repeated = sorted(name for name, value in query.items() if not isinstance(value, str))
    if repeated:
        raise DatabaseError(f"DATABASE_URL gives the parameter {repeated[0]!r} more than once; give it once")
    host = query.pop("host", None) or (unquote(parsed.host) if parsed.host else None)
    port = _port(query.pop("port", None) or parsed.port)
    username = query.pop("user", None) or parsed.username
    password = query.pop("password", None) or parsed.password
    database = query.pop("dbname", None) or parsed.database
    if not host:
        raise DatabaseError(f"DATABASE_URL names no host or socket directory ({EXPECTED_URL})")
    if "," in host:
        raise DatabaseError("DATABASE_URL names several hosts; name one server")
    if not database:
        raise DatabaseError(f"DATABASE_URL names no database ({EXPECTED_URL})")
    socket_directory = is_socket_directory(host)
    return URL.create(
        "postgresql+psycopg",
        username=username,
        password=password,
        host=None if socket_directory else host,
        port=port,
        database=database,
        query={"host": host, **query} if socket_directory else query,
    )


def describe(url) -> str:
    """Where a parsed URL points, for messages that must never show a password: ``host:port/database``, or
    ``/socket/directory (socket):port/database``."""
    host = server_host(url) or ""
    if is_socket_directory(host):
        host += " (socket)"
    elif ":" in host:
        host = f"[{host}]"
    return f"{host}:{url.port or DEFAULT_PORT}/{url.database}"


def _render(url, *, hide_secrets: bool = False) -> str:
    """A parsed URL as libpq takes it: every part percent-encoded, a socket directory as the ``host`` parameter."""
    from urllib.parse import quote

    userinfo = quote(url.username or "", safe="")
    if url.password is not None:
        userinfo += ":" + ("***" if hide_secrets else quote(str(url.password), safe=""))
    netloc = userinfo + "@" if userinfo else ""
    query = dict(url.query)
    if url.host:
        netloc += f"[{url.host}]" if ":" in url.host else quote(url.host, safe="")
        if url.port:
            netloc += f":{url.port}"
    elif url.port:
        query = {"host": query.pop("host"), "port": str(url.port), **query}
    params = "&".join(
        f"{name}={'***' if hide_secrets and name in _SECRET_PARAMETERS else quote(value, safe='/')}"
        for name, value in query.items()
    )
    return f"postgresql://{netloc}/{quote(url.database, safe='')}" + (f"?{params}" if params else "")


def libpq_url(url: str) -> str:
    """The URL as psql, libpq and most tools take it: no SQLAlchemy driver suffix, every part percent-encoded, and a
    socket directory as the ``host`` query parameter (``postgresql://user@/db?host=/var/run/postgresql``)."""
    return _render(parse_database_url(url))


def mask(url: str) -> str:
    """:func:`libpq_url` with the password, and any other secret parameter, shown as ``***``."""
    return _render(parse_database_url(url), hide_secrets=True)


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
        raise DatabaseError(f"cannot reach PostgreSQL at {describe(parsed)}: {_connection_failure(error)}") from None


def _connection_failure(error: Exception) -> str:
    """libpq's reason a connection failed, on one line: the cause (``No such file or directory``, ``Connection
    refused``, ``FATAL: ...``) and libpq's hint about it, if any."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    failed = [index for index, line in enumerate(lines) if "failed:" in line]
    if not failed:
        return lines[-1] if lines else "no reason given"
    reason = lines[failed[-1]].split("failed:")[-1].strip()
    hint = lines[failed[-1] + 1] if failed[-1] + 1 < len(lines) else ""
    if hint.startswith("Is the server"):
        reason += f" ({hint[0].lower()}{hint[1:]})"
    return reason


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
