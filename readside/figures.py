"""The reporting relations as the read side shows them: which figures each page has, how a figure rolls up from
days to a week, month, quarter or year, who may see it, and its definition from the dbt YAML (the one metric
glossary docs/metrics.md is generated from).

Every read runs as the viewer under its scope (row-level security) and also filters on its organization.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from readside.access import FINANCE_READ, Viewer
from readside.database import scoped
from readside.semantic import DBT_MODELS_DIR, TIME_GRAINS

REPORTING_YAML = DBT_MODELS_DIR / "reporting" / "_reporting__models.yml"


@dataclass(frozen=True)
class Figure:
    """One column of a daily reporting relation, and how it rolls up over days: summed (a flow), its value on the
    last day of the period (a balance, such as receivables outstanding), or a ratio of two sums."""

    column: str
    label: str
    rollup: str = "sum"  # sum, last, ratio
    numerator: str | None = None
    denominator: str | None = None
    scale: int = 1  # a ratio shown as a percent is 100 * numerator / denominator
    permission: str | None = None


@dataclass(frozen=True)
class DailyRelation:
    name: str
    figures: tuple[Figure, ...]
    keys: tuple[str, ...] = ()  # columns besides the day that a row is per (pipeline stage)


def _money(column: str, label: str, rollup: str = "sum", finance: bool = False) -> Figure:
    return Figure(column, label, rollup, permission=FINANCE_READ if finance else None)


DAILY_RELATIONS: dict[str, DailyRelation] = {
    relation.name: relation
    for relation in (
        DailyRelation(
            "mv_daily_metrics",
            (
                Figure("orders", "Orders"),
                _money("booked_value", "Booked value"),
                Figure("average_order_value", "Average order value", "ratio", "booked_value", "orders"),
                Figure("new_customers", "New customers"),
                Figure("invoices_issued", "Invoices issued", permission=FINANCE_READ),
                _money("revenue", "Revenue", finance=True),
                _money("gross_margin", "Gross margin", finance=True),
                _money("cash_collected", "Cash collected", finance=True),
                _money("receivables_outstanding", "Receivables outstanding", "last", finance=True),
                _money("receivables_overdue", "Receivables overdue", "last", finance=True),
            ),
        ),
        DailyRelation(
            "mv_daily_pipeline",
            (
                Figure("open_deals", "Open deals", "last"),
                _money("open_value", "Open value", "last"),
                _money("weighted_value", "Weighted value", "last"),
                Figure("created_deals", "Deals created"),
                Figure("won_deals", "Deals won"),
                _money("won_value", "Value won"),
                Figure("lost_deals", "Deals lost"),
                Figure("win_rate", "Win rate %", "ratio", "won_deals", "won_plus_lost", 100),
                Figure("average_days_to_close", "Days to close", "ratio", "won_days_to_close", "won_deals"),
            ),
            keys=("stage", "stage_order"),
        ),
        DailyRelation(
            "mv_daily_jobs",
            (
                Figure("jobs_scheduled", "Jobs scheduled"),
                Figure("jobs_completed", "Jobs completed"),
                Figure("on_time_rate", "On time %", "ratio", "jobs_on_time", "jobs_with_scheduled_end", 100),
                Figure("first_time_fix_rate", "First-time fix %", "ratio", "first_time_fixes", "jobs_completed", 100),
                Figure("hours_logged", "Hours logged"),
                _money("labour_cost", "Labour cost", finance=True),
                _money("material_cost", "Material cost", finance=True),
            ),
        ),
        DailyRelation(
            "mv_daily_warranty",
            (
                Figure("active_warranties", "Active warranties", "last"),
                Figure("warranties_registered", "Warranties registered"),
                Figure("expiring_within_30_days", "Expiring within 30 days", "last"),
                Figure("claims_opened", "Claims opened"),
                Figure("claims_resolved", "Claims resolved"),
                _money("claim_cost", "Claim cost", finance=True),
                Figure(
                    "average_days_to_resolve", "Days to resolve", "ratio", "days_to_resolve_total", "claims_resolved"
                ),
            ),
        ),
    )
}


def visible_figures(relation: str, viewer: Viewer) -> tuple[Figure, ...]:
    """The figures of ``relation`` the viewer may see (finance figures need finance.read)."""
    return tuple(f for f in DAILY_RELATIONS[relation].figures if f.permission is None or viewer.can(f.permission))


@cache
def glossary() -> dict[str, dict[str, dict[str, str]]]:
    """relation -> column -> {description, unit, better}, from the reporting YAML (``better``: "lower" for a figure
    whose rise is bad news, such as receivables overdue; else "higher")."""
    import yaml

    document = yaml.safe_load(REPORTING_YAML.read_text())
    result = {}
    for model in document["models"]:
        result[model["name"]] = {
            column["name"]: {
                "description": " ".join(str(column.get("description") or "").split()),
                "unit": str(((column.get("config") or {}).get("meta") or {}).get("unit", "")),
                "better": str(((column.get("config") or {}).get("meta") or {}).get("better", "higher")),
            }
            for column in model.get("columns") or []
        }
    return result


def definition(relation: str, column: str) -> str:
    entry = glossary().get(relation, {}).get(column)
    return entry["description"] if entry else ""


def lower_is_better(relation: str, column: str) -> bool:
    """A rise of this figure is bad news (shown red, a fall green)."""
    entry = glossary().get(relation, {}).get(column)
    return bool(entry) and entry["better"] == "lower"


def unit(relation: str, column: str) -> str:
    entry = glossary().get(relation, {}).get(column)
    return entry["unit"] if entry else ""


def formatted(value, unit: str) -> str:
    """A figure as people read it: money and rates to two decimals, counts whole, days and hours to one decimal;
    a dash when there is none."""
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    value = float(value)
    if unit.startswith("money"):
        return f"{value:,.2f}"
    if unit == "percent":
        return f"{value:,.2f} %"
    if unit in ("days", "hours"):
        return f"{value:,.1f}"
    return f"{value:,.0f}"


TOTAL = "total"  # the whole range as one period


def _check_grain(grain: str) -> None:
    if grain not in (*TIME_GRAINS, TOTAL):
        raise ValueError(f"unknown time grain {grain!r}; valid: {', '.join(TIME_GRAINS)}, {TOTAL}")


def daily_figures(viewer: Viewer, relation: str, start: date, end: date, grain: str = "day", engine=None):
    """The visible figures of a daily relation per period of ``grain`` between ``start`` and ``end`` (inclusive),
    as a DataFrame with `period` and one column per figure; sums and ratios computed in the database, balances
    taken on the period's last day. Grain `total` gives one row for the whole range."""
    import pandas as pd
    from sqlalchemy import text

    _check_grain(grain)
    spec = DAILY_RELATIONS[relation]
    figures = visible_figures(relation, viewer)
    sums = sorted(
        {f.column for f in figures if f.rollup == "sum"}
        | {c for f in figures if f.rollup == "ratio" for c in (f.numerator, f.denominator)}
    )
    sums_sql = [
        f"sum({c}) as {c}" if c != "won_plus_lost" else "sum(won_deals + lost_deals) as won_plus_lost" for c in sums
    ]
    lasts = [f.column for f in figures if f.rollup == "last"]
    last_sql = [f"sum({c}) filter (where metric_date = last_day) as {c}" for c in lasts]
    select_figures = []
    for f in figures:
        if f.rollup == "ratio":
            select_figures.append(
                f"round({f.scale} * {f.numerator}::numeric / nullif({f.denominator}, 0), 2) as {f.column}"
            )
        else:
            select_figures.append(f.column)
    period = "cast(:start as date)" if grain == TOTAL else "date_trunc(:grain, metric_date)::date"
    sql = f"""
        with days as (
            select *, {period} as period
            from reporting.{spec.name}
            where organization_id = :organization_id and metric_date between :start and :end
        ),
        bounds as (select period, max(metric_date) as last_day from days group by period),
        rolled as (
            select d.period, {", ".join(sums_sql + last_sql) or "count(*) as days"}
            from days d join bounds b using (period)
            group by d.period
        )
        select period, {", ".join(select_figures)} from rolled order by period
    """
    with scoped(viewer.scope, engine) as conn:
        rows = conn.execute(
            text(sql), {"grain": grain, "organization_id": viewer.organization_id, "start": start, "end": end}
        )
        frame = pd.DataFrame(rows.mappings().all(), columns=["period", *[f.column for f in figures]])
    return _typed(frame)


def _typed(frame):
    """Periods as dates and figures as floats: charts and Arrow take them as numbers (a Decimal reaches Vega as an
    unscaled integer). Amounts come from numeric(…, 2) sums, so two decimals show them to the cent."""
    import pandas as pd

    frame["period"] = pd.to_datetime(frame["period"])
    for column in frame.columns[1:]:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def current_state(viewer: Viewer, engine=None) -> dict | None:
    """The organization's row of mv_current_state, finance figures left out unless the viewer may see them."""
    from sqlalchemy import text

    finance_columns = {"receivables_outstanding", "receivables_overdue", "inventory_value"}
    with scoped(viewer.scope, engine) as conn:
        row = (
            conn.execute(
                text("select * from reporting.mv_current_state where organization_id = :organization_id"),
                {"organization_id": viewer.organization_id},
            )
            .mappings()
            .first()
        )
    if row is None:
        return None
    return {k: v for k, v in row.items() if viewer.can(FINANCE_READ) or k not in finance_columns}


FINANCE_METRICS = ("revenue", "gross_margin", "cash_collected")  # targets on these are finance figures


def targets(viewer: Viewer, engine=None):
    """Every target of the organization with actual, attainment and pace; targets on finance metrics only for
    viewers who may see finance figures."""
    import pandas as pd
    from sqlalchemy import text

    hidden = [] if viewer.can(FINANCE_READ) else list(FINANCE_METRICS)
    with scoped(viewer.scope, engine) as conn:
        rows = conn.execute(
            text(
                """
                select t.target_name, t.metric, t.owner_scope,
                       case t.owner_scope when 'organization' then 'whole organization'
                                          when 'user' then coalesce(u.full_name, 'user #' || t.user_id)
                                          else 'team #' || t.user_group_id end as owner,
                       t.period_type, t.period_start, t.period_end, t.target_value, t.actual_value,
                       t.attainment_percent, t.expected_to_date, t.pace_percent, t.pace_status
                from reporting.target_attainment t
                left join marts.dim_users u on u.organization_id = t.organization_id and u.user_id = t.user_id
                where t.organization_id = :organization_id and t.metric <> all(:hidden)
                order by t.period_start desc, t.target_name
                """
            ),
            {"organization_id": viewer.organization_id, "hidden": hidden},
        )
        return pd.DataFrame(rows.mappings().all(), columns=list(rows.keys()))


def pipeline_by_stage(viewer: Viewer, day: date, start: date, end: date, engine=None):
    """The pipeline by stage as it stood on ``day`` (open deals, open and weighted value), with each stage's deals
    won and lost, win rate and average days to close between ``start`` and ``end``."""
    import pandas as pd
    from sqlalchemy import text

    with scoped(viewer.scope, engine) as conn:
        result = conn.execute(
            text(
                """
                select stage, min(stage_order) as stage_order,
                       sum(open_deals) filter (where metric_date = :day) as open_deals,
                       sum(open_value) filter (where metric_date = :day) as open_value,
                       sum(weighted_value) filter (where metric_date = :day) as weighted_value,
                       sum(won_deals) filter (where metric_date between :start and :end) as won_deals,
                       sum(lost_deals) filter (where metric_date between :start and :end) as lost_deals,
                       round(100 * sum(won_deals) filter (where metric_date between :start and :end)::numeric
                             / nullif(sum(won_deals + lost_deals) filter (where metric_date between :start and :end),
                                      0), 2) as win_rate,
                       round(sum(won_days_to_close) filter (where metric_date between :start and :end)::numeric
                             / nullif(sum(won_deals) filter (where metric_date between :start and :end), 0), 1)
                           as average_days_to_close
                from reporting.mv_daily_pipeline
                where organization_id = :organization_id
                    and (metric_date = :day or metric_date between :start and :end)
                group by stage
                order by stage_order
                """
            ),
            {"organization_id": viewer.organization_id, "day": day, "start": start, "end": end},
        )
        frame = pd.DataFrame(result.mappings().all(), columns=list(result.keys()))
    for column in frame.columns[1:]:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame
