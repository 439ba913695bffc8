"""The main job behind `warehouse run` and `make run`: everything the platform has, end to end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from oltp.schemas import APP_SCHEMA


@dataclass
class Summary:
    database: str
    server_version: str
    schema_revision: str | None
    table_rows: dict[str, int] = field(default_factory=dict)

    def render(self, console, elapsed: float) -> None:
        from rich.table import Table

        table = Table(title="warehouse run: summary", show_header=False, title_justify="left")
        table.add_column(style="bold")
        table.add_column()
        table.add_row("database", f"PostgreSQL {self.server_version} at {self.database}")
        table.add_row("schema", f"{APP_SCHEMA} at revision {self.schema_revision}")
        table.add_row("operational tables", str(len(self.table_rows)))
        table.add_row("operational rows", f"{sum(self.table_rows.values()):,}")
        table.add_row("elapsed", f"{elapsed:.1f} s")
        console.print(table)


def count_rows(url: str) -> dict[str, int]:
    """Exact row counts of every table in the operational schema."""
    from sqlalchemy import create_engine, pool, text

    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        tables = conn.execute(
            text("select table_name from information_schema.tables where table_schema = :s order by 1"),
            {"s": APP_SCHEMA},
        ).scalars()
        counts = {t: conn.execute(text(f'select count(*) from {APP_SCHEMA}."{t}"')).scalar_one() for t in tables}
    engine.dispose()
    return counts


def run_main_job(progress: Callable[[str], None]) -> Summary:
    from oltp import migrate
    from oltp.database import check_reachable, database_url, describe, parse_database_url

    progress("database: connecting (the embedded server starts when DATABASE_URL is unset)")
    url = database_url()
    version = check_reachable(url)
    progress("migrations: upgrading the operational schema to head")
    migrate.upgrade(url)
    progress("summary: counting rows")
    return Summary(
        database=describe(parse_database_url(url)),
        server_version=version,
        schema_revision=migrate.current_revision(url),
        table_rows=count_rows(url),
    )
