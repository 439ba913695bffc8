"""The rows behind a number: from a figure of a daily reporting relation and a period to the marts' fact rows that
make it up, for the viewer's organization (read as the viewer, under row-level security).

Each drill names the mart, the day column that places a row in a period, the condition the relation's contributions
view applies (dbt/models/intermediate/int_mv_daily_*__contributions.sql) and the columns shown; summing the
`measure` column over the rows gives the figure (counts: the number of rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from readside.access import FINANCE_READ, Viewer
from readside.database import scoped
from readside.figures import DAILY_RELATIONS


@dataclass(frozen=True)
class Drill:
    mart: str
    day_column: str
    condition: str
    columns: tuple[str, ...]
    measure: str | None = None  # the column whose sum is the figure; None: the figure counts the rows


_ORDERS_BOOKED = ("fct_orders", "order_date", "is_booked")
_ORDERS_INVOICED = ("fct_orders", "invoice_date", "is_invoiced")
_ORDER_COLUMNS = ("order_number", "order_date", "order_status", "customer_id", "net_revenue", "invoice_date")
_OPPORTUNITY_COLUMNS = ("opportunity_number", "opportunity_name", "stage", "opportunity_status", "amount",
                        "created_date", "closed_date", "days_to_close")  # fmt: skip
_JOB_COLUMNS = ("job_number", "job_type", "job_status", "scheduled_date", "completed_date", "is_on_time",
                "is_first_time_fix", "hours_logged", "labour_cost", "material_cost")  # fmt: skip
_CLAIM_COLUMNS = ("claim_number", "claim_status", "failure_type", "claim_date", "resolved_date", "days_to_resolve",
                  "claim_cost")  # fmt: skip

# Fact columns that are finance figures: left out of the rows shown to viewers without finance.read.
FINANCE_COLUMNS = frozenset({"labour_cost", "material_cost", "claim_cost"})

DRILLS: dict[tuple[str, str], Drill] = {
    ("mv_daily_metrics", "orders"): Drill(*_ORDERS_BOOKED, _ORDER_COLUMNS),
    ("mv_daily_metrics", "booked_value"): Drill(*_ORDERS_BOOKED, _ORDER_COLUMNS, "net_revenue"),
    ("mv_daily_metrics", "invoices_issued"): Drill(*_ORDERS_INVOICED, _ORDER_COLUMNS),
    ("mv_daily_metrics", "new_customers"): Drill(
        "dim_customers", "became_customer_date", "true", ("customer_id", "became_customer_date")
    ),
    ("mv_daily_pipeline", "created_deals"): Drill("fct_opportunities", "created_date", "true", _OPPORTUNITY_COLUMNS),
    ("mv_daily_pipeline", "won_deals"): Drill(
        "fct_opportunities", "closed_date", "opportunity_status = 'won'", _OPPORTUNITY_COLUMNS
    ),
    ("mv_daily_pipeline", "won_value"): Drill(
        "fct_opportunities", "closed_date", "opportunity_status = 'won'", _OPPORTUNITY_COLUMNS, "amount"
    ),
    ("mv_daily_pipeline", "lost_deals"): Drill(
        "fct_opportunities", "closed_date", "opportunity_status = 'lost'", _OPPORTUNITY_COLUMNS
    ),
    ("mv_daily_jobs", "jobs_scheduled"): Drill("fct_jobs", "scheduled_date", "job_status <> 'cancelled'", _JOB_COLUMNS),
    ("mv_daily_jobs", "jobs_completed"): Drill("fct_jobs", "completed_date", "is_completed", _JOB_COLUMNS),
    ("mv_daily_warranty", "claims_opened"): Drill("fct_warranty_claims", "claim_date", "true", _CLAIM_COLUMNS),
    ("mv_daily_warranty", "claims_resolved"): Drill(
        "fct_warranty_claims", "resolved_date", "resolved_date is not null", _CLAIM_COLUMNS
    ),
}


def drills_for(relation: str, viewer: Viewer) -> list[str]:
    """The figures of ``relation`` the viewer may drill into."""
    from readside.figures import visible_figures

    visible = {f.column for f in visible_figures(relation, viewer)}
    return [column for (name, column) in DRILLS if name == relation and column in visible]


def rows_behind(viewer: Viewer, relation: str, figure: str, start: date, end: date, engine=None):
    """The fact rows behind ``figure`` of ``relation`` between ``start`` and ``end`` (inclusive), as a DataFrame;
    raises PermissionDenied for a figure the viewer may not see, KeyError for one without a drill."""
    import pandas as pd
    from sqlalchemy import text

    spec = next(f for f in DAILY_RELATIONS[relation].figures if f.column == figure)
    if spec.permission == FINANCE_READ and not viewer.can(FINANCE_READ):
        viewer.require(FINANCE_READ)
    drill = DRILLS[(relation, figure)]
    columns = [c for c in drill.columns if viewer.can(FINANCE_READ) or c not in FINANCE_COLUMNS]
    sql = text(
        f"""
        select {", ".join(columns)}
        from marts.{drill.mart}
        where organization_id = :organization_id and {drill.condition}
            and {drill.day_column} between :start and :end
            -- the relation counts from the organization's first day: rows dated earlier are in no figure
            and {drill.day_column} >= (
                select min(metric_date) from reporting.{relation} where organization_id = :organization_id
            )
        order by {drill.day_column}, 1
        """
    )
    with scoped(viewer.scope, engine) as conn:
        result = conn.execute(sql, {"organization_id": viewer.organization_id, "start": start, "end": end})
        return pd.DataFrame(result.mappings().all(), columns=list(result.keys()))
