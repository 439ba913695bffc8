"""Charts, each defined once here so the dashboards and the emailed reports draw the same one (Altair; an email
renders it to PNG with vl-convert, no browser)."""

from __future__ import annotations


def trend(frame, columns: dict[str, str], *, title: str = "", x: str = "period"):
    """A line per figure over the periods of ``frame``; ``columns`` maps column -> label."""
    import altair as alt

    long = frame.melt(id_vars=[x], value_vars=list(columns), var_name="figure", value_name="value")
    long["figure"] = long["figure"].map(columns)
    return (
        alt.Chart(long, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:T", title=None),
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
