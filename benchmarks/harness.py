"""Benchmark harness: each step runs as its own process under GNU time, on one database, in one run.

Absolute times drift on shared machines; what we compare are ratios measured in the same run. Every run writes
`benchmarks/results/<scale>-<timestamp>.json`, and `docs/benchmarks.md` is regenerated from the newest result of
each scale.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from oltp.errors import WarehouseError
from oltp.settings import REPO_ROOT

RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
GNU_TIME = "/usr/bin/time"


@dataclass
class StepResult:
    name: str
    seconds: float
    peak_rss_mb: float | None
    detail: dict = field(default_factory=dict)


@dataclass
class BenchResult:
    scale: str
    started_at: str
    machine: dict
    steps: list[StepResult] = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    queries: list[dict] = field(default_factory=list)  # dashboard query timings, one per reporting relation
    pages: dict = field(default_factory=dict)  # dashboard pages through AppTest, and a custom report (pages.py)
    deliveries: dict = field(default_factory=dict)  # scheduled reports due in one minute (deliveries.py)

    def step(self, name: str) -> StepResult:
        return next(step for step in self.steps if step.name == name)


class BenchmarkError(WarehouseError):
    """A benchmark step failed; the message names the step and the end of its output."""


def machine() -> dict:
    memory_kb = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": round(os.getloadavg()[0], 2),  # other work sharing the cores when the run started
        "commit": _commit(),
    }


def _commit() -> str | None:
    """The code measured: the repository's HEAD, marked when the working tree has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO_ROOT)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, cwd=REPO_ROOT)  # fmt: skip
    except OSError:
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def timed(name: str, command: list[str], env: dict[str, str] | None = None) -> tuple[StepResult, str]:
    """Run ``command`` under GNU time; return its step (wall seconds, peak RSS, and in its detail the CPU seconds of
    the command and of the whole machine over it) and its output."""
    full_env = dict(os.environ, **(env or {}), COLUMNS="160")
    wrapper = [GNU_TIME, "-v", *command] if Path(GNU_TIME).exists() else command
    busy_before = machine_busy_seconds()
    started = time.perf_counter()
    completed = subprocess.run(wrapper, capture_output=True, text=True, env=full_env, cwd=REPO_ROOT)
    seconds = time.perf_counter() - started
    busy_after = machine_busy_seconds()
    if completed.returncode != 0:
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-3:]
        raise BenchmarkError(f"benchmark step {name!r} failed: {' | '.join(tail)}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", completed.stderr)
    peak = int(match.group(1)) / 1024 if match else None
    detail = {}
    cpu = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", completed.stderr)
    if len(cpu) == 2:  # the step's process and the children it waited for, the server's backends not included
        detail["cpu_seconds"] = round(sum(map(float, cpu)), 2)
    if busy_before is not None and busy_after is not None:  # every process on the machine, the server's included
        detail["machine_cpu_seconds"] = round(busy_after - busy_before, 2)
    return StepResult(name, seconds, peak, detail), completed.stdout


def machine_busy_seconds() -> float | None:
    """CPU seconds all cores have spent busy since boot (``/proc/stat``: user, nice, system, irq, softirq, steal);
    None where there is no such file."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def warehouse(*args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "warehouse"), *args]


def python_module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def save(result: BenchResult, directory: Path | None = None) -> Path:
    directory = directory or RESULTS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    stamp = result.started_at.replace(":", "").replace("-", "")[:15]
    path = directory / f"{result.scale}-{stamp}.json"
    path.write_text(json.dumps(asdict(result), indent=2, default=str) + "\n")
    return path


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
