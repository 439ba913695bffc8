"""Every dbt model, seed and snapshot as an asset; dbt tests come along as asset checks.

Two dbt steps: the daily reporting relations (incremental by organization-day slices) are partitioned by day and get
the partition window as the dbt vars `start_date`/`end_date`, so a backfill of many days is one dbt run; everything
else is unpartitioned and rebuilt first. Each step runs `dbt build` of exactly the assets and checks the run selected
(a refresh selects what changed: changes.py) in the process's warehouse worker (worker.py); each node's result
becomes its materialization or check evaluation as soon as dbt reports it, and what was built is recorded in
`marts.built_from`.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import dagster as dg
from dagster_dbt import DbtProject, dbt_assets

from orchestration.dbt_runner import DbtRunError
from orchestration.defs.warehouse import changes
from orchestration.defs.warehouse.project import (
    BUILT,
    DAILY_PARTITIONS,
    DAILY_RELATIONS_SELECT,
    KEPT_INVOCATIONS,
    WarehouseDbtTranslator,
    dbt_build_args,
    dbt_keys,
    load_manifest,
    node_selectors,
    prune_invocations,
    warehouse_dbt_project,
    window_vars,
)
from orchestration.defs.warehouse.worker import WorkerError, warehouse_worker
from orchestration.resources import TRANSIENT_DATABASE_RETRY, WarehouseDatabase, failure_unless_transient

FAILED = ("error", "fail", "runtime error")


@dataclass
class Invocation:
    """What one `dbt build` reported: each node's status, and the failures to name."""

    statuses: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def _row_count(conn, relation: Mapping) -> int | None:
    from sqlalchemy import text

    name = relation.get("relation_name")
    if not name:
        return None
    return conn.execute(
        text("select greatest(reltuples, 0)::bigint from pg_class where oid = to_regclass(:name)"), {"name": name}
    ).scalar()


def run_dbt_build(
    context: dg.AssetExecutionContext,
    database: WarehouseDatabase,
    project: DbtProject,
    variables: Mapping[str, object] | None = None,
) -> Iterator[dg.MaterializeResult | dg.AssetCheckEvaluation]:
    """`dbt build` of the selected assets and checks: a materialization per model built (with its duration, rows
    written and estimated row count), a check evaluation per test, and what was built recorded in
    `marts.built_from`."""
    manifest = load_manifest(project)
    keys = dbt_keys(manifest)
    nodes = {keys.node_of_asset[key] for key in context.selected_asset_keys}
    nodes |= {keys.node_of_check[key] for key in context.selected_asset_check_keys if key in keys.node_of_check}
    if not nodes:
        return
    project_target = project.project_dir / project.target_path
    target = project_target / f"{context.run.run_id[:8]}-{context.op_def.name}"
    invocation = Invocation()
    engine = database.engine()
    error: WorkerError | None = None
    with engine.connect() as conn:
        # the inputs as they are before dbt reads them: what the nodes built here are recorded as built from
        inputs = changes.read_inputs(conn)
        conn.commit()
        args = dbt_build_args(node_selectors(manifest, nodes), target, variables)
        try:
            for result in warehouse_worker().build(project_target, database.resolved_url(), args):
                yield from _dagster_events(result, manifest, keys, invocation, conn)
                conn.commit()
        except WorkerError as raised:
            error = raised
    prune_invocations(project_target, KEPT_INVOCATIONS)
    if invocation.statuses:
        with engine.begin() as conn:
            built = changes.read_built(conn)
            succeeded = [uid for uid, status in invocation.statuses.items() if status in ("success", "pass")]
            recorded = changes.built_fingerprints(manifest, inputs, built, succeeded)
            changes.record_built(conn, {**recorded, **changes.sources_read(manifest, inputs, succeeded)})
    if error is not None:
        raise failure_unless_transient(error, "dbt build failed") from error
    if invocation.failures:
        failed = DbtRunError(f"{len(invocation.failures)} node(s) failed: {'; '.join(invocation.failures[:5])}")
        raise failure_unless_transient(failed, "dbt build failed")


def _dagster_events(result: dict, manifest: Mapping, keys, invocation: Invocation, conn) -> Iterator[Any]:
    info, outcome = result.get("node_info", {}), result.get("run_result", {})
    uid, status = info.get("unique_id", ""), outcome.get("status", "")
    node = manifest["nodes"].get(uid)
    if node is None or node["resource_type"] not in (*BUILT, "test"):  # e.g. the on-run-start hook
        return
    invocation.statuses[uid] = status
    if status in FAILED:
        message = (outcome.get("message") or status).strip().splitlines()
        invocation.failures.append(f"{node['name']}: {message[0] if message else status}")
    seconds = float(outcome.get("execution_time") or 0.0)
    metadata: dict[str, Any] = {"unique_id": uid, "status": status, "Execution Duration": seconds}
    if node["resource_type"] == "test":
        check = keys.check_of_node.get(uid)
        if check is None:
            return
        failures = outcome.get("num_failures")
        if failures is not None:
            metadata["dagster_dbt/failed_row_count"] = int(failures)
        # an evaluation rather than the check's output: Dagster records it alike, without an output event and a
        # look-up of the model's materialization per test (no step waits on a dbt test's output)
        yield dg.AssetCheckEvaluation(
            asset_key=check.asset_key,
            check_name=check.name,
            passed=status == "pass",
            severity=dg.AssetCheckSeverity.WARN if status == "warn" else dg.AssetCheckSeverity.ERROR,
            metadata=metadata,
        )
        return
    if status != "success":
        return
    written = (outcome.get("adapter_response") or {}).get("rows_affected")
    if written is not None and int(written) >= 0:
        metadata["rows_affected"] = int(written)
    if node["config"].get("materialized") != "view":
        rows = _row_count(conn, info.get("node_relation", {}))
        if rows is not None:
            metadata["dagster/row_count"] = dg.MetadataValue.int(rows)
    yield dg.MaterializeResult(asset_key=keys.asset_of_node[uid], metadata=metadata)


def build_dbt_assets(project: DbtProject) -> list[dg.AssetsDefinition]:
    manifest = load_manifest(project)
    translator = WarehouseDbtTranslator()

    @dbt_assets(
        manifest=manifest,
        project=project,
        exclude=DAILY_RELATIONS_SELECT,
        dagster_dbt_translator=translator,
        name="dbt_warehouse",
        retry_policy=TRANSIENT_DATABASE_RETRY,
    )
    def dbt_warehouse(context: dg.AssetExecutionContext, database: WarehouseDatabase):
        yield from run_dbt_build(context, database, project)

    @dbt_assets(
        manifest=manifest,
        project=project,
        select=DAILY_RELATIONS_SELECT,
        dagster_dbt_translator=translator,
        name="dbt_daily_reporting",
        partitions_def=DAILY_PARTITIONS,
        backfill_policy=dg.BackfillPolicy.single_run(),
        retry_policy=TRANSIENT_DATABASE_RETRY,
    )
    def dbt_daily_reporting(context: dg.AssetExecutionContext, database: WarehouseDatabase):
        window = context.partition_time_window
        yield from run_dbt_build(context, database, project, window_vars(window.start, window.end))

    return [dbt_warehouse, dbt_daily_reporting]


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=build_dbt_assets(warehouse_dbt_project()))
