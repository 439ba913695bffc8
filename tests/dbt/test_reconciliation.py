"""Reconciliation: every column of the five mv_* relations and of target_attainment, recomputed independently with
pandas from the app tables of the `tiny` data (tests/dbt/recompute.py), equals what dbt built, to the cent."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import create_engine, pool

from tests.dbt import recompute


@pytest.fixture(scope="module")
def built(tiny_warehouse):
    engine = create_engine(tiny_warehouse.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=pool.NullPool)
    data = recompute.AppData(engine)
    current = pd.read_sql("select * from reporting.mv_current_state", engine, coerce_float=False)
    as_of = {int(r.organization_id): r.as_of_date for r in current.itertuples()}
    as_of_at = {int(r.organization_id): r.as_of_at.to_pydatetime() for r in current.itertuples()}
    calendar = recompute.Calendar(data, as_of)
    yield engine, data, calendar, as_of_at
    engine.dispose()


def relation(engine, name: str) -> pd.DataFrame:
    return pd.read_sql(f"select * from reporting.{name}", engine, coerce_float=False)


def normalise(value):
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, Decimal):
        return value
    if hasattr(value, "item"):
        return value.item()
    return value


def assert_same(actual: pd.DataFrame, expected: dict, keys: list[str], name: str) -> None:
    rows = {tuple(normalise(row[k]) for k in keys): row for row in actual.to_dict("records")}
    assert set(rows) == set(expected), f"{name}: keys differ, e.g. {sorted(set(rows) ^ set(expected), key=str)[:5]}"
    columns = next(iter(expected.values())).keys() if expected else []
    mismatches = []
    for key, values in expected.items():
        for column in columns:
            got, want = normalise(rows[key][column]), values[column]
            if got != want:
                mismatches.append(f"{column} at {key}: built {got!r}, recomputed {want!r}")
    assert not mismatches, f"{name}: {len(mismatches)} mismatches, e.g. " + "; ".join(mismatches[:8])


def test_the_as_of_date_is_today_in_each_organizations_time_zone(built):
    _, _, calendar, as_of_at = built
    # The build's own instant, not now(): the local day may have turned since the build.
    for organization_id, zone in calendar.zones.items():
        assert abs((datetime.now(ZoneInfo("UTC")) - as_of_at[organization_id]).total_seconds()) < 3600
        assert calendar.as_of[organization_id] == as_of_at[organization_id].astimezone(zone).date()


def test_mv_daily_metrics_equals_an_independent_recomputation_to_the_cent(built):
    engine, data, calendar, _ = built
    expected = recompute.daily_metrics(data, calendar)
    assert sum(v["orders"] for v in expected.values()) > 100  # the tiny data has real volume
    assert_same(relation(engine, "mv_daily_metrics"), expected, ["organization_id", "metric_date"], "mv_daily_metrics")


def test_mv_daily_pipeline_equals_an_independent_replay_of_stage_history(built):
    engine, data, calendar, _ = built
    expected = recompute.daily_pipeline(data, calendar)
    assert sum(v["won_deals"] for v in expected.values()) > 10
    assert_same(
        relation(engine, "mv_daily_pipeline"),
        expected,
        ["organization_id", "metric_date", "stage"],
        "mv_daily_pipeline",
    )


def test_mv_daily_jobs_equals_an_independent_recomputation(built):
    engine, data, calendar, _ = built
    expected = recompute.daily_jobs(data, calendar)
    assert_same(relation(engine, "mv_daily_jobs"), expected, ["organization_id", "metric_date"], "mv_daily_jobs")


def test_mv_daily_warranty_equals_an_independent_recomputation(built):
    engine, data, calendar, _ = built
    expected = recompute.daily_warranty(data, calendar)
    assert_same(
        relation(engine, "mv_daily_warranty"), expected, ["organization_id", "metric_date"], "mv_daily_warranty"
    )


def test_mv_current_state_equals_an_independent_recomputation(built):
    engine, data, calendar, as_of_at = built
    expected = recompute.current_state(data, calendar, as_of_at)
    assert_same(relation(engine, "mv_current_state"), expected, ["organization_id"], "mv_current_state")


def test_target_attainment_equals_an_independent_recomputation_of_every_target(built):
    engine, data, calendar, as_of_at = built
    expected = recompute.target_attainment(data, calendar, as_of_at)
    assert len(expected) > 20
    assert {v["pace_status"] for v in expected.values()} & {"achieved", "missed"}
    assert_same(relation(engine, "target_attainment"), expected, ["organization_id", "target_id"], "target_attainment")
