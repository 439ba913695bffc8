"""Refresh the warehouse when the operational sources changed: their observed data versions moved."""

import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import dagster as dg

from oltp.models import metadata
from orchestration.defs.operational.assets import source_key
from orchestration.defs.warehouse.project import RECENT_DAYS, partition_range_tags, recent_partition_keys

REFRESH_JOB = "warehouse_refresh"


@dataclass(frozen=True)
class Observed:
    version: str
    run_id: str  # the run that observed it


def sources_to_refresh(
    previous: Mapping[str, str], current: Mapping[str, Observed], refreshed_runs: Collection[str]
) -> list[str]:
    """Sources whose data version moved since the last evaluation and that no warehouse refresh has seen yet.

    A refresh observes every source before it builds, so a version first recorded by a refresh run is already in the
    warehouse; one recorded by the observation schedule (or by hand) is not.
    """
    return sorted(
        name
        for name, seen in current.items()
        if previous.get(name) != seen.version and seen.run_id not in refreshed_runs
    )


def latest_observations(instance: dg.DagsterInstance) -> dict[str, Observed]:
    """Each operational table's latest observed data version (tables never observed are left out)."""
    latest = {}
    for table in metadata.sorted_tables:
        key = source_key(table.name)
        records = instance.fetch_observations(key, limit=1).records
        if records and records[0].asset_observation.data_version is not None:
            latest[key.to_user_string()] = Observed(records[0].asset_observation.data_version, records[0].run_id)
    return latest


@dg.sensor(
    job_name=REFRESH_JOB,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a warehouse refresh of the recent days when an operational table's data version changed.",
)
def refresh_when_sources_change(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    current = latest_observations(context.instance)
    previous = json.loads(context.cursor) if context.cursor else {}
    cursor = json.dumps({name: seen.version for name, seen in current.items()}, sort_keys=True)
    moved_runs = {seen.run_id for name, seen in current.items() if previous.get(name) != seen.version}
    refreshed = {run_id for run_id in moved_runs if _job_of(context.instance, run_id) == REFRESH_JOB}
    changed = sources_to_refresh(previous, current, refreshed)
    if not changed:
        return dg.SensorResult(skip_reason="no source changed that a refresh has not seen", cursor=cursor)
    first, last = recent_partition_keys(datetime.now(UTC), RECENT_DAYS)
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=f"sources-{hashlib.sha256(cursor.encode()).hexdigest()[:16]}",
                tags={**partition_range_tags(first, last), "warehouse/changed_sources": ",".join(changed)[:1000]},
            )
        ],
        cursor=cursor,
    )


def _job_of(instance: dg.DagsterInstance, run_id: str) -> str | None:
    run = instance.get_run_by_id(run_id)
    return run.job_name if run else None
