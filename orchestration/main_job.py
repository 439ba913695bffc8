"""The main job behind `warehouse run` and `make run`: everything the platform has, end to end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from oltp.schemas import APP_SCHEMA, REPORTING_SCHEMA


@dataclass
class Summary:
    database: str
    server_version: str
    schema_revision: str | None
    table_rows: dict[str, int] = field(default_factory=dict)
    generated: str = "no"
    warehouse: str = "not built"
    reporting_rows: dict[str, int] = field(default_factory=dict)
    organizations: int = 0
    order_range: tuple = (None, None)

    def render(self, console, elapsed: float) -> None:
        from rich.table import Table

        table = Table(title="warehouse run: summary", show_header=False, title_justify="left")
        table.add_column(style="bold")
        table.add_column()
        table.add_row("database", f"PostgreSQL {self.server_version} at {self.database}")
        # the revision first: a long migration name must not wrap across lines
        table.add_row("schema", f"revision {self.schema_revision} of {APP_SCHEMA}")
        table.add_row("synthetic data", self.generated)
        table.add_row("organizations", str(self.organizations))
        table.add_row(
            "orders", f"{self.table_rows.get('orders', 0):,} from {self.order_range[0]} to {self.order_range[1]}"
        )
        table.add_row("order lines", f"{self.table_rows.get('order_line_items', 0):,}")
        filled = sum(1 for rows in self.table_rows.values() if rows)
        table.add_row("operational tables", f"{filled} of {len(self.table_rows)} filled")
        table.add_row("operational rows", f"{sum(self.table_rows.values()):,}")
        table.add_row("warehouse", self.warehouse)
        for name, rows in sorted(self.reporting_rows.items()):
            table.add_row(f"  reporting.{name}", f"{rows:,} rows")
        table.add_row("elapsed", f"{elapsed:.1f} s")
        console.print(table)


def count_rows(url: str, schema: str = APP_SCHEMA) -> dict[str, int]:
    """Exact row counts of every table in ``schema`` (the operational one by default)."""
    from sqlalchemy import create_engine, pool, text

    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        tables = conn.execute(
            text("select table_name from information_schema.tables where table_schema = :s order by 1"),
            {"s": schema},
        ).scalars()
        counts = {t: conn.execute(text(f'select count(*) from {schema}."{t}"')).scalar_one() for t in tables}
    engine.dispose()
    return counts


def run_main_job(progress: Callable[[str], None], scale: str = "demo", console=None) -> Summary:
    from oltp import migrate
    from oltp.database import check_reachable, database_url, describe, parse_database_url

    progress("database: connecting (the embedded server starts when DATABASE_URL is unset)")
    url = database_url()
    version = check_reachable(url)
    progress("migrations: upgrading the operational schema to head")
    migrate.upgrade(url)
    # While the data is generated, the warehouse worker (a process of its own) imports dbt and Great Expectations
    # and parses the dbt project: on a fresh clone it was never parsed (about 10 s).
    from orchestration.defs.warehouse.worker import warehouse_worker

    warehouse_worker().prepare(url, write_manifest=True)
    generated = _ensure_data(url, scale, progress, console)
    progress("warehouse: materialising the Dagster graph (sources, quality gates, dbt models, tests, checks)")
    from orchestration.dagster_build import build_warehouse

    built = build_warehouse()
    if not built.success:
        from oltp.errors import WarehouseError

        raise WarehouseError(f"warehouse build failed: {built.failure or 'see the Dagster UI for the failed run'}")
    progress("summary: counting rows")
    counts = count_rows(url)
    return Summary(
        database=describe(parse_database_url(url)),
        server_version=version,
        schema_revision=migrate.current_revision(url),
        table_rows=counts,
        generated=generated,
        organizations=counts.get("organizations", 0),
        order_range=_order_range(url),
        warehouse=(
            f"Dagster run {built.run_id[:8]}: {len(built.materialized)} assets, "
            f"{len(built.checks) - len(built.failed_checks)}/{len(built.checks)} checks passed in {built.seconds:.1f} s"
            if built.run_id
            else f"up to date, no run: {built.selected}"
        ),
        reporting_rows=count_rows(url, REPORTING_SCHEMA),
    )


def _ensure_data(url: str, scale: str, progress: Callable[[str], None], console) -> str:
    """Generate synthetic data at ``scale`` unless the database already holds organizations."""
    import psycopg

    from oltp.database import libpq_url

    with psycopg.connect(libpq_url(url)) as conn:
        present = conn.execute("select count(*) from app.organizations").fetchone()[0]
    if present:
        progress(f"data: {present} organization(s) present, nothing generated")
        return f"kept the {present} organization(s) already there"
    progress(f"data: generating the {scale} scale")
    from oltp.synthetic.generate import generate

    if console is None:
        result = generate(url, scale)
    else:
        from oltp.synthetic.progress import TableProgress

        with TableProgress(console, f"generate {scale}") as bars:
            result = generate(url, scale, on_rows=bars.on_rows, on_organization=bars.on_organization)
    rate = result.order_lines / max(result.seconds, 1e-9)
    return f"generated {scale} in {result.seconds:.1f} s ({rate:,.0f} order lines/s)"


def _order_range(url: str) -> tuple:
    import psycopg

    from oltp.database import libpq_url

    with psycopg.connect(libpq_url(url)) as conn:
        return conn.execute("select min(order_date), max(order_date) from app.orders").fetchone()
