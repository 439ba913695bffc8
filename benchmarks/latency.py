"""Commit to visible: a row committed in `app` until a `reporting` relation shows it, the refresh started by the
Dagster sensor `refresh_when_sources_change` as shipped (every 60 s) and run by the Dagster daemon, as `warehouse
serve` and docker-compose run them (issue 19: <= 5 minutes).

1. A Dagster instance of its own, in a temporary DAGSTER_HOME (SQLite, as `warehouse serve` makes it locally), its
   storage created here before any other process opens it (two processes creating it at once can both stamp its
   schema version: "alembic_version has more than one head"). Every schedule and sensor of the code location is
   stopped in it but the refresh sensor, as a data engineer stops one in the UI: no hourly refresh, scheduled report
   or alert runs beside the one measured.
2. `dagster-daemon run -m orchestration.definitions` on the bench database. Its sensor's first tick must find
   nothing changed (the bench built the warehouse just before); a tick that starts a refresh is waited out.
3. Right after a tick that found nothing changed, one order is committed: for the first organization, dated today
   in its time zone, one line of one of its products at an amount of its own, for one of its customers, confirmed
   (a booked order). So the change waits for the next tick almost the whole interval: about the worst case.
4. `reporting.mv_daily_metrics` is read every second, as the owner, until that organization's day shows the order
   (one order and its amount more than before the commit); the run is then waited for to its end.
5. From the instance: when the tick that asked for the run started, when the run was created, started and ended,
   and what the sensor selected.

The daemon and everything it started are stopped in the end, whatever happened; nothing visible within the timeout
(or the sensor's run failing, or the daemon stopping) is a result, not an error: `visible` false and why.

Run by `warehouse bench` with DATABASE_URL set to the bench database; `python -m benchmarks.latency [TIMEOUT]`
prints JSON (timeout in seconds, 900 by default).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from oltp.settings import REPO_ROOT

SENSOR = "refresh_when_sources_change"
LOCATION = "orchestration.definitions"
TIMEOUT_SECONDS = 900.0  # from the commit on
SETUP_SECONDS = 600.0  # to start the daemon and see the sensor find nothing changed
AMOUNT = Decimal("1234.57")  # the order's one line, untaxed: its day's booked value grows by this much
ORDER_PREFIX = "BENCH-LATENCY-"


@dataclass(frozen=True)
class Probe:
    """The order committed, where it must show, and what that day showed before."""

    organization_id: int
    metric_date: date
    order_id: int
    order_number: str
    before: tuple[int, Decimal]  # (orders, booked_value) of the day before the commit
    committed_at: float  # epoch seconds, right after the commit returned

    @property
    def expected(self) -> tuple[int, Decimal]:
        return self.before[0] + 1, self.before[1] + AMOUNT


def _prepare_instance() -> tuple[Path, object]:
    """A temporary DAGSTER_HOME for this process and the daemon, with its instance storage created now."""
    home = Path(tempfile.mkdtemp(prefix="bench-dagster-"))
    os.environ["DAGSTER_HOME"] = str(home)
    os.environ.pop("DAGSTER_STORAGE_URL", None)  # never a deployment's shared storage: SQLite files in the home
    from orchestration.dagster_build import warehouse_instance

    return home, warehouse_instance()


def _only_the_refresh_sensor(instance) -> tuple[tuple[str, str], list[str]]:
    """Stop every schedule and sensor of the code location in ``instance`` but the refresh sensor, loading the code
    location as the daemon does (the same module and working directory give the same origins); the refresh sensor's
    (origin id, selector id) and what was stopped."""
    from dagster import __version__
    from dagster._cli.workspace.cli_target import get_repository_from_cli_opts
    from dagster_shared.cli import WorkspaceOpts

    options = WorkspaceOpts(module_name=(LOCATION,), working_directory=str(REPO_ROOT))
    stopped = []
    with get_repository_from_cli_opts(instance, __version__, options, None) as repository:
        for schedule in repository.get_schedules():
            instance.stop_schedule(schedule.get_remote_origin_id(), schedule.selector_id, schedule)
            stopped.append(schedule.name)
        sensor_ids = None
        for sensor in repository.get_sensors():
            if sensor.name == SENSOR:
                sensor_ids = (sensor.get_remote_origin_id(), sensor.selector_id)
                continue
            instance.stop_sensor(sensor.get_remote_origin_id(), sensor.selector_id, sensor)
            stopped.append(sensor.name)
    if sensor_ids is None:
        raise SystemExit(f"the code location {LOCATION} has no sensor {SENSOR}")
    return sensor_ids, sorted(stopped)


def _interruptible() -> None:
    """In the daemon before it starts: Ctrl-C stops it, even when this process was started with SIGINT ignored (as
    every background job of a non-interactive shell is), and on Linux it gets Ctrl-C when this process dies, even
    killed (as `warehouse bench` kills a step it is interrupted in): the daemon never outlives the measurement."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if sys.platform == "linux":
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGINT)  # PR_SET_PDEATHSIG


def _start_daemon(home: Path) -> subprocess.Popen:
    """`dagster-daemon run` in a session of its own (so that everything it starts is stopped with it)."""
    log = open(home / "daemon.log", "w")  # noqa: SIM115 - the daemon writes it; closed once the daemon is started
    try:
        return subprocess.Popen(
            [str(Path(sys.executable).parent / "dagster-daemon"), "run", "-m", LOCATION, "-d", str(REPO_ROOT)],
            cwd=REPO_ROOT,
            env=dict(os.environ),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_interruptible,
        )
    finally:
        log.close()


def _stop_daemon(process: subprocess.Popen, seconds: float = 60) -> None:
    """Ctrl-C to the daemon's session, then, after ``seconds`` or once it stopped, kill what is left of it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=seconds)
    with contextlib.suppress(ProcessLookupError):  # raised when the whole session has stopped
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _log_tail(home: Path, lines: int = 15) -> list[str]:
    """The daemon's last lines, without colours and without the warning every load of the code location repeats."""
    try:
        text = (home / "daemon.log").read_text(errors="replace")
    except OSError:
        return []
    kept = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in text.splitlines() if "code_location_name" not in line]
    return [line for line in kept if line.strip()][-lines:]


class NotVisible(Exception):
    """The measurement ended without the change visible (the reason is the message)."""


def _ticks(instance, sensor_ids: tuple[str, str], after: float | None = None) -> list:
    """The sensor's ticks, newest first."""
    return list(instance.get_ticks(*sensor_ids, after=after))


def _quiet_tick(instance, sensor_ids, daemon: subprocess.Popen, deadline: float):
    """Wait for a finished tick that found nothing changed and started no run; return it.

    A tick that starts a refresh (the warehouse was not current) is waited out: its run ends, and a later tick finds
    nothing changed (a tick skipped while that run is not finished does not count)."""
    import dagster as dg

    from orchestration.defs.warehouse.sensors import REFRESH_JOB, UNFINISHED

    unfinished = dg.RunsFilter(job_name=REFRESH_JOB, statuses=UNFINISHED)
    while time.monotonic() < deadline:
        if daemon.poll() is not None:
            raise NotVisible(f"the Dagster daemon stopped with code {daemon.returncode} before its first tick")
        ticks = _ticks(instance, sensor_ids)
        newest = ticks[0] if ticks else None
        if newest is not None and newest.status.value == "FAILURE":
            error = newest.error.message.strip().splitlines()[-1] if newest.error else "no error recorded"
            raise NotVisible(f"the sensor's tick failed: {error}")
        if (
            newest is not None
            and newest.status.value == "SKIPPED"
            and "not finished" not in (newest.skip_reason or "")
            and not instance.get_runs(filters=unfinished, limit=1)
        ):
            return newest
        time.sleep(0.2)
    raise NotVisible("the sensor never found the warehouse current (a tick that started no run) in time")


def commit_probe(url: str) -> Probe:
    """Commit one confirmed order of one line, dated today in its organization's time zone; what it must change."""
    import psycopg

    from oltp.database import libpq_url

    with psycopg.connect(libpq_url(url)) as conn:
        found = conn.execute(
            """select org.id, (now() at time zone org.timezone)::date, org.currency, customer.id, product.id,
                      product.name, product.standard_cost
               from app.organizations as org
               cross join lateral (
                   select id from app.customers
                   where organization_id = org.id and status = 'active' and deleted_at is null order by id limit 1
               ) as customer
               cross join lateral (
                   select id, name, standard_cost from app.products
                   where organization_id = org.id and status = 'active' and deleted_at is null order by id limit 1
               ) as product
               where org.deleted_at is null and org.status = 'active'
               order by org.id limit 1"""
        ).fetchone()
        if found is None:
            raise SystemExit("no active organization with an active customer and product to order from")
        organization_id, today, currency, customer_id, product_id, product_name, cost = found
        shown = conn.execute(
            "select orders, booked_value from reporting.mv_daily_metrics"
            " where organization_id = %s and metric_date = %s",
            (organization_id, today),
        ).fetchone()
        before = (int(shown[0]), Decimal(shown[1])) if shown else (0, Decimal("0.00"))
        number = f"{ORDER_PREFIX}{datetime.now(UTC):%Y%m%dT%H%M%S}"
        # Every column the change capture reads is set as a writer sets it: updated_at is the commit's now().
        order_id = conn.execute(
            """insert into app.orders (organization_id, order_number, customer_id, status, order_date, confirmed_at,
                   subtotal, discount_total, tax_total, shipping_total, total_amount, currency, payment_terms_days,
                   amount_paid, payment_status, notes, created_at, updated_at)
               values (%s, %s, %s, 'confirmed', %s, now(), %s, 0, 0, 0, %s, %s, 30, 0, 'not_invoiced',
                   'warehouse bench: commit to visible through the sensor', now(), now())
               returning id""",
            (organization_id, number, customer_id, today, AMOUNT, AMOUNT, currency),
        ).fetchone()[0]
        conn.execute(
            """insert into app.order_line_items (organization_id, order_id, line_number, product_id, description,
                   quantity, unit_price, unit_cost, discount_amount, tax_amount, line_total, created_at, updated_at)
               values (%s, %s, 1, %s, %s, 1, %s, %s, 0, 0, %s, now(), now())""",
            (organization_id, order_id, product_id, product_name, AMOUNT, cost, AMOUNT),
        )
        conn.commit()
        committed_at = time.time()
    return Probe(organization_id, today, order_id, number, before, committed_at)


def _shown(conn, probe: Probe) -> tuple[int, Decimal] | None:
    row = conn.execute(
        "select orders, booked_value from reporting.mv_daily_metrics where organization_id = %s and metric_date = %s",
        (probe.organization_id, probe.metric_date),
    ).fetchone()
    return (int(row[0]), Decimal(row[1])) if row else None


def _runs_since(instance, since: float) -> list:
    """Records of the refresh job's runs created since ``since`` (epoch seconds), oldest first."""
    import dagster as dg

    from orchestration.defs.warehouse.sensors import REFRESH_JOB

    created_after = datetime.fromtimestamp(since, UTC)
    records = instance.get_run_records(filters=dg.RunsFilter(job_name=REFRESH_JOB, created_after=created_after))
    return sorted(records, key=lambda record: record.create_timestamp)


def _wait_visible(url: str, instance, probe: Probe, daemon: subprocess.Popen, deadline: float) -> float:
    """Read the reporting relation every second until it shows the probe; the epoch seconds it first did."""
    import psycopg

    from oltp.database import libpq_url

    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        while True:
            if _shown(conn, probe) == probe.expected:
                return time.time()
            if daemon.poll() is not None:
                raise NotVisible(f"the Dagster daemon stopped with code {daemon.returncode}")
            for record in _runs_since(instance, probe.committed_at - 1):
                if record.dagster_run.is_finished and not record.dagster_run.is_success:
                    # the sensor asks once for the same stale state: nothing else will refresh it
                    raise NotVisible(
                        f"the sensor's run {record.dagster_run.run_id} ended {record.dagster_run.status.value}"
                    )
            if time.monotonic() >= deadline:
                shown = _shown(conn, probe)
                now = f"{shown[0]} orders, booked value {shown[1]}" if shown else "no row"
                expected = f"{probe.expected[0]}, {probe.expected[1]}"
                raise NotVisible(f"not visible within the timeout: the day shows {now} (expected {expected})")
            time.sleep(1)


def _wait_run_end(instance, run_id: str, daemon: subprocess.Popen, deadline: float):
    while time.monotonic() < deadline and daemon.poll() is None:
        record = instance.get_run_record_by_id(run_id)
        if record is not None and record.dagster_run.is_finished:
            return record
        time.sleep(0.5)
    return instance.get_run_record_by_id(run_id)


def measure(url: str, timeout: float = TIMEOUT_SECONDS, setup_timeout: float = SETUP_SECONDS) -> dict:
    """Commit to visible through the sensor on the warehouse at ``url`` (current: built just before), waiting
    ``timeout`` seconds from the commit at most, after at most ``setup_timeout`` to start the daemon and see the
    sensor find nothing changed."""
    started = time.monotonic()
    home, instance = _prepare_instance()
    daemon = probe = None
    result: dict = {"sensor": SENSOR, "timeout_seconds": timeout, "visible": False}
    try:
        sensor_ids, stopped = _only_the_refresh_sensor(instance)
        result["stopped_instigators"] = stopped
        daemon = _start_daemon(home)
        daemon_started = time.monotonic()
        result["daemon_pid"] = daemon.pid  # and its session's id: everything it started
        quiet = _quiet_tick(instance, sensor_ids, daemon, started + setup_timeout)
        result["daemon_to_quiet_tick_seconds"] = round(time.monotonic() - daemon_started, 1)
        result["quiet_tick_skip_reason"] = quiet.skip_reason
        # the ticks before it: a run each when the warehouse was not current
        earlier = [tick for tick in _ticks(instance, sensor_ids) if tick.tick_id != quiet.tick_id]
        result["ticks_before_quiet"] = [f"{tick.status.value} {len(tick.run_ids)} runs" for tick in reversed(earlier)]
        probe = commit_probe(url)
        deadline = time.monotonic() + timeout
        result.update(
            organization_id=probe.organization_id,
            metric_date=probe.metric_date.isoformat(),
            order_number=probe.order_number,
            amount=str(AMOUNT),
            before={"orders": probe.before[0], "booked_value": str(probe.before[1])},
            expected={"orders": probe.expected[0], "booked_value": str(probe.expected[1])},
            commit_after_quiet_tick_seconds=round(probe.committed_at - (quiet.end_timestamp or quiet.timestamp), 2),
        )
        visible_at = _wait_visible(url, instance, probe, daemon, deadline)
        result["visible"] = True
        result["commit_to_visible_seconds"] = round(visible_at - probe.committed_at, 1)
        runs = _runs_since(instance, probe.committed_at - 1)
        if runs:  # the run goes on after the relation is swapped in (its checks): waited for, not stopped half-way
            run = _wait_run_end(instance, runs[0].dagster_run.run_id, daemon, deadline)
            result.update(_timeline(instance, sensor_ids, probe, run, visible_at, len(runs)))
    except NotVisible as reason:
        result["reason"] = str(reason)
        result["daemon_log"] = _log_tail(home)
        if probe is not None:  # how long it waited in vain
            result["commit_to_visible_seconds"] = round(time.time() - probe.committed_at, 1)
    finally:
        if daemon is not None:
            _stop_daemon(daemon)
        instance.dispose()
        shutil.rmtree(home, ignore_errors=True)
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


def _timeline(instance, sensor_ids, probe: Probe, run, visible_at: float, runs: int) -> dict:
    """Where the seconds from commit to visible went, from the tick and run records."""
    from orchestration.defs.warehouse.schedules import REFRESH_TAG

    dagster_run = run.dagster_run
    created = run.create_timestamp.timestamp()
    tick = next((t for t in _ticks(instance, sensor_ids, after=probe.committed_at - 1)
                 if dagster_run.run_id in t.run_ids), None)  # fmt: skip
    timeline = {
        "run_id": dagster_run.run_id,
        "run_status": dagster_run.status.value,
        "runs_after_commit": runs,
        "launched_by": dagster_run.tags.get("dagster/sensor_name"),
        "selected": dagster_run.tags.get(REFRESH_TAG),
        "commit_to_run_created_seconds": round(created - probe.committed_at, 1),
    }
    if tick is not None:
        timeline["commit_to_tick_seconds"] = round(tick.timestamp - probe.committed_at, 1)
        if tick.end_timestamp:
            timeline["tick_seconds"] = round(tick.end_timestamp - tick.timestamp, 1)
    if run.start_time:
        timeline["commit_to_run_start_seconds"] = round(run.start_time - probe.committed_at, 1)
        timeline["run_start_to_visible_seconds"] = round(visible_at - run.start_time, 1)
        if run.end_time:
            timeline["run_seconds"] = round(run.end_time - run.start_time, 1)
    return timeline


if __name__ == "__main__":
    from oltp.database import database_url

    # terminated: the daemon is stopped on the way out, as on Ctrl-C
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    print(json.dumps(measure(database_url(), float(sys.argv[1]) if len(sys.argv) > 1 else TIMEOUT_SECONDS)))
