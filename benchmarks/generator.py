"""Generator throughput and peak memory: `warehouse generate` on a fresh database, under GNU time."""

from __future__ import annotations

import os
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

from benchmarks.harness import BenchmarkError, BenchResult, StepResult, timed, warehouse
from oltp import migrate
from oltp.database import libpq_url, parse_database_url
from oltp.schemas import app_tables


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
CEILING_CONNECTIONS = 2  # the second pass loads the tables on this many connections at once, one per core here
TARGET_ORDER_LINES_PER_SECOND = 100_000  # the target, against which the CPU budget is set


def copy_ceiling(target: str, result: BenchResult, scratch_dir: Path) -> None:
    """What PostgreSQL alone takes to load the rows just generated: every `app` table dumped in the binary format
    (not timed), then `COPY ... FREEZE`d (timed) into a copy of the table without indexes, constraints or triggers,
    created in the same transaction (so, with `wal_level = minimal`, not written to the write-ahead log). That is
    the cheapest way PostgreSQL has to take these rows; the generator, which also makes them, checks their keys and
    builds their indexes, can be no faster. The figure is its ceiling on this machine.

    Two passes: on one connection, as the generator's writer does, then on ``CEILING_CONNECTIONS`` at once (the
    tables shared out by size). Each records the CPU time the server's backends used, read from ``/proc`` when the
    server runs on this machine: set against the CPU time the target leaves (its seconds times the cores), it says
    how much of that budget loading the rows alone takes."""
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
            passes = [("COPY the same rows into bare tables", [dumps])]
            passes.append((f"COPY the same rows into bare tables, {CEILING_CONNECTIONS} connections",
                           _share_out(dumps, CEILING_CONNECTIONS)))  # fmt: skip
            for name, shares in passes:
                conn.execute(f"drop schema if exists {CEILING_SCHEMA} cascade")
                conn.execute(f"create schema {CEILING_SCHEMA}")
                seconds, server_cpu = _load_bare(target, shares)
                result.steps.append(
                    StepResult(name, seconds, None, _ceiling_detail(generate.detail, seconds, server_cpu))
                )
                if len(shares) == 1:
                    result.steps.append(_build_keys(conn))
        finally:
            conn.execute(f"drop schema if exists {CEILING_SCHEMA} cascade")
            for dump in scratch_dir.glob("*.copy"):
                dump.unlink()
    one = result.step("COPY the same rows into bare tables")
    result.figures["generate_over_bare_copy"] = round(generate.seconds / one.seconds, 2)
    keys = result.step(KEYS_STEP)
    if "server_cpu_seconds" in one.detail and "server_cpu_seconds" in keys.detail:
        budget = generate.detail["order_lines"] / TARGET_ORDER_LINES_PER_SECOND * (os.cpu_count() or 1)
        copied, built = one.detail["server_cpu_seconds"], keys.detail["server_cpu_seconds"]
        result.figures["bare_copy_cpu_over_target_budget"] = round(copied / budget, 2)
        result.figures["bare_copy_and_keys_cpu_over_target_budget"] = round((copied + built) / budget, 2)


KEYS_STEP = "then build their primary keys and unique constraints"


def _build_keys(conn: psycopg.Connection) -> StepResult:
    """Add to the bare tables the primary keys and unique constraints of their `app` tables, sorted builds after the
    load (the cheapest way to have them): the least a load into the schema must also do, whatever makes the rows."""
    constraints = conn.execute(
        "select c.relname, k.conname, pg_get_constraintdef(k.oid) from pg_constraint k"
        " join pg_class c on c.oid = k.conrelid where c.relnamespace = 'app'::regnamespace and k.contype in ('p', 'u')"
        " order by c.relname, k.conname"
    ).fetchall()
    backend = conn.info.backend_pid
    cpu_before, started = backend_cpu_seconds(backend), time.perf_counter()
    with conn.transaction():
        # no parallel workers: the backend does all the work, so its CPU time is all of it
        conn.execute("set local max_parallel_maintenance_workers = 0")
        for table, name, definition in constraints:
            conn.execute(f'alter table {CEILING_SCHEMA}.{table} add constraint "{name}" {definition}')
    seconds, cpu_after = time.perf_counter() - started, backend_cpu_seconds(backend)
    detail: dict = {"constraints": len(constraints)}
    if cpu_before is not None and cpu_after is not None:
        detail["server_cpu_seconds"] = round(cpu_after - cpu_before, 2)
    return StepResult(KEYS_STEP, seconds, None, detail)


def _ceiling_detail(generated: dict, seconds: float, server_cpu: float | None) -> dict:
    detail = {
        "rows_per_second": round(generated["rows"] / seconds),
        "order_lines_per_second": round(generated["order_lines"] / seconds),
    }
    if server_cpu is not None:
        detail["server_cpu_seconds"] = round(server_cpu, 2)
    return detail


def _check_scratch_space(conn: psycopg.Connection, scratch_dir: Path) -> None:
    """The dumps take about the tables' size on disk: refuse at once, not when the disk fills."""
    needed = conn.execute(
        "select coalesce(sum(pg_table_size(c.oid)), 0) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = 'app' and c.relkind = 'r'"
    ).fetchone()[0]
    free = shutil.disk_usage(scratch_dir).free
    if needed > free:
        raise BenchmarkError(
            f"the COPY ceiling needs about {needed / 1024**3:.1f} GB of scratch space in {scratch_dir}, "
            f"{free / 1024**3:.1f} GB is free: set TMPDIR to a larger disk, or measure with --generate-only"
        )


def _share_out(dumps: list[tuple[str, Path]], connections: int) -> list[list[tuple[str, Path]]]:
    """The dumps in ``connections`` shares of about equal size: largest first, each to the lightest share."""
    shares: list[list[tuple[str, Path]]] = [[] for _ in range(connections)]
    sizes = [0] * connections
    for table, dump in sorted(dumps, key=lambda item: item[1].stat().st_size, reverse=True):
        lightest = sizes.index(min(sizes))
        shares[lightest].append((table, dump))
        sizes[lightest] += dump.stat().st_size
    return [share for share in shares if share]


def _load_bare(url: str, shares: list[list[tuple[str, Path]]]) -> tuple[float, float | None]:
    """Load each share on its own connection, all at once; wall seconds from the first start to the last end, and
    the CPU seconds the server's backends used (None when the server is not on this machine)."""
    ready = threading.Barrier(len(shares))
    spans: list[tuple[float, float, float | None]] = []

    def load(share: list[tuple[str, Path]]) -> None:
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            backend = conn.info.backend_pid
            ready.wait()
            cpu_before, started = backend_cpu_seconds(backend), time.perf_counter()
            for table, dump in share:
                statement = f"copy {CEILING_SCHEMA}.{table} from stdin (format binary, freeze)"
                with conn.transaction(), dump.open("rb") as source:
                    conn.execute(f"create table {CEILING_SCHEMA}.{table} (like app.{table})")
                    with conn.cursor().copy(statement) as copy:
                        while block := source.read(1 << 20):
                            copy.write(block)
            ended, cpu_after = time.perf_counter(), backend_cpu_seconds(backend)
            used = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
            spans.append((started, ended, used))

    with ThreadPoolExecutor(len(shares)) as pool:
        for future in [pool.submit(load, share) for share in shares]:
            future.result()
    seconds = max(end for _, end, _ in spans) - min(start for start, _, _ in spans)
    cpu = [used for _, _, used in spans]
    return seconds, (sum(cpu) if None not in cpu else None)


def backend_cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds a PostgreSQL backend on this machine has used so far, from ``/proc``; None when
    no PostgreSQL process of that number runs here (the server is elsewhere)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 1 :].split()
    if name != "postgres":
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime: fields 14 and 15
