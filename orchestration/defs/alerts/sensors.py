"""E-mail the data engineers (ALERT_EMAIL) when any run fails: which job, why, which steps and checks failed."""

from collections.abc import Sequence
from dataclasses import dataclass

import dagster as dg

from oltp.settings import get_settings
from orchestration.resources import SmtpResource


@dataclass(frozen=True)
class FailureReport:
    job_name: str
    run_id: str
    reason: str
    failed_steps: Sequence[str]
    failed_checks: Sequence[str]
    partition_range: str | None
    run_url: str


def failure_email(report: FailureReport) -> tuple[str, str]:
    """Subject and plain-text body of the alert for one failed run."""
    subject = f"[warehouse] run of {report.job_name} failed"
    if report.failed_checks:
        subject += f": {len(report.failed_checks)} check(s) failed"
    lines = [
        f"The Dagster run {report.run_id} of job {report.job_name} failed.",
        "",
        f"Reason: {report.reason}",
    ]
    if report.partition_range:
        lines.append(f"Days: {report.partition_range}")
    if report.failed_checks:
        lines += ["", "Failed checks:", *(f"  - {check}" for check in report.failed_checks)]
    if report.failed_steps:
        lines += ["", "Failed steps:", *(f"  - {step}" for step in report.failed_steps)]
    lines += ["", f"Run: {report.run_url}", "", "Downstream assets were not materialised; they keep their last data."]
    return subject, "\n".join(lines)


def failed_checks_of_run(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    records = instance.get_records_for_run(run_id=run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
    failed = []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        if not evaluation.passed:
            detail = f": {evaluation.description}" if evaluation.description else ""
            failed.append(f"{evaluation.asset_key.to_user_string()} {evaluation.check_name}{detail}")
    return failed


@dg.run_failure_sensor(
    name="email_on_run_failure",
    minimum_interval_seconds=15,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Sends ALERT_EMAIL an e-mail through the SMTP resource when a run fails.",
)
def email_on_run_failure(context: dg.RunFailureSensorContext, smtp: SmtpResource) -> None:
    run = context.dagster_run
    settings = get_settings()
    start = run.tags.get("dagster/asset_partition_range_start")
    end = run.tags.get("dagster/asset_partition_range_end")
    report = FailureReport(
        job_name=run.job_name,
        run_id=run.run_id,
        reason=context.failure_event.message or "unknown",
        failed_steps=sorted({event.step_key for event in context.get_step_failure_events() if event.step_key}),
        failed_checks=failed_checks_of_run(context.instance, run.run_id),
        partition_range=f"{start} to {end}" if start and end else run.tags.get("dagster/partition"),
        run_url=f"http://localhost:{settings.dagster_port}/runs/{run.run_id}",
    )
    subject, text = failure_email(report)
    smtp.send(settings.alert_email, subject, text)
