"""What every page shares: the filters (kept in the URL, validated), cached reads keyed by the viewer, a figures
page, and CSV export with its header lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st

from readside import audit, figures
from readside.access import EXPORTS_READ, Viewer
from readside.semantic import TIME_GRAINS

PRESETS = {"last 30 days": 30, "last 90 days": 90, "last 12 months": 365}
EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    grain: str


def _parse_day(raw: str, name: str) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a date (YYYY-MM-DD)") from None
    if not EARLIEST <= day <= date.today() + timedelta(days=366):
        raise ValueError(f"{name}={raw} is outside {EARLIEST} to a year from today")
    return day


def filters(default_days: int = 90) -> Filters:
    """The date range and time grain, from the URL when it carries valid ones; a bad value gets one message and the
    default. Changes are written back to the URL, so a link reopens the same view."""
    today = date.today()
    start, end, grain = today - timedelta(days=default_days - 1), today, "week"
    params = st.query_params
    try:
        if "start" in params:
            start = _parse_day(params["start"], "start")
        if "end" in params:
            end = _parse_day(params["end"], "end")
        if start > end:
            raise ValueError(f"the range starts ({start}) after it ends ({end})")
        if "grain" in params:
            if params["grain"] not in TIME_GRAINS:
                raise ValueError(f"grain={params['grain']!r} is not one of {', '.join(TIME_GRAINS)}")
            grain = params["grain"]
    except ValueError as error:
        st.warning(f"Ignored the link's filters: {error}. Showing the default view.", icon=":material/warning:")
        start, end, grain = today - timedelta(days=default_days - 1), today, "week"
    left, middle, right = st.columns([2, 3, 2])
    preset = left.selectbox("Range", ["custom", *PRESETS], index=0, key="preset")
    if preset != "custom":
        start, end = today - timedelta(days=PRESETS[preset] - 1), today
    picked = middle.date_input("Dates", value=(start, end), min_value=EARLIEST, max_value=today + timedelta(days=366))
    if isinstance(picked, tuple) and len(picked) == 2:
        start, end = picked
    grain = right.selectbox("Time grain", TIME_GRAINS, index=TIME_GRAINS.index(grain), key="grain_select")
    st.query_params.update({"start": start.isoformat(), "end": end.isoformat(), "grain": grain})
    return Filters(start, end, grain)


@st.cache_data(ttl=300, show_spinner=False)
def daily_figures(viewer: Viewer, relation: str, start: date, end: date, grain: str):
    # The viewer is part of the key: organization, user, roles and permissions decide what the read returns.
    return figures.daily_figures(viewer, relation, start, end, grain)


@st.cache_data(ttl=300, show_spinner=False)
def current_state(viewer: Viewer):
    return figures.current_state(viewer)


def csv_export(viewer: Viewer, frame, *, name: str, relation: str, applied: dict) -> None:
    """A download button for ``frame`` as CSV, with the filters, the data-as-of time and the definitions in '#'
    header lines; shown only to viewers who may export, and audited when clicked."""
    if not viewer.can(EXPORTS_READ):
        return
    header = [f"# {name} - {viewer.organization_name}"]
    header += [f"# filter {key}: {value}" for key, value in applied.items()]
    header += [
        f"# {column}: {figures.definition(relation, column)}"
        for column in frame.columns
        if figures.definition(relation, column)
    ]
    body = "\n".join(header) + "\n" + frame.to_csv(index=False)
    st.download_button(
        "Download CSV",
        body,
        file_name=f"{relation}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click=audit.record,
        args=(viewer.scope, "export"),
        kwargs={"new_values": {"relation": relation, **{k: str(v) for k, v in applied.items()}}},
    )


def figures_page(viewer: Viewer, relation: str, title: str, caption: str) -> None:
    """A page of one daily relation: the filters, the period's totals, a trend chart, the table, CSV export."""
    from readside.charts import trend

    st.title(title)
    st.caption(caption)
    chosen = filters()
    frame = daily_figures(viewer, relation, chosen.start, chosen.end, chosen.grain)
    shown = figures.visible_figures(relation, viewer)
    if frame.empty:
        st.info(
            f"No data for {viewer.organization_name} between {chosen.start} and {chosen.end}. "
            "Pick a wider range, or check back after the next refresh.",
            icon=":material/info:",
        )
        return
    totals = daily_figures(viewer, relation, chosen.start, chosen.end, figures.TOTAL).iloc[0]
    tiles(
        [(label(relation, f, viewer), figures.formatted(totals[f.column], figures.unit(relation, f.column)),
          figures.definition(relation, f.column)) for f in shown]
    )  # fmt: skip
    by_unit: dict[str, dict[str, str]] = {}
    for figure in shown:
        if figure.rollup != "ratio":
            kind = "money" if figures.unit(relation, figure.column).startswith("money") else "count"
            by_unit.setdefault(kind, {})[figure.column] = figure.label
    charts = st.columns(len(by_unit)) if by_unit else []
    for column, (kind, lines) in zip(charts, sorted(by_unit.items(), key=lambda item: item[0] != "money"), strict=True):
        title = f"Amounts ({viewer.currency})" if kind == "money" else "Counts"
        column.altair_chart(trend(frame, lines, title=title), width="stretch")
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "period": st.column_config.DateColumn("Period", format="YYYY-MM-DD"),
            **{
                f.column: st.column_config.NumberColumn(
                    label(relation, f, viewer), help=figures.definition(relation, f.column), format="localized"
                )
                for f in shown
            },
        },
    )
    csv_export(
        viewer,
        frame,
        name=title,
        relation=relation,
        applied={"start": chosen.start, "end": chosen.end, "grain": chosen.grain, "currency": viewer.currency},
    )


def label(relation: str, figure, viewer: Viewer) -> str:
    """A figure's label, with the organization's currency for amounts."""
    return _with_currency(figure.label, figures.unit(relation, figure.column), viewer)


def column_label(relation: str, column: str, viewer: Viewer) -> str:
    """A column's label from its name (open_sla_breaches: Open SLA breaches), with the currency for amounts."""
    words = column.replace("_", " ").replace("sla", "SLA").replace("skus", "SKUs")
    return _with_currency(words[0].upper() + words[1:], figures.unit(relation, column), viewer)


def _with_currency(text: str, unit: str, viewer: Viewer) -> str:
    return f"{text} ({viewer.currency})" if unit.startswith("money") else text


def tiles(items: list[tuple[str, str, str]], per_row: int = 4) -> None:
    """Headline tiles: (label, shown value, definition on hover), four to a row."""
    for start in range(0, len(items), per_row):
        for column, (name, value, help_text) in zip(st.columns(per_row), items[start : start + per_row], strict=False):
            column.metric(name, value, help=help_text)


def number(value) -> str:
    """A figure as shown on a tile: thousands separated, two decimals; a dash when there is none."""
    import pandas as pd

    return "-" if value is None or pd.isna(value) else f"{float(value):,.2f}"


@st.cache_data(ttl=300, show_spinner=False)
def targets(viewer: Viewer):
    return figures.targets(viewer)
