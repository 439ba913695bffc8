"""Charts, each defined once here so the dashboards and the emailed reports draw the same one (Altair; an email
renders it to PNG with vl-convert, no browser)."""

from __future__ import annotations


def trend(frame, columns: dict[str, str], *, title: str = "", x: str = "period", selectable: bool = False):
    """A line per figure over the periods of ``frame``; ``columns`` maps column -> label. ``selectable``: a click
    on a point selects its period (parameter `point`), for drill-down on a page."""
    import altair as alt

    long = frame.melt(id_vars=[x], value_vars=list(columns), var_name="figure", value_name="value")
    long["figure"] = long["figure"].map(columns)
    chart = alt.Chart(long, title=title)
    if selectable:
        chart = chart.add_params(alt.selection_point(name="point", fields=[x], on="click"))
    return (
        chart.mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:T", title=None, axis=alt.Axis(format="%Y-%m-%d", labelOverlap=True)),
            y=alt.Y("value:Q", title=None),
            color=alt.Color("figure:N", title=None, legend=alt.Legend(orient="bottom", columns=3, labelLimit=200)),
            tooltip=[alt.Tooltip(f"{x}:T", title="period"), "figure:N", alt.Tooltip("value:Q", format=",.2f")],
        )
        .properties(height=280)
    )


def sparkline(frame, column: str, *, x: str = "period"):
    import altair as alt

    return (
        alt.Chart(frame)
        .mark_area(line=True, opacity=0.3)
        .encode(x=alt.X(f"{x}:T", axis=None), y=alt.Y(f"{column}:Q", axis=None))
        .properties(height=50)
    )


def to_png(chart, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes, rendered without a browser."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart.to_json(), scale=scale)


def funnel(frame, value: str, label: str, *, stage: str = "stage", order: str = "stage_order"):
    """Stages as horizontal bars in their order (a funnel), labelled with their value."""
    import altair as alt

    base = alt.Chart(frame).encode(
        y=alt.Y(f"{stage}:N", sort=alt.SortField(order), title=None),
        x=alt.X(f"{value}:Q", title=label),
        tooltip=[f"{stage}:N", alt.Tooltip(f"{value}:Q", format=",.2f")],
    )
    text = base.mark_text(align="left", dx=4).encode(text=alt.Text(f"{value}:Q", format=",.0f"))
    return (base.mark_bar() + text).properties(height=40 * max(1, len(frame)))
