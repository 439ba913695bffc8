"""`warehouse`: the platform's one front door (database, migrations, the main job, the UIs, health checks).

Heavy libraries (Dagster, dbt, Streamlit) are imported inside the commands that need them, so `warehouse --help`
and `warehouse db url` answer at once.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

import click

from oltp.errors import WarehouseError


class UserError(click.ClickException):
    """Bad input or a state the user can fix: one line on stderr, exit code 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


def friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the platform's own errors into one-line messages instead of tracebacks."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except WarehouseError as error:
            raise UserError(str(error)) from None

    return wrapper


def _console():
    from rich.console import Console

    return Console(highlight=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fieldservice-warehouse")
def cli() -> None:
    """Analytics warehouse for a multi-tenant field-service CRM/ERP."""


# -- database ----------------------------------------------------------------------------------------------------
@cli.group()
def db() -> None:
    """The embedded PostgreSQL (used when DATABASE_URL is unset)."""


def _embedded_only(action: str):
    from oltp.database import embedded
    from oltp.settings import get_settings

    settings = get_settings()
    if settings.database_url:
        raise UserError(f"DATABASE_URL is set, so there is no embedded server to {action}; unset it to use one")
    return embedded(settings)


@db.command("start")
@friendly_errors
def db_start() -> None:
    """Start the embedded PostgreSQL (creating it on first use)."""
    server = _embedded_only("start")
    started = server.start()
    state = server.status()
    if started:
        click.echo(f"embedded PostgreSQL started on 127.0.0.1:{state.port} (data: {server.data_dir})")
    else:
        click.echo(f"embedded PostgreSQL is already running on 127.0.0.1:{state.port} (data: {server.data_dir})")


@db.command("stop")
@friendly_errors
def db_stop() -> None:
    """Stop the embedded PostgreSQL."""
    server = _embedded_only("stop")
    if server.stop():
        click.echo("embedded PostgreSQL stopped")
    else:
        click.echo("embedded PostgreSQL is not running; nothing to stop")


@db.command("status")
@friendly_errors
def db_status() -> None:
    """Say whether the database is running and where."""
    from oltp.database import check_reachable, describe, embedded, parse_database_url
    from oltp.settings import get_settings

    settings = get_settings()
    if settings.database_url:
        url = parse_database_url(settings.database_url)
        version = check_reachable(settings.database_url)
        click.echo(f"external PostgreSQL {version} at {describe(url)} (from DATABASE_URL)")
        return
    state = embedded(settings).status()
    if state.running:
        click.echo(
            f"embedded PostgreSQL is running on 127.0.0.1:{state.port}, pid {state.pid} (data: {state.data_dir})"
        )
    else:
        click.echo(f"embedded PostgreSQL is not running (data: {state.data_dir}); start it with `warehouse db start`")
        sys.exit(3)


@db.command("url")
@click.option("--show-password", is_flag=True, help="Print the password instead of ***.")
@click.option(
    "--role",
    type=click.Choice(["owner", "reader"]),
    default="owner",
    show_default=True,
    help="owner: what builds the warehouse; reader: what dashboards and emails read as (warehouse_reader).",
)
@friendly_errors
def db_url(show_password: bool, role: str) -> None:
    """Print the database URL every component uses (starts the embedded server if needed)."""
    from oltp.database import database_url, libpq_url, mask
    from oltp.reader import reader_url

    url = database_url()
    url = libpq_url(reader_url(url) if role == "reader" else url)
    click.echo(url if show_password else mask(url))


# -- migrations --------------------------------------------------------------------------------------------------
@cli.command()
@click.option("--check", is_flag=True, help="Only report; exit 1 when migrations are pending.")
@friendly_errors
def migrate(check: bool) -> None:
    """Bring the operational schema `app` to the latest migration."""
    from oltp import migrate as migrations
    from oltp.database import check_reachable, database_url

    url = database_url()
    check_reachable(url)
    pending = migrations.pending_revisions(url)
    if check:
        if pending:
            raise UserError(f"{len(pending)} migration(s) pending ({', '.join(pending)}); run `warehouse migrate`")
        click.echo(f"schema is current at {migrations.current_revision(url)}")
        return
    if not pending:
        migrations.sync_reader(url)
        click.echo(f"schema is already current at {migrations.current_revision(url)}")
        return
    migrations.upgrade(url)
    click.echo(f"applied {len(pending)} migration(s); schema is at {migrations.current_revision(url)}")


# -- synthetic data ----------------------------------------------------------------------------------------------
@cli.command()
@click.option("--scale", default="demo", show_default=True, help="tiny, demo or large.")
@click.option("--orgs", type=int, default=None, help="Number of organizations (default: the scale's).")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, scale and window: same data.")
@click.option("--start", default=None, help="First day, YYYY-MM-DD (default: DAYS before today).")
@click.option("--days", type=int, default=None, help="Days of history (default: the scale's).")
@click.option("--replace", is_flag=True, help="Delete and regenerate organizations that already exist.")
@click.option("--check-keys", is_flag=True, help="Keep foreign-key checks on while loading (slower).")
@friendly_errors
def generate(scale, orgs, seed, start, days, replace, check_keys) -> None:
    """Fill every operational table with realistic synthetic data for several organizations."""
    from oltp.database import database_url
    from oltp.synthetic.generate import generate as run_generate
    from oltp.synthetic.progress import TableProgress, summary_table

    console = _console()
    with TableProgress(console, f"generate {scale}") as progress:
        result = run_generate(
            database_url(),
            scale,
            organizations=orgs,
            seed=seed,
            start=start,
            days=days,
            replace=replace,
            check_keys=check_keys,
            on_rows=progress.on_rows,
            on_organization=progress.on_organization,
        )
    console.print(summary_table(f"generated {result.scale}: {', '.join(result.organizations)}", result.rows,
                                result.seconds))  # fmt: skip
    rate = result.order_lines / max(result.seconds, 1e-9)
    console.print(
        f"{result.order_lines:,} order lines in {result.seconds:.1f} s ({rate:,.0f} order lines/s); "
        f"{result.start} + {result.days} days, seed {result.seed}"
    )


@cli.command()
@click.option("--days", type=int, default=1, show_default=True, help="How many days to advance.")
@friendly_errors
def simulate(days: int) -> None:
    """Advance every generated organization day by day: new records and changes to old ones."""
    from oltp.database import database_url
    from oltp.synthetic.progress import summary_table
    from oltp.synthetic.simulate import simulate as run_simulate

    console = _console()
    with console.status("simulating ...") as status:
        result = run_simulate(database_url(), days, on_day=lambda day: status.update(f"simulated through {day}"))
    console.print(summary_table("rows inserted", result.inserted, result.seconds))
    console.print(summary_table("rows updated", result.updated, result.seconds))
    console.print(f"{len(result.organizations)} organization(s) simulated through {result.through}")


# -- the warehouse -----------------------------------------------------------------------------------------------
@cli.command()
@click.option("--days", type=int, default=None, help="Daily partitions to refresh besides changed days (default 3).")
@click.option("--all-days", is_flag=True, help="Refresh every daily partition since the first order.")
@click.option("--full-refresh", is_flag=True, help="Rebuild every relation from scratch with dbt alone.")
@friendly_errors
def build(days: int | None, all_days: bool, full_refresh: bool) -> None:
    """Materialise the whole Dagster graph in-process: sources, quality gates, every dbt model, tests and checks."""
    from oltp.database import database_url

    console = _console()
    if full_refresh:
        from orchestration.dbt_runner import build as dbt_build

        with console.status("dbt build --full-refresh ..."):
            result = dbt_build(url=database_url(), full_refresh=True, quiet=True)
        console.print(f"dbt build --full-refresh: {len(result.nodes)} nodes in {result.elapsed:.1f} s")
        return
    from orchestration.dagster_build import RECENT_DAYS, build_warehouse

    database_url()  # start the embedded server before Dagster connects
    with console.status("materialising the warehouse ...") as status:
        summary = build_warehouse(
            days=None if all_days else (days or RECENT_DAYS), progress=lambda step: status.update(step)
        )
    summary.render(console)
    if not summary.success:
        raise UserError(f"warehouse build failed: {summary.failure or 'see the Dagster UI for the failed run'}")


# -- doctor ------------------------------------------------------------------------------------------------------
@cli.command()
def doctor() -> None:
    """Check Python, packages, the database and migrations; print the fix for each failure."""
    from orchestration.health import run_checks

    console = _console()
    results = run_checks()
    for result in results:
        mark = "[green]✓[/green]" if result.ok else "[red]✗[/red]"
        console.print(f"{mark} {result.name}: {result.detail}")
        if not result.ok:
            console.print(f"    fix: {result.fix}")
    failed = [r for r in results if not r.ok]
    if failed:
        console.print(f"[red]{len(failed)} of {len(results)} checks failed[/red]")
        sys.exit(1)
    console.print(f"[green]all {len(results)} checks passed[/green]")


# -- the main job ------------------------------------------------------------------------------------------------
@cli.command()
@click.option("--scale", default="demo", show_default=True, help="Synthetic data to generate when there is none.")
@friendly_errors
def run(scale: str) -> None:
    """The main job: database, migrations, synthetic data unless present, and a one-screen summary."""
    from orchestration.main_job import run_main_job

    console = _console()
    started = time.monotonic()
    summary = run_main_job(progress=lambda step: console.print(f"[bold]→[/bold] {step}"), scale=scale, console=console)
    summary.render(console, elapsed=time.monotonic() - started)


# -- benchmarks --------------------------------------------------------------------------------------------------
@cli.command()
@click.option("--scale", default="demo", show_default=True, help="tiny (smoke run), demo or large.")
@click.option("--orgs", type=int, default=None, help="Number of organizations (default: the scale's).")
@click.option("--repeat", type=int, default=50, show_default=True, help="Repetitions of each dashboard query.")
@click.option("--dagster/--no-dagster", default=True, help="Also time the refresh as the Dagster job runs it.")
@click.option("--keep", is_flag=True,
              help="Keep the bench database (bench_<scale>; bench_<scale>_gen with --generate-only).")  # fmt: skip
@click.option("--results", "results_dir", type=click.Path(file_okay=False), default=None,
              help="Where to write the JSON result (default benchmarks/results/).")  # fmt: skip
@click.option("--no-report", is_flag=True, help="Do not regenerate docs/benchmarks.md.")
@click.option("--generate-only", is_flag=True, help="Measure the data generator alone (no warehouse build).")
@click.option("--database", default=None, metavar="NAME",
              help="Measure the data a --generate-only --keep run left in NAME (no COPY ceiling).")  # fmt: skip
@click.option("--chain/--no-chain", default=True,
              help="Compare the mv_daily_metrics chain with a hand-written aggregate (rebuilds it).")  # fmt: skip
@click.option("--empty-unread-tables", "empty_unread", is_flag=True,
              help="With --database: first empty the app tables no model, suite or baseline reads.")  # fmt: skip
@friendly_errors
def bench(scale, orgs, repeat, dagster, keep, results_dir, no_report, generate_only, database, chain,
          empty_unread) -> None:  # fmt: skip
    """Measure generation, full and incremental builds and dashboard queries against same-run baselines."""
    from dataclasses import asdict
    from pathlib import Path

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from benchmarks import report
    from benchmarks.bench import Plan
    from benchmarks.bench import run as run_bench
    from oltp.database import database_url
    from oltp.synthetic.scales import SCALES

    if scale not in SCALES:
        raise UserError(f"unknown scale {scale!r}: choose one of {', '.join(SCALES)}")
    if repeat < 1:
        raise UserError(f"--repeat must be at least 1, not {repeat}")
    if orgs is not None and orgs < 1:
        raise UserError(f"--orgs must be at least 1, not {orgs}")
    if database and (generate_only or orgs is not None):
        raise UserError("--database measures data generated earlier: it takes neither --generate-only nor --orgs")
    if empty_unread and not database:
        raise UserError("--empty-unread-tables empties tables of a kept database: give it with --database")
    plan = Plan(
        scale,
        orgs,
        repeat,
        dagster,
        keep,
        results_dir=Path(results_dir) if results_dir else None,
        generate_only=generate_only,
        database=database,
        chain=chain,
        empty_unread=empty_unread,
    )
    console = _console()
    columns = (SpinnerColumn(), TextColumn("{task.description:<44}"), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        current: list[int] = []

        def advance(step: str) -> None:
            if current:
                progress.update(current[-1], completed=1, total=1)
            current.append(progress.add_task(step, total=None))

        result, path = run_bench(database_url(), plan, advance)
        if current:
            progress.update(current[-1], completed=1, total=1)
    click.echo(report.render({"run": {**asdict(result), "file": path.name}}, intro=False, notes=False))
    click.echo(f"result written to {path}")
    if not no_report:
        report.main()


# -- scheduled reports -------------------------------------------------------------------------------------------
@cli.group()
def reports() -> None:
    """Scheduled email reports: send what is due, send one now, add and list schedules (docs/reports.md)."""


def _instant(raw: str | None):
    from datetime import UTC, datetime

    if raw is None:
        return datetime.now(UTC)
    try:
        instant = datetime.fromisoformat(raw)
    except ValueError:
        raise UserError(f"--at {raw!r} is not an ISO timestamp; give e.g. 2026-03-09T08:00:00+01:00") from None
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


@reports.command("run-due")
@click.option("--at", "at", default=None, metavar="ISO-TIMESTAMP", help="Run as of this instant (default now; UTC "
              "when it has no offset).")  # fmt: skip
@click.option("--workers", type=click.IntRange(1, 64), default=4, show_default=True, help="Emails sent in parallel.")
@friendly_errors
def reports_run_due(at: str | None, workers: int) -> None:
    """Send every scheduled report due at that instant, once per recipient (what the Dagster sensor runs)."""
    from readside.delivery import run_due

    summary = run_due(_instant(at), workers=workers)
    for outcome in summary.outcomes:
        if outcome.status in ("failed", "held"):
            click.echo(f"{outcome.status}: schedule #{outcome.schedule_id} to {outcome.recipient}: {outcome.reason}")
    click.echo(summary.line())


@reports.command("send")
@click.argument("schedule_id", type=int)
@click.option("--to", "to", required=True, metavar="EMAIL", help="Whom to send it to (read as that recipient).")
@friendly_errors
def reports_send(schedule_id: int, to: str) -> None:
    """Send one schedule's report now to one address (the dashboards' "send test")."""
    from readside.delivery import send_now

    outcome = send_now(schedule_id, to)
    if outcome.status != "sent":
        raise UserError(f"schedule #{schedule_id} to {to} {outcome.status}: {outcome.reason}")
    click.echo(f"sent schedule #{schedule_id} to {outcome.recipient} ({outcome.reason})")


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _schedule_from_options(viewer, options: dict):
    from datetime import time as clock

    from readside.schedules import ALERT_OPERATORS, Schedule, ScheduleError

    report, _, custom = options["report"].partition(":")
    try:
        custom_id = int(custom) if custom else None
    except ValueError:
        raise ScheduleError(
            f"--report {options['report']!r}: give a custom report as custom:ID, e.g. custom:12"
        ) from None
    try:
        hours, minutes = (int(part) for part in options["at"].split(":"))
        send_at = clock(hours, minutes)
    except ValueError:
        raise ScheduleError(f"--at {options['at']!r} is not a time of day HH:MM") from None
    day = options["day"]
    if day is not None and day.lower()[:3] in WEEKDAYS:
        day = WEEKDAYS.index(day.lower()[:3]) + 1
    elif day is not None:
        try:
            day = int(day)
        except ValueError:
            raise ScheduleError(f"--day {day!r} is neither a weekday (mon..sun) nor a day of the month") from None
    filters = {}
    if options["range"]:
        last, _, unit = options["range"].partition(" ")
        if not last.isdigit():
            raise ScheduleError(f"--range {options['range']!r}: give a count and a unit, e.g. '7 day' or '1 month'")
        filters["range"] = {"last": int(last), "unit": unit.strip().rstrip("s")}
    filters |= {key: options[key] for key in ("grain", "compare") if options[key]}
    alert = None
    if options["alert"]:
        parts = options["alert"].split()
        try:
            alert = {"metric": parts[0], "op": parts[1], "threshold": float(parts[2])}
        except (IndexError, ValueError):
            raise ScheduleError(
                f"--alert {options['alert']!r}: give 'METRIC {'|'.join(ALERT_OPERATORS)} NUMBER', e.g. "
                "'receivables_overdue above 5000'"
            ) from None
    frequency = "cron" if options["cron"] else options["every"]
    return Schedule(
        organization_id=viewer.organization_id,
        name=options["name"],
        report_type=report,
        custom_report_id=custom_id,
        recipients=tuple(options["to"]),
        timezone=options["timezone"] or viewer.timezone,
        frequency=frequency,
        send_at_local_time=send_at,
        day_of_week=day if frequency == "weekly" else None,
        day_of_month=day if frequency == "monthly" else None,
        cron_expression=options["cron"],
        format=options["format"],
        filters=filters,
        skip_when_empty=not options["send_empty"],
        grace_minutes=options["grace"],
        alert_condition=alert,
        is_active=not options["paused"],
    )


@reports.command("add")
@click.option("--owner", required=True, metavar="EMAIL", help="The owner: a user who may schedule emails.")
@click.option(
    "--organization", "organization", type=int, default=None, help="Organization id, when the owner has several."
)
@click.option("--name", required=True, help="The report's name (the email's subject).")
@click.option("--report", "report", required=True, metavar="TYPE",
              help="daily_metrics, pipeline, warranty, jobs, current_state, targets, or custom:ID.")  # fmt: skip
@click.option("--every", default="daily", show_default=True, metavar="daily|weekly|monthly", help="How often.")
@click.option("--cron", default=None, metavar="EXPR", help="A five-field cron expression in local time instead.")
@click.option("--at", "at", default="08:00", show_default=True, metavar="HH:MM", help="Local time of day.")
@click.option("--day", default=None, help="Weekday (mon..sun or 1-7) of a weekly, day (1-31) of a monthly report.")
@click.option("--timezone", default=None, metavar="IANA", help="Time zone (default: the organization's).")
@click.option("--to", "to", multiple=True, required=True, metavar="EMAIL", help="A recipient (repeat for more).")
@click.option("--format", "format", default="html", show_default=True, metavar="html|csv|both", help="What is sent.")
@click.option(
    "--range", "range", default=None, metavar="'N UNIT'", help="Whole units before the send date, e.g. '7 day'."
)
@click.option("--grain", default=None, help="Time grain of the chart and table (day, week, month, ...).")
@click.option("--compare", default=None, help="previous (default) or last_year.")
@click.option("--send-empty", is_flag=True, help="Send even when the period has no data.")
@click.option("--grace", type=click.IntRange(0, 1440), default=120, show_default=True, help="Minutes to wait for data.")
@click.option("--alert", default=None, metavar="'METRIC above|below N'", help="Send only when this turns true.")
@click.option("--paused", is_flag=True, help="Save it paused.")
@friendly_errors
def reports_add(owner: str, organization: int | None, **options) -> None:
    """Add a scheduled report, owned and audited as --owner (the same checks as the dashboards' Schedules page)."""
    from datetime import UTC, datetime

    from readside.access import viewers_for_email
    from readside.schedules import get_schedule, save_schedule

    viewers = viewers_for_email(owner)
    viewer = next((v for v in viewers if organization in (None, v.organization_id)), None)
    if viewer is None or (organization is None and len(viewers) > 1):
        choices = ", ".join(f"{v.organization_id} ({v.organization_name})" for v in viewers)
        raise UserError(f"{owner} belongs to organization(s) {choices}: pick one with --organization")
    schedule_id = save_schedule(viewer, _schedule_from_options(viewer, options), now=datetime.now(UTC))
    saved = get_schedule(viewer, schedule_id)
    next_run = (
        f"next run {saved.next_run_at.astimezone(saved.zone):%Y-%m-%d %H:%M %Z}" if saved.next_run_at else "paused"
    )
    click.echo(f"schedule #{schedule_id} '{saved.name}' ({saved.describe_when()}, {saved.timezone}): {next_run}")


@reports.command("list")
@click.option("--organization", "organization", type=int, default=None, help="Only this organization's schedules.")
@friendly_errors
def reports_list(organization: int | None) -> None:
    """Every schedule, one line each, with its next run in its own time zone."""
    from sqlalchemy import text

    from oltp.database import get_engine
    from readside.schedules import from_row, select_list

    with get_engine().connect() as conn:
        rows = conn.execute(
            text(
                f"select {select_list()} from app.scheduled_reports where deleted_at is null "
                "and (cast(:o as bigint) is null or organization_id = :o) order by organization_id, name, id"
            ),
            {"o": organization},
        ).mappings()
        schedules = [from_row(row) for row in rows]
    for s in schedules:
        state = (
            f"next {s.next_run_at.astimezone(s.zone):%Y-%m-%d %H:%M %Z}" if s.is_active and s.next_run_at else "paused"
        )
        click.echo(
            f"#{s.id} org {s.organization_id} '{s.name}': {s.report_type}, {s.describe_when()} {s.timezone}, {state}, "
            f"{len(s.recipients)} recipient(s), {s.format}"
        )
    if not schedules:
        click.echo("no scheduled reports")


# -- the UIs -----------------------------------------------------------------------------------------------------
@cli.command()
@click.option("--dagster/--no-dagster", default=True, help="Start the Dagster UI and daemon.")
@click.option("--streamlit/--no-streamlit", default=True, help="Start the Streamlit dashboards.")
@friendly_errors
def serve(dagster: bool, streamlit: bool) -> None:
    """Start the UIs (Dagster for data engineers, Streamlit for analysts); Ctrl-C stops them."""
    from orchestration.serve import serve as serve_uis

    serve_uis(dagster=dagster, streamlit=streamlit, echo=click.echo)


def main() -> None:
    cli(prog_name="warehouse")


if __name__ == "__main__":
    main()
