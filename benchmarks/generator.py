"""Generator throughput and peak memory: `warehouse generate` on a fresh database, under GNU time."""

from __future__ import annotations

import functools
import os
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

from benchmarks.harness import BenchmarkError, BenchResult, StepResult, timed, warehouse
from oltp import migrate
from oltp.database import libpq_url, parse_database_url
from oltp.schemas import APP_SCHEMA, app_tables


def sibling_url(url: str, name: str) -> str:
    """The URL of database ``name`` on ``url``'s server, with ``url``'s credentials."""
    return parse_database_url(url).set(database=name).render_as_string(hide_password=False)


def maintenance_url(url: str) -> str:
    return libpq_url(sibling_url(url, "postgres"))


def fresh_database(url: str, name: str) -> str:
    """Create (or recreate) database ``name`` next to ``url``'s and migrate it; return its URL."""
    with psycopg.connect(maintenance_url(url), autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')
    target = sibling_url(url, name)
    migrate.upgrade(target)
    return target


def drop_database(url: str, target: str) -> None:
    """Drop the database ``target`` names (a bench database next to ``url``'s)."""
    name = parse_database_url(target).database
    with psycopg.connect(maintenance_url(url), autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')


def table_rows(url: str) -> dict[str, int]:
    with psycopg.connect(libpq_url(url)) as conn:
        return {name: conn.execute(f"select count(*) from app.{name}").fetchone()[0] for name in app_tables(conn)}


def bench_generate(
    url: str, scale: str, result: BenchResult, organizations: int | None = None, database: str | None = None
) -> str:
    """Generate ``scale`` into a fresh database (``bench_<scale>`` unless named); record seconds, peak RSS, rows/s,
    order lines/s and the database's size."""
    target = fresh_database(url, database or f"bench_{scale}")
    args = ["generate", "--scale", scale, "--seed", "1"] + (["--orgs", str(organizations)] if organizations else [])
    wal_before = _wal_position(target)
    step, _ = timed("generate", warehouse(*args), {"DATABASE_URL": target})
    rows = table_rows(target)
    lines = rows["order_line_items"]
    with psycopg.connect(libpq_url(target)) as conn:
        size = conn.execute("select pg_database_size(current_database())").fetchone()[0]
        wal = conn.execute("select pg_wal_lsn_diff(pg_current_wal_lsn(), %s)::bigint", (wal_before,)).fetchone()[0]
        wal_level = conn.execute("show wal_level").fetchone()[0]
    step.detail = {
        "organizations": rows["organizations"],
        "order_lines": lines,
        "rows": sum(rows.values()),
        "tables_filled": sum(1 for count in rows.values() if count),
        "tables": len(rows),
        "order_lines_per_second": round(lines / step.seconds),
        "rows_per_second": round(sum(rows.values()) / step.seconds),
        "database_gb": round(size / 1024**3, 2),
        # Write-ahead log the server wrote meanwhile (the whole server's: nothing else runs during the bench).
        "wal_gb": round(wal / 1024**3, 2),
        "wal_level": wal_level,
    } | step.detail  # the CPU seconds timed() measured
    result.steps.append(step)
    return target


def _wal_position(url: str) -> str:
    with psycopg.connect(libpq_url(url)) as conn:
        return conn.execute("select pg_current_wal_lsn()::text").fetchone()[0]


CEILING_SCHEMA = "bench_ceiling"
CEILING_CONNECTIONS = 2  # the last pass loads the tables on this many connections at once, one per core here
TARGET_ORDER_LINES_PER_SECOND = 100_000  # the target, against which the CPU budget is set
BARE_STEP = "COPY the same rows into bare tables"
KEYS_STEP = "then build their primary keys and unique constraints"
PARALLEL_STEP = f"{BARE_STEP}, {CEILING_CONNECTIONS} connections"


def copy_ceiling(target: str, result: BenchResult, scratch_dir: Path) -> None:
    """What PostgreSQL alone takes to load the rows just generated: every `app` table dumped in the binary format
    (not timed), then `COPY ... FREEZE`d (timed) into a copy of the table without indexes, constraints or triggers,
    created in the same transaction (so, with `wal_level = minimal`, not written to the write-ahead log). That is
    the cheapest way PostgreSQL has to take these rows; the generator, which also makes them, checks their keys and
    builds their indexes, can be no faster. The figure is its ceiling on this machine.

    Three steps: the load on one connection, as the generator's writer does; the tables' primary keys and unique
    constraints built after it; the load again on ``CEILING_CONNECTIONS`` connections at once (the tables shared
    out by size). Each records the CPU time the server's backends used, read from ``/proc`` when the server runs
    on this machine: set against the CPU time the target leaves (its seconds times the cores), it says how much of
    that budget PostgreSQL alone takes."""
    generate = result.step("generate")
    with psycopg.connect(libpq_url(target), autocommit=True) as conn:
        _check_scratch_space(conn, scratch_dir)
        try:
            conn.execute(f"drop schema if exists {CEILING_SCHEMA} cascade")
            dumps = []
            for table in app_tables(conn, largest_first=True):
                dump = scratch_dir / f"{table}.copy"
                with dump.open("wb") as sink, conn.cursor().copy(f"copy app.{table} to stdout (format binary)") as copy:
                    for block in copy:
                        sink.write(block)
                dumps.append((table, dump))
            for name, shares in [(BARE_STEP, [dumps]), (PARALLEL_STEP, _share_out(dumps, CEILING_CONNECTIONS))]:
                conn.execute(f"drop schema if exists {CEILING_SCHEMA} cascade")
                conn.execute(f"create schema {CEILING_SCHEMA}")
                seconds, rows, server_cpu = _load_bare(target, shares)
                result.steps.append(StepResult(name, seconds, None, _ceiling_detail(generate.detail, seconds, rows,
                                                                                    server_cpu)))  # fmt: skip
                if name == BARE_STEP:
                    result.steps.append(_build_keys(conn))
        finally:
            conn.execute(f"drop schema if exists {CEILING_SCHEMA} cascade")
            for dump in scratch_dir.glob("*.copy"):
                dump.unlink()
    bare, keys = result.step(BARE_STEP), result.step(KEYS_STEP)
    result.figures["generate_over_bare_copy"] = round(generate.seconds / bare.seconds, 2)
    if "server_cpu_seconds" in bare.detail and "server_cpu_seconds" in keys.detail:
        budget = generate.detail["order_lines"] / TARGET_ORDER_LINES_PER_SECOND * result.machine["cpus"]
        copied, built = bare.detail["server_cpu_seconds"], keys.detail["server_cpu_seconds"]
        result.figures["bare_copy_cpu_over_target_budget"] = round(copied / budget, 2)
        result.figures["bare_copy_and_keys_cpu_over_target_budget"] = round((copied + built) / budget, 2)


def _build_keys(conn: psycopg.Connection) -> StepResult:
    """Add to the bare tables the primary keys and unique constraints of their `app` tables, sorted builds after the
    load (the cheapest way to have them): the least a load into the schema must also do, whatever makes the rows."""
    constraints = conn.execute(
        "select c.relname, k.conname, pg_get_constraintdef(k.oid) from pg_constraint k"
        " join pg_class c on c.oid = k.conrelid where c.relnamespace = %s::regnamespace and k.contype in ('p', 'u')"
        " order by c.relname, k.conname",
        (APP_SCHEMA,),
    ).fetchall()
    cpu = backend_cpu_clock(conn)
    cpu_before, started = cpu() if cpu else None, time.perf_counter()
    with conn.transaction():
        # no parallel workers: the backend does all the work, so its CPU time is all of it
        conn.execute("set local max_parallel_maintenance_workers = 0")
        for table, name, definition in constraints:
            conn.execute(f'alter table {CEILING_SCHEMA}.{table} add constraint "{name}" {definition}')
    seconds = time.perf_counter() - started
    detail: dict = {"constraints": len(constraints)}
    if cpu:
        detail["server_cpu_seconds"] = round(cpu() - cpu_before, 2)
    return StepResult(KEYS_STEP, seconds, None, detail)


def _ceiling_detail(generated: dict, seconds: float, rows: int, server_cpu: float | None) -> dict:
    detail = {
        "rows": rows,
        "rows_per_second": round(rows / seconds),
        "order_lines_per_second": round(generated["order_lines"] / seconds),
    }
    if server_cpu is not None:
        detail["server_cpu_seconds"] = round(server_cpu, 2)
    return detail


def _check_scratch_space(conn: psycopg.Connection, scratch_dir: Path) -> None:
    """Refuse at once, not when the disk fills: the dumps take about the tables' size (a little more in the binary
    format for narrow rows), and the bare tables as much again if the server's data shares that disk."""
    tables = conn.execute(
        "select coalesce(sum(pg_table_size(oid)), 0) from pg_class where relnamespace = %s::regnamespace"
        " and relkind = 'r'",
        (APP_SCHEMA,),
    ).fetchone()[0]
    needed = 2 * tables
    free = shutil.disk_usage(scratch_dir).free
    if needed > free:
        raise BenchmarkError(
            f"the COPY ceiling needs about {needed / 1024**2:,.0f} MB of scratch space in {scratch_dir}, "
            f"{free / 1024**2:,.0f} MB is free: set TMPDIR to a larger disk, or measure with --generate-only"
        )


def _share_out(dumps: list[tuple[str, Path]], connections: int) -> list[list[tuple[str, Path]]]:
    """The dumps in ``connections`` shares of about equal size: largest first, each to the lightest share."""
    shares: list[list[tuple[str, Path]]] = [[] for _ in range(connections)]
    sizes = [0] * connections
    for size, table, dump in sorted(((dump.stat().st_size, table, dump) for table, dump in dumps), reverse=True):
        lightest = sizes.index(min(sizes))
        shares[lightest].append((table, dump))
        sizes[lightest] += size
    return [share for share in shares if share]


def _load_bare(url: str, shares: list[list[tuple[str, Path]]]) -> tuple[float, int, float | None]:
    """Load each share on its own connection, all at once; wall seconds from the first start to the last end, the
    rows loaded, and the CPU seconds the server's backends used (None when the server is not on this machine)."""
    ready = threading.Barrier(len(shares))
    spans: list[tuple[float, float, int, float | None]] = []

    def load(share: list[tuple[str, Path]]) -> None:
        try:
            conn = psycopg.connect(libpq_url(url), autocommit=True)
            cpu = backend_cpu_clock(conn)
        except BaseException:
            ready.abort()  # the other connections stop waiting for this one; its error is the one raised
            raise
        with conn:
            try:
                ready.wait()
            except threading.BrokenBarrierError:
                return
            cpu_before, started, rows = cpu() if cpu else None, time.perf_counter(), 0
            for table, dump in share:
                statement = f"copy {CEILING_SCHEMA}.{table} from stdin (format binary, freeze)"
                with conn.transaction(), conn.cursor() as cursor, dump.open("rb") as source:
                    cursor.execute(f"create table {CEILING_SCHEMA}.{table} (like app.{table})")
                    with cursor.copy(statement) as copy:
                        while block := source.read(1 << 20):
                            copy.write(block)
                    rows += cursor.rowcount
            ended = time.perf_counter()
            spans.append((started, ended, rows, cpu() - cpu_before if cpu else None))

    with ThreadPoolExecutor(len(shares)) as pool:
        for future in [pool.submit(load, share) for share in shares]:
            future.result()
    seconds = max(span[1] for span in spans) - min(span[0] for span in spans)
    cpu = [span[3] for span in spans]
    return seconds, sum(span[2] for span in spans), (sum(cpu) if None not in cpu else None)


def backend_cpu_clock(conn: psycopg.Connection) -> Callable[[], float] | None:
    """A function giving the CPU seconds (user and system) the connection's server backend has used so far, read
    from ``/proc``; None when the backend is not a process of this machine (the server runs elsewhere, or in a
    container whose process numbers are not this machine's)."""
    row = conn.execute(
        "select extract(epoch from backend_start)::float8 from pg_stat_activity where pid = pg_backend_pid()"
    ).fetchone()
    return _backend_clock(conn.info.backend_pid, row[0]) if row and row[0] is not None else None


def _backend_clock(pid: int, started: float) -> Callable[[], float] | None:
    """The CPU clock of process ``pid`` if it is a `postgres` process that started when the server says its backend
    did (within 2 s), so not another process that happens to have the same number here."""
    process = _process(pid)
    if process is None or process[0] != "postgres" or abs(process[1] - started) > 2:
        return None
    return lambda: _process(pid)[2]


@functools.cache
def _boot_time() -> int:
    """When this machine started, in Unix seconds (``btime`` of ``/proc/stat``): read once."""
    return next(int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                if line.startswith("btime "))  # fmt: skip


def _process(pid: int) -> tuple[str, float, float] | None:
    """The name, start time (Unix seconds) and CPU seconds so far of the process ``pid`` of this machine, from
    ``/proc``; None when there is none."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = _boot_time()
    except (OSError, StopIteration):
        return None
    # the name is in parentheses and may hold any character; the fields after it are numbered from 3
    name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 1 :].split()
    tick = os.sysconf("SC_CLK_TCK")
    utime, stime, start = int(fields[11]), int(fields[12]), int(fields[19])  # fields 14, 15 and 22
    return name, boot + start / tick, (utime + stime) / tick
