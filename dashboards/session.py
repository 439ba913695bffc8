"""Sign-in for the dashboards: Streamlit's `st.login` (OpenID Connect), then the identity's email decides the
viewer (readside.access). A refused identity sees one page saying why, and no data."""

from __future__ import annotations

import streamlit as st

from dashboards.components import database_errors
from readside import audit
from readside.access import PermissionDenied, SignInRefused, Viewer, viewers_for_email

VIEWER_KEY = "_viewer"


@st.cache_data(ttl=30, show_spinner=False)
def _provider_problem() -> str | None:
    """Why sign-in cannot work now (the provider unreachable, our client refused), or None."""
    from readside.oidc import OidcError, check_provider

    try:
        check_provider()
    except OidcError as error:
        return str(error)
    return None


@st.cache_data(ttl=60, show_spinner=False)
def _viewers(email: str) -> list[Viewer] | str:
    """The email's accounts, or the reason it may not sign in; keyed by the email alone, which is all it reads."""
    try:
        return viewers_for_email(email)
    except SignInRefused as refused:
        return str(refused)


def _sign_in_page() -> None:
    st.title("Field-service warehouse")
    problem = _provider_problem()
    if problem:
        st.error(f"Sign-in is not available: {problem}.", icon=":material/error:")
        st.stop()
    st.write("Sign in to see your organization's numbers.")
    if st.button("Sign in", type="primary", icon=":material/login:"):
        st.login()
    st.stop()


def _refusal_page(email: str, reason: str) -> None:
    st.title("You cannot use the dashboards")
    st.error(f"Signed in as {email}: {reason}.", icon=":material/block:")
    if st.button("Sign out", icon=":material/logout:"):
        st.logout()
    st.stop()


def require_viewer() -> Viewer:
    """The signed-in viewer, or stop the run on the sign-in or refusal page."""
    if not st.user.is_logged_in:
        st.session_state.pop(VIEWER_KEY, None)
        _sign_in_page()
    email = str(st.user.get("email") or "")
    with database_errors():
        found = _viewers(email.lower())
    if isinstance(found, str):
        _refusal_page(email, found)
    chosen = found[0]
    if len(found) > 1:
        names = {v.organization_id: v.organization_name for v in found}
        picked = st.sidebar.selectbox("Organization", list(names), format_func=names.get, key="organization")
        chosen = next(v for v in found if v.organization_id == picked)
    previous = st.session_state.get(VIEWER_KEY)
    st.session_state[VIEWER_KEY] = chosen
    if previous is None or previous.cache_key != chosen.cache_key:
        with database_errors():
            audit.record(chosen.scope, "login", new_values={"email": chosen.email})
    return chosen


def viewer() -> Viewer:
    """The viewer app.py resolved for this run (pages run only after it)."""
    return st.session_state[VIEWER_KEY]


def refuse(error: PermissionDenied) -> None:
    st.error(f"Not allowed: {error}.", icon=":material/block:")
    st.stop()


def sidebar(viewer: Viewer) -> None:
    with st.sidebar:
        st.caption(f"{viewer.full_name} · {viewer.organization_name}")
        st.caption(f"Roles: {', '.join(viewer.roles) or 'none'}")
        if st.button("Sign out", icon=":material/logout:"):
            st.logout()
