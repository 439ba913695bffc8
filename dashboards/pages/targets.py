"""Targets: every target of the organization, its teams and people, with actual, attainment and pace
(target_attainment)."""

import streamlit as st

from dashboards import components, session
from readside import figures

viewer = session.viewer()
st.title("Targets")
frame = components.targets(viewer)
if frame.empty:
    st.info(f"{viewer.organization_name} has no targets yet.", icon=":material/info:")
    st.stop()
owners = ["everyone", *sorted(frame["owner_scope"].dropna().unique())]
owner = st.selectbox("Owner", owners)
if owner != "everyone":
    frame = frame[frame["owner_scope"] == owner]
st.dataframe(
    frame,
    hide_index=True,
    width="stretch",
    column_config={
        column: st.column_config.Column(help=figures.definition("target_attainment", column)) for column in frame
    },
)
components.csv_export(viewer, frame, name="Targets", relation="target_attainment", applied={"owner": owner})
