"""Saved custom reports (`app.custom_reports`): listed, opened, saved and shared as the viewer. Row-level security
shows a viewer their own reports and the ones shared in their organization, and lets only the owner change one;
building, saving and sharing also need reports.write."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from readside import audit
from readside.access import FINANCE_READ, REPORTS_WRITE, Viewer
from readside.database import scoped
from readside.semantic import ReportDefinitionError, load_semantic_layer, run_custom_report, validate_definition


@dataclass(frozen=True)
class SavedReport:
    id: int
    name: str
    definition: dict[str, Any]
    owner_user_id: int | None
    is_shared: bool
    visualization: str


_COLUMNS = "id, name, definition, owner_user_id, is_shared, visualization"
# Semantic-layer metrics that are finance figures: a report with one needs finance.read to run or save.
FINANCE_METRICS = frozenset(
    {
        "revenue",
        "gross_margin",
        "cash_collected",
        "credit_notes_amount",
        "recognized_revenue",
        "invoiced_revenue",
        "cost_of_goods_sold",
        "invoices_issued",
        "invoices_paid",
        "product_revenue",
        "product_gross_margin",
        "product_cost",
        "labour_cost",
        "warranty_claim_cost",
    }
)


def allowed_metrics(viewer: Viewer) -> list[str]:
    """The semantic layer's metrics the viewer may put in a report."""
    names = sorted(load_semantic_layer().metrics)
    return names if viewer.can(FINANCE_READ) else [name for name in names if name not in FINANCE_METRICS]


def _require_metrics(viewer: Viewer, definition: Any) -> None:
    metrics = definition.get("metrics") if isinstance(definition, dict) else None
    if isinstance(metrics, list) and not viewer.can(FINANCE_READ) and set(map(str, metrics)) & FINANCE_METRICS:
        viewer.require(FINANCE_READ)


def list_reports(viewer: Viewer, engine=None) -> list[SavedReport]:
    from sqlalchemy import text

    with scoped(viewer.scope, engine) as conn:
        rows = conn.execute(
            text(f"select {_COLUMNS} from app.custom_reports where deleted_at is null order by name, id")
        ).mappings()
        return [SavedReport(**row) for row in rows]


def get_report(viewer: Viewer, report_id: Any, engine=None) -> SavedReport | None:
    """The report with id ``report_id`` if the viewer may open it; None for anything else (another
    organization's, a colleague's private one, a deleted one, an id that is not a number)."""
    from sqlalchemy import text

    try:
        report_id = int(str(report_id))
    except ValueError:
        return None
    with scoped(viewer.scope, engine) as conn:
        row = (
            conn.execute(
                text(f"select {_COLUMNS} from app.custom_reports where id = :id and deleted_at is null"),
                {"id": report_id},
            )
            .mappings()
            .first()
        )
    return SavedReport(**row) if row else None


def save_report(
    viewer: Viewer,
    name: str,
    definition: dict[str, Any],
    *,
    shared: bool = False,
    report_id: int | None = None,
    engine=None,
) -> int:
    """Save a new report (or change the viewer's own ``report_id``) after checking its definition; returns its id.
    Audited as an insert or update, and as a share when it becomes shared."""
    from sqlalchemy import text

    viewer.require(REPORTS_WRITE)
    name = (name or "").strip()
    if not name:
        raise ReportDefinitionError("a saved report needs a name")
    _require_metrics(viewer, definition)
    validate_definition(definition, load_semantic_layer())
    with scoped(viewer.scope, engine) as conn:
        if report_id is None:
            report_id = conn.execute(
                text(
                    """insert into app.custom_reports (organization_id, name, definition, owner_user_id, is_shared)
                       values (:org, :name, cast(:definition as jsonb), :user, :shared) returning id"""
                ),
                {
                    "org": viewer.organization_id,
                    "name": name,
                    "definition": json.dumps(definition),
                    "user": viewer.user_id,
                    "shared": shared,
                },
            ).scalar_one()
            action, was_shared = "insert", False
        else:
            was_shared = conn.execute(
                text("select is_shared from app.custom_reports where id = :id and owner_user_id = :user"),
                {"id": report_id, "user": viewer.user_id},
            ).scalar()
            if was_shared is None:
                raise ReportDefinitionError(f"there is no report #{report_id} of yours to change")
            conn.execute(
                text(
                    """update app.custom_reports set name = :name, definition = cast(:definition as jsonb),
                       is_shared = :shared, updated_at = now() where id = :id"""
                ),
                {"id": report_id, "name": name, "definition": json.dumps(definition), "shared": shared},
            )
            action = "update"
        values = {"name": name, "definition": definition, "is_shared": shared}
        audit.record(viewer.scope, action, table_name="custom_reports", row_pk=report_id, new_values=values, conn=conn)
        if shared and not was_shared:
            audit.record(viewer.scope, "share", table_name="custom_reports", row_pk=report_id, conn=conn)
    return report_id


def run_report(viewer: Viewer, definition: dict[str, Any], engine=None):
    """Run a definition as the viewer: the semantic layer's query under the viewer's scope."""
    _require_metrics(viewer, definition)
    with scoped(viewer.scope, engine) as conn:
        return run_custom_report(definition, viewer.organization_id, connection=conn)
