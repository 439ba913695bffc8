"""Run the dbt project in `dbt/` in-process, connected to the platform's one database setting.

`dbt/profiles.yml` reads only the `DBT_PG_*` variables that :func:`dbt_environment` derives from
`oltp.database.database_url()`, so there is no second place to configure the warehouse connection.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from oltp.errors import WarehouseError
from oltp.settings import REPO_ROOT

DBT_PROJECT_DIR = REPO_ROOT / "dbt"
# Prefixed DBT_ENV_SECRET_ so dbt scrubs the password from its logs and artifacts.
PASSWORD_VARIABLE = "DBT_ENV_SECRET_PG_PASSWORD"


class DbtRunError(WarehouseError):
    """dbt failed; the message names the failing nodes."""


@dataclass(frozen=True)
class DbtResult:
    success: bool
    nodes: dict[str, str]  # unique_id -> status
    rows_affected: dict[str, int]  # unique_id -> rows the node's main statement wrote (when the adapter says)
    elapsed: float
    failures: list[str]


def dbt_environment(url: str | None = None) -> dict[str, str]:
    """The `DBT_PG_*` variables `dbt/profiles.yml` reads, derived from ``url`` (the platform's URL by default)."""
    from oltp.database import database_url, parse_database_url, server_host

    parsed = parse_database_url(url or database_url())
    env = {
        # A server's name, or a Unix-socket directory: dbt-postgres hands `host` to libpq, which takes a path as one.
        "DBT_PG_HOST": server_host(parsed),
        "DBT_PG_PORT": str(parsed.port or 5432),
        "DBT_PG_USER": parsed.username or "",
        PASSWORD_VARIABLE: parsed.password or "",
        "DBT_PG_DBNAME": parsed.database,
        "DBT_PG_SSLMODE": str(parsed.query.get("sslmode", "prefer")),
    }
    return env


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def dbt_args(
    command: str | Sequence[str],
    *,
    full_refresh: bool = False,
    select: Sequence[str] = (),
    exclude: Sequence[str] = (),
    variables: Mapping[str, object] | None = None,
    extra: Sequence[str] = (),
    project_dir: Path = DBT_PROJECT_DIR,
) -> list[str]:
    """Command-line arguments for one dbt invocation (pure, so it is unit-tested without dbt)."""
    import json

    words = command.split() if isinstance(command, str) else list(command)
    args = [*words, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    if full_refresh:
        args.append("--full-refresh")
    if select:
        args += ["--select", *select]
    if exclude:
        args += ["--exclude", *exclude]
    if variables:
        args += ["--vars", json.dumps(dict(variables), default=str, sort_keys=True)]
    return [*args, *extra]


def run_dbt(args: Sequence[str], url: str | None = None) -> DbtResult:
    """Invoke dbt in-process with ``args`` (see :func:`dbt_args`) against the platform's database."""
    import time

    from dbt.cli.main import dbtRunner

    started = time.monotonic()
    with _environment(dbt_environment(url)):
        result = dbtRunner().invoke(list(args))
    elapsed = time.monotonic() - started
    nodes: dict[str, str] = {}
    rows_affected: dict[str, int] = {}
    failures: list[str] = []
    outcome = result.result
    for node_result in getattr(outcome, "results", None) or []:
        status = str(node_result.status)
        unique_id = node_result.node.unique_id
        nodes[unique_id] = status
        rows = (getattr(node_result, "adapter_response", None) or {}).get("rows_affected")
        if rows is not None:
            rows_affected[unique_id] = int(rows)
        if status in ("error", "fail", "runtime error"):
            message = (node_result.message or "").strip().splitlines()
            failures.append(f"{unique_id}: {message[0] if message else status}")
    if result.exception is not None and not failures:
        failures.append(str(result.exception).strip().splitlines()[0])
    return DbtResult(
        success=bool(result.success), nodes=nodes, rows_affected=rows_affected, elapsed=elapsed, failures=failures
    )


def execute(
    command: str = "build",
    *,
    full_refresh: bool = False,
    select: Sequence[str] = (),
    exclude: Sequence[str] = (),
    variables: Mapping[str, object] | None = None,
    url: str | None = None,
    quiet: bool = False,
) -> DbtResult:
    """Run one dbt command (`build` by default: seeds, snapshots, models and tests in DAG order); raises
    DbtRunError naming the failing nodes when any fails. ``quiet`` keeps dbt's own log off the terminal."""
    args = dbt_args(
        command,
        full_refresh=full_refresh,
        select=select,
        exclude=exclude,
        variables=variables,
        extra=("--quiet",) if quiet else (),
    )
    result = run_dbt(args, url=url)
    if not result.success:
        shown = "; ".join(result.failures[:5]) or "see dbt/logs/dbt.log"
        raise DbtRunError(f"dbt {command} failed ({len(result.failures)} node(s)): {shown}")
    return result


def build(**options) -> DbtResult:
    """`dbt build` of the whole project: what `warehouse build [--full-refresh]` runs."""
    return execute("build", **options)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m orchestration.dbt_runner <dbt arguments>`: plain dbt, with the connection filled in."""
    import sys

    from dbt.cli.main import dbtRunner

    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and not argv[0].startswith("-") and "--project-dir" not in argv:
        # the command is the leading words (`build`, `docs generate`); options follow
        words = next((i for i, arg in enumerate(argv) if arg.startswith("-")), len(argv))
        argv = dbt_args(argv[:words], extra=argv[words:])
    with _environment(dbt_environment()):
        result = dbtRunner().invoke(argv)
    return 0 if result.success else 1


if __name__ == "__main__":
    raise SystemExit(main())
