"""`warehouse bench`: every figure of docs/benchmarks.md measured in one run, on one database, against a baseline
measured in the same run.

1. generate the scale's data into a fresh database `bench_<scale>` (order lines/s, peak memory); with
   `--generate-only` (database `bench_<scale>_gen`) the run stops here; otherwise the same rows are then COPYed
   into bare tables, the most PostgreSQL alone can load on this machine (the generator's ceiling); with
   `--database` the run measures the data a `--generate-only --keep` run left instead, without the ceiling (the full
   `large` and its warehouse fit on this machine's disk, a second copy of its rows does not), and with
   `--empty-unread-tables` it first empties the `app` tables no dbt model, quality suite or baseline reads; that
   database is kept afterwards (drop it yourself);
2. full rebuild (`warehouse build --full-refresh`: dbt build of every node and test), and the disk each layer
   then takes;
3. `mv_daily_metrics` and everything under it rebuilt by dbt, against one hand-written SQL aggregate over the same
   `app` tables giving the same numbers (benchmarks/direct.py; the run checks they agree); `--no-chain` skips it
   (the rebuild keeps a second copy of each table it replaces until it is swapped in);
4. one simulated day, then the incremental refresh (dbt build); unless `--no-dagster`, another simulated day and
   the same refresh as the Dagster job (`warehouse build`, against dbt alone's), then the Dagster job again with
   no source changed since (it should start no run); then one order committed in `app` until `mv_daily_metrics`
   shows it, the refresh started by the Dagster sensor as shipped and run by the Dagster daemon
   (benchmarks/latency.py);
5. dashboard queries (one organization, its last 90 days, each reporting relation, under row-level security as a
   dashboard role) repeated for p50/p95, against the same numbers computed from the `app` tables directly;
6. every dashboard page run through AppTest as a signed-in analyst, cold (caches cleared), and a custom report over
   two years by month, repeated for p50/p95 (benchmarks/pages.py);
7. 1,000 scheduled reports due in the same minute (20 at `tiny`), sent by the sensor's `run_due` on four workers to
   a local SMTP server: all sent within 5 minutes, each once, memory flat (benchmarks/deliveries.py);
8. unless `--no-dagster` (or `--orgs`, `--database`), the main job `warehouse run` as on a fresh clone after install
   (a fresh database and WAREHOUSE_HOME, the dbt project never parsed for it), against generate + full rebuild.

Subprocess steps run under GNU time for their peak memory. Ratios are what to compare across runs.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import psycopg

from benchmarks.direct import DIRECT, SESSION_SETTINGS
from benchmarks.generator import (
    bench_generate,
    copy_ceiling,
    drop_database,
    fresh_database,
    maintenance_url,
    sibling_url,
)
from benchmarks.harness import BenchResult, StepResult, machine, now_iso, python_module, save, timed, warehouse
from oltp.database import libpq_url
from oltp.errors import WarehouseError

DASHBOARD_ROLE = "bench_dashboard_reader"
WINDOW_DAYS = 90


def disk_megabytes(url: str) -> dict[str, int]:
    """Disk taken by the operational data and by each layer of the warehouse (tables, indexes and TOAST), in MB:
    what the full rebuild adds to the data."""
    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(
            """select case when class.relname = 'int_slice_ledger' then 'slice_ledger' else namespace.nspname end,
                      sum(pg_total_relation_size(class.oid))
               from pg_class as class
               inner join pg_namespace as namespace on namespace.oid = class.relnamespace
               where class.relkind in ('r', 'm', 'p')
                   and namespace.nspname in ('app', 'marts', 'reporting', 'snapshots')
               group by 1"""
        ).fetchall()
    sizes = {name: int(size) for name, size in rows}
    order = ("app", "marts", "slice_ledger", "reporting", "snapshots")
    return {f"{name}_mb": round(sizes.get(name, 0) / 2**20) for name in order}


@dataclass(frozen=True)
class Plan:
    scale: str
    organizations: int | None = None
    repeat: int = 50  # dashboard query repetitions (the direct computations run a fifth as often, at least 3)
    dagster: bool = True  # also time the refresh as the Dagster job `warehouse build` runs it
    keep: bool = False  # keep the bench database afterwards
    results_dir: Path | None = None
    generate_only: bool = False  # measure the generator alone (the full `large` fits on disk only without a warehouse)
    database: str | None = None  # measure on this bench database, kept by an earlier --generate-only --keep run
    chain: bool = True  # compare the mv_daily_metrics chain with the hand-written aggregate
    empty_unread: bool = False  # with database: empty the `app` tables neither the warehouse nor a baseline reads


MODELS_DIR = Path(__file__).resolve().parents[1] / "dbt" / "models"


# Sign-in reads these through app.reader_identity (migration 0006): the dashboards' step signs in.
SIGN_IN_TABLES = {"organizations", "users", "user_roles", "roles", "role_permissions", "permissions"}


def tables_read() -> set[str]:
    """The `app` tables the warehouse reads: its dbt models' sources, the Great Expectations suites' tables (the
    Dagster job checks them), those the bench's baselines read, and those the read side (the dashboards' step)
    reads."""
    import benchmarks.direct as direct

    sources = re.compile(r"source\(\s*'app'\s*,\s*'(\w+)'\s*\)")
    found = {name for path in MODELS_DIR.rglob("*.sql") for name in sources.findall(path.read_text())}
    found |= set(
        re.findall(r'APP_SCHEMA,\s*"(\w+)"', (MODELS_DIR.parents[1] / "orchestration" / "quality.py").read_text())
    )
    texts = [value for value in vars(direct).values() if isinstance(value, str)]
    texts += [path.read_text() for path in (MODELS_DIR.parents[1] / "readside").glob("*.py")]
    return found | SIGN_IN_TABLES | {name for text in texts for name in re.findall(r"\bapp\.(\w+)", text)}


def empty_unread_tables(target: str) -> dict:
    """Empty (TRUNCATE) the `app` tables nothing measured reads, so the warehouse fits beside the data on a small
    disk; a table another kept table references is kept. The warehouse reads the same rows as before."""
    read = tables_read()
    with psycopg.connect(libpq_url(target), autocommit=True) as conn:
        sizes = dict(conn.execute(
            "select relname, pg_total_relation_size(oid) from pg_class"
            " where relnamespace = 'app'::regnamespace and relkind = 'r'"
        ).fetchall())  # fmt: skip
        references = conn.execute(
            "select referencing.relname, referenced.relname from pg_constraint as constraints"
            " inner join pg_class as referencing on referencing.oid = constraints.conrelid"
            " inner join pg_class as referenced on referenced.oid = constraints.confrelid"
            " where constraints.contype = 'f' and referenced.relnamespace = 'app'::regnamespace"
        ).fetchall()
        emptied = set(sizes) - read
        while True:  # a table referenced by a kept one must stay, and then what it references too
            kept = {referenced for referencing, referenced in references if referencing not in emptied}
            if not emptied & kept:
                break
            emptied -= kept
        if emptied:
            conn.execute("truncate " + ", ".join(f"app.{name}" for name in sorted(emptied)))
    return {
        "unread_tables_emptied": len(emptied),
        "unread_gb_emptied": round(sum(sizes[name] for name in emptied) / 1024**3, 2),
    }


def existing_data(url: str, scale: str, database: str, result: BenchResult, empty_unread: bool = False) -> str:
    """The URL of ``database``, a bench database next to ``url``'s holding generated data; its size is recorded as
    the run's first step (after emptying the tables nothing measured reads, with ``empty_unread``)."""
    if not database.startswith("bench_"):
        raise WarehouseError(f"--database {database!r}: only a bench database (bench_...) kept by --keep is measured")
    if database not in (f"bench_{scale}", f"bench_{scale}_gen"):
        raise WarehouseError(f"--database {database!r} was not kept by a --scale {scale} run (bench_{scale}_gen)")
    with psycopg.connect(maintenance_url(url)) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (database,)).fetchone():
            raise WarehouseError(f"--database {database!r} does not exist: keep one with --generate-only --keep")
    target = sibling_url(url, database)
    started = time.perf_counter()
    try:
        emptied = empty_unread_tables(target) if empty_unread else {}
        with psycopg.connect(libpq_url(target)) as conn:
            organizations, lines, size = conn.execute(
                "select (select count(*) from app.organizations), (select count(*) from app.order_line_items),"
                " pg_database_size(current_database())"
            ).fetchone()
    except psycopg.Error as error:
        message = str(error).strip().splitlines()[0]
        raise WarehouseError(f"--database {database!r} cannot be measured: {message}") from None
    if not lines:
        raise WarehouseError(f"--database {database!r} holds no order lines: generate it with --generate-only --keep")
    detail = {"organizations": organizations, "order_lines": lines, **emptied, "database_gb": round(size / 1024**3, 2)}
    result.steps.append(StepResult("data kept by a --generate-only run", time.perf_counter() - started, None, detail))
    return target


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _timings(conn, sql: str, params: dict, repeat: int) -> tuple[list[float], list[tuple]]:
    """Run ``sql`` once to warm the cache, then ``repeat`` times; milliseconds per run and the rows."""
    rows = conn.execute(sql, params).fetchall()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        rows = conn.execute(sql, params).fetchall()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, rows


def handwritten_daily_metrics(target: str) -> tuple[float, int, int]:
    """Build the hand-written aggregate as a table; seconds, its rows, and rows that differ from the warehouse's."""
    sql = DIRECT["mv_daily_metrics"]
    with psycopg.connect(libpq_url(target), autocommit=True) as conn:
        conn.execute("create schema if not exists bench_baseline")
        conn.execute("drop table if exists bench_baseline.daily_metrics")
        for setting in SESSION_SETTINGS:
            conn.execute(setting)
        started = time.perf_counter()
        conn.execute(f"create table bench_baseline.daily_metrics as {sql}", {"org": None, "first": None, "last": None})
        seconds = time.perf_counter() - started
        rows = conn.execute("select count(*) from bench_baseline.daily_metrics").fetchone()[0]
        differing = conn.execute(
            "select (select count(*) from (select * from bench_baseline.daily_metrics"
            "  except all select * from reporting.mv_daily_metrics) a)"
            " + (select count(*) from (select * from reporting.mv_daily_metrics"
            "  except all select * from bench_baseline.daily_metrics) b)"
        ).fetchone()[0]
        conn.execute("drop schema bench_baseline cascade")
    return seconds, rows, differing


def dashboard_queries(target: str, repeat: int, tick: Callable[[str], None] = lambda _: None) -> list[dict]:
    """p50/p95 of each dashboard query and of the direct computation of the same numbers, for the organization with
    the most orders and its last 90 days."""
    with psycopg.connect(libpq_url(target), autocommit=True) as conn:
        organization, last_day = conn.execute(
            "select s.organization_id, s.as_of_date from reporting.mv_current_state as s"
            " order by (select count(*) from app.orders as o where o.organization_id = s.organization_id) desc,"
            " s.organization_id limit 1"
        ).fetchone()
        first_day = last_day - timedelta(days=WINDOW_DAYS - 1)
        conn.execute(f"drop role if exists {DASHBOARD_ROLE}")
        conn.execute(f"create role {DASHBOARD_ROLE} nologin")
        conn.execute(f"grant usage on schema reporting to {DASHBOARD_ROLE}")
        conn.execute(f"grant select on all tables in schema reporting to {DASHBOARD_ROLE}")
        params = {"org": organization, "first": first_day, "last": last_day}
        measured = []
        try:
            for relation, direct_sql in DIRECT.items():
                # the direct query's columns: the relation's, less mv_current_state's build instant as_of_at
                shown = [c.name for c in conn.execute(f"{direct_sql} limit 0", params).description]
                window = "" if relation == "mv_current_state" else " and metric_date between %(first)s and %(last)s"
                dashboard_sql = (
                    f"select {', '.join(shown)} from reporting.{relation}"
                    f" where organization_id = %(org)s{window} order by {', '.join(shown[:3])}"
                )
                order = ", ".join(shown[:3])
                direct_sql_ordered = f"select {', '.join(shown)} from ({direct_sql}) as direct order by {order}"
                tick(f"dashboard query: {relation}")
                conn.execute(f"set role {DASHBOARD_ROLE}")
                conn.execute("select set_config('app.organization_id', %s, false)", (str(organization),))
                dashboard_ms, dashboard_rows = _timings(conn, dashboard_sql, params, repeat)
                conn.execute("reset role")
                tick(f"direct computation: {relation}")
                for setting in SESSION_SETTINGS:
                    conn.execute(setting)
                direct_ms, direct_rows = _timings(conn, direct_sql_ordered, params, max(3, repeat // 5))
                conn.execute("reset enable_nestloop")
                differing = {
                    shown[i]
                    for left, right in zip(dashboard_rows, direct_rows, strict=False)
                    for i, (a, b) in enumerate(zip(left, right, strict=True))
                    if a != b
                }
                p50, direct_p50 = statistics.median(dashboard_ms), statistics.median(direct_ms)
                measured.append({
                    "relation": relation,
                    "rows": len(dashboard_rows),
                    "p50_ms": round(p50, 2),
                    "p95_ms": round(_quantile(dashboard_ms, 0.95), 2),
                    "direct_p50_ms": round(direct_p50, 2),
                    "direct_p95_ms": round(_quantile(direct_ms, 0.95), 2),
                    "speedup": round(direct_p50 / p50, 1),
                    "same_numbers": len(dashboard_rows) == len(direct_rows) and not differing,
                    "differing_columns": sorted(differing),
                })  # fmt: skip
        finally:
            conn.execute("reset role")
            conn.execute(f"drop owned by {DASHBOARD_ROLE}")
            conn.execute(f"drop role if exists {DASHBOARD_ROLE}")
    return measured


ANOTHER_DAY = "simulate another day"
THIRD_DAY = "simulate a third day"
CHANGED = "refresh of what changed (Dagster job)"
NO_CHANGE = "refresh with no source change (Dagster job)"
MAIN_JOB = "warehouse run (main job)"
COMMIT_TO_VISIBLE = "a committed order visible in reporting (Dagster sensor)"
DELIVERIES = {"tiny": 20, "demo": 1000, "large": 1000}  # scheduled reports due in one minute
SELECTED = re.compile(r"selected\s*│\s*(.+?)\s*│")


def selected_step(name: str, env: dict[str, str], progress: Callable[[str], None]) -> StepResult:
    """`warehouse build` as a step, with what it selected in its detail (the summary's line)."""
    progress(name)
    measured, output = timed(name, warehouse("build"), env)
    selected = SELECTED.search(output)
    measured.detail["selected"] = selected.group(1) if selected else "not shown"
    return measured


def main_job(url: str, scale: str) -> StepResult:
    """`warehouse run --scale <scale>` as on a fresh clone after install: a new database, a new WAREHOUSE_HOME (no
    Dagster instance) and a dbt project never parsed for it; the database is dropped afterwards."""
    from oltp.reader import reader_password
    from orchestration.dbt_runner import DBT_PROJECT_DIR
    from orchestration.defs.warehouse.project import DAGSTER_TARGET_PATH

    database = f"bench_{scale}_run"
    target = fresh_database(url, database)
    parsed = DBT_PROJECT_DIR / DAGSTER_TARGET_PATH / database
    try:
        shutil.rmtree(parsed, ignore_errors=True)
        with tempfile.TemporaryDirectory(prefix="bench-home-") as home:
            # The reader role belongs to the whole server: a new WAREHOUSE_HOME would give it a new password, and
            # every other database's dashboards (this run's next steps, the user's own warehouse) could not sign in.
            env = {"DATABASE_URL": target, "WAREHOUSE_HOME": home, "DAGSTER_HOME": str(Path(home) / "dagster"),
                   "WAREHOUSE_READER_PASSWORD": reader_password()}  # fmt: skip
            measured, output = timed(MAIN_JOB, warehouse("run", "--scale", scale), env)
        organizations = re.search(r"organizations\s*│\s*(\d+)", output)
        assets = re.search(r"Dagster run \w+: (\d+) assets, (\d+)/(\d+) checks", output)
        if organizations:
            measured.detail["organizations"] = int(organizations.group(1))
        if assets:
            measured.detail.update(assets=int(assets.group(1)), checks=int(assets.group(3)))
        return measured
    finally:
        drop_database(url, target)
        shutil.rmtree(parsed, ignore_errors=True)


# what the step's detail shows of benchmarks.latency's answer, in this order: where the seconds went
LATENCY_DETAIL = (
    "organization_id", "metric_date", "daemon_to_quiet_tick_seconds", "commit_after_quiet_tick_seconds",
    "commit_to_tick_seconds", "tick_seconds", "commit_to_run_created_seconds", "commit_to_run_start_seconds",
    "run_seconds", "run_start_to_visible_seconds", "commit_to_visible_seconds", "run_status", "launched_by", "selected",
)  # fmt: skip


def commit_to_visible(result: BenchResult, env: dict[str, str], progress: Callable[[str], None]) -> None:
    """One order committed in `app` until `reporting.mv_daily_metrics` shows it, the refresh started by the sensor
    `refresh_when_sources_change` in a Dagster daemon of its own (latency.py); the seconds from commit to visible,
    to the run's start, and the run's."""
    progress(COMMIT_TO_VISIBLE)
    measured, output = timed(COMMIT_TO_VISIBLE, python_module("benchmarks.latency"), env)
    found = json.loads(output.strip().splitlines()[-1])
    measured.detail["visible"] = "yes" if found["visible"] else f"no: {found['reason']}"
    if "expected" in found:  # the order was committed: what its day showed before, and must show
        before, expected = found["before"], found["expected"]
        measured.detail["orders"] = f"{before['orders']} -> {expected['orders']}"
        measured.detail["booked_value"] = f"{before['booked_value']} -> {expected['booked_value']}"
    measured.detail.update({key: found[key] for key in LATENCY_DETAIL if key in found})
    result.steps.append(measured)
    # the seconds only when it was visible; not visible within the timeout (or the run failed) counts against it
    if found["visible"]:
        result.figures["commit_to_visible_seconds"] = found["commit_to_visible_seconds"]
    result.figures["commit_not_visible"] = 0 if found["visible"] else 1
    if found["visible"] and "commit_to_run_start_seconds" in found:
        result.figures["commit_to_run_start_seconds"] = found["commit_to_run_start_seconds"]
    if found["visible"] and "run_seconds" in found:
        result.figures["sensor_run_seconds"] = found["run_seconds"]


def scheduled_reports(scale: str, result: BenchResult, env: dict[str, str], progress: Callable[[str], None]) -> None:
    """DELIVERIES[scale] scheduled reports due in the same minute, sent to a local SMTP server (deliveries.py)."""
    count = DELIVERIES.get(scale, DELIVERIES["demo"])
    name = f"{count:,} scheduled reports due in one minute"
    progress(name)
    measured, output = timed(name, python_module("benchmarks.deliveries", str(count)), env)
    sent = json.loads(output.strip().splitlines()[-1])
    received = sent["received"]
    measured.detail.update(
        organizations=sent["organizations"],
        workers=sent["workers"],
        sent=sent["sent"],
        failed=sent["failed"],
        held=sent["held"],
        messages_received=received.get("messages", 0),
        distinct_message_ids=received.get("message_ids", 0),
        mb_received=round(received.get("bytes", 0) / 2**20, 1),
        run_seconds=sent["seconds"],
        render_ms_per_email=sent["render_ms_per_email"],
        sends_per_second=sent["sends_per_second"],
        mb_after_a_tenth=sent["memory"].get("after_10pct_mb"),
        mb_after_all=sent["memory"].get("after_all_mb"),
        freshness=sent["freshness"],
    )
    result.steps.append(measured)
    result.deliveries = sent
    result.figures["deliveries_seconds"] = sent["seconds"]
    # every delivery accepted by the server once: not sent, or a Message-ID received twice, counts against it
    result.figures["deliveries_not_sent_once"] = (
        (count - sent["sent"])
        + (received.get("messages", 0) - received.get("message_ids", 0))
        + abs(count - received.get("message_ids", 0))
    )
    result.figures["delivery_render_ms"] = sent["render_ms_per_email"]
    result.figures["delivery_sends_per_second"] = sent["sends_per_second"]


def run(url: str, plan: Plan, progress: Callable[[str], None] = lambda _: None) -> tuple[BenchResult, Path]:
    """Measure everything for ``plan`` on a fresh database next to ``url``'s; save and return the result."""
    result = BenchResult(scale=plan.scale, started_at=now_iso(), machine=machine())
    env: dict[str, str] = {}

    def step(name: str, command: list[str]) -> StepResult:
        progress(name)
        measured, _ = timed(name, command, env)
        result.steps.append(measured)
        return measured

    if plan.database:
        progress("data kept by a --generate-only run")
        target = existing_data(url, plan.scale, plan.database, result, plan.empty_unread)
    else:
        progress("generate")
        # A generator-only run has a database of its own, so it never replaces a kept full run's.
        database = f"bench_{plan.scale}_gen" if plan.generate_only else f"bench_{plan.scale}"
        target = bench_generate(url, plan.scale, result, plan.organizations, database)
    env["DATABASE_URL"] = target
    try:
        if plan.generate_only:
            return result, save(result, plan.results_dir)
        if not plan.database:
            progress("COPY the same rows into bare tables (the generator's ceiling)")
            with tempfile.TemporaryDirectory(prefix="bench-ceiling-") as scratch:
                copy_ceiling(target, result, Path(scratch))
        full = step("full rebuild", warehouse("build", "--full-refresh"))
        full.detail.update(disk_megabytes(target))

        if plan.chain:
            chain = step(
                "dbt: mv_daily_metrics and its inputs",
                python_module("orchestration.dbt_runner", "run", "--select", "+mv_daily_metrics", "--full-refresh"),
            )
            progress("hand-written aggregate")
            seconds, rows, differing = handwritten_daily_metrics(target)
            result.steps.append(
                StepResult("hand-written mv_daily_metrics", seconds, None, {"rows": rows, "rows_differing": differing})
            )
            result.figures["metrics_over_handwritten"] = round(chain.seconds / seconds, 2)

        step("simulate 1 day", warehouse("simulate", "--days", "1"))
        incremental = step("incremental refresh", python_module("orchestration.dbt_runner", "build"))
        result.figures["incremental_over_full"] = round(incremental.seconds / full.seconds, 3)
        if plan.dagster:
            # the Dagster job refreshes a simulated day of its own, so that it does the work dbt alone did; this
            # database was built by dbt alone, so it runs every node, as dbt alone does
            step(ANOTHER_DAY, warehouse("simulate", "--days", "1"))
            dagster = step("incremental refresh (Dagster job)", warehouse("build"))
            result.figures["dagster_refresh_over_full"] = round(dagster.seconds / full.seconds, 3)
            result.figures["dagster_refresh_over_dbt_refresh"] = round(dagster.seconds / incremental.seconds, 3)
            # then as it refreshes once it has built the warehouse: what the day's changes reach
            step(THIRD_DAY, warehouse("simulate", "--days", "1"))
            changed = selected_step(CHANGED, env, progress)
            result.steps.append(changed)
            result.figures["changed_refresh_over_dbt_refresh"] = round(changed.seconds / incremental.seconds, 3)
            unchanged = selected_step(NO_CHANGE, env, progress)
            result.steps.append(unchanged)
            result.figures["no_change_refresh_seconds"] = round(unchanged.seconds, 1)
            result.figures["no_change_refresh_over_dbt_refresh"] = round(unchanged.seconds / incremental.seconds, 3)
            # the warehouse is current: a row committed now waits for the sensor alone
            commit_to_visible(result, env, progress)

        result.queries = dashboard_queries(target, plan.repeat, progress)
        result.figures["dashboard_p95_ms"] = max(q["p95_ms"] for q in result.queries)
        result.figures["direct_over_dashboard"] = min(q["speedup"] for q in result.queries)

        progress("dashboard pages through AppTest")
        pages, output = timed("dashboard pages", python_module("benchmarks.pages", str(max(5, min(plan.repeat, 20)))),
                              env)  # fmt: skip
        result.steps.append(pages)
        result.pages = json.loads(output.strip().splitlines()[-1])
        result.figures["page_p95_ms"] = max(page["p95_ms"] for page in result.pages["pages"])
        result.figures["custom_report_p95_ms"] = result.pages["custom_report"]["p95_ms"]

        scheduled_reports(plan.scale, result, env, progress)

        if plan.dagster and not plan.database and plan.organizations is None:
            progress(MAIN_JOB)
            main = main_job(url, plan.scale)
            result.steps.append(main)
            baseline = result.step("generate").seconds + full.seconds
            result.figures["main_job_seconds"] = round(main.seconds, 1)
            result.figures["main_job_over_generate_and_full_rebuild"] = round(main.seconds / baseline, 2)
    finally:
        # a database given with --database holds data that took long to generate: it is never dropped here
        if not plan.keep and not plan.database:
            progress("dropping the bench database")
            drop_database(url, target)
    return result, save(result, plan.results_dir)
