"""`warehouse serve`: the Dagster UI (with its daemon) and the Streamlit dashboards, stopped together on Ctrl-C.

The dashboards sign people in through OpenID Connect (readside/oidc.py). With no provider configured, serve also
starts the local demo provider on 127.0.0.1 and prints demo users to sign in as; serving the dashboards beyond
this machine that way is refused.

Scheduled reports go to SMTP_HOST:SMTP_PORT. When that is this machine and nothing listens there (no mailpit, no
relay), serve starts a local mail sink on it that keeps every email as a file in $WAREHOUSE_HOME/mail (a Maildir:
each message a file in mail/new, readable in any mail client or text editor), so that a "send test" or the
sensor's run is delivered somewhere a person can read it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from oltp.database import database_url, port_in_use
from oltp.errors import WarehouseError
from oltp.settings import REPO_ROOT, get_settings

HOST = "127.0.0.1"


class ServeError(WarehouseError):
    """A UI could not be started or stopped unexpectedly."""


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@dataclass
class Service:
    name: str
    command: list[str]
    port: int
    health_path: str
    process: subprocess.Popen | None = None
    port_setting: str = ""
    address: str = HOST
    public_url: str | None = None
    note: str = ""  # said after its URL

    @property
    def listening(self) -> bool:
        """Ready: its health page answers 200 (a service without one: its port accepts connections)."""
        if not self.health_path:
            return port_in_use(self.address, self.port)
        try:
            with urllib.request.urlopen(self.url + self.health_path, timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def services(dagster: bool, streamlit: bool) -> list[Service]:
    settings = get_settings()
    chosen = []
    if dagster:
        chosen.append(
            Service(
                "Dagster UI (data engineers)",
                [
                    _bin("dagster"),
                    "dev",
                    "-m",
                    "orchestration.definitions",
                    "-h",
                    HOST,
                    "-p",
                    str(settings.dagster_port),
                ],
                settings.dagster_port,
                "/server_info",
                port_setting="DAGSTER_PORT",
            )
        )
    if streamlit and settings.local_oidc:
        chosen.append(
            Service(
                "local sign-in (demo OpenID provider)",
                [sys.executable, "-m", "oidc_provider_mock", "--host", HOST, "--port", str(settings.oidc_local_port)],
                settings.oidc_local_port,
                "/.well-known/openid-configuration",
                port_setting="OIDC_LOCAL_PORT",
            )
        )
    if local_mail(settings):
        chosen.append(
            Service(
                "local mail sink (scheduled reports)",
                [
                    sys.executable,
                    "-m",
                    "aiosmtpd",
                    "-n",
                    "-l",
                    f"{HOST}:{settings.smtp_port}",
                    "-c",
                    "aiosmtpd.handlers.Mailbox",
                    str(mail_dir()),
                ],
                settings.smtp_port,
                "",
                port_setting="SMTP_PORT",
                public_url=f"smtp://{HOST}:{settings.smtp_port}",
                note=f"every email is kept as a file in {mail_dir() / 'new'}",
            )
        )
    if streamlit:
        chosen.append(
            Service(
                "Streamlit dashboards (analysts)",
                [
                    _bin("streamlit"),
                    "run",
                    str(REPO_ROOT / "dashboards" / "app.py"),
                    "--server.address",
                    settings.streamlit_address,
                    "--server.port",
                    str(settings.streamlit_port),
                    "--server.headless",
                    "true",
                    "--browser.gatherUsageStats",
                    "false",
                    "--client.toolbarMode",
                    "viewer",
                    "--secrets.files",
                    str(settings.home / "streamlit" / "secrets.toml"),
                ],
                settings.streamlit_port,
                "/_stcore/health",
                port_setting="STREAMLIT_PORT",
                address=settings.streamlit_address,
                public_url=settings.dashboards_url,
            )
        )
    return chosen


def mail_dir() -> Path:
    return get_settings().home / "mail"


def local_mail(settings) -> bool:
    """Start the local mail sink: SMTP_HOST is this machine, no SMTP account is configured, and nothing listens on
    SMTP_PORT yet (a running mailpit or relay is used as it is)."""
    # only names that reach the sink's address (an SMTP_HOST of ::1 would not reach a listener on 127.0.0.1)
    reaches_sink = settings.smtp_host in ("localhost", HOST)
    return reaches_sink and not settings.smtp_user and not port_in_use(HOST, settings.smtp_port)


def demo_users(url: str, per_organization: int = 3) -> list[tuple[str, str, str]]:
    """A few users to sign in as with the local provider: (email, organization, roles), from two organizations,
    of different roles, plus one address no account uses."""
    import psycopg

    from oltp.database import libpq_url

    with psycopg.connect(libpq_url(url), connect_timeout=5) as conn:
        rows = conn.execute(
            """
            with ranked as (
                select u.email, o.name as organization, u.primary_role,
                       dense_rank() over (order by o.id) as org_rank,
                       row_number() over (partition by o.id, u.primary_role order by u.id) as nth
                from app.users u join app.organizations o on o.id = u.organization_id
                where u.status = 'active' and u.deleted_at is null and o.status = 'active'
                    and u.primary_role in ('admin', 'analyst', 'finance', 'sales', 'viewer')
            )
            select email, organization, primary_role from ranked where org_rank <= 2 and nth = 1
            order by org_rank, array_position(array['analyst', 'finance', 'sales', 'viewer', 'admin'], primary_role)
            """
        ).fetchall()
    by_org: dict[str, list] = {}
    for email, organization, role in rows:
        by_org.setdefault(organization, [])
        if len(by_org[organization]) < per_organization:
            by_org[organization].append((email, organization, role))
    return [user for users in by_org.values() for user in users]


def _wait_healthy(service: Service, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if service.process and service.process.poll() is not None:
            raise ServeError(f"{service.name} exited with code {service.process.returncode}; see its output above")
        if service.listening:
            return
        time.sleep(0.5)
    raise ServeError(f"{service.name} did not answer on {service.url} within {seconds:.0f} s")


def _stop(chosen: list[Service], seconds: float = 20) -> None:
    """Interrupt every service's process group, give them ``seconds`` to stop, then kill what is left of each group.

    The group is killed even after its leader stopped, so nothing a service started (a child that ignores Ctrl-C,
    or one started while the service was stopping) outlives serve and holds its output open.
    """
    running = [s for s in chosen if s.process is not None]
    for service in running:
        if service.process.poll() is None:
            os.killpg(service.process.pid, signal.SIGINT)
    deadline = time.monotonic() + seconds
    for service in running:
        with contextlib.suppress(subprocess.TimeoutExpired):
            service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
    for service in running:
        with contextlib.suppress(ProcessLookupError):  # raised when the whole group has stopped
            os.killpg(service.process.pid, signal.SIGKILL)
        service.process.wait()


def prepare_dagster_home() -> Path:
    """DAGSTER_HOME with its instance file, created on first use (an existing dagster.yaml is left alone).

    With DAGSTER_STORAGE_URL it is docker-compose's deploy/dagster.yaml (runs, events and schedules on PostgreSQL);
    otherwise SQLite files in DAGSTER_HOME. Telemetry is off in both.
    """
    settings = get_settings()
    settings.dagster_home.mkdir(parents=True, exist_ok=True)
    config = settings.dagster_home / "dagster.yaml"
    if not config.exists():
        if settings.dagster_storage_url:
            shutil.copyfile(REPO_ROOT / "deploy" / "dagster.yaml", config)
        else:
            config.write_text("telemetry:\n  enabled: false\n")
    return settings.dagster_home


def serve(dagster: bool, streamlit: bool, echo: Callable[[str], None], startup_seconds: float = 120) -> None:
    import psycopg

    from readside.oidc import check_serving, write_secrets_file

    settings = get_settings()
    if not (dagster or streamlit):
        raise ServeError("nothing to serve: both --no-dagster and --no-streamlit were given")
    chosen = services(dagster, streamlit)
    if streamlit:
        check_serving(settings)
        write_secrets_file(settings.home / "streamlit" / "secrets.toml", settings)
    for service in chosen:
        if port_in_use(service.address, service.port):
            raise ServeError(
                f"port {service.port} on {service.address} is already in use; set {service.port_setting} to a free port"
            )
    url = database_url()
    env = dict(os.environ, DATABASE_URL=url, DAGSTER_HOME=str(prepare_dagster_home()))
    # Ctrl-C stops serve and the services even when serve was started with SIGINT ignored, as every background job
    # of a non-interactive shell is (a script, CI): the handler makes it interruptible, and the services, started
    # after it, begin with SIGINT's default action instead of inheriting "ignore".
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # The dashboards' server gets the read side's URL only: it never holds the owner's credentials.
    from oltp.reader import reader_url

    dashboards_env = {k: v for k, v in env.items() if k != "DATABASE_URL"} | {"READER_DATABASE_URL": reader_url(url)}
    try:
        for service in chosen:
            service_env = dashboards_env if service.port_setting == "STREAMLIT_PORT" else env
            service.process = subprocess.Popen(service.command, env=service_env, cwd=REPO_ROOT, start_new_session=True)
        for service in chosen:
            _wait_healthy(service, startup_seconds)
        for service in chosen:
            note = f" ({service.note})" if service.note else ""
            echo(f"{service.name}: {service.public_url or service.url}{note}")
        if streamlit and settings.local_oidc:
            echo("sign in to the dashboards as any of these (the local provider asks only for the email):")
            try:
                users = demo_users(url)
            except psycopg.Error:
                users = []
            for email, organization, role in users:
                echo(f"  {email:<44} {role:<8} {organization}")
            if not users:
                echo("  (no users yet: `warehouse run` generates demo organizations)")
            echo("  nobody@example.com                           (no account: shows the refusal page)")
        echo("Ctrl-C stops everything")
        signal.signal(signal.SIGTERM, _interrupt)
        while all(s.process.poll() is None for s in chosen):
            time.sleep(0.5)
        ended = next(s for s in chosen if s.process.poll() is not None)
        raise ServeError(f"{ended.name} stopped unexpectedly with code {ended.process.returncode}")
    except KeyboardInterrupt:
        echo("stopping ...")
    finally:
        _stop(chosen)
    echo("stopped")
