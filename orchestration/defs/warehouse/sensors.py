"""Refresh the warehouse within a minute of a change to what it is built from (changes.py)."""

import hashlib
from datetime import UTC, datetime

import dagster as dg

from orchestration.defs.warehouse.project import RECENT_DAYS
from orchestration.defs.warehouse.schedules import refresh_request
from orchestration.defs.warehouse.selection import RefreshSelection, refresh_selection
from orchestration.resources import WarehouseDatabase

REFRESH_JOB = "warehouse_refresh"
UNFINISHED = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]


def plan_key(selection: RefreshSelection) -> str:
    """The same stale state asks for one run: a run that failed is not asked again until something changes."""
    plan = selection.plan
    nodes = sorted(plan.run | plan.tests)
    digest = hashlib.sha256("\n".join(f"{uid}={plan.fingerprints.get(uid, '')}" for uid in nodes).encode())
    return f"changes-{digest.hexdigest()[:16]}"


@dg.sensor(
    job_name=REFRESH_JOB,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a refresh of what changed when a source or the business date moved since the last build.",
)
def refresh_when_sources_change(
    context: dg.SensorEvaluationContext, database: WarehouseDatabase
) -> dg.SensorResult | dg.SkipReason:
    running = context.instance.get_runs(filters=dg.RunsFilter(job_name=REFRESH_JOB, statuses=UNFINISHED), limit=1)
    if running:
        return dg.SkipReason(f"refresh {running[0].run_id[:8]} is not finished; what it misses is seen after it")
    selection = refresh_selection(database.resolved_url())
    if selection.empty:
        return dg.SkipReason(selection.describe())
    return dg.SensorResult(
        run_requests=[refresh_request(datetime.now(UTC), RECENT_DAYS, selection, run_key=plan_key(selection))]
    )
