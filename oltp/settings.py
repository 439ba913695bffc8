"""Every setting the platform reads from the environment, read in this one place.

Nothing is read at import time: call :func:`get_settings` when a value is needed, so tests and the CLI can set the
environment first. ``ENVIRONMENT_VARIABLES`` documents each variable; the README table and the docker-compose test
are checked against it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from oltp.errors import WarehouseError

REPO_ROOT = Path(__file__).resolve().parent.parent

# name -> (default shown to users, description)
ENVIRONMENT_VARIABLES: dict[str, tuple[str, str]] = {
    "DATABASE_URL": (
        "unset: the embedded PostgreSQL",
        "PostgreSQL 15+ URL used by every component (SQLAlchemy, Alembic, dbt, Dagster, Streamlit).",
    ),
    "WAREHOUSE_HOME": (".local/ in the repository", "Folder for the embedded database, Dagster home and logs."),
    "WAREHOUSE_PG_PORT": ("54329", "TCP port of the embedded PostgreSQL on 127.0.0.1."),
    "DAGSTER_HOME": ("$WAREHOUSE_HOME/dagster", "Dagster instance folder (run history, schedules, sensors)."),
    "DAGSTER_STORAGE_URL": (
        "unset: SQLite files under DAGSTER_HOME",
        "PostgreSQL URL for Dagster's run, event and schedule storage (docker-compose sets it).",
    ),
    "DAGSTER_PORT": ("3000", "Port of the Dagster UI started by `warehouse serve`."),
    "DAGSTER_URL": (
        "http://127.0.0.1:$DAGSTER_PORT",
        "Address of the Dagster UI that dashboards and emails link to (a relation's asset, its checks).",
    ),
    "STREAMLIT_PORT": ("8501", "Port of the Streamlit dashboards started by `warehouse serve`."),
    "SMTP_HOST": ("localhost", "SMTP server for alerts and scheduled reports."),
    "SMTP_PORT": ("1025", "Port of the SMTP server."),
    "SMTP_USER": ("unset", "SMTP user name, when the server needs authentication."),
    "SMTP_PASSWORD": ("unset", "SMTP password, when the server needs authentication."),
    "SMTP_FROM": ("warehouse@localhost", "Sender address of alerts and reports."),
    "ALERT_EMAIL": ("data-engineering@localhost", "Where run-failure alerts are sent."),
    "READER_DATABASE_URL": (
        "unset: DATABASE_URL as warehouse_reader",
        "URL the read side connects with (warehouse_reader); `warehouse serve` gives the dashboards only this one.",
    ),
    "WAREHOUSE_READER_PASSWORD": (
        "unset: generated into $WAREHOUSE_HOME/reader-password",
        "Password of `warehouse_reader`, the role dashboards and emailed reports read as; the migrations set it.",
    ),
    "DASHBOARDS_URL": (
        "http://127.0.0.1:$STREAMLIT_PORT",
        "Address people open the dashboards at; sign-in returns to it and emails link to it.",
    ),
    "STREAMLIT_ADDRESS": ("127.0.0.1", "Address the dashboards listen on (0.0.0.0 to serve other machines)."),
    "OIDC_SERVER_METADATA_URL": (
        "unset: a local demo provider on 127.0.0.1",
        "OpenID Connect discovery URL of the identity provider (…/.well-known/openid-configuration).",
    ),
    "OIDC_CLIENT_ID": ("unset", "Client id the dashboards are registered under at the identity provider."),
    "OIDC_CLIENT_SECRET": ("unset", "That client's secret."),
    "OIDC_COOKIE_SECRET": (
        "unset: generated into $WAREHOUSE_HOME/cookie-secret",
        "Secret that signs the dashboards' sign-in cookie; the same on every dashboards server.",
    ),
    "OIDC_LOCAL_PORT": ("9400", "Port of the local demo provider, when OIDC_SERVER_METADATA_URL is unset."),
}


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    home: Path
    pg_port: int
    dagster_home: Path
    dagster_storage_url: str | None
    dagster_port: int
    dagster_url: str
    streamlit_port: int
    smtp_host: str
    smtp_port: int
    smtp_user: str | None
    smtp_password: str | None
    smtp_from: str
    alert_email: str
    reader_password: str | None
    reader_database_url: str | None
    dashboards_url: str
    streamlit_address: str
    oidc_server_metadata_url: str | None
    oidc_client_id: str | None
    oidc_client_secret: str | None
    oidc_cookie_secret: str | None
    oidc_local_port: int

    @property
    def local_oidc(self) -> bool:
        """Whether sign-in goes through the local demo provider (no OIDC_SERVER_METADATA_URL set)."""
        return self.oidc_server_metadata_url is None

    @property
    def pg_data_dir(self) -> Path:
        return self.home / "pgdata"

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"


def home_secret(settings: Settings, name: str) -> str:
    """A secret kept in ``$WAREHOUSE_HOME/<name>`` (mode 600), made on first use, like the embedded server's
    password: the read side's role password, the sign-in cookie secret."""
    import secrets

    path = settings.home / name
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32) + "\n")
        path.chmod(0o600)
        return path.read_text().strip()


class SettingsError(WarehouseError, ValueError):
    """A setting has a value the platform cannot use."""


def _int(env: dict[str, str], name: str) -> int:
    raw = env.get(name) or ENVIRONMENT_VARIABLES[name][0]
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number; set it to a port such as 5432") from None
    if not 0 < value < 65536:
        raise SettingsError(f"{name}={value} is outside 1-65535; choose a free TCP port")
    return value


def get_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read the settings from ``environ`` (the process environment by default)."""
    env = dict(os.environ if environ is None else environ)
    home = Path(env.get("WAREHOUSE_HOME") or REPO_ROOT / ".local").expanduser().resolve()
    streamlit_port = _int(env, "STREAMLIT_PORT")
    dagster_port = _int(env, "DAGSTER_PORT")
    return Settings(
        database_url=env.get("DATABASE_URL") or None,
        home=home,
        pg_port=_int(env, "WAREHOUSE_PG_PORT"),
        dagster_home=Path(env.get("DAGSTER_HOME") or home / "dagster").expanduser().resolve(),
        dagster_storage_url=env.get("DAGSTER_STORAGE_URL") or None,
        dagster_port=dagster_port,
        dagster_url=(env.get("DAGSTER_URL") or f"http://127.0.0.1:{dagster_port}").rstrip("/"),
        streamlit_port=streamlit_port,
        smtp_host=env.get("SMTP_HOST") or "localhost",
        smtp_port=_int(env, "SMTP_PORT"),
        smtp_user=env.get("SMTP_USER") or None,
        smtp_password=env.get("SMTP_PASSWORD") or None,
        smtp_from=env.get("SMTP_FROM") or "warehouse@localhost",
        alert_email=env.get("ALERT_EMAIL") or "data-engineering@localhost",
        reader_password=env.get("WAREHOUSE_READER_PASSWORD") or None,
        reader_database_url=env.get("READER_DATABASE_URL") or None,
        dashboards_url=(env.get("DASHBOARDS_URL") or f"http://127.0.0.1:{streamlit_port}").rstrip("/"),
        streamlit_address=env.get("STREAMLIT_ADDRESS") or "127.0.0.1",
        oidc_server_metadata_url=env.get("OIDC_SERVER_METADATA_URL") or None,
        oidc_client_id=env.get("OIDC_CLIENT_ID") or None,
        oidc_client_secret=env.get("OIDC_CLIENT_SECRET") or None,
        oidc_cookie_secret=env.get("OIDC_COOKIE_SECRET") or None,
        oidc_local_port=_int(env, "OIDC_LOCAL_PORT"),
    )
