"""Each scheduled email goes out exactly once per recipient and period, on time in its time zone, and loudly when it
cannot: against the copy of the tiny warehouse and a real SMTP server on loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, time, timedelta

import pytest

from readside.delivery import run_due
from tests.conftest import REPO_ROOT
from tests.reports.conftest import deliveries, failing, make_schedule, refreshed, viewer_of

NOW = datetime(2026, 11, 20, 14, tzinfo=UTC)  # schedules are made at 09:00 in New York; the data runs to 2026-12-03
# Daily at 08:00 in New York (EST, -5): the first occurrence after NOW.
FIRST = datetime(2026, 11, 21, 13, tzinfo=UTC)


def run(at: datetime, smtp, **options):
    options.setdefault("refresh_status", refreshed)
    options.setdefault("backoff", 0.01)
    return run_due(at, smtp=smtp.settings, **options)


def statuses(db, schedule_id: int) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in deliveries(db, schedule_id):
        found.setdefault(row["status"], []).append(row["recipient"])
    return {status: sorted(recipients) for status, recipients in found.items()}


def test_run_due_twice_for_the_same_instant_sends_each_recipient_one_email_and_audits_it(db, smtp, people):
    analyst, finance, sales = people[(0, "analyst")], people[(0, "finance")], people[(0, "sales")]
    recipients = (analyst.email, finance.email, sales.email)
    schedule_id = make_schedule(analyst, NOW, recipients=recipients, format="csv")

    first = run(FIRST, smtp)
    second = run(FIRST, smtp)

    assert (first.planned, first.sent, second.planned, second.sent) == (3, 3, 0, 0)
    assert sorted(r.recipients[0] for r in smtp.reports()) == sorted(recipients)
    assert statuses(db, schedule_id) == {"sent": sorted(recipients)}
    rows = deliveries(db, schedule_id)
    assert {row["message_id_header"] for row in rows} == {str(r.message["Message-ID"]) for r in smtp.reports()}
    assert all(row["smtp_response"] == "250 2.0.0 Ok: queued" and row["attempts"] == 1 for row in rows)
    audited = db.execute(
        """select new_values ->> 'recipient', user_id from app.audit_logs
           where action = 'email_sent' and table_name = 'report_deliveries' and row_pk = any(%s)""",
        ([row["id"] for row in rows],),
    ).fetchall()
    assert sorted(audited) == sorted((email, None) for email in recipients)
    assert db.execute(
        "select next_run_at, last_sent_at is not null from app.scheduled_reports where id = %s", (schedule_id,)
    ).fetchone() == (FIRST + timedelta(days=1), True)
    assert first.rendered == 3 and first.render_seconds_per_email > 0 and first.sends_per_second > 0


def test_two_schedulers_sending_at_once_send_each_recipient_once(db, smtp, people):
    owner = people[(0, "analyst")]
    other = people[(1, "analyst")]
    a = make_schedule(owner, NOW, recipients=(owner.email, people[(0, "finance")].email, people[(0, "sales")].email),
                      format="csv")  # fmt: skip
    b = make_schedule(other, NOW, recipients=(other.email, people[(1, "finance")].email), format="csv",
                      timezone="America/Chicago", send_at_local_time=time(7))  # also 13:00 UTC  # fmt: skip
    results, errors = [], []

    def scheduler():
        try:
            results.append(run(FIRST, smtp, workers=1))
        except BaseException as error:
            errors.append(error)

    # While the server takes the first scheduler's first message, a second scheduler starts; the message is
    # answered only when the second scheduler's first message arrives: two sends in flight at once.
    second = threading.Thread(target=scheduler)
    both_sending = threading.Barrier(2, timeout=60)

    def on_data(number: int) -> None:
        if number == 1:
            second.start()
        if number <= 2:
            both_sending.wait()

    smtp.on_data = on_data
    first = threading.Thread(target=scheduler)
    first.start()
    first.join()
    second.join()

    assert errors == []
    assert sorted(summary.sent for summary in results)[0] >= 1  # both sent
    assert sum(summary.sent for summary in results) == 5 and sum(summary.planned for summary in results) == 5
    sent_to = [r.recipients[0] for r in smtp.reports()]
    assert len(sent_to) == len(set(sent_to)) == 5
    assert len(statuses(db, a)["sent"]) == 3 and len(statuses(db, b)["sent"]) == 2


KILLABLE = """
import sys
from datetime import datetime
from readside.delivery import SmtpSettings, run_due
smtp = SmtpSettings("127.0.0.1", int(sys.argv[2]), "reports@warehouse.example")
run_due(datetime.fromisoformat(sys.argv[1]), smtp=smtp, workers=1)
"""


@pytest.mark.slow
def test_a_scheduler_killed_mid_run_leaves_no_email_lost_and_none_sent_twice_under_another_id(
    db, smtp, people, dagster_home
):
    """Killed (SIGKILL) while the server takes the 3rd of 5 messages: 2 are recorded sent, the 3rd stays claimed
    (the server has it, the scheduler never heard back), 2 are pending. The next run sends the 2 pending ones; the
    one after the lease ran out sends the 3rd again with the same Message-ID: every recipient gets the report, none
    under two ids, and n - k = 3 sends after the kill."""
    owner = people[(0, "analyst")]
    recipients = tuple(people[(index, role)].email for index, role in
                       [(0, "analyst"), (0, "finance"), (0, "sales"), (0, "viewer"), (0, "admin")])  # fmt: skip
    schedule_id = make_schedule(owner, NOW, recipients=recipients, format="csv")
    process: list[subprocess.Popen] = []

    def kill_on_third(number: int) -> None:
        if number == 3:
            process[0].send_signal(signal.SIGKILL)
            process[0].wait()

    smtp.on_data = kill_on_third
    process.append(subprocess.Popen([sys.executable, "-c", KILLABLE, FIRST.isoformat(), str(smtp.port)], cwd=REPO_ROOT,
                                    env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE))  # fmt: skip
    assert process[0].wait(timeout=120) == -signal.SIGKILL
    assert {status: len(found) for status, found in statuses(db, schedule_id).items()} == {
        "sent": 2, "claimed": 1, "pending": 2}  # fmt: skip
    in_limbo = next(row for row in deliveries(db, schedule_id) if row["status"] == "claimed")
    smtp.on_data = None
    assert run(FIRST, smtp).sent == 2  # the claim is within its lease: the dead scheduler might still be sending
    # The lease (10 minutes) runs out.
    db.execute("update app.report_deliveries set claimed_at = claimed_at - interval '11 minutes' where id = %s",
               (in_limbo["id"],))  # fmt: skip

    again = run(FIRST, smtp)

    assert again.sent == 1 and again.planned == 0
    assert statuses(db, schedule_id) == {"sent": sorted(recipients)}
    reports = smtp.reports()
    assert len(reports) == 6  # the 3rd twice: the server had taken it when the scheduler died
    ids = [str(r.message["Message-ID"]) for r in reports]
    assert len(set(ids)) == 5 and ids.count(in_limbo["message_id_header"]) == 2
    assert sorted({r.recipients[0] for r in reports}) == sorted(recipients)


def test_smtp_down_on_the_first_attempt_is_retried_and_each_email_sent_once(db, smtp, people):
    owner = people[(0, "analyst")]
    schedule_id = make_schedule(owner, NOW, recipients=(owner.email, people[(0, "finance")].email), format="csv")
    smtp.stop()  # nothing listens on the port: connection refused
    waits: list[float] = []

    def back_up(seconds: float) -> None:
        waits.append(seconds)
        if smtp.controller is None:
            smtp.start()

    summary = run(FIRST, smtp, sleep=back_up, backoff=0.5, workers=1)

    assert summary.sent == 2 and summary.failed == 0
    assert waits == [0.5]  # one failed attempt, one wait
    assert len(smtp.reports()) == 2
    assert {row["recipient"]: row["attempts"] for row in deliveries(db, schedule_id)} == {
        owner.email: 2, people[(0, "finance")].email: 1}  # fmt: skip


def test_after_an_outage_of_three_days_the_latest_period_is_sent_and_the_older_ones_recorded_skipped(db, smtp, people):
    owner = people[(0, "analyst")]
    schedule_id = make_schedule(owner, NOW, recipients=(owner.email,), format="csv")
    back = FIRST + timedelta(days=3, hours=2)  # the scheduler was down over 4 occurrences (21st to 24th at 08:00)

    summary = run(back, smtp)

    rows = deliveries(db, schedule_id)
    missed = [(FIRST + timedelta(days=day), "skipped") for day in range(3)]
    assert [(row["scheduled_for"], row["status"]) for row in rows] == [*missed, (FIRST + timedelta(days=3), "sent")]
    assert all(
        row["reason"] == "missed: no scheduler ran at "
        f"{(row['scheduled_for'] - timedelta(hours=5)):%Y-%m-%d %H:%M} America/New_York; only the latest missed "
        "occurrence, 2026-11-24 08:00 America/New_York, is sent"
        for row in rows[:3]
    )
    assert summary.sent == 1 and len(smtp.reports()) == 1
    assert str(smtp.reports()[0].message["Subject"]) == "Sales and billing: 2026-11-17 to 2026-11-23"


def test_a_permanent_rejection_fails_at_once_and_the_owner_and_alert_email_are_told(db, smtp, people):
    owner, finance = people[(0, "analyst")], people[(0, "finance")]
    schedule_id = make_schedule(owner, NOW, recipients=(owner.email, finance.email), format="csv")
    smtp.refused[finance.email] = "550 5.1.1 <mailbox unavailable>"

    summary = run(FIRST, smtp, retries=3)

    assert (summary.sent, summary.failed, summary.notices) == (1, 1, 1)
    failed = next(row for row in deliveries(db, schedule_id) if row["status"] == "failed")
    assert (failed["recipient"], failed["attempts"], failed["reason"], failed["sent_at"]) == (
        finance.email, 1, "550 5.1.1 <mailbox unavailable>", None)  # fmt: skip
    [notice] = smtp.notices()
    assert sorted(notice.recipients) == sorted([owner.email, "data-engineering@localhost"])
    body = notice.message.get_content()
    assert f"{finance.email} (delivery #{failed['id']}, 1 attempt(s)): 550 5.1.1 <mailbox unavailable>" in body
    assert (
        str(notice.message["Subject"]) == "[warehouse] scheduled report 'Sales and billing' failed for 1 recipient(s)"
    )
    # told once: the next run sends nothing more
    assert run(FIRST, smtp).notices == 0 and len(smtp.notices()) == 1


def test_a_server_that_keeps_answering_4xx_fails_after_the_retries_and_nothing_is_recorded_sent(db, smtp, people):
    owner, finance = people[(0, "analyst")], people[(0, "finance")]
    schedule_id = make_schedule(owner, NOW, recipients=(finance.email,), format="csv")
    smtp.refused[finance.email] = "451 4.3.0 try again later"
    waits: list[float] = []

    summary = run(FIRST, smtp, retries=2, backoff=0.25, sleep=waits.append)

    assert (summary.sent, summary.failed) == (0, 1) and waits == [0.25, 0.5]
    [row] = deliveries(db, schedule_id)
    assert (row["status"], row["attempts"], row["reason"]) == ("failed", 3, "451 4.3.0 try again later")
    assert smtp.reports() == [] and len(smtp.notices()) == 1


def test_a_failing_blocking_check_holds_the_report_until_the_grace_time_then_it_goes_out_stamped(db, smtp, people):
    owner = people[(0, "analyst")]
    schedule_id = make_schedule(owner, NOW, recipients=(owner.email,), grace_minutes=60, format="html")

    held = run(FIRST, smtp, refresh_status=failing)
    [row] = deliveries(db, schedule_id)
    assert (held.held, row["status"], row["next_attempt_at"]) == (1, "held", FIRST + timedelta(minutes=5))
    assert "1 blocking check(s) failed: gx_suite" in row["reason"]
    assert run(FIRST + timedelta(minutes=30), smtp, refresh_status=failing).held == 1  # still within the grace
    assert smtp.received == []

    late = run(FIRST + timedelta(minutes=60), smtp, refresh_status=failing)

    assert (late.sent, late.notices) == (1, 1)
    [row] = deliveries(db, schedule_id)
    assert (row["status"], row["late"], row["checks"]) == ("sent", True, "1 blocking check(s) failed: gx_suite")
    [report] = smtp.reports()
    assert str(report.message["Subject"]).endswith("(late, data incomplete)")
    text = report.message.get_body(("plain",)).get_content()
    assert "Sent late: this report waited 60 minutes for data through 2026-11-20 with passing checks" in text
    assert "Last refresh: 1 blocking check(s) failed: gx_suite" in text
    [notice] = smtp.notices()
    assert (
        notice.recipients == [owner.email]
        and "went out past its grace time of 60 minutes" in notice.message.get_content()
    )


def test_a_period_the_warehouse_has_not_built_yet_waits_and_goes_out_when_it_is_built(db, smtp, people):
    owner = people[(0, "analyst")]
    # The data is as of 2026-12-03: the occurrence of 2026-12-05 reports through the 4th, not built yet.
    schedule_id = make_schedule(owner, datetime(2026, 12, 4, 15, tzinfo=UTC), recipients=(owner.email,), format="csv")
    due = datetime(2026, 12, 5, 13, tzinfo=UTC)
    assert run(due, smtp).held == 1
    assert "data as of 2026-12-03" in deliveries(db, schedule_id)[0]["reason"]
    db.execute("update reporting.mv_current_state set as_of_date = '2026-12-05' where organization_id = %s",
               (owner.organization_id,))  # fmt: skip
    try:
        summary = run(due + timedelta(minutes=5), smtp)
    finally:
        db.execute("update reporting.mv_current_state set as_of_date = '2026-12-03' where organization_id = %s",
                   (owner.organization_id,))  # fmt: skip
    assert (summary.sent, summary.notices) == (1, 0)
    assert deliveries(db, schedule_id)[0]["late"] is False


def test_skip_when_empty_sends_nothing_and_records_why(db, smtp, people):
    owner = people[(0, "analyst")]
    # March 2026 is before the tiny data begins.
    schedule_id = make_schedule(owner, datetime(2026, 3, 1, 14, tzinfo=UTC), recipients=(owner.email,),
                                skip_when_empty=True)  # fmt: skip

    summary = run(datetime(2026, 3, 2, 14, tzinfo=UTC), smtp)

    assert (summary.sent, summary.skipped) == (0, 1) and smtp.received == []
    [row] = deliveries(db, schedule_id)
    assert (row["status"], row["reason"]) == (
        "skipped", "no data for 2026-02-23 to 2026-03-01, and the schedule skips empty reports")  # fmt: skip


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


BERLIN_WEEKLY = {"timezone": "Europe/Berlin", "frequency": "weekly", "day_of_week": 1, "send_at_local_time": time(8)}
NEW_YORK_DAILY = {"timezone": "America/New_York", "frequency": "daily", "send_at_local_time": time(9)}


@pytest.mark.parametrize(
    ("when", "made_at", "expected"),
    [
        (BERLIN_WEEKLY, utc(2026, 3, 20), [utc(2026, 3, 23, 7), utc(2026, 3, 30, 6)]),  # CET, then CEST
        (BERLIN_WEEKLY, utc(2026, 10, 16), [utc(2026, 10, 19, 6), utc(2026, 10, 26, 7)]),  # CEST, then CET
        (NEW_YORK_DAILY, utc(2026, 3, 7), [utc(2026, 3, 7, 14), utc(2026, 3, 8, 13)]),  # EST, then EDT
        (NEW_YORK_DAILY, utc(2026, 10, 31), [utc(2026, 10, 31, 13), utc(2026, 11, 1, 14)]),  # EDT, then EST
    ],
    ids=["berlin-spring", "berlin-autumn", "new-york-spring", "new-york-autumn"],
)
def test_reports_go_out_at_the_local_hour_across_each_2026_dst_change_once_per_period(
    db, smtp, people, when, made_at, expected
):
    owner = people[(0, "analyst")]
    schedule_id = make_schedule(owner, made_at, recipients=(owner.email,), format="csv", **when)
    sent_at = []
    for instant in expected:
        for at in (instant - timedelta(minutes=1), instant, instant + timedelta(minutes=1)):
            sent_at += [at] * run(at, smtp).sent
    assert sent_at == expected
    rows = deliveries(db, schedule_id)
    assert [(row["scheduled_for"], row["status"]) for row in rows] == [(instant, "sent") for instant in expected]
    assert len(smtp.reports()) == 2


def test_run_due_at_small_scale_sends_every_due_delivery_once_with_bounded_workers(db, smtp, people):
    """The benchmark's entry point at n = 40: 8 schedules in two organizations due in the same minute (08:00 in
    New York, 07:00 in Chicago), 5 recipients each, four workers."""
    made = []
    for index, zone, hour in ((0, "America/New_York", 8), (1, "America/Chicago", 7)):
        owner = people[(index, "analyst")]
        recipients = tuple(people[(index, role)].email for role in ("analyst", "finance", "sales", "viewer", "admin"))
        made += [make_schedule(owner, NOW, name=f"Scale {index}-{n}", recipients=recipients, timezone=zone,
                               send_at_local_time=time(hour), format="both") for n in range(4)]  # fmt: skip

    summary = run(FIRST, smtp, workers=4)

    assert (summary.planned, summary.sent, summary.failed) == (40, 40, 0)
    keys = [(str(r.message["Subject"]).split(":")[0], r.recipients[0]) for r in smtp.reports()]
    assert len(keys) == len(set(keys)) == 40
    assert sum(len(deliveries(db, schedule_id)) for schedule_id in made) == 40
    assert summary.render_seconds_per_email > 0 and summary.sends_per_second > 0 and summary.seconds > 0
    assert len(summary.outcomes) == 40


def test_the_reader_may_only_ask_for_a_test_send_never_record_one_as_sent(db, people):
    """What the dashboards may write to the ledger (row-level security): a pending test of their organization."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from readside.database import scoped

    analyst = people[(0, "analyst")]
    viewer = viewer_of(analyst)
    schedule_id = make_schedule(analyst, NOW, recipients=(analyst.email,))
    row = {"o": analyst.organization_id, "s": schedule_id, "at": NOW, "d": NOW.date(), "to": analyst.email}
    insert = """insert into app.report_deliveries (organization_id, scheduled_report_id, kind, scheduled_for,
                    period_start, period_end, recipient, status, next_attempt_at, message_id_header, sent_at)
                values (:o, :s, :kind, :at, :d, :d, :to, :status, :at, '<x@example.com>', :sent)"""
    for kind, status, sent in (("scheduled", "pending", None), ("test", "sent", NOW), ("test", "claimed", None)):
        with pytest.raises(DBAPIError, match="row-level security"), scoped(viewer.scope) as conn:
            conn.execute(text(insert), row | {"kind": kind, "status": status, "sent": sent})
    with scoped(viewer.scope) as conn:
        conn.execute(text(insert), row | {"kind": "test", "status": "pending", "sent": None})
    with pytest.raises(DBAPIError, match="permission denied"), scoped(viewer.scope) as conn:
        conn.execute(text("update app.report_deliveries set status = 'sent', sent_at = now()"))
    assert [(r["kind"], r["status"]) for r in deliveries(db, schedule_id)] == [("test", "pending")]
