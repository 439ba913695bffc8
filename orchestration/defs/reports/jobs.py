"""The job that sends scheduled reports: everything due at the instant the sensor evaluated, each delivery listed in
the run's metadata."""

from datetime import datetime

import dagster as dg

from orchestration.resources import SmtpResource, WarehouseDatabase

SHOWN_DELIVERIES = 200  # rows of the deliveries table in a run's metadata


class DueReportsConfig(dg.Config):
    at: str  # the ISO instant the run sends as of


def smtp_settings(smtp: SmtpResource):
    """The delivery's SMTP settings from the resource, its unset fields from the environment."""
    from readside.delivery import SmtpSettings

    default = SmtpSettings.from_settings()
    return SmtpSettings(
        host=smtp.host or default.host,
        port=smtp.port or default.port,
        sender=smtp.sender or default.sender,
        user=smtp.user or default.user,
        password=smtp.password or default.password,
        timeout=smtp.timeout_seconds,
    )


def run_metadata(summary) -> dict:
    """Counts, timings and the deliveries of one run, as Dagster shows them."""
    rows = [
        f"| {o.delivery_id} | {o.schedule_id} | {o.recipient} | {o.scheduled_for:%Y-%m-%d %H:%M} UTC | {o.status} | "
        f"{(o.reason or '').replace('|', '/')[:160]} |"
        for o in summary.outcomes[:SHOWN_DELIVERIES]
    ]
    header = ["| delivery | schedule | recipient | occurrence | status | detail |", "|---|---|---|---|---|---|"]
    table = "\n".join([*header, *rows])
    return {
        "at": summary.at.isoformat(),
        "recorded": summary.planned,
        "sent": summary.sent,
        "failed": summary.failed,
        "skipped": summary.skipped,
        "held": summary.held,
        "owner_notices": summary.notices,
        "seconds": dg.MetadataValue.float(round(summary.seconds, 3)),
        "render_seconds_per_email": dg.MetadataValue.float(round(summary.render_seconds_per_email, 4)),
        "sends_per_second": dg.MetadataValue.float(round(summary.sends_per_second, 2)),
        "deliveries": dg.MetadataValue.md(table if rows else "nothing was sent or changed"),
    }


@dg.op(description="Send every scheduled report due at the configured instant, once per recipient.")
def send_due_reports(
    context: dg.OpExecutionContext, config: DueReportsConfig, database: WarehouseDatabase, smtp: SmtpResource
) -> dg.Output[int]:
    from readside.database import reader_engine
    from readside.delivery import run_due

    summary = run_due(
        datetime.fromisoformat(config.at),
        engine=database.engine(),
        reader=reader_engine(database.resolved_url()),
        smtp=smtp_settings(smtp),
    )
    context.log.info(summary.line())
    return dg.Output(summary.sent, metadata=run_metadata(summary))


@dg.job(description="Scheduled email reports due now: recorded, gated on fresh data, sent once per recipient.")
def scheduled_reports() -> None:
    send_due_reports()
