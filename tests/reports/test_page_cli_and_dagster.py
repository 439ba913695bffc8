"""The ways in: the Schedules page (AppTest, as a signed-in viewer), `warehouse reports ...` (the console script,
one `error:` line and exit 1 for bad input, nothing stored), and the Dagster sensor and job."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from streamlit.testing.v1 import AppTest

from readside.delivery import run_due
from tests.conftest import REPO_ROOT, WAREHOUSE, run_cli
from tests.reports.conftest import deliveries, make_schedule, refreshed, viewer_of

PAGE = str(REPO_ROOT / "dashboards" / "views" / "schedules.py")


def page_as(person) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["_viewer"] = viewer_of(person)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def count(db, table: str, where: str = "true", *params) -> int:
    return db.execute(f"select count(*) from app.{table} where {where}", params).fetchone()[0]


def fill(at: AppTest, **values) -> AppTest:
    for key, value in values.items():
        widget = at.selectbox(key=key) if key in ("frequency", "report_type", "format") else None
        if widget is not None:
            widget.select(value)
        elif key == "recipients":
            at.text_area(key=key).input(value)
        else:
            at.text_input(key=key).input(value)
    at.button(key="FormSubmitter:schedule_form-Save").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_creates_a_schedule_audits_it_and_shows_its_next_run_in_its_own_time_zone(db, people):
    analyst = people[(0, "analyst")]
    at = fill(page_as(analyst), name="Berlin weekly", timezone="Europe/Berlin", frequency="weekly",
              recipients=f"{analyst.email}\n{people[(0, 'finance')].email}")  # fmt: skip
    [success] = at.success
    schedule_id = int(success.value.removeprefix("Saved schedule #").rstrip("."))
    row = db.execute(
        "select name, timezone, frequency, day_of_week, recipients, created_by_user_id, next_run_at "
        "from app.scheduled_reports where id = %s",
        (schedule_id,),
    ).fetchone()
    assert row[:6] == ("Berlin weekly", "Europe/Berlin", "weekly", 1,
                       [analyst.email, people[(0, "finance")].email], analyst.user_id)  # fmt: skip
    local = row[6].astimezone(ZoneInfo("Europe/Berlin"))
    assert (local.isoweekday(), local.strftime("%H:%M")) == (1, "08:00")
    assert count(db, "audit_logs", "action = 'insert' and table_name = 'scheduled_reports' and row_pk = %s and "
                 "user_id = %s", schedule_id, analyst.user_id) == 1  # fmt: skip
    listed = page_as(analyst).dataframe[0].value
    assert listed.loc[listed["id"] == schedule_id, "next run (local)"].item() == f"{local:%Y-%m-%d %H:%M %Z}"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"frequency": "cron", "cron": "61 8 * * *"}, "cron expression '61 8 * * *' is not valid"),
        ({"timezone": "Europe/Atlantis"}, "unknown time zone 'Europe/Atlantis'"),
        ({"recipients": "nobody@elsewhere.example"}, "recipient nobody@elsewhere.example is not a user of"),
    ],
    ids=["invalid-cron", "unknown-time-zone", "unknown-recipient"],
)
def test_the_page_refuses_bad_input_with_one_message_and_stores_nothing(db, people, values, message):
    before = count(db, "scheduled_reports")
    at = fill(page_as(people[(0, "analyst")]), name="Bad", **values)
    assert [error.value for error in at.error] and message in at.error[0].value
    assert at.success == []
    assert count(db, "scheduled_reports") == before


def test_a_viewer_sees_the_schedules_and_their_log_but_cannot_change_or_send_them(db, smtp, people):
    analyst, viewer = people[(0, "analyst")], people[(0, "viewer")]
    schedule_id = make_schedule(analyst, datetime.now(UTC), name="Visible to all", recipients=(viewer.email,))
    at = page_as(viewer)
    assert schedule_id in set(at.dataframe[0].value["id"])
    at.selectbox(key="schedule").select(schedule_id)
    at.run()
    assert [b.label for b in at.button] == [] and not at.text_area
    assert "needs a role that may schedule email reports" in " ".join(c.value for c in at.caption)


def test_pause_resume_and_send_test_from_the_page(db, smtp, people):
    analyst = people[(0, "analyst")]
    schedule_id = make_schedule(analyst, datetime.now(UTC), name="Pause me", recipients=(analyst.email,))
    at = page_as(analyst)
    at.selectbox(key="schedule").select(schedule_id)
    at.run()
    at.button(key="pause").click()
    at.run()
    assert db.execute("select is_active, next_run_at from app.scheduled_reports where id = %s",
                      (schedule_id,)).fetchone() == (False, None)  # fmt: skip
    assert count(db, "audit_logs", "action = 'update' and table_name = 'scheduled_reports' and row_pk = %s",
                 schedule_id) == 1  # fmt: skip
    at.button(key="send_test").click()
    at.run()
    [queued] = at.success
    assert queued.value.startswith("Test #") and f" to {analyst.email} is queued" in queued.value
    assert [(row["kind"], row["status"]) for row in deliveries(db, schedule_id)] == [("test", "pending")]
    # The scheduler's next run (the sensor's, within a minute) sends it, read as the recipient.
    summary = run_due(datetime.now(UTC), smtp=smtp.settings, refresh_status=refreshed)
    assert summary.sent == 1
    [received] = smtp.reports()
    assert str(received.message["Subject"]).startswith("[test] Pause me: ") and received.recipients == [analyst.email]
    assert [(row["kind"], row["status"]) for row in deliveries(db, schedule_id)] == [("test", "sent")]
    at.run()
    assert "sent" in set(at.dataframe[1].value["status"])


def test_a_database_error_while_sending_a_test_is_one_message_and_nothing_is_stored(db, people):
    """Through the whole app (sign-in, navigation): the database refuses the test send's row (the reader's INSERT
    taken away for the test), and the page says so in one line instead of showing a traceback."""
    analyst = people[(0, "analyst")]
    schedule_id = make_schedule(analyst, datetime.now(UTC), name="Refused", recipients=(analyst.email,))
    at = AppTest.from_file(str(REPO_ROOT / "dashboards" / "app.py"), default_timeout=60)
    at.user = {"is_logged_in": True, "email": analyst.email}
    at.run()
    at.switch_page("views/schedules.py")
    at.run()
    at.selectbox(key="schedule").select(schedule_id)
    at.run()
    db.execute("revoke insert on app.report_deliveries from warehouse_reader")
    try:
        at.button(key="send_test").click()
        at.run()
    finally:
        db.execute("grant insert on app.report_deliveries to warehouse_reader")
    assert not at.exception, [e.value for e in at.exception]
    [error] = at.error
    assert error.value.startswith("The warehouse could not answer just now (")
    assert "permission denied" in error.value and "Traceback" not in error.value
    assert deliveries(db, schedule_id) == []


# -- the CLI -----------------------------------------------------------------------------------------------------------
def add(owner: str, *options: str) -> subprocess.CompletedProcess:
    return run_cli("reports", "add", "--owner", owner, "--name", "CLI", *options)


def test_bad_input_on_the_cli_is_one_error_line_exit_1_and_nothing_stored(db, people):
    analyst, stranger = people[(0, "analyst")], people[(1, "analyst")]
    before = count(db, "scheduled_reports")
    cases = {
        ("--report", "daily_metrics", "--cron", "0 25 * * *", "--to", analyst.email):
            "error: cron expression '0 25 * * *' is not valid",
        ("--report", "daily_metrics", "--timezone", "Mars/Base", "--to", analyst.email):
            "error: unknown time zone 'Mars/Base'",
        ("--report", "revenue", "--to", analyst.email): "error: unknown report 'revenue'",
        ("--report", "custom:999999", "--to", analyst.email): "error: there is no custom report #999999 that you can",
        ("--report", "daily_metrics", "--to", stranger.email): f"error: recipient {stranger.email} is not a user of",
    }  # fmt: skip
    # All at once: each is a fresh interpreter.
    running = {
        key: subprocess.Popen([WAREHOUSE, "reports", "add", "--owner", analyst.email, "--name", "CLI", *key],
                              cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for key in cases
    }  # fmt: skip
    for key, process in running.items():
        out, err = process.communicate(timeout=300)
        assert process.returncode == 1, (key, out, err)
        assert err.startswith(cases[key]) and len(err.strip().splitlines()) == 1, (key, err)
        assert "Traceback" not in err and out == ""
    assert count(db, "scheduled_reports") == before


def test_the_cli_adds_sends_one_now_and_runs_what_is_due_once(db, smtp, people, dagster_home):
    analyst, finance = people[(0, "analyst")], people[(0, "finance")]
    added = add(analyst.email, "--report", "daily_metrics", "--every", "daily", "--at", "08:00", "--timezone",
                "Europe/Berlin", "--to", analyst.email, "--to", finance.email, "--format", "csv",
                "--range", "7 days")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "(daily at 08:00, Europe/Berlin): next run " in added.stdout
    schedule_id = int(added.stdout.split("#", 1)[1].split(" ", 1)[0])

    sent = run_cli("reports", "send", str(schedule_id), "--to", finance.email)
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.startswith(f"sent schedule #{schedule_id} to {finance.email} (250")
    refused = run_cli("reports", "send", "987654", "--to", finance.email)
    assert (refused.returncode, refused.stderr.strip()) == (
        1, "error: there is no schedule #987654; `warehouse reports list` shows them")  # fmt: skip

    due = db.execute("select next_run_at from app.scheduled_reports where id = %s", (schedule_id,)).fetchone()[0]
    at = (due + timedelta(seconds=30)).isoformat()
    # Two schedulers at once, then a third for the same instant: each recipient gets the report once.
    both = [subprocess.Popen([WAREHOUSE, "reports", "run-due", "--at", at], cwd=REPO_ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]  # fmt: skip
    outputs = [process.communicate(timeout=300) for process in both]
    assert [process.returncode for process in both] == [0, 0], outputs
    again = run_cli("reports", "run-due", "--at", at)
    assert again.returncode == 0 and again.stdout.startswith("0 sent, 0 failed"), again.stdout
    assert sorted(r.recipients[0] for r in smtp.reports() if not str(r.message["Subject"]).startswith("[test]")) == (
        sorted([analyst.email, finance.email])
    )
    assert sorted((row["kind"], row["recipient"], row["status"]) for row in deliveries(db, schedule_id)) == sorted(
        [("scheduled", analyst.email, "sent"), ("scheduled", finance.email, "sent"), ("test", finance.email, "sent")]
    )
    listed = run_cli("reports", "list", "--organization", str(analyst.organization_id))
    assert listed.returncode == 0
    assert (
        f"#{schedule_id} org {analyst.organization_id} 'CLI': daily_metrics, daily at 08:00 Europe/Berlin, next "
        in (listed.stdout)
    )
    bad_instant = run_cli("reports", "run-due", "--at", "yesterday")
    assert (bad_instant.returncode, bad_instant.stderr.strip()) == (
        1, "error: --at 'yesterday' is not an ISO timestamp; give e.g. 2026-03-09T08:00:00+01:00")  # fmt: skip


# -- Dagster -----------------------------------------------------------------------------------------------------------
def test_the_sensor_requests_a_run_when_something_is_due_and_the_run_lists_its_deliveries(
    db, smtp, people, reports_url, dagster_home
):
    import dagster as dg

    from orchestration.defs.reports.jobs import scheduled_reports
    from orchestration.defs.reports.sensors import scheduled_reports_due
    from orchestration.resources import SmtpResource, WarehouseDatabase

    analyst = people[(0, "analyst")]
    database = WarehouseDatabase(url=reports_url)
    with dg.build_sensor_context(resources={"database": database}) as context:
        idle = scheduled_reports_due(context)
    assert idle.run_requests == [] and idle.skip_reason.skip_message.startswith("nothing due at ")

    schedule_id = make_schedule(analyst, datetime.now(UTC) - timedelta(days=2), recipients=(analyst.email,),
                                format="csv")  # fmt: skip
    with dg.build_sensor_context(resources={"database": database}) as context:
        requested = scheduled_reports_due(context)
    [request] = requested.run_requests
    assert request.tags["reports/due_schedules"] == "1"
    result = scheduled_reports.execute_in_process(
        run_config=request.run_config,
        resources={"database": database, "smtp": SmtpResource(host="127.0.0.1", port=smtp.port,
                                                              sender="reports@warehouse.example")},
    )  # fmt: skip
    assert result.success
    [materialized] = [e for e in result.all_events if e.event_type_value == "STEP_OUTPUT"]
    metadata = materialized.event_specific_data.metadata
    assert (metadata["recorded"].value, metadata["sent"].value, metadata["skipped"].value) == (2, 1, 1)  # 1 missed
    assert analyst.email in metadata["deliveries"].value
    assert {row["status"] for row in deliveries(db, schedule_id)} == {"sent", "skipped"}
    assert len(smtp.reports()) == 1
