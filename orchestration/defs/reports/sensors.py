"""Every minute: start a run of `scheduled_reports` when a schedule is due or a delivery waits (held for data, or
abandoned by a run that died)."""

from datetime import UTC, datetime

import dagster as dg

from orchestration.defs.reports.jobs import scheduled_reports
from orchestration.resources import WarehouseDatabase


@dg.sensor(
    job=scheduled_reports,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Sends scheduled email reports when one is due (each recipient once; see docs/reports.md).",
)
def scheduled_reports_due(context: dg.SensorEvaluationContext, database: WarehouseDatabase) -> dg.SensorResult:
    from readside.delivery import due_work

    at = datetime.now(UTC).replace(second=0, microsecond=0)
    schedules, deliveries = due_work(at, engine=database.engine())
    if not schedules and not deliveries:
        return dg.SensorResult(skip_reason=f"nothing due at {at:%Y-%m-%d %H:%M} UTC")
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=f"scheduled-reports-{at:%Y%m%dT%H%M}",
                run_config={"ops": {"send_due_reports": {"config": {"at": at.isoformat()}}}},
                tags={"reports/due_schedules": str(schedules), "reports/waiting_deliveries": str(deliveries)},
            )
        ]
    )
