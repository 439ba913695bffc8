"""Warranty: warranties in force and expiring, claims opened and resolved, their cost (mv_daily_warranty)."""

from dashboards import components, session

components.figures_page(
    session.viewer(),
    "mv_daily_warranty",
    "Warranty",
    "Warranties in force and expiring, claims opened and resolved, and what they cost.",
    page="warranty",
)
