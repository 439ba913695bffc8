"""Custom reports: open a saved report (yours, or shared in your organization) and, with reports.write, build one
on the semantic layer without SQL and save or share it."""

import streamlit as st

from dashboards import components, session
from readside import custom_reports
from readside.access import REPORTS_WRITE, PermissionDenied
from readside.charts import trend
from readside.semantic import TIME_GRAINS, ReportDefinitionError, load_semantic_layer

viewer = session.viewer()
layer = load_semantic_layer()
st.title("Custom reports")
as_of = components.status_line(viewer, "mv_daily_metrics")

saved = custom_reports.list_reports(viewer)
opened = None
if "report" in st.query_params:
    opened = custom_reports.get_report(viewer, st.query_params["report"])
    if opened is None:
        st.error(
            f"There is no report #{st.query_params['report']} that you can open: it is not yours, not shared in "
            f"{viewer.organization_name}, or was deleted.",
            icon=":material/block:",
        )
        del st.query_params["report"]
names = {report.id: f"{report.name}{' (shared)' if report.is_shared else ''}" for report in saved}
choice = st.selectbox(
    "Saved reports",
    [None, *names],
    index=[None, *names].index(opened.id) if opened and opened.id in names else 0,
    format_func=lambda key: "New report" if key is None else names[key],
)
if choice is not None:
    opened = next(report for report in saved if report.id == choice)
    st.query_params["report"] = str(choice)
    components.star(viewer, report=choice)
elif "report" in st.query_params:
    del st.query_params["report"]

definition = dict(opened.definition) if opened else {"metrics": [], "time_grain": "month"}
can_build = viewer.can(REPORTS_WRITE)
if can_build:
    allowed = custom_reports.allowed_metrics(viewer)
    picked = st.multiselect(
        "Metrics", allowed, default=[m for m in definition.get("metrics", []) if m in allowed], key="metrics"
    )
    for name in picked:
        metric = layer.metrics[name]
        st.caption(f"**{metric.label}**: {metric.description}")
    dimensions = st.multiselect(
        "Split by", list(layer.dimensions_for(picked)) if picked else [], key="dimensions",
        default=[d for d in definition.get("dimensions", []) if picked and d in layer.dimensions_for(picked)],
    )  # fmt: skip
    grain = st.selectbox(
        "Time grain", [None, *TIME_GRAINS], format_func=lambda g: "totals" if g is None else g,
        index=[None, *TIME_GRAINS].index(definition.get("time_grain")), key="report_grain",
    )  # fmt: skip
    definition = {"metrics": picked, "dimensions": dimensions, "time_grain": grain}
elif opened is None:
    st.info("Pick a saved report to run. Building reports needs the analyst role.", icon=":material/info:")
    st.stop()

if not definition.get("metrics"):
    st.info("Pick one or more metrics.", icon=":material/info:")
    st.stop()
try:
    frame = custom_reports.run_report(viewer, definition)
except (ReportDefinitionError, PermissionDenied) as error:
    st.error(str(error), icon=":material/error:")
    st.stop()
if frame.empty:
    st.info("The report has no rows for this organization and range.", icon=":material/info:")
else:
    if "metric_time" in frame and not definition.get("dimensions"):
        st.altair_chart(
            trend(frame, {m: layer.metrics[m].label for m in definition["metrics"]}, x="metric_time"), width="stretch"
        )
    st.dataframe(frame, hide_index=True, width="stretch")
    components.csv_export(
        viewer, frame, name=opened.name if opened else "Custom report", relation="custom_report",
        applied={key: value for key, value in definition.items() if value},
        as_of=as_of,
    )  # fmt: skip

if can_build:
    with st.form("save"):
        mine = opened is not None and opened.owner_user_id == viewer.user_id
        name = st.text_input("Name", value=opened.name if opened else "")
        shared = st.checkbox("Share with my organization", value=opened.is_shared if opened else False)
        as_new = st.checkbox("Save as a new report", value=not mine, disabled=not mine)
        if st.form_submit_button("Save", icon=":material/save:"):
            try:
                saved_id = custom_reports.save_report(
                    viewer, name, definition, shared=shared, report_id=None if as_new or not mine else opened.id
                )
            except (ReportDefinitionError, PermissionDenied) as error:
                st.error(str(error), icon=":material/error:")
            else:
                st.query_params["report"] = str(saved_id)
                st.success(f"Saved as report #{saved_id}.", icon=":material/check:")
