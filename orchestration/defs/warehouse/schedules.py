"""Jobs and schedules of the warehouse: the refresh of recent days every hour, the trailing 31 days every night.

A refresh observes the sources, runs the source quality gate, rebuilds every dbt model (the daily reporting
relations for the run's range of days, on top of the days whose inputs changed) and runs every check, in one run.
"""

from datetime import UTC, datetime

import dagster as dg

from orchestration.defs.warehouse.project import (
    RECENT_DAYS,
    TRAILING_DAYS,
    partition_range_tags,
    recent_partition_keys,
)
from orchestration.resources import TRANSIENT_DATABASE_RETRY

warehouse_refresh = dg.define_asset_job(
    "warehouse_refresh",
    selection=dg.AssetSelection.all(include_sources=True),
    description=(
        "The whole graph: observe the operational tables, run the blocking source checks, dbt build (daily reporting "
        "relations for the run's partition range), then the Great Expectations suites on the reporting relations."
    ),
    op_retry_policy=TRANSIENT_DATABASE_RETRY,
)


def refresh_request(context: dg.ScheduleEvaluationContext, days: int) -> dg.RunRequest:
    now = context.scheduled_execution_time or datetime.now(UTC)
    first, last = recent_partition_keys(now, days)
    return dg.RunRequest(tags=partition_range_tags(first, last))


@dg.schedule(
    job=warehouse_refresh,
    cron_schedule="5 * * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=f"Every hour: refresh the warehouse for the last {RECENT_DAYS} days.",
)
def hourly_refresh_recent_days(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return refresh_request(context, RECENT_DAYS)


@dg.schedule(
    job=warehouse_refresh,
    cron_schedule="30 2 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=f"Every night: re-run the trailing {TRAILING_DAYS} days, for changes that arrived late.",
)
def nightly_refresh_trailing_days(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return refresh_request(context, TRAILING_DAYS)
