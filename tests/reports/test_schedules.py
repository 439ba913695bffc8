"""When a schedule sends, in its own time zone across both 2026 daylight-saving changes, what period each occurrence
reports, and what a schedule may not be (pure functions: no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from readside.schedules import Schedule, ScheduleError, next_occurrence, occurrences, report_filters, validate


def schedule(**values) -> Schedule:
    defaults = {"organization_id": 1, "name": "r", "report_type": "daily_metrics", "recipients": ("a@x.example",),
                "timezone": "UTC"}  # fmt: skip
    return Schedule(**(defaults | values))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


BERLIN_WEEKLY = schedule(timezone="Europe/Berlin", frequency="weekly", day_of_week=1, send_at_local_time=time(8))
NEW_YORK_DAILY = schedule(timezone="America/New_York", frequency="daily", send_at_local_time=time(9))


def test_a_weekly_berlin_report_keeps_0800_local_across_both_eu_changes_of_2026():
    # CET (+1) before 2026-03-29 and after 2026-10-25, CEST (+2) between: the UTC hour moves, the local one does not.
    assert occurrences(BERLIN_WEEKLY, utc(2026, 3, 20), utc(2026, 4, 2)) == [utc(2026, 3, 23, 7), utc(2026, 3, 30, 6)]
    assert occurrences(BERLIN_WEEKLY, utc(2026, 10, 16), utc(2026, 10, 29)) == [
        utc(2026, 10, 19, 6),
        utc(2026, 10, 26, 7),
    ]


def test_a_daily_new_york_report_keeps_0900_local_across_both_us_changes_of_2026():
    assert occurrences(NEW_YORK_DAILY, utc(2026, 3, 7), utc(2026, 3, 9, 23)) == [
        utc(2026, 3, 7, 14), utc(2026, 3, 8, 13), utc(2026, 3, 9, 13)]  # fmt: skip
    assert occurrences(NEW_YORK_DAILY, utc(2026, 10, 31), utc(2026, 11, 2, 23)) == [
        utc(2026, 10, 31, 13), utc(2026, 11, 1, 14), utc(2026, 11, 2, 14)]  # fmt: skip
    assert next_occurrence(NEW_YORK_DAILY, utc(2026, 3, 7, 14)) == utc(2026, 3, 8, 13)
    assert next_occurrence(NEW_YORK_DAILY, utc(2026, 3, 7, 13, 59)) == utc(2026, 3, 7, 14)


def test_a_time_inside_the_spring_forward_gap_is_sent_as_far_after_the_gap_as_it_was_into_it():
    # 02:30 does not exist on 2026-03-29 in Berlin (02:00 -> 03:00) nor on 2026-03-08 in New York: sent at 03:30.
    berlin = schedule(timezone="Europe/Berlin", send_at_local_time=time(2, 30))
    new_york = schedule(timezone="America/New_York", send_at_local_time=time(2, 30))
    assert occurrences(berlin, utc(2026, 3, 28), utc(2026, 3, 30, 12)) == [
        utc(2026, 3, 28, 1, 30), utc(2026, 3, 29, 1, 30), utc(2026, 3, 30, 0, 30)]  # fmt: skip
    assert utc(2026, 3, 29, 1, 30).astimezone(berlin.zone).strftime("%H:%M %Z") == "03:30 CEST"
    assert occurrences(new_york, utc(2026, 3, 8), utc(2026, 3, 8, 23)) == [utc(2026, 3, 8, 7, 30)]
    assert utc(2026, 3, 8, 7, 30).astimezone(new_york.zone).strftime("%H:%M %Z") == "03:30 EDT"


def test_a_time_that_occurs_twice_on_the_fall_back_day_is_sent_once_at_its_first_occurrence():
    new_york = schedule(timezone="America/New_York", send_at_local_time=time(1, 30))
    berlin = schedule(timezone="Europe/Berlin", send_at_local_time=time(2, 30))
    assert occurrences(new_york, utc(2026, 11, 1), utc(2026, 11, 1, 23)) == [utc(2026, 11, 1, 5, 30)]  # 01:30 EDT
    assert occurrences(berlin, utc(2026, 10, 25), utc(2026, 10, 25, 23)) == [utc(2026, 10, 25, 0, 30)]  # 02:30 CEST
    # A cron expression follows the same rule: hourly on the fall-back day is 24 sends, the repeated hour once.
    hourly = schedule(timezone="America/New_York", frequency="cron", cron_expression="0 * * * *")
    fall_back = occurrences(hourly, utc(2026, 11, 1, 4), utc(2026, 11, 2, 4, 59))  # local 2026-11-01 00:00 to 23:59
    assert len(fall_back) == 24 and len(set(fall_back)) == 24
    spring = occurrences(hourly, utc(2026, 3, 8, 5), utc(2026, 3, 9, 3, 59))  # local 2026-03-08, a 23-hour day
    assert len(spring) == 23


def test_monthly_on_the_31st_goes_out_on_the_last_day_of_shorter_months():
    monthly = schedule(frequency="monthly", day_of_month=31, send_at_local_time=time(6))
    found = occurrences(monthly, utc(2026, 1, 1), utc(2026, 5, 1))
    assert [moment.date() for moment in found] == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31),
                                                   date(2026, 4, 30)]  # fmt: skip


def test_each_occurrence_reports_whole_units_before_its_local_send_date():
    # Monday 2026-03-30 08:00 Berlin is 06:00 UTC: the previous ISO week, compared with the one before.
    week = report_filters(replace(BERLIN_WEEKLY, filters={"grain": "day"}), utc(2026, 3, 30, 6))
    assert (week.start, week.end, week.grain, week.compared()) == (
        date(2026, 3, 23), date(2026, 3, 29), "day", (date(2026, 3, 16), date(2026, 3, 22)))  # fmt: skip
    # 00:30 in New York on 2026-03-09 is already the 9th there (05:30 UTC... of the 9th, and the 8th's evening would
    # be the 8th): the local date decides, not the UTC one.
    late_evening = replace(
        NEW_YORK_DAILY, send_at_local_time=time(23, 30), filters={"range": {"last": 1, "unit": "day"}}
    )
    day = report_filters(late_evening, utc(2026, 3, 10, 3, 30))  # 23:30 EDT on 2026-03-09
    assert (day.start, day.end) == (date(2026, 3, 8), date(2026, 3, 8))
    month = report_filters(replace(NEW_YORK_DAILY, frequency="monthly", day_of_month=1), utc(2026, 3, 1, 14))
    assert (month.start, month.end) == (date(2026, 2, 1), date(2026, 2, 28))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"frequency": "cron", "cron_expression": "61 8 * * *"}, "cron expression '61 8 * * *' is not valid"),
        ({"frequency": "cron", "cron_expression": "0 8 * *"}, "give five fields"),
        ({"frequency": "cron", "cron_expression": "*/5 * * * *"}, "more often than every 15 minutes"),
        ({"timezone": "Mars/Olympus_Mons"}, "unknown time zone 'Mars/Olympus_Mons'"),
        ({"report_type": "revenue"}, "unknown report 'revenue'; valid: daily_metrics"),
        ({"report_type": "custom"}, "a custom report schedule names its saved report"),
        ({"frequency": "weekly"}, "a weekly schedule needs a weekday from 1 (Monday) to 7 (Sunday)"),
        ({"format": "pdf"}, "unknown format 'pdf'; valid: html, csv, both"),
        ({"recipients": ("not-an-address",)}, "recipient 'not-an-address' is not an email address"),
        ({"recipients": ()}, "needs at least one recipient"),
        ({"filters": {"range": {"last": 0, "unit": "day"}}}, "range must be"),
        ({"alert_condition": {"metric": "colour", "op": "above", "threshold": 1}}, "alert metric 'colour' is not"),
        ({"grace_minutes": -1}, "grace time must be 0 to 1440 minutes"),
    ],
)
def test_a_schedule_that_cannot_work_is_refused_with_what_to_fix(change, message):
    with pytest.raises(ScheduleError, match=message.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
        validate(replace(schedule(), **change))


def test_validation_normalises_recipients_and_keeps_only_the_frequencys_day():
    checked = validate(schedule(recipients=(" Ann@X.example", "ann@x.example", "bo@x.example"), day_of_week=3))
    assert checked.recipients == ("ann@x.example", "bo@x.example")
    assert checked.day_of_week is None
