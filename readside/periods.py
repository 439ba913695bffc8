"""Date ranges as dashboards, links and emails take them: parsed from text (a URL's query parameters, a schedule's
filters) with one clear message for a bad value, and the periods a range is compared with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from oltp.errors import WarehouseError
from readside.semantic import TIME_GRAINS

EARLIEST = date(2000, 1, 1)
COMPARISONS = {"previous": "previous period", "last_year": "same period last year"}


class FilterError(WarehouseError, ValueError):
    """A filter value that cannot be used; the message names it and what is allowed."""


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    grain: str = "week"
    compare: str = "previous"

    def as_params(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "grain": self.grain,
                "compare": self.compare}  # fmt: skip

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def compared(self) -> tuple[date, date]:
        """The range this one is compared with: the same number of days just before, or a year earlier."""
        if self.compare == "last_year":
            return _year_earlier(self.start), _year_earlier(self.end)
        return self.start - timedelta(days=self.days), self.start - timedelta(days=1)


def _year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def default_filters(today: date, days: int = 90) -> Filters:
    return Filters(today - timedelta(days=days - 1), today)


def parse_day(raw: str, name: str, today: date) -> date:
    """A day from text, within the range the dashboards accept; FilterError naming ``name`` otherwise."""
    try:
        day = date.fromisoformat(str(raw))
    except ValueError:
        raise FilterError(f"{name}={raw!r} is not a date (YYYY-MM-DD)") from None
    latest = today + timedelta(days=366)
    if not EARLIEST <= day <= latest:
        raise FilterError(f"{name}={raw} is outside {EARLIEST} to {latest}")
    return day


def parse_filters(params: Mapping[str, str], today: date, default_days: int = 90) -> Filters:
    """Filters from text parameters (start, end, grain, compare); a missing one takes its default, a bad one raises
    FilterError naming it."""
    base = default_filters(today, default_days)
    start = parse_day(params["start"], "start", today) if params.get("start") else base.start
    end = parse_day(params["end"], "end", today) if params.get("end") else base.end
    if start > end:
        raise FilterError(f"the range starts ({start}) after it ends ({end})")
    grain = params.get("grain") or base.grain
    if grain not in TIME_GRAINS:
        raise FilterError(f"grain={grain!r} is not one of {', '.join(TIME_GRAINS)}")
    compare = params.get("compare") or base.compare
    if compare not in COMPARISONS:
        raise FilterError(f"compare={compare!r} is not one of {', '.join(COMPARISONS)}")
    return Filters(start, end, grain, compare)
