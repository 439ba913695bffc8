"""Streamlit entry point for analysts: sign-in first (dashboards.session), then the pages the viewer's role allows,
grouped. Pages hold UI only; what they read comes from the read-side package (readside/)."""

import streamlit as st

from dashboards import session
from dashboards.components import database_errors
from dashboards.navigation import pages_for

st.set_page_config(page_title="Field-service warehouse", page_icon=":material/insights:", layout="wide")
viewer = session.require_viewer()
session.sidebar(viewer)
# A database error a page does not handle itself (a read, a save, a test send) is one message, never a traceback.
with database_errors():
    st.navigation(pages_for(viewer)).run()
