"""Health checks behind `warehouse doctor`: each says what it found and, when it fails, how to fix it."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import metadata

MINIMUM_PYTHON = (3, 11)
REQUIRED_DISTRIBUTIONS = (
    "alembic",
    "dagster",
    "dagster-dbt",
    "dagster-postgres",
    "dagster-webserver",
    "dbt-core",
    "dbt-postgres",
    "great-expectations",
    "pandas",
    "pgserver",
    "psycopg",
    "sqlalchemy",
    "streamlit",
)


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def check_python() -> CheckResult:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info >= MINIMUM_PYTHON:
        return CheckResult("python", True, version)
    return CheckResult("python", False, version, "install Python 3.11 or newer and run `make install`")


def check_packages() -> CheckResult:
    found, missing = [], []
    for name in REQUIRED_DISTRIBUTIONS:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        return CheckResult("packages", False, f"missing: {', '.join(missing)}", "run `make install`")
    return CheckResult("packages", True, f"{len(found)} installed ({', '.join(found[:4])}, ...)")


def check_database() -> tuple[CheckResult, str | None]:
    from oltp.database import check_reachable, database_url, describe, parse_database_url
    from oltp.errors import WarehouseError

    try:
        url = database_url()
        version = check_reachable(url)
    except WarehouseError as error:
        return CheckResult("database", False, str(error), "fix DATABASE_URL, or unset it to use the embedded one"), None
    where = describe(parse_database_url(url))
    return CheckResult("database", True, f"PostgreSQL {version} at {where}"), url


def check_migrations(url: str | None) -> CheckResult:
    if url is None:
        return CheckResult("migrations", False, "not checked: no database", "fix the database first")
    from oltp.migrate import current_revision, pending_revisions

    pending = pending_revisions(url)
    if pending:
        return CheckResult(
            "migrations", False, f"{len(pending)} pending ({', '.join(pending)})", "run `warehouse migrate`"
        )
    return CheckResult("migrations", True, f"current at {current_revision(url)}")


def run_checks() -> list[CheckResult]:
    results = [check_python(), check_packages()]
    database, url = check_database()
    results += [database, check_migrations(url)]
    return results
