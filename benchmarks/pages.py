"""The dashboards' server time: every page run through Streamlit's AppTest as a signed-in user of the organization
with the most orders (its caches cleared before each run, so each is a cold read through the reader role), and a
custom report over two years by month, each repeated for p50/p95.

Run by `warehouse bench` with DATABASE_URL set to the bench database; `python -m benchmarks.pages N` prints JSON.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date, timedelta

from oltp.settings import REPO_ROOT

APP = str(REPO_ROOT / "dashboards" / "app.py")
TWO_YEARS_BY_MONTH = {
    "metrics": ["revenue", "orders", "gross_margin", "won_value", "jobs_completed"],
    "time_grain": "month",
    "date_range": {"type": "relative", "last": 24, "unit": "month"},
}


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(name: str, seconds: list[float], **extra) -> dict:
    return {"name": name, "runs": len(seconds), "p50_ms": round(statistics.median(seconds) * 1000, 1),
            "p95_ms": round(_quantile(seconds, 0.95) * 1000, 1), **extra}  # fmt: skip


def signed_in_analyst(url: str) -> tuple[str, int]:
    """The email of an active analyst (or admin) of the organization with the most orders, and its organization."""
    import psycopg

    from oltp.database import libpq_url

    with psycopg.connect(libpq_url(url)) as conn:
        row = conn.execute(
            """
            select u.email, u.organization_id
            from app.users u
            join app.user_roles ur on ur.organization_id = u.organization_id and ur.user_id = u.id
            join app.roles r on r.id = ur.role_id
            where u.status = 'active' and u.deleted_at is null and r.name in ('analyst', 'admin')
                and u.organization_id = (
                    select organization_id from app.orders group by 1 order by count(*) desc, 1 limit 1
                )
            order by r.name = 'analyst' desc, u.id
            limit 1
            """
        ).fetchone()
    if row is None:
        raise SystemExit("no active analyst or admin in the organization with the most orders")
    return row


def measure(url: str, repeat: int) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboards.navigation import PAGES
    from readside.access import viewers_for_email
    from readside.custom_reports import run_report

    email, organization = signed_in_analyst(url)
    end = date.today()
    params = {"start": (end - timedelta(days=89)).isoformat(), "end": end.isoformat(), "grain": "week"}
    pages = []
    for page in PAGES:
        seconds = []
        for _ in range(repeat + 1):  # the first run pays the imports: not counted
            at = AppTest.from_file(APP, default_timeout=120)
            at.user = {"is_logged_in": True, "email": email}
            at.run()
            at.switch_page(f"views/{page.file}")
            for key, value in params.items():
                at.query_params[key] = value
            st.cache_data.clear()  # a cold read: sign-in lookup, figures, status, all from the database
            started = time.perf_counter()
            at.run()
            seconds.append(time.perf_counter() - started)
            if at.exception:
                raise SystemExit(f"page {page.file} raised: {at.exception[0].value}")
        pages.append(_summary(page.title, seconds[1:]))
    viewer = viewers_for_email(email)[0]
    report_seconds = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        frame = run_report(viewer, TWO_YEARS_BY_MONTH)
        report_seconds.append(time.perf_counter() - started)
    report = _summary("custom report: 5 metrics, two years by month", report_seconds[1:], rows=len(frame))
    return {"organization_id": organization, "pages": pages, "custom_report": report}


def main() -> None:
    from oltp.database import database_url

    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    print(json.dumps(measure(database_url(), repeat)))


if __name__ == "__main__":
    main()
