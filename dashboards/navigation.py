"""The dashboards' pages, grouped, and who may open each: a page the viewer's permissions do not allow is not
listed, and st.navigation refuses its URL like any unknown page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from readside.access import REPORTS_READ, Viewer

PAGES_DIR = Path(__file__).resolve().parent / "views"


@dataclass(frozen=True)
class PageSpec:
    file: str
    title: str
    icon: str
    group: str
    permission: str = REPORTS_READ
    relations: tuple[str, ...] = ()  # the warehouse relations it reads (the dbt exposures list these pages)

    @property
    def key(self) -> str:
        return self.file.removesuffix(".py")


SEMANTIC = ("semantic layer",)  # a page that runs custom reports reads the semantic models' marts
PAGES = (
    PageSpec("home.py", "Home", ":material/home:", "Dashboards", relations=("mv_current_state", *SEMANTIC)),
    PageSpec("overview.py", "Overview", ":material/dashboard:", "Dashboards",
             relations=("mv_current_state", "mv_daily_metrics", "mv_daily_pipeline", "mv_daily_jobs",
                        "mv_daily_warranty")),
    PageSpec("sales.py", "Sales and billing", ":material/payments:", "Dashboards",
             relations=("mv_daily_metrics", "fct_orders", "dim_customers")),
    PageSpec("pipeline.py", "Pipeline", ":material/filter_alt:", "Dashboards",
             relations=("mv_daily_pipeline", "fct_opportunities")),
    PageSpec("jobs.py", "Jobs", ":material/construction:", "Dashboards", relations=("mv_daily_jobs", "fct_jobs")),
    PageSpec("warranty.py", "Warranty", ":material/verified_user:", "Dashboards",
             relations=("mv_daily_warranty", "fct_warranty_claims")),
    PageSpec("targets.py", "Targets", ":material/flag:", "Dashboards", relations=("target_attainment", "dim_users")),
    PageSpec("custom_reports.py", "Custom reports", ":material/query_stats:", "Reports",
             relations=("mv_current_state", *SEMANTIC)),
    PageSpec("schedules.py", "Scheduled reports", ":material/schedule_send:", "Reports"),
    PageSpec("account.py", "Your account", ":material/person:", "Account"),
)  # fmt: skip


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
