"""Jobs: scheduled and completed, on time, first-time fixes, hours and costs (mv_daily_jobs)."""

from dashboards import components, session

components.figures_page(
    session.viewer(),
    "mv_daily_jobs",
    "Jobs",
    "Field jobs scheduled and completed, punctuality, first-time fixes, hours and costs.",
    page="jobs",
)
