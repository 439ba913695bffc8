"""Overview: the organization's current state (mv_current_state) as tiles."""

import streamlit as st

from dashboards import components, session
from readside import figures

viewer = session.viewer()
st.title(f"{viewer.organization_name}")
state = components.current_state(viewer)
if state is None:
    st.info(
        "No figures yet for your organization: the warehouse has not built it. They appear after the next refresh.",
        icon=":material/info:",
    )
    st.stop()
st.caption(f"As of {state['as_of_at']:%Y-%m-%d %H:%M} ({viewer.timezone}); amounts in {state['currency']}.")
tiles = [
    (column, entry)
    for column, entry in figures.glossary()["mv_current_state"].items()
    if column in state and column not in ("organization_id", "as_of_date", "as_of_at", "currency")
]
columns = st.columns(4)
for index, (column, entry) in enumerate(tiles):
    columns[index % 4].metric(
        column.replace("_", " ").capitalize(), components.number(state[column]), help=entry["description"]
    )
