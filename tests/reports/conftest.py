"""Scheduled reports are tested against a real PostgreSQL (a copy of the `tiny` warehouse, so the ledger, audit rows
and changed settings stay out of other tests) and a real SMTP server (aiosmtpd on a free loopback port), with the
people per role the dashboards' tests use."""

from __future__ import annotations

import asyncio
import email
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage

import psycopg
import pytest

from tests.conftest import free_port
from tests.dashboards.conftest import Person, people, warehouse_url  # noqa: F401

REPORTING = ("mv_daily_metrics", "mv_daily_pipeline", "mv_daily_jobs", "mv_daily_warranty", "mv_current_state",
             "target_attainment")  # fmt: skip
PARTNER_DOMAIN = "partner.example"  # an outside domain organization A allows


@pytest.fixture(scope="package")
def reports_url(pg_server, admin_url, warehouse_url, people) -> Iterator[str]:  # noqa: F811
    """A copy of the tiny warehouse (after the dashboards' people were given their roles) as the platform's database,
    with the synthetic schedules paused so that only each test's own schedules are due."""
    name = "reports_tiny"
    source = warehouse_url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        # A template may have no other session; pooled ones of earlier tests are dropped (they reconnect).
        conn.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = %s", (source,))
        conn.execute(f'create database "{name}" template "{source}"')
    url = warehouse_url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(url) as conn:
        conn.execute("update app.scheduled_reports set is_active = false, next_run_at = null")
        conn.execute(
            """update app.organizations set settings = jsonb_set(settings, '{allowed_email_domains}',
                                                                 jsonb_build_array(%s::text))
               where id = %s""",
            (PARTNER_DOMAIN, people[(0, "analyst")].organization_id),
        )
    before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    yield url
    if before is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = before


@pytest.fixture(scope="package")
def dagster_home(tmp_path_factory) -> Iterator[str]:
    """A real Dagster instance that recorded a materialization of every reporting relation with a passing check,
    as a warehouse build leaves it: the freshness gate reads it in this process and in the CLI's."""
    import dagster as dg

    home = tmp_path_factory.mktemp("dagster-home")
    (home / "dagster.yaml").write_text("")
    before = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    instance = dg.DagsterInstance.from_config(str(home))
    for relation in REPORTING:
        key = dg.AssetKey(["reporting", relation])
        instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=key))
        instance.report_runless_asset_event(dg.AssetCheckEvaluation(asset_key=key, check_name="gx_suite", passed=True))
    yield str(home)
    if before is None:
        os.environ.pop("DAGSTER_HOME", None)
    else:
        os.environ["DAGSTER_HOME"] = before


@pytest.fixture
def db(reports_url) -> Iterator[psycopg.Connection]:
    """The owner's connection (sees every organization), autocommit."""
    with psycopg.connect(reports_url, autocommit=True) as conn:
        yield conn


@pytest.fixture(autouse=True)
def _only_this_tests_schedules(request) -> Iterator[None]:
    """Schedules a test made are paused after it, so a later test's run sends only its own."""
    yield
    if "reports_url" in request.fixturenames:
        with psycopg.connect(request.getfixturevalue("reports_url"), autocommit=True) as conn:
            conn.execute("update app.scheduled_reports set is_active = false, next_run_at = null where is_active")
            conn.execute(
                "update app.report_deliveries set status = 'skipped', claim_token = null, reason = 'test over' "
                "where status in ('pending', 'claimed', 'held')"
            )


# -- a real SMTP server ------------------------------------------------------------------------------------------------
@dataclass
class Received:
    recipients: list[str]
    message: EmailMessage


@dataclass
class SmtpServer:
    """aiosmtpd on 127.0.0.1: what it accepted, parsed; recipients it refuses with 550; a hook run on each message
    before it answers (it may block, or kill the sender)."""

    port: int
    refused: dict[str, str] = field(default_factory=dict)  # address -> the 5xx reply to RCPT
    on_data: Callable[[int], None] | None = None  # called with the message's number (1, 2, ...) before '250'
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    controller: object = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return self.refused[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append(
                Received(list(envelope.rcpt_tos), email.message_from_bytes(envelope.content, policy=policy.default))
            )
            number = len(self.received)
        if self.on_data is not None:  # off the server's event loop, which goes on serving other connections
            await asyncio.get_running_loop().run_in_executor(None, self.on_data, number)
        return "250 2.0.0 Ok: queued"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def settings(self):
        from readside.delivery import SmtpSettings

        return SmtpSettings("127.0.0.1", self.port, "reports@warehouse.example", timeout=30)

    def to(self, address: str) -> list[EmailMessage]:
        return [r.message for r in self.received if address in r.recipients]

    def reports(self) -> list[Received]:
        """The report emails (not the owners' notices)."""
        return [r for r in self.received if not str(r.message["Subject"]).startswith("[warehouse]")]

    def notices(self) -> list[Received]:
        return [r for r in self.received if str(r.message["Subject"]).startswith("[warehouse]")]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    before = {key: os.environ.get(key) for key in ("SMTP_HOST", "SMTP_PORT", "SMTP_FROM")}
    os.environ.update(
        {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port), "SMTP_FROM": "reports@warehouse.example"}
    )
    yield server
    server.stop()
    for key, value in before.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


# -- the freshness gate's answers --------------------------------------------------------------------------------------
def refreshed(relation: str):
    from readside.freshness import RefreshStatus

    return RefreshStatus(relation, datetime(2026, 12, 3, 6, tzinfo=UTC), 4, (), (), f"http://dagster.test/{relation}")


def failing(relation: str):
    from readside.freshness import RefreshStatus

    return RefreshStatus(
        relation, datetime(2026, 12, 3, 6, tzinfo=UTC), 3, ("gx_suite",), (), f"http://dagster.test/{relation}"
    )


# -- people and schedules ----------------------------------------------------------------------------------------------
def viewer_of(person: Person):
    from readside.access import viewers_for_email

    return next(v for v in viewers_for_email(person.email) if v.organization_id == person.organization_id)


def make_schedule(owner: Person, now: datetime, **values) -> int:
    """A schedule saved as ``owner`` (the dashboards' path: checks, row-level security, audit) at ``now``."""
    from readside.schedules import Schedule, save_schedule

    defaults = {
        "organization_id": owner.organization_id,
        "name": "Sales and billing",
        "report_type": "daily_metrics",
        "recipients": (owner.email,),
        "timezone": "America/New_York",
        "frequency": "daily",
        "format": "both",
        "skip_when_empty": False,
    }
    return save_schedule(viewer_of(owner), Schedule(**(defaults | values)), now=now)


def deliveries(db, schedule_id: int) -> list[dict]:
    from psycopg.rows import dict_row

    with db.cursor(row_factory=dict_row) as cursor:
        return cursor.execute(
            "select * from app.report_deliveries where scheduled_report_id = %s order by scheduled_for, recipient",
            (schedule_id,),
        ).fetchall()
