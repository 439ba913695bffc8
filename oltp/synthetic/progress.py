"""Terminal progress for long data runs: a bar per table with rows and rows/s, then a summary table."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table


class TableProgress:
    """Context manager whose `rows` callback receives (table, rows, seconds) from the loader."""

    def __init__(self, console: Console, title: str) -> None:
        self.console = console
        self.title = title
        self.rows: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()
        self.progress = Progress(
            TextColumn("{task.description:<34}"),
            BarColumn(bar_width=20, pulse_style="cyan"),
            TextColumn("{task.fields[rows]:>12} rows"),
            TextColumn("{task.fields[rate]:>14}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.tasks: dict[str, int] = {}
        self.organization = self.progress.add_task(f"{title}: starting", total=None, rows="", rate="")

    def __enter__(self) -> TableProgress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.__exit__(*exc)

    def on_organization(self, slug: str) -> None:
        self.progress.update(self.organization, description=f"{self.title}: {slug}")

    def on_rows(self, table: str, rows: int, seconds: float) -> None:
        self.rows[table] += rows
        self.seconds[table] += seconds
        rate = self.rows[table] / self.seconds[table] if self.seconds[table] else 0.0
        fields = {"rows": f"{self.rows[table]:,}", "rate": f"{rate:,.0f} rows/s"}
        if table not in self.tasks:
            self.tasks[table] = self.progress.add_task(table, total=None, **fields)
        self.progress.update(self.tasks[table], **fields)


def summary_table(title: str, rows: dict[str, int], seconds: float) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in sorted(rows.items()):
        table.add_row(name, f"{count:,}")
    total = sum(rows.values())
    table.add_row("[bold]all tables[/bold]", f"[bold]{total:,}[/bold]")
    table.caption = f"{len(rows)} tables, {total:,} rows in {seconds:.1f} s ({total / max(seconds, 1e-9):,.0f} rows/s)"
    return table
