"""The custom-report compiler's pure parts: relative date ranges and metric formulas, without a database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from readside.semantic import (
    ReportDefinitionError,
    evaluate_formula,
    load_semantic_layer,
    metric_value,
    validate_definition,
)


@pytest.mark.parametrize(
    ("last", "unit", "start"),
    [
        (1, "day", date(2026, 11, 24)),
        (7, "day", date(2026, 11, 18)),
        (2, "week", date(2026, 11, 16)),
        (3, "month", date(2026, 9, 1)),
        (12, "month", date(2025, 12, 1)),
        (1, "quarter", date(2026, 10, 1)),
        (2, "quarter", date(2026, 7, 1)),
        (2, "year", date(2025, 1, 1)),
    ],
)
def test_relative_date_ranges_cover_the_current_and_previous_periods(last, unit, start):
    request = validate_definition(
        {"metrics": ["revenue"], "date_range": {"type": "relative", "last": last, "unit": unit}},
        load_semantic_layer(),
        as_of=date(2026, 11, 24),
    )
    assert (request.start, request.end) == (start, date(2026, 11, 24))


def test_formulas_follow_sql_null_and_nullif_rules():
    values = {"a": Decimal(3), "b": Decimal(0), "c": None}
    assert evaluate_formula("100.0 * a / nullif(a + b, 0)", values) == Decimal(100)
    assert evaluate_formula("a / nullif(b, 0)", values) is None
    assert evaluate_formula("a - c", values) is None
    assert evaluate_formula("coalesce(c, a) - -b", values) == Decimal(3)
    with pytest.raises(ValueError, match="unsupported metric formula"):
        evaluate_formula("__import__('os')", values)


def test_metrics_compose_from_measure_totals_as_the_yaml_says():
    layer = load_semantic_layer()
    totals = {"invoiced_revenue": Decimal("1000.50"), "credit_notes_amount": Decimal("0.50"),
              "cost_of_goods_sold": Decimal(600), "booked_value": Decimal(10), "orders_booked": Decimal(3)}  # fmt: skip
    assert metric_value(layer, "revenue", totals) == Decimal("1000.00")
    assert metric_value(layer, "gross_margin", totals) == Decimal("400.00")
    assert metric_value(layer, "won_deals", totals) == 0  # a missing measure counts 0
    assert round(metric_value(layer, "average_order_value", totals), 4) == Decimal("3.3333")
    assert metric_value(layer, "win_rate", totals) is None  # nothing closed: no rate


def test_a_filter_on_a_field_is_bound_as_a_value_list():
    request = validate_definition(
        {"metrics": ["orders"], "filters": {"order_status": ["completed", "fulfilled"], "customer_type": "commercial"}},
        load_semantic_layer(),
    )
    assert [(f.field, f.op, f.values) for f in request.filters] == [
        ("order_status", "in", ("completed", "fulfilled")),
        ("customer_type", "eq", ("commercial",)),
    ]
    with pytest.raises(ReportDefinitionError, match="metric_time is set with time_grain"):
        validate_definition({"metrics": ["orders"], "dimensions": ["metric_time"]}, load_semantic_layer())
