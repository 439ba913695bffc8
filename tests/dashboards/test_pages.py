"""Every page through AppTest as a signed-in user: the numbers shown equal SQL over the reporting relations for
that organization, each role sees and may do what its permissions allow, and no read crosses organizations."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import psycopg
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.navigation import PAGES
from tests.conftest import REPO_ROOT

APP = str(REPO_ROOT / "dashboards" / "app.py")
START, END = date(2000, 1, 1), date.today()


def app_as(email: str, page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": True, "email": email}
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"pages/{page}")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tiles(at: AppTest) -> dict[str, str]:
    """Tile label -> value, with the currency suffix of amounts taken off the label."""
    return {re.sub(r" \([A-Z]{3}\)$", "", metric.label): metric.value for metric in at.metric}


def money(value) -> str:
    return "-" if value is None else f"{Decimal(value):,.2f}"


def count(value) -> str:
    return "-" if value is None else f"{int(value):,}"


def sql_one(url: str, query: str, *args):
    with psycopg.connect(url) as conn:
        return conn.execute(query, args).fetchone()


def test_overview_tiles_equal_mv_current_state_of_the_viewers_organization(warehouse_url, people):
    for index in (0, 1):
        person = people[(index, "analyst")]
        at = app_as(person.email, "overview.py")
        assert at.title[0].value == person.organization_name
        row = sql_one(
            warehouse_url,
            "select open_orders, receivables_overdue, open_pipeline_value from reporting.mv_current_state "
            "where organization_id = %s",
            person.organization_id,
        )
        got = tiles(at)
        assert got["Open orders"] == count(row[0])
        assert got["Receivables overdue"] == money(row[1])
        assert got["Open pipeline value"] == money(row[2])


def test_sales_totals_equal_sql_for_each_organization_in_one_process(warehouse_url, people):
    """A's and B's identical queries in one server process: the cache is keyed by the viewer."""
    for index in (0, 1, 0):
        person = people[(index, "analyst")]
        at = app_as(person.email, "sales.py", start=START.isoformat(), end=END.isoformat(), grain="year")
        orders, booked, revenue, receivables = sql_one(
            warehouse_url,
            """select sum(orders), sum(booked_value), sum(revenue),
                      (select receivables_outstanding from reporting.mv_daily_metrics
                       where organization_id = %s and metric_date <= %s order by metric_date desc limit 1)
               from reporting.mv_daily_metrics where organization_id = %s and metric_date between %s and %s""",
            person.organization_id,
            END,
            person.organization_id,
            START,
            END,
        )
        got = tiles(at)
        assert got["Orders"] == count(orders)
        assert got["Booked value"] == money(booked)
        assert got["Revenue"] == money(revenue)
        assert got["Receivables outstanding"] == money(receivables)


@pytest.mark.parametrize(
    ("role", "finance", "export", "build"),
    [
        ("viewer", False, False, False),
        ("sales", False, False, False),
        ("finance", True, True, False),
        ("analyst", True, True, True),
        ("admin", True, True, True),
    ],
)
def test_each_role_sees_the_figures_and_actions_its_permissions_allow(people, role, finance, export, build):
    person = people[(0, role)]
    sales = app_as(person.email, "sales.py", start=START.isoformat(), end=END.isoformat(), grain="month")
    labels = set(tiles(sales))
    assert "Orders" in labels
    assert ("Revenue" in labels) is finance
    assert ("Cash collected" in labels) is finance
    overview = app_as(person.email, "overview.py")
    assert ("Receivables outstanding" in tiles(overview)) is finance
    assert (len(sales.get("download_button")) > 0) is export
    reports = app_as(person.email, "custom_reports.py")
    assert (len(reports.multiselect) > 0) is build
    account = app_as(person.email, "account.py")
    text = " ".join(m.value for m in account.markdown)
    assert ("✅ export CSV" in text) is export


def test_forced_actions_are_refused_on_the_server(people):
    from readside.access import PermissionDenied, viewers_for_email
    from readside.custom_reports import run_report, save_report

    viewer = viewers_for_email(people[(0, "viewer")].email)[0]
    with pytest.raises(PermissionDenied, match="build, save or share custom reports"):
        save_report(viewer, "mine", {"metrics": ["orders"]})
    with pytest.raises(PermissionDenied, match="finance figures"):
        run_report(viewer, {"metrics": ["revenue"]})
    assert list(run_report(viewer, {"metrics": ["orders"]}).columns) == ["orders"]


def test_a_shared_report_opens_for_a_colleague_and_is_refused_to_another_organization(warehouse_url, people):
    from readside.access import viewers_for_email
    from readside.custom_reports import save_report

    author = viewers_for_email(people[(0, "analyst")].email)[0]
    shared_id = save_report(author, "Monthly orders", {"metrics": ["orders"], "time_grain": "month"}, shared=True)
    private_id = save_report(author, "My draft", {"metrics": ["orders"]}, shared=False)

    colleague = app_as(people[(0, "viewer")].email, "custom_reports.py", report=str(shared_id))
    assert not colleague.error
    assert colleague.dataframe, "the shared report ran"
    frame = colleague.dataframe[0].value
    total = sql_one(
        warehouse_url,
        "select sum(orders) from reporting.mv_daily_metrics where organization_id = %s",
        author.organization_id,
    )[0]
    assert frame["orders"].sum() == total

    for email, report in ((people[(0, "viewer")].email, private_id), (people[(1, "analyst")].email, shared_id)):
        at = app_as(email, "custom_reports.py", report=str(report))
        assert len(at.error) == 1
        assert f"There is no report #{report} that you can open" in at.error[0].value
        assert not at.dataframe

    audit = sql_one(
        warehouse_url,
        """select count(*) filter (where action = 'insert'), count(*) filter (where action = 'share')
           from app.audit_logs where organization_id = %s and table_name = 'custom_reports' and row_pk = any(%s)""",
        author.organization_id,
        [shared_id, private_id],
    )
    assert audit == (2, 1)


@pytest.mark.parametrize(
    "params",
    [
        {"start": "yesterday", "end": "2026-01-01"},
        {"start": "2026-02-01", "end": "2026-01-01"},
        {"start": "1066-10-14"},
        {"end": "9999-12-31"},
        {"grain": "minute'; drop table x; --"},
        {"organization_id": "1", "org": "2"},
    ],
)
def test_a_bad_or_hostile_url_gets_one_message_and_the_viewers_own_numbers(warehouse_url, people, params):
    person = people[(0, "analyst")]
    at = app_as(person.email, "sales.py", **params)
    if set(params) & {"start", "end", "grain"}:
        assert len(at.warning) == 1
        assert at.warning[0].value.startswith("Ignored the link's filters")
    assert at.query_params["grain"] == ["week"] or at.query_params["grain"] == "week"


def test_sign_in_is_refused_with_the_reason_and_no_data(warehouse_url, people):
    at = app_as_refused("nobody-at-all@example.com")
    assert "no account uses nobody-at-all@example.com" in at.error[0].value

    person = people[(1, "sales")]
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        conn.execute("update app.users set status = 'disabled' where id = %s", (person.user_id,))
        try:
            at = app_as_refused(person.email.upper())
            assert "is disabled" in at.error[0].value
        finally:
            conn.execute("update app.users set status = 'active' where id = %s", (person.user_id,))
        other = people[(1, "finance")]
        conn.execute("update app.organizations set status = 'suspended' where id = %s", (other.organization_id,))
        try:
            at = app_as_refused(other.email)
            assert "is suspended" in at.error[0].value
        finally:
            conn.execute("update app.organizations set status = 'active' where id = %s", (other.organization_id,))


def app_as_refused(email: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": True, "email": email}
    at.run()
    assert not at.exception
    assert at.title[0].value == "You cannot use the dashboards"
    assert not at.metric and not at.dataframe
    return at


def test_a_sign_in_is_audited(warehouse_url, people):
    person = people[(1, "viewer")]
    before = sql_one(
        warehouse_url, "select count(*) from app.audit_logs where user_id = %s and action = 'login'", person.user_id
    )[0]
    app_as(person.email)
    after = sql_one(
        warehouse_url, "select count(*) from app.audit_logs where user_id = %s and action = 'login'", person.user_id
    )[0]
    assert after == before + 1


def test_every_page_runs_for_every_role_without_an_exception(people):
    for role in ("viewer", "admin"):
        for page in PAGES:
            app_as(people[(0, role)].email, page.file)


def test_money_is_shown_to_the_cent(people, warehouse_url):
    person = people[(0, "finance")]
    at = app_as(person.email, "sales.py", start="2000-01-01", end=END.isoformat(), grain="year")
    revenue = sql_one(
        warehouse_url,
        "select sum(revenue) from reporting.mv_daily_metrics where organization_id = %s",
        person.organization_id,
    )[0]
    assert tiles(at)["Revenue"] == f"{Decimal(revenue):,.2f}"
