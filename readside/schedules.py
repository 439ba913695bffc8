"""Scheduled email reports: what a schedule sends and when, every occurrence as a UTC instant in the schedule's own
time zone (daylight-saving changes included), the period each occurrence reports, and creating, changing, pausing
and listing schedules as the viewer (row-level security, audited). readside/delivery.py sends them.

Local times that do not exist or occur twice (docs/reports.md): a time inside a spring-forward gap is sent as many
minutes after the gap as it would have been into it (02:30 on a day that jumps from 02:00 to 03:00 is sent at 03:30);
a time that occurs twice on a fall-back day is sent once, at its first occurrence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from oltp.errors import WarehouseError
from readside import audit
from readside.access import SCHEDULES_WRITE, Viewer
from readside.database import scoped
from readside.figures import DAILY_RELATIONS, glossary
from readside.periods import COMPARISONS, Filters
from readside.semantic import RELATIVE_UNITS, TIME_GRAINS, _period_start


class ScheduleError(WarehouseError, ValueError):
    """A schedule that cannot be saved or sent as given; the message names the field, the value and what to do."""


@dataclass(frozen=True)
class ReportType:
    title: str
    relation: str  # the reporting relation the freshness gate waits for
    page: str  # the dashboards page showing the same view (Streamlit's path from the page's file name)


REPORT_TYPES: dict[str, ReportType] = {
    "daily_metrics": ReportType("Sales and billing", "mv_daily_metrics", "sales"),
    "pipeline": ReportType("Pipeline", "mv_daily_pipeline", "pipeline"),
    "jobs": ReportType("Jobs", "mv_daily_jobs", "jobs"),
    "warranty": ReportType("Warranty", "mv_daily_warranty", "warranty"),
    "current_state": ReportType("Overview", "mv_current_state", "overview"),
    "targets": ReportType("Targets", "target_attainment", "targets"),
    # A custom report reads the marts; mv_current_state is built last from the same build and carries its as-of.
    "custom": ReportType("Custom report", "mv_current_state", "custom_reports"),
}
FREQUENCIES = ("daily", "weekly", "monthly", "cron")
FORMATS = ("html", "csv", "both")  # what can be chosen; 'pdf' rows from before #18 are sent as both
ALERT_OPERATORS = ("above", "below")
# A range is this many whole units before the local send date, unless the schedule's filters say otherwise.
DEFAULT_RANGE = {"daily": (7, "day"), "weekly": (1, "week"), "monthly": (1, "month"), "cron": (7, "day")}
MAX_RANGE_DAYS = 732
MIN_CRON_INTERVAL = timedelta(minutes=15)
DEFAULT_GRACE_MINUTES = 120
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Schedule:
    """One row of app.scheduled_reports as the read side uses it."""

    organization_id: int
    name: str
    report_type: str
    recipients: tuple[str, ...]
    timezone: str
    frequency: str = "daily"
    send_at_local_time: time = time(8, 0)
    day_of_week: int | None = None
    day_of_month: int | None = None
    cron_expression: str | None = None
    custom_report_id: int | None = None
    format: str = "html"
    filters: Mapping[str, Any] = field(default_factory=dict)
    skip_when_empty: bool = True
    grace_minutes: int = DEFAULT_GRACE_MINUTES
    alert_condition: Mapping[str, Any] | None = None
    is_active: bool = True
    id: int | None = None
    created_by_user_id: int | None = None
    alert_active: bool = False
    next_run_at: datetime | None = None
    last_sent_at: datetime | None = None

    @property
    def kind(self) -> ReportType:
        return REPORT_TYPES[self.report_type]

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.timezone)

    def describe_when(self) -> str:
        """'daily at 08:00', 'weekly on Monday at 08:00', 'monthly on day 1 at 08:00', 'cron 0 8 * * 1-5'."""
        at = self.send_at_local_time.strftime("%H:%M")
        if self.frequency == "cron":
            return f"cron {self.cron_expression}"
        if self.frequency == "weekly":
            return f"weekly on {date(2024, 1, self.day_of_week).strftime('%A')} at {at}"
        if self.frequency == "monthly":
            return f"monthly on day {self.day_of_month} at {at}"
        return f"daily at {at}"


# The columns of app.scheduled_reports a Schedule is read from.
COLUMNS = ("id", "organization_id", "name", "report_type", "recipients", "timezone", "frequency",
           "send_at_local_time", "day_of_week", "day_of_month", "cron_expression", "custom_report_id", "format",
           "filters", "skip_when_empty", "grace_minutes", "alert_condition", "is_active", "created_by_user_id",
           "alert_active", "next_run_at", "last_sent_at")  # fmt: skip


def select_list(alias: str = "") -> str:
    return ", ".join(f"{alias}.{name}" if alias else name for name in COLUMNS)


def from_row(row: Mapping[str, Any]) -> Schedule:
    values = {name: row[name] for name in COLUMNS}
    values["recipients"] = tuple(values["recipients"] or ())
    values["filters"] = dict(values["filters"] or {})
    return Schedule(**values)


# -- when --------------------------------------------------------------------------------------------------------------
@cache
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(
            f"unknown time zone {name!r}; use an IANA name such as Europe/Berlin or America/New_York"
        ) from None


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``tz``: inside a spring-forward gap, as far past the gap as
    it was into it; in a repeated fall-back hour, the first time it occurs (PEP 495, fold=0)."""
    return datetime.combine(day, at).replace(tzinfo=tz).astimezone(UTC)


def _last_day_of_month(day: date) -> int:
    return ((day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)).day


def _wall_times(schedule: Schedule, first: date, last: date) -> Iterator[datetime]:
    """The schedule's naive local send times on the days ``first`` to ``last``, in order."""
    if schedule.frequency == "cron":
        from croniter import croniter

        moments = croniter(schedule.cron_expression, datetime.combine(first, time()) - timedelta(minutes=1))
        while (moment := moments.get_next(datetime)).date() <= last:
            yield moment
        return
    day = first
    while day <= last:
        if (
            schedule.frequency == "daily"
            or (schedule.frequency == "weekly" and day.isoweekday() == schedule.day_of_week)
            or (schedule.frequency == "monthly" and day.day == min(schedule.day_of_month, _last_day_of_month(day)))
        ):
            yield datetime.combine(day, schedule.send_at_local_time)
        day += timedelta(days=1)


def occurrences(schedule: Schedule, start: datetime, end: datetime) -> list[datetime]:
    """The instants (UTC) the schedule sends at from ``start`` to ``end``, both included, ascending; a wall time
    that two local times map to (a cron time in a spring-forward gap) counts once."""
    tz = schedule.zone
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    found = {local_instant(moment.date(), moment.time(), tz) for moment in _wall_times(schedule, first, last)}
    return sorted(instant for instant in found if start <= instant <= end)


def next_occurrence(schedule: Schedule, after: datetime) -> datetime:
    """The first instant strictly after ``after`` (a monthly schedule looks up to 13 months ahead)."""
    window = timedelta(days=2)
    start = after + timedelta(microseconds=1)
    while window <= timedelta(days=400):
        found = occurrences(schedule, start, after + window)
        if found:
            return found[0]
        window *= 4
    raise ScheduleError(f"{schedule.describe_when()} never sends; check the day and the cron expression")


# -- what period an occurrence reports ---------------------------------------------------------------------------------
def report_filters(schedule: Schedule, occurrence: datetime) -> Filters:
    """The dashboards' filters for the view one occurrence sends: the schedule's range of whole days, weeks, months,
    quarters or years before the local send date, at its grain, compared as it says."""
    today = occurrence.astimezone(schedule.zone).date()
    last, unit = _range(schedule)
    end = _period_start(today, unit, 0) - timedelta(days=1)
    start = _period_start(today, unit, last)
    return Filters(start, end, _grain(schedule), schedule.filters.get("compare") or "previous")


def _range(schedule: Schedule) -> tuple[int, str]:
    raw = schedule.filters.get("range")
    if raw is None:
        return DEFAULT_RANGE[schedule.frequency]
    return raw["last"], raw["unit"]


def _grain(schedule: Schedule) -> str:
    return schedule.filters.get("grain") or "day"


# -- checking what is saved --------------------------------------------------------------------------------------------
def alert_metrics(report_type: str) -> dict[str, str]:
    """Metric name -> where it is read, for an alert on this report: the period's figures of its relation, or the
    organization's current state."""
    metrics = {}
    relation = REPORT_TYPES[report_type].relation
    if relation in DAILY_RELATIONS:
        metrics.update(dict.fromkeys((f.column for f in DAILY_RELATIONS[relation].figures), relation))
    for column, entry in glossary().get("mv_current_state", {}).items():
        if entry["unit"] not in ("identifier", "date", "timestamp", "ISO 4217 code"):
            metrics.setdefault(column, "mv_current_state")
    return metrics


def validate(schedule: Schedule) -> Schedule:
    """The schedule with its values normalised (recipients lower case, once each), or ScheduleError naming the first
    field that is wrong. Recipients are checked against the organization by the database when saved."""
    name = (schedule.name or "").strip()
    if not name:
        raise ScheduleError("a schedule needs a name")
    if schedule.report_type not in REPORT_TYPES:
        raise ScheduleError(f"unknown report {schedule.report_type!r}; valid: {', '.join(REPORT_TYPES)}")
    if (schedule.report_type == "custom") != (schedule.custom_report_id is not None):
        raise ScheduleError("a custom report schedule names its saved report (and only a custom one does)")
    zone(schedule.timezone)
    if schedule.frequency not in FREQUENCIES:
        raise ScheduleError(f"unknown frequency {schedule.frequency!r}; valid: {', '.join(FREQUENCIES)}")
    cron = None
    if schedule.frequency == "cron":
        cron = " ".join(str(schedule.cron_expression or "").split())
        _check_cron(cron)
    if schedule.frequency == "weekly" and schedule.day_of_week not in range(1, 8):
        raise ScheduleError(
            f"a weekly schedule needs a weekday from 1 (Monday) to 7 (Sunday), got {schedule.day_of_week}"
        )
    if schedule.frequency == "monthly" and schedule.day_of_month not in range(1, 32):
        raise ScheduleError(f"a monthly schedule needs a day of the month from 1 to 31, got {schedule.day_of_month}")
    if schedule.format not in FORMATS:
        raise ScheduleError(f"unknown format {schedule.format!r}; valid: {', '.join(FORMATS)}")
    if not isinstance(schedule.grace_minutes, int) or not 0 <= schedule.grace_minutes <= 24 * 60:
        raise ScheduleError(f"grace time must be 0 to 1440 minutes, got {schedule.grace_minutes!r}")
    recipients = tuple(dict.fromkeys(str(r).strip().lower() for r in schedule.recipients if str(r).strip()))
    if not recipients:
        raise ScheduleError("a schedule needs at least one recipient")
    for recipient in recipients:
        if not EMAIL.match(recipient):
            raise ScheduleError(f"recipient {recipient!r} is not an email address")
    checked = replace(
        schedule,
        name=name,
        recipients=recipients,
        cron_expression=cron,
        day_of_week=schedule.day_of_week if schedule.frequency == "weekly" else None,
        day_of_month=schedule.day_of_month if schedule.frequency == "monthly" else None,
        filters=_checked_filters(schedule.filters),
    )
    _check_alert(checked)
    return checked


def _check_cron(expression: str) -> None:
    from croniter import croniter

    if len(expression.split()) != 5 or not croniter.is_valid(expression):
        raise ScheduleError(
            f"cron expression {expression!r} is not valid; give five fields: minute hour day-of-month month "
            "day-of-week, e.g. '0 8 * * 1-5' for 08:00 on weekdays"
        )
    moments = croniter(expression, datetime(2026, 1, 1))
    times = [moments.get_next(datetime) for _ in range(200)]
    if min(b - a for a, b in pairwise(times)) < MIN_CRON_INTERVAL:
        raise ScheduleError(f"cron expression {expression!r} fires more often than every 15 minutes")


def _checked_filters(filters: Mapping[str, Any] | None) -> dict[str, Any]:
    filters = dict(filters or {})
    unknown = set(filters) - {"range", "grain", "compare"}
    if unknown:
        raise ScheduleError(f"unknown filter(s) {', '.join(sorted(unknown))}; valid: range, grain, compare")
    if "range" in filters:
        raw = filters["range"]
        last = raw.get("last") if isinstance(raw, Mapping) else None
        unit = raw.get("unit") if isinstance(raw, Mapping) else None
        if not isinstance(last, int) or isinstance(last, bool) or last < 1 or unit not in RELATIVE_UNITS:
            raise ScheduleError(
                f'range must be {{"last": n, "unit": one of {", ".join(RELATIVE_UNITS)}}}, got {json.dumps(raw)}'
            )
        if last * {"day": 1, "week": 7, "month": 31, "quarter": 92, "year": 366}[unit] > MAX_RANGE_DAYS:
            raise ScheduleError(f"range of {last} {unit}(s) is longer than two years")
        filters["range"] = {"last": last, "unit": unit}
    if filters.get("grain") is not None and filters["grain"] not in TIME_GRAINS:
        raise ScheduleError(f"grain {filters['grain']!r} is not one of {', '.join(TIME_GRAINS)}")
    if filters.get("compare") is not None and filters["compare"] not in COMPARISONS:
        raise ScheduleError(f"compare {filters['compare']!r} is not one of {', '.join(COMPARISONS)}")
    return {key: value for key, value in filters.items() if value is not None}


def _check_alert(schedule: Schedule) -> None:
    condition = schedule.alert_condition
    if condition is None:
        return
    metrics = alert_metrics(schedule.report_type)
    metric, op, threshold = condition.get("metric"), condition.get("op"), condition.get("threshold")
    if metric not in metrics:
        raise ScheduleError(f"alert metric {metric!r} is not one of {', '.join(sorted(metrics))}")
    if op not in ALERT_OPERATORS:
        raise ScheduleError(f"alert operator {op!r} is not one of {', '.join(ALERT_OPERATORS)}")
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise ScheduleError(f"alert threshold must be a number, got {threshold!r}")


# -- as the viewer -----------------------------------------------------------------------------------------------------
def _database_refusal(error) -> ScheduleError | None:
    """The message of the database's refusal of a recipient (trigger check_recipients), if that is what it was."""
    orig = getattr(error, "orig", None)
    diag = getattr(orig, "diag", None)
    if diag is not None and diag.constraint_name == "check_recipients":
        hint = f"; {diag.message_hint}" if diag.message_hint else ""
        return ScheduleError(f"{diag.message_primary}{hint}")
    return None


def save_schedule(viewer: Viewer, schedule: Schedule, *, now: datetime | None = None, engine=None) -> int:
    """Create the schedule (``schedule.id`` None, owned by the viewer) or change the organization's schedule
    ``schedule.id``; returns its id. Needs schedules.write. The next run is computed from ``now``; an edit that keeps
    the timing keeps it. Audited as an insert or update in the same transaction."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from readside.custom_reports import get_report

    viewer.require(SCHEDULES_WRITE)
    schedule = validate(replace(schedule, organization_id=viewer.organization_id))
    if schedule.custom_report_id is not None and get_report(viewer, schedule.custom_report_id, engine) is None:
        raise ScheduleError(f"there is no custom report #{schedule.custom_report_id} that you can open")
    now = now or datetime.now(UTC)
    values = {
        "organization_id": viewer.organization_id,
        "name": schedule.name,
        "report_type": schedule.report_type,
        "custom_report_id": schedule.custom_report_id,
        "frequency": schedule.frequency,
        "send_at_local_time": schedule.send_at_local_time,
        "day_of_week": schedule.day_of_week,
        "day_of_month": schedule.day_of_month,
        "cron_expression": schedule.cron_expression,
        "timezone": schedule.timezone,
        "recipients": json.dumps(list(schedule.recipients)),
        "format": schedule.format,
        "filters": json.dumps(schedule.filters),
        "skip_when_empty": schedule.skip_when_empty,
        "grace_minutes": schedule.grace_minutes,
        "alert_condition": None if schedule.alert_condition is None else json.dumps(schedule.alert_condition),
        "is_active": schedule.is_active,
    }
    try:
        with scoped(viewer.scope, engine) as conn:
            before = None
            if schedule.id is not None:
                row = (
                    conn.execute(
                        text(
                            f"select {select_list()} from app.scheduled_reports "
                            "where id = :id and deleted_at is null for update"
                        ),
                        {"id": schedule.id},
                    )
                    .mappings()
                    .first()
                )
                if row is None:
                    raise ScheduleError(f"there is no schedule #{schedule.id} in {viewer.organization_name}")
                before = from_row(row)
            timing_kept = before is not None and before.is_active and _timing(before) == _timing(schedule)
            # A changed condition starts from "not holding": the next check that finds it true sends.
            values["alert_active"] = bool(
                before and before.alert_condition == schedule.alert_condition and before.alert_active
            )
            if not schedule.is_active:
                values["next_run_at"] = None
            else:
                values["next_run_at"] = before.next_run_at if timing_kept else next_occurrence(schedule, now)
            assigned = ", ".join(f"{name} = {_placeholder(name)}" for name in values)
            if before is None:
                names = ", ".join([*values, "created_by_user_id"])
                placeholders = ", ".join([*(_placeholder(name) for name in values), ":owner"])
                schedule_id = conn.execute(
                    text(f"insert into app.scheduled_reports ({names}) values ({placeholders}) returning id"),
                    {**values, "owner": viewer.user_id},
                ).scalar_one()
            else:
                schedule_id = schedule.id
                conn.execute(
                    text(f"update app.scheduled_reports set {assigned}, updated_at = now() where id = :id"),
                    {**values, "id": schedule_id},
                )
            audit.record(
                viewer.scope,
                "insert" if before is None else "update",
                table_name="scheduled_reports",
                row_pk=schedule_id,
                new_values={k: v for k, v in asdict(schedule).items() if k not in ("id", "next_run_at", "last_sent_at")}
                | {"next_run_at": values["next_run_at"]},
                conn=conn,
            )
    except DBAPIError as error:
        refusal = _database_refusal(error)
        if refusal is None:
            raise
        raise refusal from None
    return schedule_id


def _placeholder(name: str) -> str:
    return f"cast(:{name} as jsonb)" if name in ("recipients", "filters", "alert_condition") else f":{name}"


def _timing(schedule: Schedule) -> tuple:
    return (schedule.frequency, schedule.send_at_local_time, schedule.day_of_week, schedule.day_of_month,
            schedule.cron_expression, schedule.timezone)  # fmt: skip


def set_active(viewer: Viewer, schedule_id: int, active: bool, *, now: datetime | None = None, engine=None) -> None:
    """Pause or resume a schedule (schedules.write). Resumed, it next runs at its first occurrence after ``now``: what
    fell due while it was paused is not caught up."""
    schedule = get_schedule(viewer, schedule_id, engine)
    if schedule is None:
        raise ScheduleError(f"there is no schedule #{schedule_id} in {viewer.organization_name}")
    if schedule.is_active != active:
        save_schedule(viewer, replace(schedule, is_active=active), now=now, engine=engine)


def list_schedules(viewer: Viewer, engine=None) -> list[Schedule]:
    """The organization's schedules, by name (reports.read sees them; changing needs schedules.write)."""
    from sqlalchemy import text

    with scoped(viewer.scope, engine) as conn:
        rows = conn.execute(
            text(f"select {select_list()} from app.scheduled_reports where deleted_at is null order by name, id")
        ).mappings()
        return [from_row(row) for row in rows]


def get_schedule(viewer: Viewer, schedule_id: Any, engine=None) -> Schedule | None:
    from sqlalchemy import text

    try:
        schedule_id = int(str(schedule_id))
    except ValueError:
        return None
    with scoped(viewer.scope, engine) as conn:
        row = (
            conn.execute(
                text(f"select {select_list()} from app.scheduled_reports where id = :id and deleted_at is null"),
                {"id": schedule_id},
            )
            .mappings()
            .first()
        )
    return from_row(row) if row else None


def delivery_log(viewer: Viewer, schedule_id: int, limit: int = 100, engine=None):
    """The schedule's deliveries, newest first, as the viewer reads them (row-level security on the ledger)."""
    import pandas as pd
    from sqlalchemy import text

    with scoped(viewer.scope, engine) as conn:
        result = conn.execute(
            text(
                """
                select scheduled_for, kind, recipient, status, reason, attempts, sent_at, late, period_start,
                       period_end, data_as_of, checks, message_id_header
                from app.report_deliveries where scheduled_report_id = :id
                order by scheduled_for desc, recipient limit :limit
                """
            ),
            {"id": schedule_id, "limit": limit},
        )
        return pd.DataFrame(result.mappings().all(), columns=list(result.keys()))
