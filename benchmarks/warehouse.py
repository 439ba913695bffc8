"""Warehouse build figures: a full build, then one simulated day and the incremental refresh, in one run."""

from __future__ import annotations

from benchmarks.generator import bench_generate
from benchmarks.harness import BenchResult, machine, now_iso, save, timed, warehouse


def bench_builds(target: str, result: BenchResult) -> None:
    env = {"DATABASE_URL": target}
    full, _ = timed("full build", warehouse("build", "--full-refresh"), env)
    result.steps.append(full)
    simulate, _ = timed("simulate 1 day", warehouse("simulate", "--days", "1"), env)
    result.steps.append(simulate)
    incremental, _ = timed("incremental refresh", warehouse("build"), env)
    result.steps.append(incremental)
    result.figures["incremental_over_full"] = round(incremental.seconds / full.seconds, 3)


def run(url: str, scale: str, organizations: int | None = None) -> BenchResult:
    result = BenchResult(scale=scale, started_at=now_iso(), machine=machine())
    target = bench_generate(url, scale, result, organizations)
    bench_builds(target, result)
    save(result)
    return result
