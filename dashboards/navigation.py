"""The dashboards' pages, grouped, and who may open each: a page the viewer's permissions do not allow is not
listed, and st.navigation refuses its URL like any unknown page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from readside.access import REPORTS_READ, Viewer

PAGES_DIR = Path(__file__).resolve().parent / "pages"


@dataclass(frozen=True)
class PageSpec:
    file: str
    title: str
    icon: str
    group: str
    permission: str = REPORTS_READ
    relations: tuple[str, ...] = ()  # the reporting relations it shows (the dbt exposures list these pages)


PAGES = (
    PageSpec("home.py", "Home", ":material/home:", "Dashboards"),
    PageSpec("overview.py", "Overview", ":material/dashboard:", "Dashboards", relations=("mv_current_state",)),
    PageSpec("sales.py", "Sales and billing", ":material/payments:", "Dashboards", relations=("mv_daily_metrics",)),
    PageSpec("pipeline.py", "Pipeline", ":material/filter_alt:", "Dashboards", relations=("mv_daily_pipeline",)),
    PageSpec("jobs.py", "Jobs", ":material/construction:", "Dashboards", relations=("mv_daily_jobs",)),
    PageSpec("warranty.py", "Warranty", ":material/verified_user:", "Dashboards", relations=("mv_daily_warranty",)),
    PageSpec("targets.py", "Targets", ":material/flag:", "Dashboards", relations=("target_attainment",)),
    PageSpec("custom_reports.py", "Custom reports", ":material/query_stats:", "Reports"),
    PageSpec("account.py", "Your account", ":material/person:", "Account"),
)


def allowed(viewer: Viewer) -> list[PageSpec]:
    return [page for page in PAGES if viewer.can(page.permission)]


def pages_for(viewer: Viewer) -> dict:
    import streamlit as st

    groups: dict[str, list] = {}
    for page in allowed(viewer):
        groups.setdefault(page.group, []).append(
            st.Page(str(PAGES_DIR / page.file), title=page.title, icon=page.icon, default=page.file == "home.py")
        )
    return groups
