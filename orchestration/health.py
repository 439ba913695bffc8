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
    "authlib",
    "oidc-provider-mock",
    "altair",
    "vl-convert-python",
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


def check_reader(url: str | None) -> CheckResult:
    """The read side's role can sign in (its password is the one the migrations set)."""
    if url is None:
        return CheckResult("reader role", False, "not checked: no database", "fix the database first")
    from oltp.database import check_reachable
    from oltp.errors import WarehouseError
    from oltp.reader import READER_ROLE, reader_url

    try:
        check_reachable(reader_url(url))
    except WarehouseError as error:
        return CheckResult(
            "reader role",
            False,
            str(error),
            f"run `warehouse migrate` to (re)create {READER_ROLE} with the password in WAREHOUSE_HOME or "
            "WAREHOUSE_READER_PASSWORD",
        )
    return CheckResult("reader role", True, f"{READER_ROLE} signs in")


def check_sign_in() -> CheckResult:
    """The dashboards' identity provider: discovery answers and our client is accepted (the local demo provider
    only runs under `warehouse serve`, so for it only the serving address is checked)."""
    from oltp.settings import get_settings
    from readside.oidc import OidcError, check_provider, check_serving

    settings = get_settings()
    try:
        check_serving(settings)
        if settings.local_oidc:
            return CheckResult(
                "sign-in", True, f"local demo provider on 127.0.0.1:{settings.oidc_local_port} (started by serve)"
            )
        document = check_provider(settings)
    except OidcError as error:
        return CheckResult("sign-in", False, str(error), "fix the OIDC_* settings (README, Configuration)")
    return CheckResult(
        "sign-in", True, f"OpenID provider {document['issuer']} accepts client {settings.oidc_client_id}"
    )


def run_checks() -> list[CheckResult]:
    results = [check_python(), check_packages()]
    database, url = check_database()
    results += [database, check_migrations(url), check_reader(url), check_sign_in()]
    return results
