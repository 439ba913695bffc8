"""Your account: who you are signed in as, in which organization, and what your roles allow."""

import streamlit as st

from dashboards import session
from readside.access import WHAT_NEEDS

viewer = session.viewer()
st.title("Your account")
st.write(f"**{viewer.full_name}** ({viewer.email}) at **{viewer.organization_name}**")
st.write(f"Roles: {', '.join(viewer.roles) or 'none'}")
st.subheader("What you may do here")
for permission, what in WHAT_NEEDS.items():
    st.markdown((":green[:material/check_circle:] " if viewer.can(permission) else ":red[:material/block:] ") + what)
