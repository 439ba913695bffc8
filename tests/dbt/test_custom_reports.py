"""Custom reports on the semantic layer: valid definitions return the numbers the reporting relations give, each
invalid kind is rejected with one message naming the valid choices, and SQL in a definition is never executed."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, pool

from orchestration.dbt_runner import DBT_PROJECT_DIR, dbt_environment
from readside.semantic import ReportDefinitionError, run_custom_report


@pytest.fixture(scope="module")
def engine(tiny_warehouse):
    engine = create_engine(tiny_warehouse.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def organization(tiny_warehouse) -> int:
    """The organization with the most field jobs, so every domain has numbers."""
    with psycopg.connect(tiny_warehouse) as conn:
        return conn.execute(
            "select organization_id from reporting.mv_daily_jobs group by 1 order by sum(jobs_completed) desc limit 1"
        ).fetchone()[0]


def monthly(url: str, relation: str, organization: int, expression: str) -> dict[date, Decimal]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            f"select date_trunc('month', metric_date)::date, {expression} from reporting.{relation}"
            " where organization_id = %s group by 1",
            (organization,),
        ).fetchall()
    return {month: value for month, value in rows}


def report(definition: dict, organization: int, engine):
    return run_custom_report(definition, organization, engine=engine)


def test_monthly_revenue_and_orders_equal_mv_daily_metrics(tiny_warehouse, engine, organization):
    frame = report({"metrics": ["revenue", "orders", "gross_margin"], "time_grain": "month"}, organization, engine)
    revenue = monthly(tiny_warehouse, "mv_daily_metrics", organization, "sum(revenue)")
    orders = monthly(tiny_warehouse, "mv_daily_metrics", organization, "sum(orders)")
    margin = monthly(tiny_warehouse, "mv_daily_metrics", organization, "sum(gross_margin)")
    got = {row.metric_time: row for row in frame.itertuples()}
    for month, value in revenue.items():
        if value or orders[month]:
            assert round(got[month].revenue, 2) == float(value), month
            assert got[month].orders == orders[month], month
            assert round(got[month].gross_margin, 2) == float(margin[month]), month


def test_splitting_by_customer_type_adds_up_to_the_total(engine, organization):
    total = report({"metrics": ["revenue", "cash_collected"]}, organization, engine)
    split = report({"metrics": ["revenue", "cash_collected"], "dimensions": ["customer_type"]}, organization, engine)
    assert set(split.customer_type) <= {"residential", "commercial", None}
    assert round(split.revenue.sum(), 2) == round(total.revenue.iloc[0], 2)
    assert round(split.cash_collected.sum(), 2) == round(total.cash_collected.iloc[0], 2)


def test_filters_and_date_ranges_select_the_same_rows_as_the_marts(tiny_warehouse, engine, organization):
    start, end = date(2026, 7, 1), date(2026, 9, 30)
    frame = report(
        {"metrics": ["revenue"], "filters": [{"field": "customer_type", "op": "eq", "value": "commercial"}],
         "date_range": {"start": start.isoformat(), "end": end.isoformat()}},
        organization, engine,
    )  # fmt: skip
    with psycopg.connect(tiny_warehouse) as conn:
        expected = conn.execute(
            """select coalesce((select sum(o.net_revenue) from marts.fct_orders o
                    join marts.dim_customers c using (organization_id, customer_id)
                    where o.organization_id = %(org)s and o.is_invoiced and c.customer_type = 'commercial'
                      and o.invoice_date between %(start)s and %(end)s), 0)
                 - coalesce((select sum(n.credit_amount) from marts.fct_credit_notes n
                    join marts.dim_customers c using (organization_id, customer_id)
                    where n.organization_id = %(org)s and n.is_effective and c.customer_type = 'commercial'
                      and n.issued_date between %(start)s and %(end)s), 0)""",
            {"org": organization, "start": start, "end": end},
        ).fetchone()[0]
    assert round(frame.revenue.iloc[0], 2) == float(expected)


def test_rates_by_month_equal_mv_daily_jobs(tiny_warehouse, engine, organization):
    frame = report({"metrics": ["first_time_fix_rate", "jobs_completed"], "time_grain": "month"}, organization, engine)
    expected = monthly(
        tiny_warehouse, "mv_daily_jobs", organization,
        "round(100.0 * sum(first_time_fixes) / nullif(sum(jobs_completed), 0), 2)",
    )  # fmt: skip
    got = {row.metric_time: row.first_time_fix_rate for row in frame.itertuples()}
    assert any(value is not None for value in expected.values())
    for month, value in expected.items():
        if value is not None:
            assert got[month] == float(value), month


def test_won_deals_by_sales_rep_add_up_to_mv_daily_pipeline(tiny_warehouse, engine, organization):
    frame = report(
        {"metrics": ["won_deals", "won_value", "win_rate"], "dimensions": ["sales_rep"]}, organization, engine
    )
    with psycopg.connect(tiny_warehouse) as conn:
        won, value = conn.execute(
            "select sum(won_deals), sum(won_value) from reporting.mv_daily_pipeline where organization_id = %s",
            (organization,),
        ).fetchone()
    assert frame.won_deals.sum() == won
    assert round(frame.won_value.sum(), 2) == float(value)
    assert frame.win_rate.dropna().between(0, 100).all()


def test_every_saved_custom_report_runs_or_is_rejected_with_a_clear_message(tiny_warehouse, engine):
    with psycopg.connect(tiny_warehouse) as conn:
        saved = conn.execute("select organization_id, definition from app.custom_reports").fetchall()
    assert saved
    ran = 0
    for organization_id, definition in saved:
        try:
            frame = report(definition, organization_id, engine)
        except ReportDefinitionError as error:
            assert "valid" in str(error), error
        else:
            ran += 1
            assert list(frame.columns)[-len(definition["metrics"]) :] == list(dict.fromkeys(definition["metrics"]))
    assert ran > 0


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        ("revenue", "a report definition is an object"),
        ({"metrics": []}, "metrics must be a non-empty list"),
        ({"metrics": ["revnue"]}, "unknown metric 'revnue'; valid metrics: average_order_value"),
        ({"metrics": ["revenue"], "colour": "red"}, "unknown definition key 'colour'"),
        ({"metrics": ["revenue"], "dimensions": ["planet"]}, "unknown dimension 'planet' for metrics revenue"),
        ({"metrics": ["revenue"], "dimensions": ["product_category"]}, "valid dimensions: acquisition_source"),
        ({"metrics": ["revenue"], "time_grain": "hour"}, "unknown time_grain 'hour'; valid time grains: day"),
        ({"metrics": ["revenue"], "filters": [{"field": "customer_type"}]}, "filter #1 is malformed"),
        ({"metrics": ["revenue"], "filters": [{"field": "customer_type", "op": "like", "value": "%"}]},
         "filter #1 is malformed"),
        ({"metrics": ["revenue"], "filters": [{"field": "customer_type", "op": "in", "values": "commercial"}]},
         "filter #1 is malformed"),
        ({"metrics": ["revenue"], "filters": [{"field": "planet", "op": "eq", "value": "x"}]},
         "unknown filter field 'planet' in filter #1; valid fields:"),
        ({"metrics": ["revenue"], "date_range": {"start": "2026-06-01", "end": "2026-01-01"}},
         "date_range start 2026-06-01 is after its end 2026-01-01"),
        ({"metrics": ["revenue"], "date_range": {"start": "yesterday"}}, "date_range start 'yesterday' is not a date"),
        ({"metrics": ["revenue"], "date_range": {"type": "relative", "last": 0, "unit": "month"}},
         "date_range last must be a whole number of at least 1"),
        ({"metrics": ["revenue"], "date_range": {"type": "relative", "last": 3, "unit": "fortnight"}},
         "unknown date_range unit 'fortnight'"),
    ],
)  # fmt: skip
def test_each_invalid_definition_is_rejected_with_its_message(engine, organization, definition, message):
    with pytest.raises(ReportDefinitionError) as raised:
        report(definition, organization, engine)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_sql_in_names_is_rejected_and_sql_in_values_is_only_a_value(tiny_warehouse, engine, organization):
    attack = "x'); drop table app.orders; --"
    for definition in (
        {"metrics": ["revenue; drop table app.orders"]},
        {"metrics": ["revenue"], "dimensions": ["customer_type from marts.dim_customers; --"]},
        {"metrics": ["revenue"], "filters": [{"field": "1=1 or customer_type", "op": "eq", "value": "x"}]},
        {"metrics": ["revenue"], "date_range": {"start": "2026-01-01'; drop table app.orders; --"}},
        {"metrics": ["revenue"], "time_grain": "month') from app.orders; --"},
    ):
        with pytest.raises(ReportDefinitionError):
            report(definition, organization, engine)
    injected = [{"field": "customer_type", "op": "in", "values": [attack, "' or 1=1 --"]}]
    frame = report({"metrics": ["orders", "revenue"], "filters": injected}, organization, engine)
    assert frame.orders.iloc[0] == 0 and frame.revenue.iloc[0] == 0
    with psycopg.connect(tiny_warehouse) as conn:
        assert conn.execute("select count(*) from app.orders").fetchone()[0] > 0


def test_a_report_only_sees_its_own_organization(tiny_warehouse, engine):
    with psycopg.connect(tiny_warehouse) as conn:
        totals = dict(conn.execute(
            "select organization_id, sum(orders) from reporting.mv_daily_metrics group by 1"
        ).fetchall())  # fmt: skip
    assert len(totals) > 1
    for organization_id, orders in totals.items():
        assert report({"metrics": ["orders"]}, organization_id, engine).orders.iloc[0] == orders


def test_metricflow_serves_the_same_yaml_with_the_same_numbers(tiny_warehouse, engine, tmp_path):
    """MetricFlow (`mf query`, all organizations) and the custom-report compiler agree month by month. mf reads
    target/semantic_manifest.json of the project it runs in, so it runs in a copy parsed against this database."""
    project = tmp_path / "dbt"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    env = {key: value for key, value in os.environ.items() if not key.startswith("DBT_")}
    env |= dbt_environment(tiny_warehouse)
    bin_dir = Path(sys.executable).parent
    output = tmp_path / "metricflow.csv"
    for command in (
        [str(bin_dir / "dbt"), "parse", "--project-dir", str(project), "--profiles-dir", str(project)],
        [str(bin_dir / "mf"), "query", "--metrics", "revenue,won_deals", "--group-by", "metric_time__month",
         "--csv", str(output)],
    ):  # fmt: skip
        result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    metricflow = {
        row["metric_time__month"][:10]: (Decimal(row["revenue"] or 0), int(float(row["won_deals"] or 0)))
        for row in csv.DictReader(output.open())
        if row["metric_time__month"]
    }
    with psycopg.connect(tiny_warehouse) as conn:
        organizations = [row[0] for row in conn.execute("select organization_id from marts.dim_organizations")]
    ours: dict[str, list] = {}
    for organization_id in organizations:
        frame = report({"metrics": ["revenue", "won_deals"], "time_grain": "month"}, organization_id, engine)
        for row in frame.itertuples():
            totals = ours.setdefault(row.metric_time.isoformat(), [Decimal(0), 0])
            totals[0] += Decimal(str(row.revenue))
            totals[1] += int(row.won_deals)
    assert metricflow == {month: (revenue, won) for month, (revenue, won) in ours.items() if revenue or won}


@pytest.mark.parametrize("grain", ["day", "week", "month", "quarter", "year", None])
def test_a_report_without_dimensions_reads_the_daily_values_and_equals_the_marts_to_the_cent(
    tiny_warehouse, engine, organization, grain
):
    """Every metric of the layer, per grain, over all time and over a range: the path over int_metric_daily_values
    (what a report without dimensions or filters runs) gives the frame the fact tables give (compile_report, the
    path of reports with dimensions or filters)."""
    import pandas as pd
    from sqlalchemy import text

    from readside import semantic

    layer = semantic.load_semantic_layer()
    metrics = sorted(layer.metrics)
    with engine.connect() as conn:
        as_of = conn.execute(
            text("select as_of_date from marts.dim_organizations where organization_id = :o"), {"o": organization}
        ).scalar()
    for date_range in (None, {"start": "2025-02-10", "end": "2025-11-20"}):
        definition = {"metrics": metrics} | ({"time_grain": grain} if grain else {})
        definition |= {"date_range": date_range} if date_range else {}
        request = semantic.validate_definition(definition, layer, as_of=as_of)
        frames = []
        for compile_query in (semantic.compile_daily_report, semantic.compile_report):
            query, columns = compile_query(layer, request, organization)
            assert (semantic.DAILY_VALUES in str(query)) == (compile_query is semantic.compile_daily_report)
            with engine.connect() as conn:
                rows = [row._mapping for row in conn.execute(query)]
            frames.append(semantic.report_frame(layer, request, rows, columns))
        daily, marts = frames
        pd.testing.assert_frame_equal(daily, marts, check_exact=True)
        # numbers, not empty frames that are trivially equal (a ratio can have no denominator in a short range)
        assert len(daily) >= 1 and daily[metrics].notna().any().sum() > len(metrics) * 0.8
        pd.testing.assert_frame_equal(report(definition, organization, engine), daily, check_exact=True)
