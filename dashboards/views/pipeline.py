"""Pipeline: open and weighted value, deals created, won and lost over time; stages as a funnel as they stood on
any day, with win rate and days to close by stage (mv_daily_pipeline)."""

from datetime import date

import streamlit as st

from dashboards import components, session
from readside.charts import funnel
from readside.periods import FilterError, parse_day

viewer = session.viewer()
chosen = components.figures_page(
    viewer,
    "mv_daily_pipeline",
    "Pipeline",
    "Open and weighted pipeline value, deals created, won and lost, win rate and days to close.",
    page="pipeline",
)
if chosen is not None:
    st.subheader("By stage")
    day = min(chosen.end, date.today())
    if "day" in st.query_params:
        try:
            day = parse_day(st.query_params["day"], "day", date.today())
        except FilterError as error:
            st.warning(f"Ignored the link's day: {error}.", icon=":material/warning:")
    day = st.date_input("The pipeline as it stood on", value=day, max_value=date.today(), key="stage_day")
    st.query_params["day"] = day.isoformat()
    with components.database_errors():
        stages = components.pipeline_by_stage(viewer, day, chosen.start, chosen.end)
    if stages["open_deals"].isna().all():
        st.info(f"No pipeline recorded for {day}.", icon=":material/info:")
    else:
        left, right = st.columns(2)
        left.altair_chart(funnel(stages, "open_value", f"Open value ({viewer.currency})"), width="stretch")
        right.altair_chart(funnel(stages, "weighted_value", f"Weighted value ({viewer.currency})"), width="stretch")
    st.caption(f"Won, lost, win rate and days to close by stage between {chosen.start} and {chosen.end}.")
    st.dataframe(
        stages.drop(columns=["stage_order"]),
        hide_index=True,
        width="stretch",
        column_config={
            "win_rate": st.column_config.NumberColumn("Win rate %", format="%.2f"),
            "average_days_to_close": st.column_config.NumberColumn("Days to close", format="%.1f"),
            "open_value": st.column_config.NumberColumn(f"Open value ({viewer.currency})", format="localized"),
            "weighted_value": st.column_config.NumberColumn(f"Weighted value ({viewer.currency})", format="localized"),
        },
    )
