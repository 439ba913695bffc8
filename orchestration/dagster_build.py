"""`warehouse build`: materialise the Dagster graph in this process and summarise assets, checks and durations.

It runs the same job the schedules run (`warehouse_refresh`), for what changed since the warehouse was last built
(selection.py): the sources that moved, the blocking source checks that must run again, the dbt models and tests
whose inputs changed, the Great Expectations suites of the relations it rebuilt, in one run recorded in the Dagster
instance (`DAGSTER_HOME`), so the UI shows it like any other run. With nothing changed there is no run. The daily
reporting relations, when they run, rebuild the days whose inputs changed plus the partitions of the last ``days``
days; ``days=None`` rebuilds the whole graph and every day (one run still, but a materialisation event per day and
relation).
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from oltp.settings import get_settings
from orchestration.defs.warehouse.project import (
    PARTITIONS_START,
    RECENT_DAYS,
    partition_range_tags,
    recent_partition_keys,
)
from orchestration.serve import prepare_dagster_home

BUILD_JOB = "warehouse_refresh"
TRIGGER_TAG = "warehouse/trigger"


@dataclass(frozen=True)
class StepOutcome:
    step: str
    status: str  # succeeded, failed, skipped, not run (an upstream step failed)
    seconds: float


@dataclass(frozen=True)
class CheckOutcome:
    asset: str
    name: str
    passed: bool
    severity: str
    description: str | None


@dataclass
class BuildSummary:
    run_id: str
    success: bool
    first_day: str
    last_day: str
    seconds: float
    materialized: dict[str, float] = field(default_factory=dict)  # asset -> seconds dbt took (0 when unknown)
    partitions: int = 0
    observed: int = 0
    checks: list[CheckOutcome] = field(default_factory=list)
    steps: list[StepOutcome] = field(default_factory=list)
    failure: str | None = None
    log_path: Path | None = None  # dbt's output
    selected: str = "everything"  # what the run was asked to do, or why there was no run
    errors: list[str] = field(default_factory=list)  # the failed steps' errors

    @property
    def failed_checks(self) -> list[CheckOutcome]:
        return [check for check in self.checks if not check.passed]

    def materialized_by_layer(self) -> dict[str, int]:
        return dict(Counter(key.split("/")[0] for key in self.materialized))

    def render(self, console) -> None:
        from rich.table import Table

        status = "[green]succeeded[/green]" if self.success else "[red]failed[/red]"
        if not self.run_id:
            status = "[green]up to date[/green]"
        table = Table(title=f"warehouse build: {status}", show_header=False, title_justify="left")
        table.add_column(style="bold")
        table.add_column()
        table.add_row("run", self.run_id or "none")
        table.add_row("selected", self.selected)
        table.add_row("days", f"{self.first_day} to {self.last_day} ({self.partitions} daily partitions)")
        table.add_row("sources observed", str(self.observed))
        layers = ", ".join(f"{layer} {count}" for layer, count in sorted(self.materialized_by_layer().items()))
        table.add_row("assets materialised", f"{len(self.materialized)} ({layers})" if layers else "0")
        passed = sum(check.passed for check in self.checks)
        table.add_row("checks", f"{passed} passed, {len(self.failed_checks)} failed, of {len(self.checks)}")
        for check in self.failed_checks[:5]:
            table.add_row("[red]failed check[/red]", f"{check.asset} {check.name}: {check.description or ''}")
        slowest = sorted(self.materialized.items(), key=lambda item: item[1], reverse=True)[:5]
        if any(seconds for _, seconds in slowest):
            table.add_row("slowest models", ", ".join(f"{key} {seconds:.1f} s" for key, seconds in slowest if seconds))
        for step in self.steps:
            colour = {"succeeded": "green", "failed": "red"}.get(step.status, "yellow")
            duration = f" ({step.seconds:.1f} s)" if step.seconds else ""
            table.add_row("step", f"[{colour}]{step.status}[/{colour}] {step.step}{duration}")
        if self.failure:
            table.add_row("[red]failure[/red]", self.failure)
        for error in self.errors[:3]:
            table.add_row("[red]error[/red]", error)
        if self.log_path:
            table.add_row("dbt output", str(self.log_path))
        table.add_row("elapsed", f"{self.seconds:.1f} s")
        console.print(table)


def build_window(days: int | None, now: datetime | None = None) -> tuple[str, str]:
    """The (first, last) daily partitions a build covers: every partition, or the last ``days`` days."""
    now = now or datetime.now(UTC)
    if days is None:
        return PARTITIONS_START, recent_partition_keys(now, 1)[1]
    return recent_partition_keys(now, days)


def warehouse_instance() -> dg.DagsterInstance:
    """The Dagster instance in DAGSTER_HOME, the one `warehouse serve` shows."""
    return dg.DagsterInstance.from_config(str(prepare_dagster_home()))


def _summarise(events: list[dg.DagsterEvent], summary: BuildSummary) -> None:
    partitions: set[str] = set()
    for event in events:
        data = event.event_specific_data
        if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            materialization = data.materialization
            key = materialization.asset_key.to_user_string()
            duration = materialization.metadata.get("Execution Duration")
            summary.materialized[key] = float(duration.value) if duration is not None else 0.0
            if materialization.partition:
                partitions.add(materialization.partition)
        elif event.event_type == dg.DagsterEventType.ASSET_OBSERVATION:
            summary.observed += 1
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            summary.checks.append(
                CheckOutcome(
                    data.asset_key.to_user_string(), data.check_name, data.passed, data.severity.value, data.description
                )
            )
        elif event.event_type in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
            status = "succeeded" if event.event_type == dg.DagsterEventType.STEP_SUCCESS else "failed"
            if status == "failed" and data.error is not None:
                summary.errors.append(f"{event.step_key}: {data.error.message.strip().splitlines()[0]}")
            seconds = getattr(data, "duration_ms", None) or 0
            summary.steps.append(StepOutcome(event.step_key, status, seconds / 1000))
        elif event.event_type == dg.DagsterEventType.STEP_SKIPPED:
            summary.steps.append(StepOutcome(event.step_key, "skipped", 0.0))
    summary.partitions = len(partitions)


def _report_progress(instance: dg.DagsterInstance, run_id: str, progress: Callable[[str], None], stop: threading.Event):
    """Tell ``progress`` about steps as they start and end (reads the run's events while it runs)."""
    cursor = None
    materialized = 0
    while True:
        finished = stop.wait(1.0)
        result = instance.get_records_for_run(run_id=run_id, cursor=cursor, limit=1000)
        cursor = result.cursor
        for record in result.records:
            event = record.event_log_entry.dagster_event
            if event is None:
                continue
            if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
                materialized += 1
            elif event.event_type == dg.DagsterEventType.STEP_START:
                progress(f"{event.step_key}: started")
            elif event.event_type == dg.DagsterEventType.STEP_SUCCESS:
                progress(f"{event.step_key}: done ({materialized} materialisations so far)")
            elif event.event_type in (dg.DagsterEventType.STEP_FAILURE, dg.DagsterEventType.STEP_SKIPPED):
                progress(f"{event.step_key}: {event.event_type.value.lower().replace('step_', '')}")
        if finished and not result.has_more:
            return


class _ThreadStdout:
    """sys.stdout while a build runs: the progress thread writes to the terminal, everything else to the log file.

    dagster-dbt echoes every line dbt prints to stdout; in a terminal that would bury the progress and summary.
    """

    def __init__(self, terminal, log, progress_thread: threading.Thread | None) -> None:
        self.terminal, self.log, self.progress_thread = terminal, log, progress_thread

    def _target(self):
        return self.terminal if threading.current_thread() is self.progress_thread else self.log

    def write(self, text: str) -> int:
        return self._target().write(text)

    def flush(self) -> None:
        self._target().flush()

    def __getattr__(self, name: str):
        return getattr(self.terminal, name)


def build_warehouse(
    days: int | None = RECENT_DAYS,
    instance: dg.DagsterInstance | None = None,
    progress: Callable[[str], None] | None = None,
    definitions: dg.Definitions | None = None,
    log_level: str = "CRITICAL",
) -> BuildSummary:
    """Materialise what changed (everything with ``days=None``) in-process and return what was built, checked and
    how long it took.

    Never raises for a failed step or check: the summary says what failed (``success`` is False). ``definitions``
    defaults to the project's (loaded here, and only when there is something to run).
    """
    from oltp.database import database_url
    from orchestration.defs.warehouse.schedules import REFRESH_TAG
    from orchestration.defs.warehouse.selection import GX_CHECK, refresh_selection
    from orchestration.defs.warehouse.worker import warehouse_worker
    from orchestration.quality import SOURCE_SUITES

    started = time.monotonic()
    first, last = build_window(days)
    instance = instance or warehouse_instance()
    url = database_url()
    selection = None if days is None else refresh_selection(url)
    if selection is not None and selection.empty:
        return BuildSummary("", True, first, last, time.monotonic() - started, selected=selection.describe())
    # dbt's and Great Expectations' import, dbt's parse and the source suites overlap loading the definitions and
    # planning the run
    gate = [
        suite.name
        for suite in SOURCE_SUITES
        if selection is None or dg.AssetCheckKey(dg.AssetKey([suite.schema, suite.table]), GX_CHECK) in selection.checks
    ]
    warehouse_worker().prepare(url, validate_ahead=gate)
    if definitions is None:
        from orchestration.definitions import defs

        definitions = defs()
    job = definitions.resolve_job_def(BUILD_JOB)
    selected = "everything"
    if selection is not None:
        job = job.get_subset(asset_selection=set(selection.assets), asset_check_selection=set(selection.checks))
        selected = selection.describe()
    run_id = str(uuid.uuid4())
    log_path = get_settings().log_dir / f"warehouse-build-{run_id}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    reporter = None
    if progress is not None:
        reporter = threading.Thread(target=_report_progress, args=(instance, run_id, progress, stop), daemon=True)
    with open(log_path, "w") as log, contextlib.redirect_stdout(_ThreadStdout(sys.stdout, log, reporter)):
        if reporter is not None:
            reporter.start()
        try:
            result = job.execute_in_process(
                instance=instance,
                run_id=run_id,
                tags={**partition_range_tags(first, last), REFRESH_TAG: selected, TRIGGER_TAG: "warehouse build"},
                # Every event is in the instance (and the UI); the terminal shows the progress and the summary.
                run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
                raise_on_error=False,
            )
        finally:
            stop.set()
            if reporter is not None:
                reporter.join(timeout=30)
    summary = BuildSummary(
        run_id, result.success, first, last, time.monotonic() - started, log_path=log_path, selected=selected
    )
    _summarise(result.all_events, summary)
    reported = {step.step for step in summary.steps}
    unreported = sorted(set(job.graph.node_names()) - reported)
    summary.steps += [StepOutcome(node, "not run", 0.0) for node in unreported]
    if not result.success:
        failure = result.get_run_failure_event()
        summary.failure = failure.message if failure is not None else "the run did not succeed"
        if summary.errors:
            summary.failure += f" {summary.errors[0]}"
    return summary
