"""Sales and billing: orders, booked value, revenue, margin, cash collected, receivables (mv_daily_metrics)."""

from dashboards import components, session

components.figures_page(
    session.viewer(),
    "mv_daily_metrics",
    "Sales and billing",
    "Orders and booked value; revenue, margin, cash and receivables for roles that may see finance figures.",
    page="sales",
)
