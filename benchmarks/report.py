"""Regenerate docs/benchmarks.md from the newest result of each scale in benchmarks/results/."""

from __future__ import annotations

import json

from benchmarks.harness import RESULTS_DIR
from oltp.settings import REPO_ROOT

DOC = REPO_ROOT / "docs" / "benchmarks.md"
SCALE_ORDER = ("tiny", "demo", "large")
TARGETS = {
    "order_lines_per_second": ("generator order lines per second", ">=", 100_000),
    "peak_rss_mb": ("peak memory of any step (MB)", "<", 1024),
    "incremental_over_full": ("one-day incremental refresh / full rebuild (dbt)", "<=", 0.02),
    "dagster_refresh_over_full": ("one-day refresh as the Dagster job / full rebuild", "<=", 0.02),
    "metrics_over_handwritten": ("mv_daily_metrics build / hand-written aggregate", "<=", 3.0),
    "dashboard_p95_ms": ("dashboard query p95 (ms)", "<=", 50.0),
    "direct_over_dashboard": ("direct computation / dashboard query (speed-up)", ">=", 20.0),
    "dagster_refresh_over_dbt_refresh": ("one-day refresh, every node: the Dagster job / dbt alone", "<=", 1.25),
    "changed_refresh_over_dbt_refresh": ("one-day refresh of what changed: the Dagster job / dbt alone", "<=", 1.25),
    "no_change_refresh_seconds": ("refresh with no source change, Dagster job (s)", "<=", 10.0),
    "commit_to_visible_seconds": ("a row committed in app visible in reporting, through the sensor (s)", "<=", 300.0),
    "commit_not_visible": ("of those, not visible within 15 minutes", "<=", 0),
    "main_job_seconds": ("warehouse run (main job) on a fresh clone (s)", "<=", 60.0),
    "page_p95_ms": ("slowest dashboard page p95 (ms)", "<=", 1000.0),
    "custom_report_p95_ms": ("custom report, two years by month, p95 (ms)", "<=", 500.0),
    "deliveries_seconds": ("scheduled reports due in one minute, all sent (s)", "<=", 300.0),
    "deliveries_not_sent_once": ("of those, not sent or sent twice", "<=", 0),
}
INTRO = """# Benchmarks

Measured by `warehouse bench --scale <scale>` (code in `benchmarks/`) on this project's own machines: 2 cores,
24 GiB, shared and noisy. One run does every step on one fresh database and measures each figure against a baseline
taken in the same run, so the ratios compare like with like. (The full `large` is the exception, in two runs: the
generator alone, keeping its database, then `--database` measures the warehouse on that data, without the `COPY`
ceiling and, with `--no-chain`, without the hand-written aggregate; see the notes.) Absolute seconds drift with the load
on the machine (its load average at the start is recorded). Peak memory is the maximum resident set size of the
step's own process from GNU `time -v` (the PostgreSQL server's memory is not included).

What each figure compares:

- **one-day incremental refresh / full rebuild**: `dbt build` after `warehouse simulate --days 1`, against
  `warehouse build --full-refresh` (dbt build of every seed, snapshot, model and test from scratch); the same
  refresh as the Dagster job runs it (`warehouse build`: source observations, quality gates, dbt, Great
  Expectations) is shown beside it.
- **the Dagster job / dbt alone**: after another simulated day, the same one-day refresh as `warehouse build` runs
  it (the Dagster job: the sources' data versions, the quality gates, dbt, Great Expectations), against dbt alone's
  `dbt build`. The bench database was built by dbt alone, so this first Dagster refresh runs every node, as dbt
  does (**every node**); after a third simulated day it runs what the day's changes reach (**what changed**; the
  simulator writes to every organization, so that is still most tables). Then `warehouse build` again with no
  source changed (**refresh with no source change**): it finds nothing changed since the warehouse was built and
  starts no run.
- **a row committed in app visible in reporting, through the sensor**: then, with the warehouse current, the Dagster
  daemon runs on an instance of its own with every schedule and sensor stopped but `refresh_when_sources_change`, as
  shipped (a tick every 60 s). Right after a tick that found nothing changed, one confirmed order is committed for
  one organization, dated today, so it waits almost a whole interval for the next tick (about the worst case);
  `reporting.mv_daily_metrics` is read every second until that day shows one order and its amount more. Where the
  seconds went is in the step's detail, from the instance's records: commit to the tick that asked for the run, the
  tick (the sensor's evaluation and the run's submission), commit to the run's start (the run queued and launched
  in a process of its own), the run's duration and when in it the relation was swapped in.
- **warehouse run (main job)**: `warehouse run --scale <scale>` as on a fresh clone after install (a new database,
  a new `WAREHOUSE_HOME` without a Dagster instance, the dbt project never parsed for that database): generate,
  then the Dagster job builds everything; against the run's own generate and full rebuild.
- **mv_daily_metrics build / hand-written aggregate**: `dbt run --select +mv_daily_metrics --full-refresh` (the
  relation and every model under it, from the `app` tables) against one hand-written SQL statement over the same
  `app` tables (`benchmarks/direct.py`), which the run checks gives the same rows.
- **dashboard queries**: each reporting relation read for one organization and its last 90 days, as a dashboard
  role under row-level security, p50/p95 over the repetitions; against the same numbers computed from the `app`
  tables directly by hand-written SQL (checked equal in the run).
- **generator**: order lines per second of `warehouse generate`, its peak memory and the write-ahead log the
  server wrote meanwhile; against the time PostgreSQL alone takes to load the same rows (each `app` table dumped in
  the binary format, then `COPY ... FREEZE`d into a copy of the table without indexes, constraints or triggers,
  created in the same transaction): the generator's ceiling on this machine. The ceiling is measured on one
  connection, as the generator's writer does; then the tables' primary keys and unique constraints are built on
  it (sorted, after the load: the cheapest way to have them); then the load runs again on two connections at once
  (the tables shared out by size). Runs before
  2026-11-25 13:00 measured the ceiling with CSV into tables created beforehand (about 2x slower than this one), and
  the generator with CSV, per-organization transactions and `wal_level = replica`.
- **CPU seconds**: each step run as a process records its own CPU time and its children's (`cpu seconds`, from GNU
  `time`) and the whole machine's busy time over the step (`machine cpu seconds`, from `/proc/stat`: the
  PostgreSQL server's work and anything else running). The ceiling records its server backends' CPU time
  (`server cpu seconds`, from `/proc/<pid>/stat`). `bare copy cpu over target budget` sets that against the CPU
  time 100 k order lines/s leaves to load these order lines: their count / 100,000 seconds, on every core;
  `bare copy and keys cpu over target budget` adds the keys' build.

Raw results: `benchmarks/results/*.json`. This file is generated by `python -m benchmarks.report` (and by every
`warehouse bench` run); do not edit it by hand.
"""


def label(data: dict) -> str:
    """What a run measured: its scale, and whether it ran fewer organizations than the scale's or the generator
    alone. The newest run of each label is reported."""
    from oltp.synthetic.scales import SCALES

    scale = data["scale"]
    # the first step is the data's: generated in the run, or kept by a --generate-only run
    organizations = data["steps"][0]["detail"].get("organizations") if data["steps"] else None
    default = SCALES[scale].organizations if scale in SCALES else None
    parts = []
    if organizations and default and organizations != default:
        parts.append(f"{organizations} of its {default} organizations")
    names = [s["name"] for s in data["steps"]]
    if names == ["generate"]:
        parts.append("generator only")
    elif "full rebuild" in names and not any("(Dagster job)" in name for name in names):
        parts.append("without the Dagster steps")
    return f"{scale} ({', '.join(parts)})" if parts else scale


def latest_results() -> dict[str, dict]:
    newest: dict[str, dict] = {}
    for path in sorted(RESULTS_DIR.glob("*.json")):
        data = json.loads(path.read_text())
        newest[label(data)] = data | {"file": path.name}
    return newest


def _order(item: tuple[str, dict]) -> tuple[int, str]:
    scale = item[1]["scale"]
    return (SCALE_ORDER.index(scale) if scale in SCALE_ORDER else 99, item[0])


def _met(value: float, op: str, target: float) -> str:
    ok = {"<=": value <= target, "<": value < target, ">=": value >= target}[op]
    return "met" if ok else "**not met**"


def _queries(queries: list[dict]) -> list[str]:
    """The dashboard query table: each relation's query on `reporting` beside the direct computation."""
    if not queries:
        return []
    lines = [
        "",
        "Dashboard queries (one organization, its last 90 days; `mv_current_state`: its one row), as a dashboard role "
        "under row-level security, beside the same numbers computed from the `app` tables directly:",
        "",
        "| relation | rows | p50 ms | p95 ms | direct p50 ms | direct p95 ms | speed-up | same numbers |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for q in queries:
        same = "yes" if q["same_numbers"] else f"**no** ({', '.join(q['differing_columns']) or 'row count'})"
        lines.append(
            f"| {q['relation']} | {q['rows']:,} | {q['p50_ms']:,.2f} | {q['p95_ms']:,.2f} | {q['direct_p50_ms']:,.1f} "
            f"| {q['direct_p95_ms']:,.1f} | {q['speedup']:,.1f}x | {same} |"
        )
    return lines


def _pages(pages: dict) -> list[str]:
    """The dashboard pages table: server time of each page and of a two-year custom report."""
    if not pages:
        return []
    lines = [
        "",
        "Dashboard pages (organization " + str(pages["organization_id"]) + ", a signed-in analyst, its last 90 days by "
        "week, caches cleared before each run: the server time of a cold page, through the reader role), and a "
        "custom report over two years by month:",
        "",
        "| page | runs | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for page in [*pages["pages"], pages["custom_report"]]:
        lines.append(f"| {page['name']} | {page['runs']} | {page['p50_ms']:,.1f} | {page['p95_ms']:,.1f} |")
    return lines


def render(results: dict[str, dict], *, intro: bool = True, notes: bool = True) -> str:
    lines = [INTRO] if intro else []
    for _, data in sorted(results.items(), key=_order):
        m = data["machine"]
        load = f", load average {m['load_average']}" if m.get("load_average") is not None else ""
        load += f", commit {m['commit']}" if m.get("commit") else ""
        lines += [
            f"## `{data['scale']}`{label(data)[len(data['scale']) :]}",
            "",
            f"Run {data['started_at']} on {m['cpus']} cores, {m['memory_gb']} GiB, Python {m['python']}{load} "
            f"({data['file']}).",
            "",
            "| step | seconds | peak RSS (MB) | detail |",
            "| --- | ---: | ---: | --- |",
        ]
        for step in data["steps"]:
            detail = ", ".join(f"{k.replace('_', ' ')} {v:,}" if isinstance(v, int) else f"{k.replace('_', ' ')} {v}"
                               for k, v in step["detail"].items())  # fmt: skip
            rss = f"{step['peak_rss_mb']:,.0f}" if step["peak_rss_mb"] is not None else "n/a"
            lines.append(f"| {step['name']} | {step['seconds']:,.1f} | {rss} | {detail} |")
        lines += _queries(data.get("queries", []))
        lines += _pages(data.get("pages", {}))
        figures = dict(data.get("figures", {}))
        generate = next((s for s in data["steps"] if s["name"] == "generate"), None)
        if generate:
            figures.setdefault("order_lines_per_second", generate["detail"]["order_lines_per_second"])
        peaks = [s["peak_rss_mb"] for s in data["steps"] if s["peak_rss_mb"] is not None]
        if peaks:
            figures.setdefault("peak_rss_mb", round(max(peaks), 1))
        lines += ["", "| figure | value | target | |", "| --- | ---: | --- | --- |"]
        for key, value in figures.items():
            if key in TARGETS:
                figure, op, target = TARGETS[key]
                lines.append(f"| {figure} | {value:,} | {op} {target:,} | {_met(value, op, target)} |")
            else:
                lines.append(f"| {key.replace('_', ' ')} | {value:,} | | |")
        lines.append("")
    notes_file = REPO_ROOT / "benchmarks" / "NOTES.md"
    if notes and notes_file.exists():
        lines += [notes_file.read_text().strip(), ""]
    return "\n".join(lines)


def main() -> None:
    DOC.write_text(render(latest_results()))
    print(f"wrote {DOC.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
