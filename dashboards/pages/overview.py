"""Overview: what the operational source holds."""

import streamlit as st

from dashboards import queries

st.title("Field-service warehouse")
st.caption("Operational source tables and their sizes. KPI pages arrive with the reporting layer.")
counts = queries.operational_table_counts()
left, right = st.columns(2)
left.metric("Operational tables", len(counts))
right.metric("Rows (estimated)", f"{int(counts['estimated_rows'].sum()):,}")
st.dataframe(counts, hide_index=True, width="stretch")
