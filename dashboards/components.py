"""What every page shares: the filters (kept in the URL, validated), cached reads keyed by the viewer, the
data-as-of line with the refresh's check status, a figures page with comparison and drill-down, CSV export."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

import streamlit as st

from readside import audit, drilldown, figures, freshness
from readside.access import EXPORTS_READ, Viewer
from readside.email import csv_document
from readside.periods import (
    COMPARISONS,
    EARLIEST,
    FilterError,
    Filters,
    default_filters,
    parse_day,
    parse_filters,
)
from readside.semantic import TIME_GRAINS

PRESETS = {"custom": None, "last 30 days": 30, "last 90 days": 90, "last 12 months": 365}


def filters(default_days: int = 90) -> Filters:
    """The date range, time grain and comparison, from the URL when it carries valid ones; a bad value gets one
    message and the default view. Changes go back to the URL, so a link reopens the same view."""
    today = date.today()
    try:
        chosen = parse_filters(st.query_params.to_dict(), today, default_days)
    except FilterError as error:
        st.warning(f"Ignored the link's filters: {error}. Showing the default view.", icon=":material/warning:")
        chosen = default_filters(today, default_days)
    preset_column, dates_column, grain_column, compare_column = st.columns([2, 3, 2, 2])
    preset = preset_column.selectbox("Range", list(PRESETS), key="preset")
    start, end = chosen.start, chosen.end
    if PRESETS[preset]:
        start, end = default_filters(today, PRESETS[preset]).start, today
    picked = dates_column.date_input("Dates", value=(start, end), min_value=EARLIEST, max_value=today.replace(
        year=today.year + 1))  # fmt: skip
    if isinstance(picked, tuple) and len(picked) == 2:
        start, end = picked
    grain = grain_column.selectbox("Time grain", TIME_GRAINS, index=TIME_GRAINS.index(chosen.grain), key="grain")
    compare = compare_column.selectbox(
        "Compare with", list(COMPARISONS), index=list(COMPARISONS).index(chosen.compare),
        format_func=COMPARISONS.get, key="compare",
    )  # fmt: skip
    chosen = Filters(start, end, grain, compare)
    st.query_params.update(chosen.as_params())
    return chosen


@contextmanager
def database_errors():
    """A failed read or write shows one clear message instead of a traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        yield
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        st.error(
            f"The warehouse could not answer just now ({reason}). Try again in a minute; if it persists, forward "
            "this message to your data team.",
            icon=":material/cloud_off:",
        )
        st.stop()


@st.cache_data(ttl=300, show_spinner=False)
def daily_figures(viewer: Viewer, relation: str, start: date, end: date, grain: str):
    # The viewer is part of every cached read's key: organization, user, roles and permissions decide what it returns.
    return figures.daily_figures(viewer, relation, start, end, grain)


@st.cache_data(ttl=300, show_spinner=False)
def current_state(viewer: Viewer):
    return figures.current_state(viewer)


@st.cache_data(ttl=300, show_spinner=False)
def targets(viewer: Viewer):
    return figures.targets(viewer)


@st.cache_data(ttl=300, show_spinner=False)
def rows_behind(viewer: Viewer, relation: str, figure: str, start: date, end: date):
    return drilldown.rows_behind(viewer, relation, figure, start, end)


@st.cache_data(ttl=300, show_spinner=False)
def pipeline_by_stage(viewer: Viewer, day: date, start: date, end: date):
    return figures.pipeline_by_stage(viewer, day, start, end)


@st.cache_data(ttl=60, show_spinner=False)
def refresh_status(relation: str) -> freshness.RefreshStatus:
    # Not tenant data: when the relation was refreshed and how its checks went, the same for every organization.
    return freshness.refresh_status(relation)


def data_as_of(viewer: Viewer) -> datetime | None:
    state = current_state(viewer)
    return None if state is None else state["as_of_at"].astimezone(ZoneInfo(viewer.timezone))


def status_line(viewer: Viewer, relation: str) -> str:
    """'Data as of ... · checks ... · Dagster' under a page's title; returns the as-of text for exports."""
    as_of = data_as_of(viewer)
    status = refresh_status(relation)
    as_of_text = f"{as_of:%Y-%m-%d %H:%M} ({viewer.timezone})" if as_of else "not built yet"
    mark = ":green[●]" if status.ok else (":red[●]" if status.checks_failed else ":gray[●]")
    st.caption(
        f"Data as of {as_of_text} · {mark} last refresh: {status.summary()} · "
        f"[{relation} in Dagster]({status.asset_url}) · amounts in {viewer.currency}"
    )
    return as_of_text


def label(relation: str, figure, viewer: Viewer) -> str:
    """A figure's label, with the organization's currency for amounts."""
    return _with_currency(figure.label, figures.unit(relation, figure.column), viewer)


def column_label(relation: str, column: str, viewer: Viewer) -> str:
    """A column's label from its name (open_sla_breaches: Open SLA breaches), with the currency for amounts."""
    words = column.replace("_", " ").replace("sla", "SLA").replace("skus", "SKUs")
    return _with_currency(words[0].upper() + words[1:], figures.unit(relation, column), viewer)


def _with_currency(text: str, unit: str, viewer: Viewer) -> str:
    return f"{text} ({viewer.currency})" if unit.startswith("money") else text


def tiles(items: list[tuple], per_row: int = 4) -> None:
    """Headline tiles: (label, shown value, definition on hover[, change[, lower is better]]), four to a row; a
    change of a figure whose rise is bad news is red when it rises."""
    for start in range(0, len(items), per_row):
        for column, item in zip(st.columns(per_row), items[start : start + per_row], strict=False):
            name, value, help_text, *change = item
            colour = "inverse" if len(change) > 1 and change[1] else "normal"
            column.metric(name, value, change[0] if change else None, help=help_text, delta_color=colour)


def number(value) -> str:
    """A value as shown on a tile when its unit is unknown: thousands separated, two decimals."""
    import pandas as pd

    return "-" if value is None or pd.isna(value) else f"{float(value):,.2f}"


def csv_export(viewer: Viewer, frame, *, name: str, relation: str, applied: dict, as_of: str, key: str = "") -> None:
    """A download button for ``frame`` as CSV, with the filters, the data-as-of time and the definitions in '#'
    header lines; shown only to viewers who may export, and audited when clicked."""
    if not viewer.can(EXPORTS_READ):
        return
    definitions = {column: figures.definition(relation, column) for column in frame.columns}
    body = csv_document(
        frame, title=name, organization_name=viewer.organization_name, as_of=as_of, applied=applied,
        definitions=definitions,
    )  # fmt: skip
    st.download_button(
        "Download CSV",
        body,
        file_name=f"{relation}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=f"csv-{relation}-{key}",
        on_click=audit.record,
        args=(viewer.scope, "export"),
        kwargs={"new_values": {"relation": relation, **{k: str(v) for k, v in applied.items()}}},
    )


def _change(value, before, unit: str) -> str | None:
    import pandas as pd

    if value is None or before is None or pd.isna(value) or pd.isna(before):
        return None
    return figures.formatted(float(value) - float(before), unit)


def header(viewer: Viewer, title: str, caption: str = "", *, page: str) -> None:
    """A page's title with its ★ Favourite toggle, and its caption."""
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.title(title)
    with right:
        star(viewer, page=page)
    if caption:
        st.caption(caption)


def figures_page(viewer: Viewer, relation: str, title: str, caption: str, *, page: str) -> Filters | None:
    """A page of one daily relation: the filters, the period's totals against the comparison, a chart per unit,
    the table, drill-down to the fact rows from a chart point or a table row, CSV export. Returns the filters,
    or None when there is nothing to show."""
    from readside.charts import trend

    header(viewer, title, caption, page=page)
    with database_errors():
        as_of = status_line(viewer, relation)
        chosen = filters()
        frame = daily_figures(viewer, relation, chosen.start, chosen.end, chosen.grain)
        shown = figures.visible_figures(relation, viewer)
        if frame.empty:
            why = (
                f"{viewer.organization_name} has no figures yet: the warehouse has not built it."
                if as_of == "not built yet"
                else f"No data for {viewer.organization_name} between {chosen.start} and {chosen.end}: pick a wider "
                "range."
            )
            st.info(why, icon=":material/info:")
            return None
        totals = daily_figures(viewer, relation, chosen.start, chosen.end, figures.TOTAL).iloc[0]
        compared_start, compared_end = chosen.compared()
        before = daily_figures(viewer, relation, compared_start, compared_end, figures.TOTAL)
        st.caption(f"Changes against {COMPARISONS[chosen.compare]}: {compared_start} to {compared_end}.")
        tiles(
            [
                (
                    label(relation, f, viewer),
                    figures.formatted(totals[f.column], figures.unit(relation, f.column)),
                    figures.definition(relation, f.column),
                    None
                    if before.empty
                    else _change(totals[f.column], before[f.column].iloc[0], figures.unit(relation, f.column)),
                    figures.lower_is_better(relation, f.column),
                )
                for f in shown
            ]
        )
        picked_period = None
        groups = chart_groups(relation, shown, viewer)
        for index, (chart_title, lines) in enumerate(groups.items()):
            if index % 2 == 0:
                row = st.columns(2)
            event = row[index % 2].altair_chart(
                trend(frame, lines, title=chart_title, selectable=True), width="stretch", on_select="rerun",
                key=f"chart-{index}",
            )  # fmt: skip
            points = (event.selection or {}).get("point") if event else None
            if points:
                picked_period = points[0].get("period")
        table = st.dataframe(
            frame,
            hide_index=True,
            width="stretch",
            on_select="rerun",
            selection_mode="single-row",
            key="table",
            column_config={
                "period": st.column_config.DateColumn("Period", format="YYYY-MM-DD"),
                **{
                    f.column: st.column_config.NumberColumn(
                        label(relation, f, viewer),
                        help=figures.definition(relation, f.column),
                        format=table_format(figures.unit(relation, f.column)),
                    )
                    for f in shown
                },
            },
        )
        applied = {"start": chosen.start, "end": chosen.end, "grain": chosen.grain, "currency": viewer.currency}
        csv_export(viewer, frame, name=title, relation=relation, applied=applied, as_of=as_of)
        if table.selection.rows:
            picked_period = frame["period"].iloc[table.selection.rows[0]]
        elif picked_period is None and "period" in st.query_params:  # a link to a drill-down
            try:
                picked_period = parse_day(st.query_params["period"], "period", date.today())
            except FilterError as error:
                st.warning(f"Ignored the link's drill-down: {error}.", icon=":material/warning:")
        if picked_period is not None:
            _drill(viewer, relation, chosen, picked_period, as_of)
        else:
            st.query_params.pop("period", None)
            st.query_params.pop("figure", None)
            st.caption("Select a row of the table, or a point of a chart, to see the rows behind it.")
    return chosen


def chart_groups(relation: str, shown, viewer: Viewer) -> dict[str, dict[str, str]]:
    """Chart title -> {column: label}: amounts, balances, counts, levels and hours each on a chart of their own, so
    no line is drawn against another's scale (ratios are in the tiles and the table)."""
    titles = {("money", False): f"Amounts ({viewer.currency})", ("money", True): f"Balances ({viewer.currency})",
              ("hours", False): "Hours", ("count", False): "Counts", ("count", True): "Levels"}  # fmt: skip
    groups: dict[tuple[str, bool], dict[str, str]] = {}
    for figure in shown:
        if figure.rollup == "ratio":
            continue
        unit = figures.unit(relation, figure.column)
        kind = "money" if unit.startswith("money") else "hours" if unit == "hours" else "count"
        groups.setdefault((kind, figure.rollup == "last"), {})[figure.column] = figure.label
    return {titles[key]: groups[key] for key in titles if key in groups}


def table_format(unit: str) -> str:
    """How a table shows a unit: amounts to the cent with separators, rates and durations to fixed decimals."""
    if unit.startswith("money"):
        return "accounting"
    if unit == "percent":
        return "%.2f %%"
    if unit in ("days", "hours"):
        return "%.1f"
    return "localized"


def _period_bounds(period, chosen: Filters) -> tuple[date, date]:
    """The days of the ``chosen.grain`` period that starts on ``period``, clipped to the chosen range."""
    import pandas as pd

    # a chart's selection gives the period in epoch milliseconds, a table row a timestamp
    start = (pd.to_datetime(period, unit="ms") if isinstance(period, int | float) else pd.Timestamp(period)).date()
    offsets = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1), "month": pd.DateOffset(months=1),
               "quarter": pd.DateOffset(months=3), "year": pd.DateOffset(years=1)}  # fmt: skip
    end = (pd.Timestamp(start) + offsets[chosen.grain] - pd.DateOffset(days=1)).date()
    return max(start, chosen.start), min(end, chosen.end)


def _drill(viewer: Viewer, relation: str, chosen: Filters, period, as_of: str) -> None:
    available = drilldown.drills_for(relation, viewer)
    if not available:
        return
    start, end = _period_bounds(period, chosen)
    labels = {f.column: f.label for f in figures.visible_figures(relation, viewer)}
    st.subheader(f"Rows behind {start} to {end}")
    linked = st.query_params.get("figure")
    if linked is not None and linked not in available:
        st.warning(
            f"Ignored the link's figure {linked!r}: the rows behind this page's figures are those of "
            f"{', '.join(available)}.",
            icon=":material/warning:",
        )
        linked = None
    figure = st.selectbox(
        "Figure", available, index=available.index(linked) if linked else 0, format_func=labels.get,
        key="drill_figure",
    )  # fmt: skip
    st.query_params.update({"period": start.isoformat(), "figure": figure})
    rows = rows_behind(viewer, relation, figure, start, end)
    st.caption(f"{len(rows):,} row(s) from marts.{drilldown.DRILLS[(relation, figure)].mart}.")
    st.dataframe(rows, hide_index=True, width="stretch")
    csv_export(
        viewer, rows, name=f"{labels[figure]}: rows behind", relation=relation, as_of=as_of, key="drill",
        applied={"figure": figure, "start": start, "end": end},
    )  # fmt: skip


def star(viewer: Viewer, *, page: str | None = None, report: int | None = None) -> None:
    """A toggle that stars this page (or saved report) in the viewer's favourites, shown on Home."""
    from readside import home

    current = home.favourites(viewer)
    starred = page in current.pages if page is not None else report in current.reports
    key = f"star-{page or report}"
    wanted = st.toggle("★ Favourite", value=starred, key=key, help="Starred pages and reports are listed on Home.")
    if wanted != starred:
        home.set_favourite(viewer, page=page, report=report, starred=wanted)
