"""A person's own corner of the dashboards: favourites (`report_favorites`: a starred page or saved report) and
their Home layout (`dashboard_layouts`: which tiles and reports, in which order). Row-level security keeps both to
the viewer's own rows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from readside.access import Viewer
from readside.database import scoped

HOME = "home"


@dataclass(frozen=True)
class Favourites:
    pages: tuple[str, ...] = ()  # page keys (dashboards/navigation.py file stems)
    reports: tuple[int, ...] = ()  # custom_reports ids


@dataclass(frozen=True)
class Layout:
    tiles: tuple[str, ...] = ()  # mv_current_state columns
    reports: tuple[int, ...] = ()  # saved reports shown on Home
    extra: dict = field(default_factory=dict)


def favourites(viewer: Viewer, engine=None) -> Favourites:
    from sqlalchemy import text

    with scoped(viewer.scope, engine) as conn:
        rows = conn.execute(
            text("select report_key, custom_report_id from app.report_favorites order by created_at, id")
        ).all()
    return Favourites(
        tuple(key for key, report in rows if key is not None), tuple(report for key, report in rows if report)
    )


def set_favourite(viewer: Viewer, *, page: str | None = None, report: int | None = None, starred: bool,
                  engine=None) -> None:  # fmt: skip
    """Star or unstar a page (by key) or a saved report (by id) for the viewer."""
    from sqlalchemy import text

    if (page is None) == (report is None):
        raise ValueError("star either a page or a report")
    column, value = ("report_key", page) if page is not None else ("custom_report_id", int(report))
    with scoped(viewer.scope, engine) as conn:
        if starred:
            conn.execute(
                text(
                    f"""insert into app.report_favorites (organization_id, user_id, {column})
                        values (:org, :user, :value) on conflict do nothing"""
                ),
                {"org": viewer.organization_id, "user": viewer.user_id, "value": value},
            )
        else:
            conn.execute(text(f"delete from app.report_favorites where {column} = :value"), {"value": value})


def layout(viewer: Viewer, engine=None) -> Layout | None:
    from sqlalchemy import text

    with scoped(viewer.scope, engine) as conn:
        stored = conn.execute(
            text("select layout from app.dashboard_layouts where dashboard_key = :key"), {"key": HOME}
        ).scalar()
    if stored is None:
        return None
    return Layout(
        tuple(str(t) for t in stored.get("tiles", [])),
        tuple(int(r) for r in stored.get("reports", [])),
        {k: v for k, v in stored.items() if k not in ("tiles", "reports")},
    )


def save_layout(viewer: Viewer, chosen: Layout, engine=None) -> None:
    from sqlalchemy import text

    document = {**chosen.extra, "tiles": list(chosen.tiles), "reports": list(chosen.reports)}
    with scoped(viewer.scope, engine) as conn:
        conn.execute(
            text(
                """insert into app.dashboard_layouts (organization_id, user_id, dashboard_key, layout, is_default)
                   values (:org, :user, :key, cast(:layout as jsonb), false)
                   on conflict (organization_id, user_id, dashboard_key)
                   do update set layout = excluded.layout, updated_at = now()"""
            ),
            {"org": viewer.organization_id, "user": viewer.user_id, "key": HOME, "layout": json.dumps(document)},
        )
