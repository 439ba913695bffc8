"""The Dagster definitions load, list what a reviewer must see change, and their pure helpers behave."""

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import pytest

from tests.conftest import REPO_ROOT

SNAPSHOT = Path(__file__).parent / "snapshots" / "dagster_definitions.txt"
DAGSTER = str(Path(sys.executable).parent / "dagster")


@pytest.fixture(scope="module")
def definitions() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs()


@pytest.fixture(scope="module")
def manifest() -> dict:
    from orchestration.defs.warehouse.project import load_manifest, warehouse_dbt_project

    return load_manifest(warehouse_dbt_project())


def describe(definitions: dg.Definitions) -> str:
    """Every asset key (group, partitioning), check, job, schedule and sensor, one per line, sorted."""
    graph = definitions.resolve_asset_graph()
    lines = ["# assets"]
    for key in sorted(graph.get_all_asset_keys()):
        node = graph.get(key)
        partitioned = "daily partitions, single-run backfill" if node.partitions_def else "unpartitioned"
        lines.append(f"{key.to_user_string()}  [group {node.group_name}; {partitioned}]")
    lines.append("# asset checks")
    for check in sorted(graph.asset_check_keys, key=lambda k: (k.asset_key.to_user_string(), k.name)):
        blocking = "blocking" if graph.get_check_spec(check).blocking else "non-blocking"
        lines.append(f"{check.asset_key.to_user_string()} {check.name}  [{blocking}]")
    lines.append("# jobs")
    lines += sorted(job.name for job in definitions.resolve_all_job_defs() if not job.name.startswith("__"))
    lines.append("# schedules")
    lines += sorted(f"{s.name}  [{s.cron_schedule} {s.execution_timezone}]" for s in definitions.schedules)
    lines.append("# sensors")
    lines += sorted(sensor.name for sensor in definitions.sensors)
    return "\n".join(lines) + "\n"


def test_definitions_validate_with_the_dagster_cli():
    result = subprocess.run(
        [DAGSTER, "definitions", "validate", "-m", "orchestration.definitions"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "All code locations passed validation" in result.stdout + result.stderr


def test_snapshot_lists_every_asset_check_job_schedule_and_sensor(definitions):
    """A change to the graph shows in review: regenerate with UPDATE_SNAPSHOTS=1 and commit the file."""
    current = describe(definitions)
    if os.environ.get("UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(current)
    assert current == SNAPSHOT.read_text(), "the Dagster graph changed: rerun with UPDATE_SNAPSHOTS=1 and review"


def test_dbt_sources_are_the_observable_source_assets_of_every_app_table(definitions):
    from oltp.models import metadata

    graph = definitions.resolve_asset_graph()
    observable = {key for key in graph.get_all_asset_keys() if graph.get(key).is_observable}
    assert observable == {dg.AssetKey(["app", table.name]) for table in metadata.sorted_tables}
    dbt_deps = {dep for key in graph.get_all_asset_keys() for dep in graph.get(key).parent_keys if dep.path[0] == "app"}
    assert dbt_deps and dbt_deps <= observable


def test_every_dbt_model_is_an_asset_grouped_by_its_folder(definitions, manifest):
    graph = definitions.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model":
            continue
        folders = node["fqn"][1:-1]
        key = f"{folders[0]}/{node['name']}"
        assert key in keys
        expected_group = folders[1] if folders[0] == "marts" else folders[0]
        assert graph.get(dg.AssetKey.from_user_string(key)).group_name == expected_group
    assert graph.get(dg.AssetKey(["marts", "fct_orders"])).owners == ["team:analytics-engineering"]
    assert graph.get(dg.AssetKey(["reporting", "mv_daily_metrics"])).freshness_policy is not None


def test_daily_reporting_relations_are_partitioned_and_the_rest_is_not(definitions, manifest):
    graph = definitions.resolve_asset_graph()
    incremental_reporting = {
        f"reporting/{node['name']}"
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["fqn"][1] == "reporting"
        and node["config"]["materialized"] == "incremental"
    }
    partitioned = {key.to_user_string() for key in graph.get_all_asset_keys() if graph.get(key).partitions_def}
    assert partitioned == incremental_reporting
    assert {"reporting/mv_daily_metrics", "reporting/mv_daily_jobs"} <= partitioned
    node = graph.get(dg.AssetKey(["reporting", "mv_daily_metrics"]))
    assert isinstance(node.partitions_def, dg.DailyPartitionsDefinition)
    assert node.backfill_policy == dg.BackfillPolicy.single_run()


def test_every_reporting_relation_and_key_source_has_a_blocking_gx_suite(definitions, manifest):
    from orchestration.quality import REPORTING_SUITES, SOURCE_SUITES

    graph = definitions.resolve_asset_graph()
    reporting = {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == "reporting"
    }
    assert {suite.table for suite in REPORTING_SUITES} == reporting
    for suite in (*SOURCE_SUITES, *REPORTING_SUITES):
        check = dg.AssetCheckKey(dg.AssetKey([suite.schema, suite.table]), "gx_suite")
        assert check in graph.asset_check_keys
        assert graph.get_check_spec(check).blocking


def test_relations_the_gx_suites_query_exist_in_the_dbt_project(manifest):
    from orchestration.defs.warehouse.project import relation_keys
    from orchestration.quality import REPORTING_SUITES, SOURCE_SUITES

    relations = relation_keys(manifest)
    for suite in (*SOURCE_SUITES, *REPORTING_SUITES):
        for relation in ((suite.schema, suite.table), *suite.reads):
            assert relation in relations, f"{suite.name} reads {relation}, which dbt does not know"


def test_translator_decides_keys_and_groups_from_the_folder_not_the_name():
    from orchestration.defs.warehouse.project import WarehouseDbtTranslator

    translator = WarehouseDbtTranslator()
    model = {
        "resource_type": "model",
        "name": "fct_anything",
        "fqn": ["fieldservice_warehouse", "marts", "crm", "fct_anything"],
        "config": {"materialized": "table"},
    }
    staged_elsewhere = {**model, "name": "stg_x", "fqn": ["fieldservice_warehouse", "reporting", "stg_x"]}
    assert translator.get_asset_key(model) == dg.AssetKey(["marts", "fct_anything"])
    assert translator.get_group_name(model) == "crm"
    assert translator.get_asset_key(staged_elsewhere) == dg.AssetKey(["reporting", "stg_x"])
    assert translator.get_group_name(staged_elsewhere) == "reporting"
    seed = {"resource_type": "seed", "name": "stages", "fqn": ["fieldservice_warehouse", "stages"], "config": {}}
    assert translator.get_asset_key(seed) == dg.AssetKey(["seeds", "stages"])
    source = {"resource_type": "source", "source_name": "app", "name": "orders", "fqn": []}
    assert translator.get_asset_key(source) == dg.AssetKey(["app", "orders"])
    assert translator.get_owners({**model, "config": {"meta": {"owner": "ana@example.com"}}}) == ["ana@example.com"]
    assert "not yet described" in translator.get_description(model)


def test_partition_windows_become_inclusive_dbt_vars_and_build_args(tmp_path):
    from orchestration.dbt_runner import DBT_PROJECT_DIR
    from orchestration.defs.warehouse.project import dbt_build_args, window_vars

    variables = window_vars(datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC))
    assert variables == {"start_date": "2026-11-20", "end_date": "2026-11-22"}
    selectors = ["fqn:p.marts.a", "fqn:p.marts.not_null_a_id"]
    args = dbt_build_args(selectors, tmp_path, variables)
    assert args[:5] == ["build", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    assert args[args.index("--select") + 1 : args.index("--select") + 3] == selectors
    # exactly the selected tests run (none comes along with its model), and no dbt unit test
    assert args[args.index("--indirect-selection") + 1] == "empty"
    assert args[args.index("--exclude-resource-type") + 1] == "unit_test"
    assert args[args.index("--vars") + 1] == '{"end_date": "2026-11-22", "start_date": "2026-11-20"}'
    assert args[args.index("--target-path") + 1] == args[args.index("--log-path") + 1] == str(tmp_path)
    assert args[args.index("--log-level") + 1] == "warn"  # the full log is in the invocation's folder
    assert "--vars" not in dbt_build_args(["fqn:p.marts.a"], tmp_path)
    with pytest.raises(ValueError, match="whole project"):
        dbt_build_args([], tmp_path)


def test_node_selectors_name_each_node_by_its_fully_qualified_name(manifest):
    from orchestration.defs.warehouse.project import node_selectors

    nodes = [uid for uid, node in manifest["nodes"].items() if node["resource_type"] in ("model", "test")]
    selectors = node_selectors(manifest, nodes)
    assert len(set(selectors)) == len(nodes)  # no two nodes share one
    assert "fqn:fieldservice_warehouse.marts.orders.fct_orders" in selectors


def test_dbt_keys_name_assets_and_checks_as_dagster_dbt_does(manifest):
    from dagster_dbt.asset_utils import get_asset_check_key_for_test

    from orchestration.defs.warehouse.project import WarehouseDbtTranslator, dbt_keys, warehouse_dbt_project

    keys = dbt_keys(manifest)
    project = warehouse_dbt_project()
    translator = WarehouseDbtTranslator()
    tests = [uid for uid, node in manifest["nodes"].items() if node["resource_type"] == "test"]
    assert len(tests) > 100
    for uid in tests:
        assert keys.check_of_node.get(uid) == get_asset_check_key_for_test(manifest, translator, uid, project), uid
    for uid, key in keys.asset_of_node.items():
        assert keys.node_of_asset[key] == uid
        assert key == translator.get_asset_key(manifest["nodes"][uid])


def test_recent_partition_range_ends_today_and_never_starts_before_the_first_partition():
    from orchestration.defs.warehouse.project import partition_range_tags, recent_partition_keys

    assert recent_partition_keys(datetime(2026, 11, 24, 10, tzinfo=UTC), 3) == ("2026-11-22", "2026-11-24")
    assert recent_partition_keys(date(2025, 1, 2), 31) == ("2025-01-01", "2025-01-02")
    assert partition_range_tags("a", "b") == {
        "dagster/asset_partition_range_start": "a",
        "dagster/asset_partition_range_end": "b",
    }


def test_schedules_refresh_what_changed_hourly_and_everything_for_the_trailing_month_nightly():
    from orchestration.defs.warehouse import changes
    from orchestration.defs.warehouse.schedules import (
        REFRESH_TAG,
        hourly_refresh_recent_days,
        nightly_refresh_trailing_days,
        refresh_request,
    )
    from orchestration.defs.warehouse.selection import RefreshSelection

    at = datetime(2026, 11, 24, 2, 30, tzinfo=UTC)
    nightly = nightly_refresh_trailing_days(dg.build_schedule_context(scheduled_execution_time=at))
    assert nightly.tags["dagster/asset_partition_range_start"] == "2026-10-25"
    assert nightly.asset_selection is None and nightly.tags[REFRESH_TAG] == "everything"
    orders = dg.AssetKey(["marts", "fct_orders"])
    check = dg.AssetCheckKey(orders, "not_null_fct_orders_order_id")
    plan = changes.RefreshPlan(frozenset({"model.p.fct_orders"}), frozenset({"test.p.not_null"}))
    hourly = refresh_request(at, 3, RefreshSelection(plan, frozenset({orders}), frozenset({check})))
    assert hourly.tags["dagster/asset_partition_range_start"] == "2026-11-22"
    assert hourly.tags["dagster/asset_partition_range_end"] == nightly.tags["dagster/asset_partition_range_end"]
    assert hourly.asset_selection == [orders] and hourly.asset_check_keys == [check]
    assert hourly.tags[REFRESH_TAG] == "1 dbt nodes and 1 tests whose inputs changed"
    assert hourly_refresh_recent_days.cron_schedule == "5 * * * *"
    assert hourly_refresh_recent_days.default_status == dg.DefaultScheduleStatus.RUNNING


def test_only_transient_database_errors_are_retried():
    import psycopg

    from orchestration.resources import failure_unless_transient, is_transient_database_error

    assert is_transient_database_error("connection to server failed: Connection refused")
    assert is_transient_database_error(psycopg.errors.DeadlockDetected("deadlock detected"))
    wrapped = RuntimeError("dbt failed")
    wrapped.__cause__ = psycopg.OperationalError("server closed the connection unexpectedly")
    assert is_transient_database_error(wrapped)
    assert not is_transient_database_error('relation "marts.fct_orders" does not exist')
    assert not is_transient_database_error(psycopg.errors.CheckViolation("violates check constraint"))
    final = failure_unless_transient(ValueError("1 test failed"), "dbt build failed")
    assert isinstance(final, dg.Failure) and final.allow_retries is False
    transient = psycopg.OperationalError("the database system is starting up")
    assert failure_unless_transient(transient, "dbt build failed") is transient


def test_manifest_is_stale_when_a_dbt_file_is_newer(tmp_path):
    from orchestration.defs.warehouse.project import manifest_is_stale

    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "m.sql"
    model.write_text("select 1")
    manifest = tmp_path / "target" / "manifest.json"
    assert manifest_is_stale(tmp_path, manifest)
    manifest.parent.mkdir()
    manifest.write_text("{}")
    os.utime(model, (1, 1))
    assert not manifest_is_stale(tmp_path, manifest)
    model.touch()
    os.utime(manifest, (2, 2))
    assert manifest_is_stale(tmp_path, manifest)


def test_old_dbt_invocation_folders_are_pruned(tmp_path):
    from orchestration.defs.warehouse.project import prune_invocations

    for index in range(5):
        folder = tmp_path / f"run-{index}"
        folder.mkdir()
        os.utime(folder, (index, index))
    (tmp_path / "manifest.json").write_text("{}")
    removed = prune_invocations(tmp_path, keep=2)
    assert sorted(path.name for path in removed) == ["run-0", "run-1", "run-2"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["manifest.json", "run-3", "run-4"]


def test_the_sensor_asks_once_for_one_stale_state():
    from orchestration.defs.warehouse import changes
    from orchestration.defs.warehouse.selection import RefreshSelection
    from orchestration.defs.warehouse.sensors import plan_key

    def key(fingerprints: dict) -> str:
        plan = changes.RefreshPlan(frozenset(fingerprints), frozenset(), fingerprints)
        return plan_key(RefreshSelection(plan))

    assert key({"model.p.a": "1", "model.p.b": "2"}) == key({"model.p.b": "2", "model.p.a": "1"})
    assert key({"model.p.a": "1"}) != key({"model.p.a": "2"})  # the same node, changed again: asked again


def test_failure_email_names_the_job_the_failed_checks_and_the_days():
    from orchestration.defs.alerts.sensors import FailureReport, failure_email

    subject, body = failure_email(
        FailureReport(
            job_name="warehouse_refresh",
            run_id="abc",
            reason='Execution of run for "warehouse_refresh" failed. Steps failed: ["app__orders_gx_suite"].',
            failed_steps=["app__orders_gx_suite"],
            failed_checks=["app/orders gx_suite: failed: no order is dated more than 7 days ahead (observed 1)"],
            partition_range="2026-11-22 to 2026-11-24",
            run_url="http://localhost:3000/runs/abc",
        )
    )
    assert subject == "[warehouse] run of warehouse_refresh failed: 1 check(s) failed"
    assert "app/orders gx_suite: failed: no order is dated more than 7 days ahead" in body
    assert "Days: 2026-11-22 to 2026-11-24" in body
    assert "http://localhost:3000/runs/abc" in body


def test_smtp_message_has_text_html_and_attachments():
    from orchestration.resources import Attachment, SmtpResource

    message = SmtpResource(sender="warehouse@example.com").message(
        ["a@example.com", "b@example.com"],
        "Daily metrics",
        "plain",
        html="<p>html</p>",
        attachments=[Attachment("metrics.csv", b"a,b\n1,2\n", "text/csv")],
    )
    assert message["From"] == "warehouse@example.com"
    assert message["To"] == "a@example.com, b@example.com"
    parts = [part.get_content_type() for part in message.walk()]
    assert {"text/plain", "text/html", "text/csv"} <= set(parts)
