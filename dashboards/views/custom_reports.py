"""Custom reports: open a saved report (yours, or shared in your organization) and, with reports.write, build one
on the semantic layer without SQL and save or share it."""

from datetime import date

import pandas as pd
import streamlit as st

from dashboards import components, session
from readside import custom_reports
from readside.access import REPORTS_WRITE, PermissionDenied
from readside.charts import trend
from readside.semantic import OPERATORS, RELATIVE_UNITS, TIME_GRAINS, ReportDefinitionError, load_semantic_layer


def _value(text: str):
    """A filter value as typed: a whole or decimal number when it reads as one, else the text."""
    text = str(text).strip()
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _filter(row: dict) -> dict:
    values = [_value(v) for v in str(row.get("value") or "").split(",") if v.strip()]
    if row["op"] in ("in", "not_in"):
        return {"field": row["field"], "op": row["op"], "values": values}
    return {"field": row["field"], "op": row["op"], "value": values[0] if values else ""}


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
    form = f"-{choice}"  # widgets start from the opened report's definition
    allowed = custom_reports.allowed_metrics(viewer)
    picked = st.multiselect(
        "Metrics", allowed, default=[m for m in definition.get("metrics", []) if m in allowed], key="metrics" + form,
        format_func=lambda name: layer.metrics[name].label,
    )  # fmt: skip
    for name in picked:
        metric = layer.metrics[name]
        st.caption(f"**{metric.label}**: {metric.description}")
    available = list(layer.dimensions_for(picked)) if picked else []
    dimensions = st.multiselect(
        "Split by", available, key="dimensions" + form,
        default=[d for d in definition.get("dimensions", []) if d in available],
    )  # fmt: skip
    grain = st.selectbox(
        "Time grain", [None, *TIME_GRAINS], format_func=lambda g: "totals" if g is None else g,
        index=[None, *TIME_GRAINS].index(definition.get("time_grain")), key="report_grain" + form,
    )  # fmt: skip
    stored_range = definition.get("date_range") or {}
    kinds = ["all time", "the last", "between"]
    kind = st.radio(
        "Date range", kinds, horizontal=True, key="range" + form,
        index=1 if stored_range.get("type") == "relative" else 2 if stored_range.get("start") else 0,
    )  # fmt: skip
    date_range = None
    if kind == "the last":
        left, right = st.columns(2)
        last = left.number_input("Number", min_value=1, max_value=120, value=int(stored_range.get("last", 12)),
                                 key="last" + form)  # fmt: skip
        unit = right.selectbox("Unit", RELATIVE_UNITS, key="unit" + form,
                               index=RELATIVE_UNITS.index(stored_range.get("unit", "month")))  # fmt: skip
        date_range = {"type": "relative", "last": int(last), "unit": unit}
    elif kind == "between":
        picked_days = st.date_input("Between", value=(date.today().replace(day=1), date.today()), key="days" + form)
        if isinstance(picked_days, tuple) and len(picked_days) == 2:
            date_range = {"start": picked_days[0].isoformat(), "end": picked_days[1].isoformat()}
    st.caption("Filters: a field, an operator and a value (for in / not_in, values separated by commas).")
    edited = st.data_editor(
        pd.DataFrame(
            [{"field": f["field"], "op": f["op"], "value": ", ".join(map(str, f.get("values", [f.get("value")])))}
             for f in definition.get("filters") or [] if isinstance(f, dict)],
            columns=["field", "op", "value"],
        ),
        num_rows="dynamic", hide_index=True, key="filters" + form,
        column_config={
            "field": st.column_config.SelectboxColumn("Field", options=available, required=True),
            "op": st.column_config.SelectboxColumn("Operator", options=list(OPERATORS), required=True),
            "value": st.column_config.TextColumn("Value", required=True),
        },
    )  # fmt: skip
    filters = [_filter(row) for row in edited.to_dict("records") if row.get("field") and row.get("op")]
    definition = {"metrics": picked, "dimensions": dimensions, "time_grain": grain}
    if filters:
        definition["filters"] = filters
    if date_range:
        definition["date_range"] = date_range
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
