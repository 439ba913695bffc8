"""Home: your favourites (starred pages and saved reports) and your layout (which current figures and which saved
reports, in which order), kept per person."""

import streamlit as st

from dashboards import components, session
from dashboards.navigation import PAGES
from readside import custom_reports, figures, home
from readside.access import PermissionDenied
from readside.charts import trend
from readside.semantic import ReportDefinitionError

viewer = session.viewer()
st.title(f"Welcome, {viewer.full_name.split()[0]}")
with components.database_errors():
    as_of = components.status_line(viewer, "mv_current_state")
    favourites = home.favourites(viewer)
    saved = {report.id: report for report in custom_reports.list_reports(viewer)}
    state = components.current_state(viewer) or {}

st.subheader("Favourites")
pages = {page.file.removesuffix(".py"): page for page in PAGES}
if not favourites.pages and not favourites.reports:
    st.caption("Nothing starred yet: use ★ Favourite at the top of a page or a saved report.")
for key in favourites.pages:
    if key in pages:
        st.page_link(f"views/{pages[key].file}", label=pages[key].title, icon=pages[key].icon)
for report_id in favourites.reports:
    if report_id in saved:
        st.page_link(
            "views/custom_reports.py", label=saved[report_id].name, icon=":material/query_stats:",
            query_params={"report": str(report_id)},
        )  # fmt: skip

available_tiles = [
    column
    for column in figures.glossary()["mv_current_state"]
    if column in state and column not in ("organization_id", "as_of_date", "as_of_at", "currency")
]
stored = home.layout(viewer)
chosen = stored or home.Layout(tiles=tuple(available_tiles[:4]))
with st.expander("Arrange Home", icon=":material/dashboard_customize:"), st.form("layout"):
    tiles = st.multiselect(
        "Figures, in order", available_tiles, default=[t for t in chosen.tiles if t in available_tiles],
        format_func=lambda column: components.column_label("mv_current_state", column, viewer), key="layout_tiles",
    )  # fmt: skip
    reports = st.multiselect(
        "Saved reports, in order", list(saved), default=[r for r in chosen.reports if r in saved],
        format_func=lambda report_id: saved[report_id].name, key="layout_reports",
    )  # fmt: skip
    if st.form_submit_button("Save layout", icon=":material/save:"):
        chosen = home.Layout(tuple(tiles), tuple(reports), chosen.extra)
        home.save_layout(viewer, chosen)
        st.success("Layout saved.", icon=":material/check:")

if chosen.tiles:
    st.subheader("Now")
    entries = figures.glossary()["mv_current_state"]
    components.tiles(
        [
            (
                components.column_label("mv_current_state", column, viewer),
                figures.formatted(state.get(column), entries[column]["unit"]),
                entries[column]["description"],
            )
            for column in chosen.tiles
            if column in state
        ]
    )
for report_id in chosen.reports:
    report = saved.get(report_id)
    if report is None:
        continue
    st.subheader(report.name)
    try:
        frame = custom_reports.run_report(viewer, report.definition)
    except (ReportDefinitionError, PermissionDenied) as error:  # e.g. a metric renamed since it was saved
        st.warning(f"This report cannot run: {error}", icon=":material/warning:")
        continue
    if "metric_time" in frame and not report.definition.get("dimensions"):
        metrics = report.definition["metrics"]
        st.altair_chart(trend(frame, {m: m.replace("_", " ") for m in metrics}, x="metric_time"), width="stretch")
    else:
        st.dataframe(frame, hide_index=True, width="stretch")
