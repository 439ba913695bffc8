"""Overview: the organization's current state (mv_current_state) as tiles, and the last 30 days' headline figures
against the 30 days before, with sparklines (mv_daily_metrics, mv_daily_jobs, mv_daily_pipeline)."""

from datetime import timedelta

import streamlit as st

from dashboards import components, session
from readside import figures
from readside.charts import sparkline

HEADLINES = (  # relation, figure column
    ("mv_daily_metrics", "orders"),
    ("mv_daily_metrics", "booked_value"),
    ("mv_daily_metrics", "revenue"),
    ("mv_daily_metrics", "cash_collected"),
    ("mv_daily_pipeline", "won_value"),
    ("mv_daily_jobs", "jobs_completed"),
    ("mv_daily_jobs", "first_time_fix_rate"),
    ("mv_daily_warranty", "claims_opened"),
)
WINDOW = 30

viewer = session.viewer()
components.header(viewer, viewer.organization_name, page="overview")
with components.database_errors():
    components.status_line(viewer, "mv_current_state")
    state = components.current_state(viewer)
if state is None:
    st.info(
        f"No figures yet for {viewer.organization_name}: the warehouse has not built this organization yet. They "
        "appear after the next refresh.",
        icon=":material/info:",
    )
    st.stop()

st.subheader("Now")
components.tiles(
    [
        (
            components.column_label("mv_current_state", column, viewer),
            figures.formatted(state[column], entry["unit"]),
            entry["description"],
        )
        for column, entry in figures.glossary()["mv_current_state"].items()
        if column in state and column not in ("organization_id", "as_of_date", "as_of_at", "currency")
    ]
)

end = state["as_of_date"]
start, previous_start = end - timedelta(days=WINDOW - 1), end - timedelta(days=2 * WINDOW - 1)
st.subheader(f"Last {WINDOW} days", help=f"{start} to {end}, against the {WINDOW} days before")
shown = []
for relation, column in HEADLINES:
    figure = next((f for f in figures.visible_figures(relation, viewer) if f.column == column), None)
    if figure is None:
        continue
    current = components.daily_figures(viewer, relation, start, end, figures.TOTAL)
    previous = components.daily_figures(viewer, relation, previous_start, start - timedelta(days=1), figures.TOTAL)
    days = components.daily_figures(viewer, relation, start, end, "day")
    shown.append((relation, figure, current, previous, days))
columns = st.columns(4)
for index, (relation, figure, current, previous, days) in enumerate(shown):
    unit = figures.unit(relation, figure.column)
    value = current[figure.column].iloc[0] if not current.empty else None
    before = previous[figure.column].iloc[0] if not previous.empty else None
    delta = None if value is None or before is None else float(value) - float(before)
    with columns[index % 4]:
        st.metric(
            components.label(relation, figure, viewer),
            figures.formatted(value, unit),
            None if delta is None else figures.formatted(delta, unit),
            help=figures.definition(relation, figure.column),
            delta_color="inverse" if figures.lower_is_better(relation, figure.column) else "normal",
        )
        if not days.empty:
            st.altair_chart(sparkline(days, figure.column), width="stretch")
