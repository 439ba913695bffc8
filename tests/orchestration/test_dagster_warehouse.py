"""The whole Dagster graph on `tiny` data, on a real PostgreSQL, a real SMTP server and the real Dagster UI.

One database is generated and built once for the module (the tests run in file order and leave it as they found
it); the Dagster webserver and daemon serve the same instance, so backfills and alerts go through the daemon as in
production.
"""

import email
import email.policy
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
import psycopg
import pytest

from tests.conftest import REPO_ROOT, free_port

pytestmark = pytest.mark.slow

DATABASE = "t_dagster_warehouse"
REPORTING = (
    "mv_daily_metrics",
    "mv_daily_pipeline",
    "mv_daily_warranty",
    "mv_daily_jobs",
    "mv_current_state",
    "target_attainment",
)
DAILY = ("mv_daily_metrics", "mv_daily_pipeline", "mv_daily_warranty", "mv_daily_jobs")
ALERT_EMAIL = "data-engineering@example.com"
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
LOCATION = "orchestration.definitions"
CHROMIUM = "/usr/bin/chromium"
STOP_SCHEDULE = "mutation($id: String) { stopRunningSchedule(id: $id) { __typename } }"
STOP_SENSOR = "mutation($id: String) { stopSensor(id: $id) { __typename } }"
BACKFILL_STATUS = (
    "query($id: String!) { partitionBackfillOrError(backfillId: $id) { ... on PartitionBackfill { status } } }"
)
# Values no change detection can see (the slice ledger is untouched), on the backfilled days: only the partition
# window passed to dbt repairs them. Deleted rows are found missing by the relation itself.
TAMPER_DAILY_RELATIONS = (
    "delete from reporting.mv_daily_metrics where metric_date between %s and %s",
    "update reporting.mv_daily_jobs set jobs_completed = jobs_completed + 100 where metric_date between %s and %s",
    "update reporting.mv_daily_pipeline set open_deals = open_deals + 1 where metric_date between %s and %s",
    "update reporting.mv_daily_warranty set claims_opened = claims_opened + 7 where metric_date between %s and %s",
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


# -- helpers -----------------------------------------------------------------------------------------------------
class Inbox:
    """aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    def wait_for(self, predicate, seconds: float) -> email.message.EmailMessage:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for message in self.messages:
                if predicate(message):
                    return message
            time.sleep(1)
        raise AssertionError(f"no matching e-mail within {seconds:.0f} s; got {[m['Subject'] for m in self.messages]}")


def text_of(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def reporting_rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every reporting relation, as text, sorted: what dashboards and e-mails would show."""
    rows = {}
    with psycopg.connect(url) as conn:
        for name in REPORTING:
            fetched = conn.execute(f"select * from reporting.{name}").fetchall()
            rows[name] = sorted(tuple(str(value) for value in row) for row in fetched)
    return rows


def execute(url: str, sql: str, params: tuple = ()) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql, params)


def graphql(port: int, query: str, variables: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.loads(response.read())
    assert "errors" not in answer, answer["errors"]
    return answer["data"]


def wait_until(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(2)
    raise AssertionError(f"{what} did not happen within {seconds:.0f} s")


# -- fixtures ----------------------------------------------------------------------------------------------------
class Service:
    """A Dagster process (webserver or daemon) in its own session, logging to a file; stopped with Ctrl-C."""

    def __init__(self, command: list[str], log: Path) -> None:
        self.log = open(log, "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / command[0]), *command[1:]],
            cwd=REPO_ROOT,
            env=dict(os.environ),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


@dataclass
class Warehouse:
    url: str
    dagster_home: Path
    instance: dg.DagsterInstance
    summary: object
    reference: dict[str, list[tuple]]  # reporting relations right after the full build
    inbox: Inbox
    definitions: dg.Definitions
    ui_port: int


@pytest.fixture(scope="module")
def warehouse(pg_server, admin_url) -> Iterator[Warehouse]:
    """A database with tiny synthetic data, built once through Dagster, with the environment pointing at it.

    The Dagster webserver starts while the data is generated and built; once the build is done the schedules and
    the source sensor are stopped (so the only runs are the ones the tests launch) and the daemon starts, as
    docker-compose runs them: webserver and daemon on one instance. The run-failure e-mail sensor keeps running.
    """
    from aiosmtpd.controller import Controller

    from oltp import migrate
    from oltp.synthetic.generate import generate
    from orchestration.dagster_build import build_warehouse, prepare_dagster_home, warehouse_instance
    from orchestration.definitions import defs

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{DATABASE}" with (force)')
        conn.execute(f'create database "{DATABASE}"')
        # Test speed only: commits do not wait for the WAL flush (results are the same).
        conn.execute(f'alter database "{DATABASE}" set synchronous_commit = off')
    url = pg_server.url().rsplit("/", 1)[0] + "/" + DATABASE
    # Dagster's SQLite storage commits per event: on tmpfs that costs nothing.
    dagster_home = Path(tempfile.mkdtemp(prefix="dagster-home-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    environment = {
        "DATABASE_URL": url,
        "DAGSTER_HOME": str(dagster_home),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "ALERT_EMAIL": ALERT_EMAIL,
        "SMTP_FROM": "warehouse@example.com",
    }
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    services: list[Service] = []
    try:
        assert prepare_dagster_home() == dagster_home
        port = free_port()
        webserver = ["dagster-webserver", "-m", LOCATION, "-h", "127.0.0.1", "-p", str(port)]
        services.append(Service(webserver, dagster_home / "webserver.log"))
        migrate.upgrade(url)
        generate(url, "tiny", seed=7)
        instance = warehouse_instance()
        definitions = defs()
        summary = build_warehouse(instance=instance, definitions=definitions)
        repository = wait_until(lambda: _loaded_repository(port), 240, "the webserver loading the code location")
        for schedule in repository["schedules"]:
            graphql(port, STOP_SCHEDULE, {"id": schedule["scheduleState"]["id"]})
        for sensor in repository["sensors"]:
            if sensor["name"] != "email_on_run_failure":
                graphql(port, STOP_SENSOR, {"id": sensor["sensorState"]["id"]})
        services.append(Service(["dagster-daemon", "run", "-m", LOCATION], dagster_home / "daemon.log"))
        yield Warehouse(url, dagster_home, instance, summary, reporting_rows(url), inbox, definitions, port)
    finally:
        for service in services:
            service.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        smtp.stop()
        shutil.rmtree(dagster_home, ignore_errors=True)
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{DATABASE}" with (force)')


def _loaded_repository(port: int) -> dict | None:
    try:
        data = graphql(
            port,
            """{ repositoriesOrError { ... on RepositoryConnection { nodes { name
                 schedules { name scheduleState { id } } sensors { name sensorState { id } } } } } }""",
        )
    except OSError:
        return None
    nodes = data["repositoriesOrError"].get("nodes") or []
    return nodes[0] if nodes else None


# -- the full build ----------------------------------------------------------------------------------------------
def test_build_materialises_every_asset_and_every_check_passes(warehouse):
    summary = warehouse.summary
    graph = warehouse.definitions.resolve_asset_graph()
    assert summary.success, summary.failure
    dbt_assets = {key.to_user_string() for key in graph.materializable_asset_keys}
    assert set(summary.materialized) == dbt_assets
    assert summary.observed == len(graph.observable_asset_keys) == 115
    evaluated = {(check.asset, check.name) for check in summary.checks}
    assert evaluated == {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    assert not summary.failed_checks
    assert summary.partitions == 3
    with psycopg.connect(warehouse.url) as conn:
        days = conn.execute("select count(*) from marts.int_reporting_days").fetchone()[0]
        metrics = conn.execute(
            "select count(*), sum(orders), sum(booked_value) from reporting.mv_daily_metrics"
        ).fetchone()
        marts = conn.execute("select count(*), sum(net_revenue) from marts.fct_orders where is_booked").fetchone()
        attainment = conn.execute("select count(*) from reporting.target_attainment").fetchone()[0]
    assert metrics[0] == days > 300
    assert metrics[1] > 0 and metrics[2] > 0
    assert metrics[1] <= marts[0] and metrics[2] <= marts[1]
    assert attainment > 0


def test_build_summary_fits_one_screen_with_assets_checks_and_durations(warehouse):
    from rich.console import Console

    console = Console(record=True, width=120)
    warehouse.summary.render(console)
    text = console.export_text()
    assert "warehouse build: succeeded" in text
    assert f"{len(warehouse.summary.checks)} passed, 0 failed" in text
    assert "dbt_warehouse" in text and "dbt_daily_reporting" in text
    assert len(text.splitlines()) < 45


def test_source_gate_flags_an_order_dated_in_the_far_future(warehouse):
    from orchestration.quality import SOURCE_SUITES, validate

    orders = next(suite for suite in SOURCE_SUITES if suite.table == "orders")
    with psycopg.connect(warehouse.url) as conn:
        order_id, order_date = conn.execute("select id, order_date from app.orders order by id limit 1").fetchone()
    execute(warehouse.url, "update app.orders set order_date = order_date + 1500 where id = %s", (order_id,))
    try:
        [result] = validate(warehouse.url, [orders])
    finally:
        execute(warehouse.url, "update app.orders set order_date = %s where id = %s", (order_date, order_id))
    assert [rule.description for rule in result.failed] == ["no order is dated more than 7 days ahead"]
    assert result.failed[0].observed == "1"


def test_smtp_resource_delivers_to_a_real_server(warehouse):
    from orchestration.resources import Attachment, SmtpResource

    SmtpResource().send(
        "reports@example.com",
        "Weekly metrics",
        "see attachment",
        attachments=[Attachment("m.csv", b"a\n1\n", "text/csv")],
    )
    message = warehouse.inbox.wait_for(lambda m: m["Subject"] == "Weekly metrics", 10)
    assert message["From"] == "warehouse@example.com"
    assert [part.get_filename() for part in message.iter_attachments()] == ["m.csv"]


# -- the UI ------------------------------------------------------------------------------------------------------
def test_webserver_answers_graphql_with_every_asset(warehouse):
    data = graphql(warehouse.ui_port, "{ assetNodes { assetKey { path } groupName isPartitioned } }")
    served = {"/".join(node["assetKey"]["path"]): node for node in data["assetNodes"]}
    expected = {key.to_user_string() for key in warehouse.definitions.resolve_asset_graph().get_all_asset_keys()}
    assert set(served) == expected
    assert served["reporting/mv_daily_metrics"]["isPartitioned"] is True
    assert served["reporting/mv_current_state"]["isPartitioned"] is False
    assert served["app/orders"]["groupName"] == "operational"
    assert served["marts/fct_orders"]["groupName"] == "orders"


def test_asset_graph_screenshots_are_saved(warehouse):
    from PIL import Image
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lineage, reporting = ARTIFACTS / "asset-graph.png", ARTIFACTS / "asset-graph-reporting.png"
    base = f"http://127.0.0.1:{warehouse.ui_port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"{base}/asset-groups", wait_until="networkidle")
        skip = page.get_by_role("button", name="Skip")  # the one-time "join the community" dialog
        if skip.count():
            skip.click()
        page.get_by_text("reporting").first.wait_for()
        page.wait_for_timeout(1500)
        page.screenshot(path=lineage)
        page.set_viewport_size({"width": 1600, "height": 2200})
        page.goto(f"{base}/locations/{LOCATION}/asset-groups/reporting", wait_until="networkidle")
        page.get_by_text("mv_daily_metrics").first.wait_for()
        page.mouse.move(900, 1100)
        page.keyboard.down("Control")
        page.mouse.wheel(0, 250)  # zoom out until every reporting relation is on the page
        page.keyboard.up("Control")
        page.wait_for_timeout(1500)
        page.screenshot(path=reporting)
        browser.close()
    for path in (lineage, reporting):
        image = Image.open(path).convert("RGB")
        colours = image.getcolors(maxcolors=1 << 20)
        assert path.stat().st_size > 40_000, f"{path} is suspiciously small"
        assert colours is not None and len(colours) > 200, f"{path} looks blank"


# -- backfill ----------------------------------------------------------------------------------------------------
def test_backfill_of_three_days_runs_once_and_matches_a_full_build(warehouse):
    today = datetime.now(UTC).date()
    days = [today - timedelta(days=offset) for offset in (3, 2, 1)]
    first, last = days[0], days[-1]
    for statement in TAMPER_DAILY_RELATIONS:
        execute(warehouse.url, statement, (first, last))
    assert reporting_rows(warehouse.url) != warehouse.reference

    launched = graphql(
        warehouse.ui_port,
        """mutation($params: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $params) {
             __typename ... on LaunchBackfillSuccess { backfillId } ... on PythonError { message } } }""",
        {
            "params": {
                "partitionNames": [day.isoformat() for day in days],
                "assetSelection": [{"path": ["reporting", name]} for name in DAILY],
            }
        },
    )["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched
    backfill_id = launched["backfillId"]
    backfill_runs = dg.RunsFilter(tags={"dagster/backfill": backfill_id})
    [run] = wait_until(
        lambda: [r for r in warehouse.instance.get_runs(filters=backfill_runs) if r.is_finished],
        300,
        "the backfill run",
    )
    assert run.status == dg.DagsterRunStatus.SUCCESS
    # A single-run backfill requests every partition in its first run: nothing else is left to launch.
    assert len(warehouse.instance.get_runs(filters=backfill_runs)) == 1
    assert _backfill_status(warehouse.ui_port, backfill_id) in ("REQUESTED", "COMPLETED", "COMPLETED_SUCCESS")
    assert run.tags["dagster/asset_partition_range_start"] == first.isoformat()
    assert run.tags["dagster/asset_partition_range_end"] == last.isoformat()
    assert reporting_rows(warehouse.url) == warehouse.reference


def _backfill_status(port: int, backfill_id: str) -> str:
    return graphql(port, BACKFILL_STATUS, {"id": backfill_id})["partitionBackfillOrError"]["status"]


# -- the quality gate --------------------------------------------------------------------------------------------
def test_broken_source_row_blocks_the_refresh_keeps_reports_and_emails_the_alert(warehouse):
    from orchestration.defs.warehouse.project import RECENT_DAYS, partition_range_tags, recent_partition_keys

    before = reporting_rows(warehouse.url)
    with psycopg.connect(warehouse.url) as conn:
        [order_id] = conn.execute("select id from app.orders where status = 'completed' order by id limit 1").fetchone()
    # Subtotal and total move together, so every CHECK constraint still holds; only the lines no longer add up.
    broken = "update app.orders set subtotal = subtotal + %s, total_amount = total_amount + %s where id = %s"
    execute(warehouse.url, broken, (100, 100, order_id))
    try:
        first, last = recent_partition_keys(date.today(), RECENT_DAYS)
        tags = [{"key": key, "value": value} for key, value in partition_range_tags(first, last).items()]
        launched = graphql(
            warehouse.ui_port,
            """mutation($params: ExecutionParams!) { launchRun(executionParams: $params) {
                 __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }""",
            {
                "params": {
                    "selector": {
                        "repositoryLocationName": LOCATION,
                        "repositoryName": "__repository__",
                        "jobName": "warehouse_refresh",
                    },
                    "executionMetadata": {"tags": tags},
                }
            },
        )["launchRun"]
        assert launched["__typename"] == "LaunchRunSuccess", launched
        run_id = launched["run"]["runId"]
        finished = (dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED)
        run = wait_until(
            lambda: (r := warehouse.instance.get_run_by_id(run_id)) and r.status in finished and r, 300, "the run"
        )
        assert run.status == dg.DagsterRunStatus.FAILURE

        started = {
            record.event_log_entry.step_key
            for record in warehouse.instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.STEP_START).records
        }
        assert "app__orders_gx_suite" in started
        assert not started & {"dbt_warehouse", "dbt_daily_reporting"}, "dbt ran although the gate failed"
        evaluations = {
            (e.asset_key.to_user_string(), e.check_name): e
            for e in (
                record.event_log_entry.dagster_event.event_specific_data
                for record in warehouse.instance.get_records_for_run(
                    run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
                ).records
            )
        }
        gate = evaluations[("app/orders", "gx_suite")]
        assert not gate.passed
        assert "subtotal - discount and tax equal the sums of its lines" in gate.description
        assert all(e.passed for key, e in evaluations.items() if key != ("app/orders", "gx_suite"))
        assert reporting_rows(warehouse.url) == before

        alert = warehouse.inbox.wait_for(lambda m: run_id in text_of(m), 120)
        assert alert["Subject"] == "[warehouse] run of warehouse_refresh failed: 1 check(s) failed"
        assert alert["To"] == ALERT_EMAIL
        assert "app/orders gx_suite" in text_of(alert)
    finally:
        execute(warehouse.url, broken, (-100, -100, order_id))


# -- automation --------------------------------------------------------------------------------------------------
def test_source_sensor_requests_a_refresh_only_for_changes_a_refresh_has_not_seen(warehouse):
    from orchestration.defs.warehouse.sensors import refresh_when_sources_change

    first = refresh_when_sources_change(dg.build_sensor_context(instance=warehouse.instance))
    assert not first.run_requests, "the build's own observations are already in the warehouse"
    execute(warehouse.url, "update app.customers set updated_at = now() where id = (select min(id) from app.customers)")
    observed = warehouse.definitions.resolve_job_def("observe_sources").execute_in_process(instance=warehouse.instance)
    assert observed.success
    second = refresh_when_sources_change(dg.build_sensor_context(instance=warehouse.instance, cursor=first.cursor))
    [request] = second.run_requests
    # app/orders moved too: the gate test restored its broken order after that refresh had observed it.
    assert "app/customers" in request.tags["warehouse/changed_sources"].split(",")
    assert request.tags["dagster/asset_partition_range_end"] == datetime.now(UTC).date().isoformat()
    third = refresh_when_sources_change(dg.build_sensor_context(instance=warehouse.instance, cursor=second.cursor))
    assert not third.run_requests
