"""Jobs and schedules of the warehouse: every hour a refresh of what changed, every night the whole graph.

A refresh observes the sources that changed, runs the source quality gate where it must, rebuilds the dbt models and
tests whose inputs changed (the daily reporting relations for the run's range of days, on top of the days whose
inputs changed) and runs the checks of what it rebuilt, in one run; with nothing changed it does not start. The
nightly run rebuilds everything for the trailing month: values that move with the clock alone within a day (an open
ticket's business minutes) catch up, and so would anything a change detection missed.
"""

from datetime import UTC, datetime

import dagster as dg

from orchestration.defs.warehouse.project import (
    RECENT_DAYS,
    TRAILING_DAYS,
    partition_range_tags,
    recent_partition_keys,
)
from orchestration.defs.warehouse.selection import RefreshSelection, refresh_selection
from orchestration.resources import TRANSIENT_DATABASE_RETRY, WarehouseDatabase

REFRESH_TAG = "warehouse/refresh"

warehouse_refresh = dg.define_asset_job(
    "warehouse_refresh",
    selection=dg.AssetSelection.all(include_sources=True),
    description=(
        "The whole graph: observe the operational tables, run the blocking source checks, dbt build (daily reporting "
        "relations for the run's partition range), then the Great Expectations suites on the reporting relations. "
        "Schedules, the source sensor and `warehouse build` launch it for what changed only."
    ),
    op_retry_policy=TRANSIENT_DATABASE_RETRY,
)


def refresh_request(
    now: datetime, days: int, selection: RefreshSelection | None = None, run_key: str | None = None
) -> dg.RunRequest:
    """A run of `warehouse_refresh` for the ``days`` days ending ``now``: of ``selection``, or of the whole graph."""
    first, last = recent_partition_keys(now, days)
    tags = partition_range_tags(first, last)
    if selection is None:
        return dg.RunRequest(run_key=run_key, tags={**tags, REFRESH_TAG: "everything"})
    return dg.RunRequest(
        run_key=run_key,
        asset_selection=sorted(selection.assets, key=lambda key: key.to_user_string()),
        asset_check_keys=sorted(selection.checks, key=lambda key: (key.asset_key.to_user_string(), key.name)),
        tags={**tags, REFRESH_TAG: selection.describe()},
    )


@dg.schedule(
    job=warehouse_refresh,
    cron_schedule="5 * * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=f"Every hour: refresh what changed, the daily relations for the last {RECENT_DAYS} days.",
)
def hourly_refresh_recent_days(
    context: dg.ScheduleEvaluationContext, database: WarehouseDatabase
) -> dg.RunRequest | dg.SkipReason:
    selection = refresh_selection(database.resolved_url())
    if selection.empty:
        return dg.SkipReason(selection.describe())
    return refresh_request(context.scheduled_execution_time or datetime.now(UTC), RECENT_DAYS, selection)


@dg.schedule(
    job=warehouse_refresh,
    cron_schedule="30 2 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=f"Every night: rebuild everything, the daily relations for the trailing {TRAILING_DAYS} days.",
)
def nightly_refresh_trailing_days(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return refresh_request(context.scheduled_execution_time or datetime.now(UTC), TRAILING_DAYS)
