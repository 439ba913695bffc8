"""Generator throughput and peak memory: `warehouse generate` on a fresh database, under GNU time."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg

from benchmarks.harness import BenchResult, StepResult, timed, warehouse
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
    }
    result.steps.append(step)
    return target


def _wal_position(url: str) -> str:
    with psycopg.connect(libpq_url(url)) as conn:
        return conn.execute("select pg_current_wal_lsn()::text").fetchone()[0]


CEILING_SCHEMA = "bench_ceiling"


def copy_ceiling(target: str, result: BenchResult, scratch_dir: Path) -> None:
    """What PostgreSQL alone takes to load the rows just generated: every `app` table dumped in the binary format
    (not timed), then `COPY ... FREEZE`d (timed) into a copy of the table without indexes, constraints or triggers,
    created in the same transaction (so, with `wal_level = minimal`, not written to the write-ahead log), on one
    connection as the generator's writer does. That is the cheapest way PostgreSQL has to take these rows; the
    generator, which also makes them, checks their keys and builds their indexes, can be no faster. The figure is
    its ceiling on this machine."""
    generate = result.step("generate")
    seconds = 0.0
    with psycopg.connect(libpq_url(target), autocommit=True) as conn:
        conn.execute(f"drop schema if exists {CEILING_SCHEMA} cascade")
        conn.execute(f"create schema {CEILING_SCHEMA}")
        try:
            for table in app_tables(conn):
                dump = scratch_dir / f"{table}.copy"
                with dump.open("wb") as sink, conn.cursor().copy(f"copy app.{table} to stdout (format binary)") as copy:
                    for block in copy:
                        sink.write(block)
                statement = f"copy {CEILING_SCHEMA}.{table} from stdin (format binary, freeze)"
                started = time.perf_counter()
                with conn.transaction(), dump.open("rb") as source:
                    conn.execute(f"create table {CEILING_SCHEMA}.{table} (like app.{table})")
                    with conn.cursor().copy(statement) as copy:
                        while block := source.read(1 << 20):
                            copy.write(block)
                seconds += time.perf_counter() - started
                dump.unlink()
        finally:
            conn.execute(f"drop schema if exists {CEILING_SCHEMA} cascade")
    rows, lines = generate.detail["rows"], generate.detail["order_lines"]
    result.steps.append(
        StepResult(
            "COPY the same rows into bare tables",
            seconds,
            None,
            {"rows_per_second": round(rows / seconds), "order_lines_per_second": round(lines / seconds)},
        )
    )
    result.figures["generate_over_bare_copy"] = round(generate.seconds / seconds, 2)
