"""Streamlit entry point for analysts: the page list; pages hold UI only, queries live in dashboards.queries."""

import streamlit as st

st.set_page_config(page_title="Field-service warehouse", layout="wide")
navigation = st.navigation([st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:")])
navigation.run()
