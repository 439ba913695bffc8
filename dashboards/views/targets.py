"""Targets: every target of the organization, its teams and people, with actual, attainment and pace (expected to
date against actual to date), filterable by owner and period (target_attainment)."""

from datetime import date

import streamlit as st

from dashboards import components, session
from readside import figures

PACE = {"achieved": "achieved", "on_track": "on track", "behind": "behind", "missed": "missed",
        "not_started": "not started", "no_data": "no data"}  # fmt: skip

LABELS = {"target_name": "Name", "metric": "Metric", "owner_scope": "For", "owner": "Owner", "period_type": "Period",
          "period_start": "From", "period_end": "To", "pace_status": "Pace"}  # fmt: skip

viewer = session.viewer()
components.header(viewer, "Targets", page="targets")
with components.database_errors():
    as_of = components.status_line(viewer, "target_attainment")
    frame = components.targets(viewer)
if frame.empty:
    st.info(f"{viewer.organization_name} has no targets yet.", icon=":material/info:")
    st.stop()
left, middle, right = st.columns(3)
owner = left.selectbox("Owner", ["everyone", *sorted(frame["owner"].dropna().unique())], key="owner")
period_type = middle.selectbox("Period", ["all", "month", "quarter", "year"], key="period_type")
on_day = right.date_input("Periods that include", value=date.today(), key="on_day")
shown = frame[(frame["period_start"] <= on_day) & (frame["period_end"] >= on_day)]
if owner != "everyone":
    shown = shown[shown["owner"] == owner]
if period_type != "all":
    shown = shown[shown["period_type"] == period_type]
if shown.empty:
    st.info("No target matches these filters.", icon=":material/info:")
    st.stop()
counts = shown["pace_status"].value_counts()
components.tiles(
    [
        (
            PACE[status].capitalize(),
            f"{int(counts.get(status, 0)):,}",
            figures.definition("target_attainment", "pace_status"),
        )
        for status in ("achieved", "on_track", "behind", "missed")
    ]
)
st.dataframe(
    shown.assign(pace_status=shown["pace_status"].map(PACE)),
    hide_index=True,
    width="stretch",
    column_config={
        column: st.column_config.Column(title, help=figures.definition("target_attainment", column))
        for column, title in LABELS.items()
    }
    | {
        column: st.column_config.NumberColumn(
            title, format="localized", help=figures.definition("target_attainment", column)
        )
        for column, title in (
            ("target_value", "Target"),
            ("actual_value", "Actual"),
            ("expected_to_date", "Expected to date"),
        )
    }
    | {
        "attainment_percent": st.column_config.ProgressColumn(
            "Attainment %",
            min_value=0,
            max_value=150,
            format="%.1f",
            help=figures.definition("target_attainment", "attainment_percent"),
        ),
        "pace_percent": st.column_config.NumberColumn(
            "Pace %", format="%.1f", help=figures.definition("target_attainment", "pace_percent")
        ),
    },
)
components.csv_export(
    viewer, shown, name="Targets", relation="target_attainment", as_of=as_of,
    applied={"owner": owner, "period": period_type, "periods including": on_day},
)  # fmt: skip
