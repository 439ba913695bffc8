"""Observe the operational tables every 15 minutes, so the warehouse sensor sees when a source changed."""

import dagster as dg

from orchestration.defs.operational.assets import OPERATIONAL_GROUP
from orchestration.resources import TRANSIENT_DATABASE_RETRY

observe_sources = dg.define_asset_job(
    "observe_sources",
    selection=dg.AssetSelection.groups(OPERATIONAL_GROUP, include_sources=True).without_checks(),
    description="Record each operational table's row count and max(updated_at) (its data version).",
    op_retry_policy=TRANSIENT_DATABASE_RETRY,
)

observe_sources_schedule = dg.ScheduleDefinition(
    name="observe_sources_every_15_minutes",
    job=observe_sources,
    cron_schedule="*/15 * * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
