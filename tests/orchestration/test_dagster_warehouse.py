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


def comparable_rows(url: str) -> dict[str, list[tuple]]:
    """The reporting rows without `as_of_at`, the instant a relation of current state was built at."""
    rows = {}
    with psycopg.connect(url) as conn:
        for name in REPORTING:
            cursor = conn.execute(f"select * from reporting.{name}")
            kept = [i for i, column in enumerate(cursor.description) if column.name != "as_of_at"]
            rows[name] = sorted(tuple(str(row[i]) for i in kept) for row in cursor.fetchall())
    return rows


def tables_read(definitions: dg.Definitions) -> set[str]:
    """The `app` tables the dbt models read, and those the source suites check."""
    from orchestration.defs.warehouse.changes import source_tables
    from orchestration.defs.warehouse.project import load_manifest, warehouse_dbt_project
    from orchestration.quality import SOURCE_SUITES
    from orchestration.quality import source_tables as suite_tables

    manifest = load_manifest(warehouse_dbt_project())
    return source_tables(manifest, manifest["nodes"]) | {t for suite in SOURCE_SUITES for t in suite_tables(suite)}


def downstream(source_table: str) -> dict[str, dict]:
    """Every dbt node downstream of an `app` table, by unique id."""
    from orchestration.defs.warehouse.project import load_manifest, warehouse_dbt_project

    manifest = load_manifest(warehouse_dbt_project())
    found, stack = {}, [f"source.fieldservice_warehouse.app.{source_table}"]
    while stack:
        for child in manifest["child_map"].get(stack.pop(), []):
            if child not in found and child in manifest["nodes"]:  # not the exposures
                found[child] = manifest["nodes"][child]
                stack.append(child)
    return found


def runs_of(instance: dg.DagsterInstance) -> int:
    return len(instance.get_run_records())


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
        # The instance's SQLite storage is created here, before the webserver starts: two processes creating it at
        # once can both stamp its schema version ("alembic_version has more than one head", seen once in CI).
        instance = warehouse_instance()
        port = free_port()
        webserver = ["dagster-webserver", "-m", LOCATION, "-h", "127.0.0.1", "-p", str(port)]
        services.append(Service(webserver, dagster_home / "webserver.log"))
        migrate.upgrade(url)
        generate(url, "tiny", seed=7)
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
    assert summary.observed == len(tables_read(warehouse.definitions)) > 40  # every table the warehouse reads
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


# -- refresh what changed ----------------------------------------------------------------------------------------
def test_a_refresh_with_nothing_changed_runs_nothing_and_leaves_every_reporting_relation_as_it_was(warehouse):
    from orchestration.dagster_build import build_warehouse

    before, runs = reporting_rows(warehouse.url), runs_of(warehouse.instance)
    summary = build_warehouse(instance=warehouse.instance, definitions=warehouse.definitions)
    assert summary.success and summary.run_id == "" and summary.selected == "nothing changed since the last build"
    assert summary.materialized == {} and summary.checks == [] and summary.observed == 0
    assert runs_of(warehouse.instance) == runs  # not even a run
    assert reporting_rows(warehouse.url) == before  # as_of_at included: no relation was rebuilt


def test_a_change_to_one_source_table_runs_only_the_models_downstream_of_it(warehouse):
    """A claim's repair cost changes: the claims mart, the daily warranty relation and what reads them run, with the
    tests of every node whose data moved; no other model runs (not the orders marts, not the staging views)."""
    from orchestration.dagster_build import build_warehouse
    from orchestration.defs.warehouse.project import (
        WarehouseDbtTranslator,
        dbt_keys,
        load_manifest,
        warehouse_dbt_project,
    )

    before = comparable_rows(warehouse.url)
    with psycopg.connect(warehouse.url) as conn:
        organization_id, claim_id, resolved, cost_before = conn.execute(
            "select organization_id, warranty_claim_id, resolved_date, claim_cost from marts.fct_warranty_claims"
            " where resolved_date is not null order by organization_id, warranty_claim_id limit 1"
        ).fetchone()
        daily_before = conn.execute(
            "select claim_cost from reporting.mv_daily_warranty where organization_id = %s and metric_date = %s",
            (organization_id, resolved),
        ).fetchone()[0]
    change = "update app.warranty_claims set parts_cost = parts_cost + %s, updated_at = now() where id = %s"
    execute(warehouse.url, change, (100, claim_id))
    try:
        summary = build_warehouse(instance=warehouse.instance, definitions=warehouse.definitions)
        assert summary.success, summary.failure
        with psycopg.connect(warehouse.url) as conn:
            cost = conn.execute(
                "select claim_cost from marts.fct_warranty_claims where warranty_claim_id = %s", (claim_id,)
            ).fetchone()[0]
            daily = conn.execute(
                "select claim_cost from reporting.mv_daily_warranty where organization_id = %s and metric_date = %s",
                (organization_id, resolved),
            ).fetchone()[0]
    finally:
        execute(warehouse.url, change, (-100, claim_id))
    assert (cost, daily) == (cost_before + 100, daily_before + 100)

    nodes = downstream("warranty_claims")
    translator = WarehouseDbtTranslator()
    tables = {translator.get_asset_key(node).to_user_string() for node in nodes.values()
              if node["resource_type"] == "model" and node["config"]["materialized"] != "view"}  # fmt: skip
    assert tables == {
        "marts/fct_warranty_claims",
        "intermediate/int_metric_daily_values",
        "reporting/mv_daily_warranty",
        "reporting/target_attainment",
    }
    # exactly the tables downstream: the views on them read them (no table they read was replaced)
    assert set(summary.materialized) == tables
    keys = dbt_keys(load_manifest(warehouse_dbt_project()))
    downstream_checks = {keys.check_of_node[uid] for uid in nodes if uid in keys.check_of_node}
    evaluated = {dg.AssetCheckKey(dg.AssetKey.from_user_string(c.asset), c.name) for c in summary.checks}
    gx = {dg.AssetCheckKey(dg.AssetKey.from_user_string(key), "gx_suite") for key in tables if "reporting" in key}
    assert evaluated == downstream_checks | gx
    assert not summary.failed_checks
    assert summary.observed == 1  # of what these nodes read, only the claims changed since they were built

    # and back: the same nodes run again, the numbers are those of before
    again = build_warehouse(instance=warehouse.instance, definitions=warehouse.definitions)
    assert again.success and set(again.materialized) == tables
    assert comparable_rows(warehouse.url) == before


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
def test_source_sensor_asks_for_a_refresh_of_what_changed_once_and_not_while_nothing_did(warehouse):
    from orchestration.dagster_build import build_warehouse
    from orchestration.defs.warehouse.sensors import refresh_when_sources_change
    from orchestration.resources import WarehouseDatabase

    def evaluate():
        context = dg.build_sensor_context(instance=warehouse.instance, resources={"database": WarehouseDatabase()})
        return refresh_when_sources_change(context)

    # the gate test restored its broken order after its (failed) refresh: what depends on orders is out of date
    assert build_warehouse(instance=warehouse.instance, definitions=warehouse.definitions).success
    assert isinstance(evaluate(), dg.SkipReason)
    execute(warehouse.url, "update app.customers set updated_at = now() where id = (select min(id) from app.customers)")
    [request] = evaluate().run_requests
    selected = {key.to_user_string() for key in request.asset_selection}
    assert {"app/customers", "marts/dim_customers"} <= selected
    assert "marts/fct_jobs" not in selected and "app/orders" not in selected
    assert request.tags["dagster/asset_partition_range_end"] == datetime.now(UTC).date().isoformat()
    # the same stale state asks for the same run (its key): a failed refresh is not asked for again every minute
    assert evaluate().run_requests[0].run_key == request.run_key
    assert build_warehouse(instance=warehouse.instance, definitions=warehouse.definitions).success
    assert isinstance(evaluate(), dg.SkipReason)


def test_a_request_the_worker_cannot_answer_fails_alone(warehouse):
    from orchestration.defs.warehouse.worker import WorkerError, warehouse_worker
    from orchestration.quality import REPORTING_SUITES, result_from_dict

    with pytest.raises(WorkerError, match="KeyError"):
        warehouse_worker().validate(warehouse.url, ["reporting.no_such_relation"])
    [answer] = warehouse_worker().validate(warehouse.url, [REPORTING_SUITES[0].name])
    assert result_from_dict(answer).success


def test_suites_validated_ahead_are_used_only_on_the_data_they_were_validated_on(warehouse):
    """The worker validates the source suites while a run is planned and each reporting suite as dbt builds its
    relation; a check takes that result only when its tables are as they were, and a rebuilt input drops it."""
    import io

    from oltp.database import get_engine
    from orchestration.defs.warehouse import changes
    from orchestration.defs.warehouse.worker import BUILT, _Worker
    from orchestration.quality import SUITES, passed_fingerprint

    def basis() -> str:
        with get_engine(warehouse.url).connect() as conn:
            return passed_fingerprint(SUITES["app.orders"], changes.read_inputs(conn))

    worker = _Worker(io.StringIO())
    worker.validate_ahead(warehouse.url, "app.orders")
    evaluated_on, result = worker.ahead["app.orders"][1].result()
    assert result.success and evaluated_on == basis()
    with psycopg.connect(warehouse.url) as conn:
        [order_id] = conn.execute("select min(id) from app.orders").fetchone()
    future = "update app.orders set order_date = order_date + %s where id = %s"
    execute(warehouse.url, future, (1500, order_id))
    try:
        assert worker.validate(warehouse.url, "app.orders", evaluated_on).success  # as asked: on that data
        assert "app.orders" not in worker.ahead  # taken once
        worker.validate_ahead(warehouse.url, "app.orders")
        worker.ahead["app.orders"][1].result()
        assert not worker.validate(warehouse.url, "app.orders", evaluated_on).success  # validated again now
    finally:
        execute(warehouse.url, future, (-1500, order_id))

    worker.url = warehouse.url
    worker.built(("reporting", "mv_daily_metrics"))
    assert worker.ahead["reporting.mv_daily_metrics"][0] == BUILT
    worker.built(("marts", "fct_orders"))  # the suite reads it: its result is stale
    assert "reporting.mv_daily_metrics" not in worker.ahead
    assert worker.validate(warehouse.url, "reporting.mv_daily_metrics", None).success


# A corrected or removed line changes its order's totals too.
ORDERS_FOLLOW_THEIR_LINES = """
with lines as (
    select organization_id, order_id, sum(line_total) as net, sum(tax_amount) as tax
    from app.order_line_items group by organization_id, order_id
)
update app.orders as orders set subtotal = lines.net + orders.discount_total, tax_total = lines.tax,
    total_amount = lines.net + lines.tax + orders.shipping_total,
    amount_paid = least(orders.amount_paid, lines.net + lines.tax + orders.shipping_total), updated_at = now()
from lines
where lines.organization_id = orders.organization_id and lines.order_id = orders.id
    and (orders.subtotal - orders.discount_total <> lines.net or orders.tax_total <> lines.tax)
"""


# The application does not delete a customer who still has orders or tickets.
CUSTOMERS_WITH_ORDERS_STAY = """
update app.customers as customers set deleted_at = null, updated_at = now()
where customers.deleted_at is not null and exists (
    select 1 from app.orders where orders.organization_id = customers.organization_id
        and orders.customer_id = customers.id and orders.deleted_at is null
    union all
    select 1 from app.issues where issues.organization_id = customers.organization_id
        and issues.customer_id = customers.id and issues.deleted_at is null
)
"""


def test_a_refresh_after_simulated_days_and_late_changes_equals_a_full_rebuild(warehouse, dbt_scratch_paths):
    """The refresh of what changed, after a simulated day and changes to old days (a corrected price, a cancelled
    and a backdated order, a deleted order line and customer, a payment), gives every reporting row a full rebuild
    gives; then nothing is left to run."""
    from orchestration.dagster_build import build_warehouse
    from orchestration.dbt_runner import build
    from tests.conftest import run_cli
    from tests.dbt.test_incremental import late_changes

    result = run_cli("simulate", "--days", "1", env={"DATABASE_URL": warehouse.url})
    assert result.returncode == 0, result.stderr
    with psycopg.connect(warehouse.url) as conn:
        late_changes(conn)
        conn.execute(ORDERS_FOLLOW_THEIR_LINES)  # as the application keeps them, and the gate checks
        conn.execute(CUSTOMERS_WITH_ORDERS_STAY)  # the marts' relationship tests fail otherwise
    summary = build_warehouse(instance=warehouse.instance, definitions=warehouse.definitions)
    assert summary.success, summary.failure
    assert 0 < len(summary.materialized) < len(warehouse.summary.materialized)
    refreshed = comparable_rows(warehouse.url)
    build(url=warehouse.url, full_refresh=True, exclude=["resource_type:unit_test"], quiet=True)
    assert comparable_rows(warehouse.url) == refreshed
    assert build_warehouse(instance=warehouse.instance, definitions=warehouse.definitions).run_id == ""
