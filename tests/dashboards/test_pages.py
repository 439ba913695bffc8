"""Every page through AppTest as a signed-in user: the numbers shown equal SQL over the reporting relations for
that organization, each role sees and may do what its permissions allow, and no read crosses organizations."""

from __future__ import annotations

import re
from datetime import date, timedelta
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
        at.switch_page(f"views/{page}")
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


def test_a_rise_is_green_except_where_a_rise_is_bad_news(people):
    """Tiles colour their change by what it means: receivables overdue (glossary: better: lower) rising is red."""
    from streamlit.proto.Metric_pb2 import Metric

    person = people[(0, "analyst")]
    at = app_as(person.email, "sales.py", start=(END - timedelta(days=89)).isoformat(), end=END.isoformat())
    up, down, red, green = Metric.UP, Metric.DOWN, Metric.RED, Metric.GREEN
    moved = {re.sub(r" \([A-Z]{3}\)$", "", m.label): m.proto for m in at.metric if m.proto.direction in (up, down)}
    for name, metric in moved.items():
        rise_is_bad = name == "Receivables overdue"
        assert metric.color == ({up: red, down: green} if rise_is_bad else {up: green, down: red})[metric.direction]
    assert {"Receivables overdue", "Revenue"} <= set(moved)


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
    assert (":green[:material/check_circle:] export CSV" in text) is export


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
    frame = next(frame.value for frame in colleague.dataframe if "orders" in frame.value.columns)
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
        assert all((frame.key or "").startswith("filters") for frame in at.dataframe)  # only the builder's editor

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


def test_every_reporting_relation_has_a_page_and_the_dbt_exposures_list_exactly_the_pages():
    import yaml

    from dashboards.navigation import SEMANTIC
    from readside.semantic import load_semantic_layer

    reporting = {path.stem for path in (REPO_ROOT / "dbt" / "models" / "reporting").glob("*.sql")}
    shown = {relation for page in PAGES for relation in page.relations}
    assert reporting <= shown, reporting - shown
    document = yaml.safe_load((REPO_ROOT / "dbt/models/reporting/_reporting__exposures.yml").read_text())
    dashboards = {e["name"]: e for e in document["exposures"] if e["type"] == "dashboard"}
    assert set(dashboards) == {f"dashboard_{page.key}" for page in PAGES if page.relations}
    tables = {model.table for model in load_semantic_layer().semantic_models.values()}
    for page in PAGES:
        if not page.relations:
            continue
        exposure = dashboards[f"dashboard_{page.key}"]
        expected = {r for r in page.relations if r not in SEMANTIC} | (tables if set(SEMANTIC) & set(page.relations)
                                                                         else set())  # fmt: skip
        assert {ref.split("'")[1] for ref in exposure["depends_on"]} == expected, page.key
        assert exposure["url"].rstrip("/").endswith("" if page.key == "home" else f"/{page.key}"), page.key


def test_drill_down_rows_add_up_to_the_figure_and_belong_to_the_viewers_organization(warehouse_url, people):
    from readside import drilldown, figures
    from readside.access import viewers_for_email

    viewer = viewers_for_email(people[(0, "analyst")].email)[0]
    start, end = date(2000, 1, 1), END
    for (relation, figure), drill in drilldown.DRILLS.items():
        rows = drilldown.rows_behind(viewer, relation, figure, start, end)
        total = figures.daily_figures(viewer, relation, start, end, figures.TOTAL)[figure].iloc[0]
        got = len(rows) if drill.measure is None else float(rows[drill.measure].astype(float).sum())
        assert round(got, 2) == round(float(total), 2), (relation, figure)
        owner_count = sql_one(
            warehouse_url,
            f"select count(*) from marts.{drill.mart} where organization_id = %s and {drill.condition} "
            f"and {drill.day_column} between greatest(%s, (select min(metric_date) from reporting.{relation} "
            "where organization_id = %s)) and %s",
            viewer.organization_id,
            start,
            viewer.organization_id,
            end,
        )[0]
        assert len(rows) == owner_count, (relation, figure)


def test_finance_columns_are_left_out_of_drill_down_rows_for_roles_without_finance(people):
    from readside import drilldown
    from readside.access import viewers_for_email

    sales = viewers_for_email(people[(0, "sales")].email)[0]
    rows = drilldown.rows_behind(sales, "mv_daily_jobs", "jobs_completed", START, END)
    assert "labour_cost" not in rows.columns and "job_number" in rows.columns
    assert "booked_value" in drilldown.drills_for("mv_daily_metrics", sales)


def test_selecting_a_table_row_shows_the_rows_behind_it(people, warehouse_url):
    person = people[(0, "analyst")]
    at = app_as(person.email, "sales.py", start="2026-10-01", end="2026-10-31", grain="month")
    table = next(frame for frame in at.dataframe if "period" in frame.value.columns)
    assert len(table.value) == 1
    # a selection as the browser sends it: row 0 of the table keyed "table"
    at.session_state["table"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    assert not at.exception
    assert any(h.value.startswith("Rows behind 2026-10-01 to 2026-10-31") for h in at.subheader)
    orders = sql_one(
        warehouse_url,
        "select count(*) from marts.fct_orders where organization_id = %s and is_booked "
        "and order_date between '2026-10-01' and '2026-10-31'",
        person.organization_id,
    )[0]
    assert f"{orders:,} row(s) from marts.fct_orders." in [c.value for c in at.caption]


def test_tiles_compare_with_the_previous_period_and_the_same_period_last_year(people, warehouse_url):
    person = people[(0, "analyst")]
    for compare, before in (("previous", ("2026-08-01", "2026-09-30")), ("last_year", ("2025-10-01", "2025-11-30"))):
        at = app_as(person.email, "sales.py", start="2026-10-01", end="2026-11-30", grain="month", compare=compare)
        now, then = (
            sql_one(
                warehouse_url,
                "select coalesce(sum(orders), 0) from reporting.mv_daily_metrics "
                "where organization_id = %s and metric_date between %s and %s",
                person.organization_id,
                first,
                last,
            )[0]
            for first, last in (("2026-10-01", "2026-11-30"), before)
        )
        orders = next(m for m in at.metric if m.label == "Orders")
        assert orders.value == count(now)
        assert orders.delta == count(now - then), compare


def test_favourites_and_the_home_layout_persist_across_sessions(people, warehouse_url):
    person = people[(1, "analyst")]
    at = app_as(person.email, "warranty.py")
    at.toggle(key="star-warranty").set_value(True).run()
    assert not at.exception
    later = app_as(person.email)  # a new session lands on Home
    assert "Warranty" in [link.label for link in later.get("page_link")]

    later.multiselect(key="layout_tiles").set_value(["open_orders", "active_jobs"])
    next(button for button in later.button if button.label == "Save layout").click().run()
    assert not later.exception
    again = app_as(person.email)
    shown = [metric.label for metric in again.metric]
    assert shown[:2] == ["Open orders", "Active jobs"]
    open_orders = sql_one(
        warehouse_url, "select open_orders from reporting.mv_current_state where organization_id = %s",
        person.organization_id,
    )[0]  # fmt: skip
    assert again.metric[0].value == count(open_orders)
    stored = sql_one(
        warehouse_url,
        "select layout from app.dashboard_layouts where user_id = %s and dashboard_key = 'home'",
        person.user_id,
    )[0]
    assert stored["tiles"] == ["open_orders", "active_jobs"]


def test_the_pipeline_by_stage_on_a_past_day_equals_sql(people, warehouse_url):
    person = people[(0, "sales")]
    at = app_as(person.email, "pipeline.py", start="2026-10-01", end="2026-10-31", grain="month", day="2026-10-15")
    stages = next(frame.value for frame in at.dataframe if "stage" in frame.value.columns)
    rows = dict(
        (stage, float(value))
        for stage, value in psycopg.connect(warehouse_url).execute(
            "select stage, sum(open_value) from reporting.mv_daily_pipeline where organization_id = %s "
            "and metric_date = '2026-10-15' group by stage",
            (person.organization_id,),
        )
    )
    assert dict(zip(stages["stage"], stages["open_value"], strict=True)) == rows


def test_a_database_it_cannot_read_shows_one_message_not_a_traceback(people, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_READER_PASSWORD", "not-the-password")
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": True, "email": people[(0, "analyst")].email}
    at.run()
    assert not at.exception
    assert len(at.error) == 1
    assert at.error[0].value.startswith("The warehouse could not answer just now")
    assert "password" not in at.error[0].value.lower() or "not-the-password" not in at.error[0].value


def test_a_drill_down_link_reopens_the_rows_and_a_hostile_figure_gets_one_message(people, warehouse_url):
    person = people[(0, "analyst")]
    link = {"start": "2026-10-01", "end": "2026-10-31", "grain": "month", "period": "2026-10-01"}
    at = app_as(person.email, "sales.py", **link, figure="booked_value")
    assert at.selectbox(key="drill_figure").value == "booked_value"
    behind = next(frame.value for frame in at.dataframe if "order_number" in frame.value.columns)
    booked = sql_one(
        warehouse_url,
        "select sum(booked_value) from reporting.mv_daily_metrics where organization_id = %s "
        "and metric_date between '2026-10-01' and '2026-10-31'",
        person.organization_id,
    )[0]
    assert round(float(behind["net_revenue"].astype(float).sum()), 2) == float(booked)

    for figure in ("metric_that_does_not_exist", "revenue'); select set_config('app.organization_id','1',true); --"):
        at = app_as(person.email, "sales.py", **link, figure=figure)
        [warning] = at.warning
        assert warning.value.startswith(f"Ignored the link's figure {figure!r}")
        assert at.selectbox(key="drill_figure").value == "orders"
    at = app_as(person.email, "sales.py", start="2026-10-01", end="2026-10-31", period="3026-01-01")
    latest = date.fromordinal(date.today().toordinal() + 366)
    assert [w.value for w in at.warning] == [
        f"Ignored the link's drill-down: period=3026-01-01 is outside 2000-01-01 to {latest}."
    ]


def test_a_new_organization_and_an_empty_range_each_say_why_there_is_nothing(people, warehouse_url):
    person = people[(0, "analyst")]
    at = app_as(person.email, "sales.py", start="2001-01-01", end="2001-01-31")
    assert [i.value for i in at.info] == [
        f"No data for {person.organization_name} between 2001-01-01 and 2001-01-31: pick a wider range."
    ]
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        organization = conn.execute(
            "insert into app.organizations (name, slug, currency) values ('Brand New Plumbing', 'brand-new-plumbing',"
            " 'EUR') returning id"
        ).fetchone()[0]
        try:
            user = conn.execute(
                "insert into app.users (organization_id, email, full_name, primary_role) "
                "values (%s, 'first.user@brand-new.example', 'First User', 'analyst') returning id",
                (organization,),
            ).fetchone()[0]
            conn.execute(
                "insert into app.user_roles (organization_id, user_id, role_id) "
                "select %s, %s, id from app.roles where name = 'analyst'",
                (organization, user),
            )
            overview = app_as("first.user@brand-new.example", "overview.py")
            assert overview.info[0].value.startswith("No figures yet for Brand New Plumbing: the warehouse has not")
            sales = app_as("first.user@brand-new.example", "sales.py")
            assert [i.value for i in sales.info] == [
                "Brand New Plumbing has no figures yet: the warehouse has not built it."
            ]
            assert not sales.metric
        finally:
            conn.execute("delete from app.audit_logs where organization_id = %s", (organization,))
            conn.execute("delete from app.organizations where id = %s", (organization,))
