"""The read side, shared by the dashboards and the emailed reports: who is signed in and what they may see
(`access`), the reader's connection scoped to one organization (`database`), the semantic layer (`semantic`), the
audit trail (`audit`) and sign-in through OpenID Connect (`oidc`). `dashboards/` holds the Streamlit UI only."""
