"""Pipeline: open and weighted value, deals created, won and lost, win rate, days to close (mv_daily_pipeline)."""

from dashboards import components, session

components.figures_page(
    session.viewer(),
    "mv_daily_pipeline",
    "Pipeline",
    "Open and weighted pipeline value, deals created, won and lost, win rate and days to close.",
)
