"""Every dbt model, seed and snapshot as an asset; dbt tests come along as asset checks.

Two dbt steps: the daily reporting relations (incremental by organization-day slices) are partitioned by day and get
the partition window as the dbt vars `start_date`/`end_date`, so a backfill of many days is one dbt run; everything
else is unpartitioned and rebuilt first.
"""

from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from orchestration.defs.warehouse.project import (
    DAILY_PARTITIONS,
    DAILY_RELATIONS_SELECT,
    WarehouseDbtTranslator,
    dbt_build_args,
    dbt_connection,
    keep_partial_parse,
    load_manifest,
    warehouse_dbt_project,
    window_vars,
)
from orchestration.resources import TRANSIENT_DATABASE_RETRY, WarehouseDatabase, failure_unless_transient


def run_dbt_build(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    database: WarehouseDatabase,
    project: DbtProject,
    variables: Mapping[str, object] | None = None,
) -> Iterator[Any]:
    """`dbt build` of the selected nodes, streaming materializations (with row counts) and test results."""
    with dbt_connection(database.resolved_url(), project):
        invocation = dbt.cli(dbt_build_args(variables), context=context, raise_on_error=False)
        yield from invocation.stream().fetch_row_counts()
        error = invocation.get_error()
    if error is not None:
        raise failure_unless_transient(error, "dbt build failed")
    if not variables:
        keep_partial_parse(invocation.target_path, project)


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
    def dbt_warehouse(context: dg.AssetExecutionContext, dbt: DbtCliResource, database: WarehouseDatabase):
        yield from run_dbt_build(context, dbt, database, project)

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
    def dbt_daily_reporting(context: dg.AssetExecutionContext, dbt: DbtCliResource, database: WarehouseDatabase):
        window = context.partition_time_window
        yield from run_dbt_build(context, dbt, database, project, window_vars(window.start, window.end))

    return [dbt_warehouse, dbt_daily_reporting]


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=build_dbt_assets(warehouse_dbt_project()))
