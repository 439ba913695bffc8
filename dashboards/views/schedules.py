"""Scheduled reports: the organization's schedules with each next run in the schedule's own time zone, the delivery
log, and (with schedules.write) creating, changing, pausing and test-sending them."""

from datetime import UTC, datetime, time

import pandas as pd
import streamlit as st

from dashboards import session
from readside import custom_reports, delivery, schedules
from readside.access import SCHEDULES_WRITE, PermissionDenied
from readside.periods import COMPARISONS
from readside.schedules import FORMATS, FREQUENCIES, REPORT_TYPES, Schedule, ScheduleError
from readside.semantic import RELATIVE_UNITS, TIME_GRAINS

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NEW = 0  # the choice "new schedule"

viewer = session.viewer()
can_write = viewer.can(SCHEDULES_WRITE)
st.title("Scheduled reports")
st.caption(
    "Each recipient gets the report read as themselves: what their role may not see is left out, with a line saying "
    "so. A report waits for its period's data and passing checks up to its grace time."
)


def next_run(schedule: Schedule) -> str:
    if not schedule.is_active or schedule.next_run_at is None:
        return "paused"
    return f"{schedule.next_run_at.astimezone(schedule.zone):%Y-%m-%d %H:%M %Z}"


found = schedules.list_schedules(viewer)
if found:
    st.dataframe(
        pd.DataFrame(
            [
                {"id": s.id, "name": s.name, "report": REPORT_TYPES[s.report_type].title, "when": s.describe_when(),
                 "time zone": s.timezone, "next run (local)": next_run(s), "recipients": ", ".join(s.recipients),
                 "format": s.format, "alert": "yes" if s.alert_condition else ""}
                for s in found
            ]
        ),
        hide_index=True,
        width="stretch",
    )  # fmt: skip
else:
    st.info(f"{viewer.organization_name} has no scheduled reports yet.", icon=":material/info:")

by_id = {s.id: s for s in found}
choices = ([NEW] if can_write else []) + list(by_id)
if not choices:
    st.stop()
chosen_id = st.selectbox(
    "Schedule",
    choices,
    format_func=lambda key: "New schedule" if key == NEW else f"#{key} {by_id[key].name}",
    key="schedule",
)
chosen = by_id.get(chosen_id)

if chosen is not None:
    st.subheader(f"{chosen.name}: {chosen.describe_when()} ({chosen.timezone}), next run {next_run(chosen)}")
    if can_write:
        pause, test_to, test = st.columns([1, 3, 1], vertical_alignment="bottom")
        if pause.button("Resume" if not chosen.is_active else "Pause", key="pause"):
            try:
                schedules.set_active(viewer, chosen.id, not chosen.is_active, now=datetime.now(UTC))
            except (ScheduleError, PermissionDenied) as error:
                st.error(str(error), icon=":material/error:")
            else:
                st.rerun()
        address = test_to.text_input("Send a test to", value=viewer.email, key="test_to")
        if test.button("Send test", key="send_test"):
            try:
                delivery_id = delivery.request_test(viewer, chosen.id, address)
            except (ScheduleError, PermissionDenied) as error:
                st.error(str(error), icon=":material/error:")
            else:
                st.success(
                    f"Test #{delivery_id} to {address.strip().lower()} is queued: the scheduler sends it within a "
                    "minute, read as that recipient. Its status shows in the log below.",
                    icon=":material/schedule_send:",
                )
    st.caption("Deliveries, newest first")
    log = schedules.delivery_log(viewer, chosen.id)
    if log.empty:
        st.caption("Nothing has been sent yet.")
    else:
        st.dataframe(log, hide_index=True, width="stretch", key="log")

if not can_write:
    st.caption("Creating, changing and pausing schedules needs a role that may schedule email reports.")
    st.stop()

base = chosen or Schedule(viewer.organization_id, "", "daily_metrics", (viewer.email,), viewer.timezone)
reports = {report.id: report.name for report in custom_reports.list_reports(viewer)}
with st.form("schedule_form"):
    st.subheader("Change this schedule" if chosen else "New schedule")
    name = st.text_input("Name", value=base.name, key="name")
    left, right = st.columns(2)
    report_type = left.selectbox(
        "Report", list(REPORT_TYPES), index=list(REPORT_TYPES).index(base.report_type),
        format_func=lambda key: REPORT_TYPES[key].title, key="report_type",
    )  # fmt: skip
    custom_id = right.selectbox(
        "Custom report (for Custom report)", [None, *reports], format_func=lambda key: reports.get(key, "-"),
        index=[None, *reports].index(base.custom_report_id) if base.custom_report_id in reports else 0,
        key="custom_report",
    )  # fmt: skip
    frequency = left.selectbox("Frequency", FREQUENCIES, index=FREQUENCIES.index(base.frequency), key="frequency")
    send_at = right.time_input("Local time", value=base.send_at_local_time or time(8), key="send_at")
    weekday = left.selectbox("Weekday (weekly)", WEEKDAYS, index=(base.day_of_week or 1) - 1, key="weekday")
    day_of_month = right.number_input("Day of month (monthly)", 1, 31, base.day_of_month or 1, key="day_of_month")
    cron = left.text_input("Cron expression (cron)", value=base.cron_expression or "", key="cron",
                           help="Five fields in local time, e.g. 0 8 * * 1-5 for 08:00 on weekdays.")  # fmt: skip
    timezone = right.text_input("Time zone", value=base.timezone, key="timezone", help="An IANA name.")
    recipients = st.text_area(
        "Recipients", value="\n".join(base.recipients), key="recipients",
        help="One address per line: users of your organization, or addresses at a domain it allows.",
    )  # fmt: skip
    left, middle, right = st.columns(3)
    format_ = left.selectbox("Format", FORMATS, index=FORMATS.index(base.format) if base.format in FORMATS else 2,
                             key="format", help="html: summary and chart inline; csv: attached; both.")  # fmt: skip
    range_ = base.filters.get("range") or {}
    last = middle.number_input("Range: last", 1, 366, int(range_.get("last", 0)) or 7, key="range_last")
    unit = right.selectbox("unit(s) before the send date", RELATIVE_UNITS,
                           index=RELATIVE_UNITS.index(range_.get("unit", "day")), key="range_unit")  # fmt: skip
    grain = left.selectbox("Time grain", TIME_GRAINS, index=TIME_GRAINS.index(base.filters.get("grain", "day")),
                           key="grain")  # fmt: skip
    compared = list(COMPARISONS).index(base.filters.get("compare", "previous"))
    compare = middle.selectbox("Compare with", list(COMPARISONS), format_func=COMPARISONS.get, index=compared,
                               key="compare")  # fmt: skip
    grace = right.number_input("Grace time (minutes)", 0, 1440, base.grace_minutes, key="grace")
    skip_empty = st.checkbox("Skip when the period has no data", value=base.skip_when_empty, key="skip_empty")
    alert = base.alert_condition or {}
    metrics = list(schedules.alert_metrics(report_type))
    left, middle, right = st.columns(3)
    alerted = [None, *metrics].index(alert["metric"]) if alert.get("metric") in metrics else 0
    alert_metric = left.selectbox("Alert only when (optional)", [None, *metrics], index=alerted, key="alert_metric")
    alert_op = middle.selectbox("is", schedules.ALERT_OPERATORS, key="alert_op")
    threshold = right.number_input("threshold", value=float(alert.get("threshold", 0)), key="alert_threshold")
    active = st.checkbox("Active", value=base.is_active, key="active")
    if st.form_submit_button("Save", icon=":material/save:"):
        edited = Schedule(
            id=chosen.id if chosen else None,
            organization_id=viewer.organization_id,
            name=name,
            report_type=report_type,
            custom_report_id=custom_id if report_type == "custom" else None,
            recipients=tuple(recipients.replace(",", "\n").split()),
            timezone=timezone.strip(),
            frequency=frequency,
            send_at_local_time=send_at,
            day_of_week=WEEKDAYS.index(weekday) + 1,
            day_of_month=int(day_of_month),
            cron_expression=cron,
            format=format_,
            filters={"range": {"last": int(last), "unit": unit}, "grain": grain, "compare": compare},
            skip_when_empty=skip_empty,
            grace_minutes=int(grace),
            alert_condition={"metric": alert_metric, "op": alert_op, "threshold": threshold} if alert_metric else None,
            is_active=active,
        )
        try:
            saved = schedules.save_schedule(viewer, edited, now=datetime.now(UTC))
        except (ScheduleError, PermissionDenied) as error:
            st.error(str(error), icon=":material/error:")
        else:
            st.success(f"Saved schedule #{saved}.", icon=":material/check:")
