"""An emailed report as its recipient may see it: the headline figures against the previous period, the chart as an
inline PNG, the table, a CSV with the filters and definitions in '#' lines, the data-as-of time and check status, a
link to the same view in the dashboards, and a plain-text alternative. Every number is read as the recipient
(``viewer``) through the reader's scoped connection; what the recipient may not see is left out with a line saying
so. Also the notices the owner gets when a report failed or went out late.
"""

from __future__ import annotations

import hashlib
import html as markup
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from functools import lru_cache
from urllib.parse import urlencode

from readside import figures
from readside.access import FINANCE_READ, WHAT_NEEDS, Viewer
from readside.freshness import RefreshStatus
from readside.periods import COMPARISONS, Filters
from readside.schedules import REPORT_TYPES, Schedule

CHART_CID = "chart"
CHART_WIDTH = 560
FONT = "font-family:Arial,Helvetica,sans-serif;"
MUTED = "#6b7280"


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    change: str | None = None  # '+1,234.00 (+5.2 %)'
    direction: int = 0  # 1 up, -1 down, 0 unchanged or unknown
    lower_is_better: bool = False  # a rise is bad news: shown red


@dataclass
class Report:
    """What one email carries, before it becomes a MIME message."""

    title: str
    subject: str
    organization_name: str
    period: str
    link: str
    as_of: str
    checks: str
    asset_url: str
    headlines: list[Headline] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # parts left out for the recipient's role, a late stamp
    comparison: str = ""
    columns: list[tuple[str, str]] = field(default_factory=list)  # (column, label) of the table
    rows: list[list[str]] = field(default_factory=list)  # the table, formatted
    csv: str = ""
    csv_name: str = "report.csv"
    chart_png: bytes | None = None
    empty: bool = False


# -- CSV ---------------------------------------------------------------------------------------------------------------
def csv_document(frame, *, title: str, organization_name: str, as_of: str, applied: dict, definitions: dict) -> str:
    """``frame`` as CSV under '#' lines: the report and organization, the data-as-of time, each filter applied and
    each column's definition (the format of the dashboards' CSV export)."""
    header = [f"# {title} - {organization_name}", f"# data as of {as_of}"]
    header += [f"# filter {key}: {value}" for key, value in applied.items()]
    header += [f"# {column}: {definitions[column]}" for column in frame.columns if definitions.get(column)]
    return "\n".join(header) + "\n" + frame.to_csv(index=False, date_format="%Y-%m-%d")


# -- content -----------------------------------------------------------------------------------------------------------
@dataclass
class _Content:
    frame: object  # the table as a DataFrame
    labels: dict[str, str]  # column -> label
    units: dict[str, str]  # column -> unit, for formatting
    definitions: dict[str, str]
    headlines: list[Headline] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chart: object | None = None
    applied: dict = field(default_factory=dict)
    comparison: str = ""


def _left_out(viewer: Viewer, labels: list[str]) -> str:
    roles = ", ".join(viewer.roles) or "no role"
    return (
        f"Finance figures ({', '.join(labels)}) are left out: your role ({roles}) may not {WHAT_NEEDS[FINANCE_READ]}."
    )


def _change(value, before, unit: str) -> tuple[str | None, int]:
    import math

    if value is None or before is None or any(isinstance(v, float) and math.isnan(v) for v in (value, before)):
        return None, 0
    difference = float(value) - float(before)
    sign = "+" if difference > 0 else ""
    text = f"{sign}{figures.formatted(difference, unit)}"
    if float(before):
        text += f" ({difference / abs(float(before)) * 100:+.1f} %)"
    return text, (difference > 0) - (difference < 0)


def _with_currency(label: str, unit: str, viewer: Viewer) -> str:
    return f"{label} ({viewer.currency})" if unit.startswith("money") else label


def _daily(viewer: Viewer, relation: str, filters: Filters, engine) -> _Content:
    from readside.charts import trend

    spec = figures.DAILY_RELATIONS[relation]
    shown = figures.visible_figures(relation, viewer)
    frame = figures.daily_figures(viewer, relation, filters.start, filters.end, filters.grain, engine=engine)
    units = {f.column: figures.unit(relation, f.column) for f in shown}
    content = _Content(
        frame=frame,
        labels={"period": "Period"} | {f.column: _with_currency(f.label, units[f.column], viewer) for f in shown},
        units=units,
        definitions={f.column: figures.definition(relation, f.column) for f in shown},
        applied={
            "start": filters.start,
            "end": filters.end,
            "grain": filters.grain,
            "compare": filters.compare,
            "currency": viewer.currency,
        },
    )
    hidden = [f.label for f in spec.figures if f not in shown]
    if hidden:
        content.notes.append(_left_out(viewer, hidden))
    if frame.empty:
        return content
    totals = figures.daily_figures(viewer, relation, filters.start, filters.end, figures.TOTAL, engine=engine)
    compared_start, compared_end = filters.compared()
    before = figures.daily_figures(viewer, relation, compared_start, compared_end, figures.TOTAL, engine=engine)
    content.comparison = f"against {COMPARISONS[filters.compare]}: {_span(compared_start, compared_end)}"
    for f in shown:
        value = totals[f.column].iloc[0]
        change, direction = _change(value, None if before.empty else before[f.column].iloc[0], units[f.column])
        content.headlines.append(
            Headline(
                content.labels[f.column],
                figures.formatted(value, units[f.column]),
                change,
                direction,
                figures.lower_is_better(relation, f.column),
            )
        )
    by_unit: dict[str, dict[str, str]] = {}
    for f in shown:
        if f.rollup != "ratio":
            kind = "money" if units[f.column].startswith("money") else "count"
            by_unit.setdefault(kind, {})[f.column] = f.label
    charts = [
        _sized(
            trend(frame, lines, title=f"Amounts ({viewer.currency})" if kind == "money" else "Counts"),
            filters.grain,
            len(frame),
        )
        for kind, lines in sorted(by_unit.items(), key=lambda item: item[0] != "money")
    ]
    if charts:
        import altair as alt

        content.chart = charts[0] if len(charts) == 1 else alt.vconcat(*charts).resolve_scale(color="independent")
    return content


# grain -> (label format, tick interval, periods per tick at least)
AXES = {
    "day": ("%b %d", "day", 1),
    "week": ("%b %d", "week", 1),
    "month": ("%b %Y", "month", 1),
    "quarter": ("%b %Y", "month", 3),
    "year": ("%Y", "year", 1),
}


def _sized(chart, grain: str, periods: int, x: str = "period"):
    """A dashboards chart at email width, its time axis ticked once per period of the grain (at most about eight
    labels), never between periods."""
    import math

    import altair as alt

    label, interval, least = AXES.get(grain, AXES["day"])
    step = max(least, least * math.ceil(periods / 8))
    axis = alt.Axis(format=label, labelAngle=0, tickCount={"interval": interval, "step": step})
    return chart.encode(x=alt.X(f"{x}:T", title=None, axis=axis)).properties(width=CHART_WIDTH, height=200)


def _current_state(viewer: Viewer, engine) -> _Content:
    import pandas as pd

    relation = "mv_current_state"
    state = figures.current_state(viewer, engine=engine)
    columns = [
        column
        for column, entry in figures.glossary()[relation].items()
        if entry["unit"] not in ("identifier", "date", "timestamp", "ISO 4217 code")
    ]
    units = {column: figures.unit(relation, column) for column in columns}
    shown = [column for column in columns if state is None or column in state]
    labels = {
        c: _with_currency(c.replace("_", " ").capitalize().replace("Sla", "SLA"), units[c], viewer) for c in columns
    }
    frame = pd.DataFrame(
        [{"as_of_date": state["as_of_date"], **{c: state[c] for c in shown}}] if state else [],
        columns=["as_of_date", *shown],
    )
    content = _Content(
        frame=frame,
        labels={"as_of_date": "As of"} | {c: labels[c] for c in shown},
        units=units,
        definitions={c: figures.definition(relation, c) for c in ["as_of_date", *shown]},
        applied={"currency": viewer.currency},
    )
    hidden = [labels[c] for c in columns if c not in shown]
    if hidden:
        content.notes.append(_left_out(viewer, hidden))
    if state:
        content.headlines = [Headline(labels[c], figures.formatted(state[c], units[c])) for c in shown]
    return content


def _targets(viewer: Viewer, engine) -> _Content:
    relation = "target_attainment"
    frame = figures.targets(viewer, engine=engine)
    units = {column: figures.unit(relation, column) for column in frame.columns}
    content = _Content(
        frame=frame,
        labels={c: c.replace("_", " ").capitalize() for c in frame.columns},
        units=units,
        definitions={c: figures.definition(relation, c) for c in frame.columns},
        applied={"currency": viewer.currency},
    )
    if not viewer.can(FINANCE_READ):
        content.notes.append(_left_out(viewer, [f"targets on {m.replace('_', ' ')}" for m in figures.FINANCE_METRICS]))
    if not frame.empty:
        on_pace = int((frame["pace_status"] == "on_track").sum()) if "pace_status" in frame else 0
        content.headlines = [Headline("Targets", f"{len(frame):,}"), Headline("On track", f"{on_pace:,}")]
    return content


def _custom(viewer: Viewer, schedule: Schedule, filters: Filters, engine) -> _Content:
    import pandas as pd

    from readside.charts import trend
    from readside.custom_reports import FINANCE_METRICS, get_report, run_report
    from readside.schedules import ScheduleError
    from readside.semantic import load_semantic_layer

    report = get_report(viewer, schedule.custom_report_id, engine)
    if report is None:
        raise ScheduleError(
            f"{viewer.email} cannot open custom report #{schedule.custom_report_id}: it is private to its owner or was "
            "deleted; share it with the organization or remove the recipient"
        )
    layer = load_semantic_layer()
    definition = dict(report.definition)
    metrics = list(definition.get("metrics") or [])
    hidden = [] if viewer.can(FINANCE_READ) else [m for m in metrics if m in FINANCE_METRICS]
    metrics = [m for m in metrics if m not in hidden]
    content = _Content(
        frame=pd.DataFrame(),
        labels={"metric_time": "Period"} | {m: layer.metrics[m].label for m in metrics},
        units={m: layer.metrics[m].unit for m in metrics},
        definitions={m: layer.metrics[m].description for m in metrics},
        applied={
            "report": f"#{report.id} {report.name}",
            "start": filters.start,
            "end": filters.end,
            "currency": viewer.currency,
        },
    )
    if hidden:
        content.notes.append(_left_out(viewer, [layer.metrics[m].label for m in hidden]))
    if not metrics:
        return content
    ranged = definition | {
        "metrics": metrics,
        "date_range": {"start": filters.start.isoformat(), "end": filters.end.isoformat()},
    }
    frame = run_report(viewer, ranged, engine)
    content.frame = frame
    content.labels |= {
        column: column.replace("__", " ").replace("_", " ") for column in frame.columns if column not in content.labels
    }
    if frame.empty:
        return content
    totals = run_report(viewer, ranged | {"time_grain": None, "dimensions": []}, engine)
    compared_start, compared_end = filters.compared()
    before = run_report(
        viewer,
        ranged
        | {
            "time_grain": None,
            "dimensions": [],
            "date_range": {"start": compared_start.isoformat(), "end": compared_end.isoformat()},
        },
        engine,
    )
    content.comparison = f"against {COMPARISONS[filters.compare]}: {_span(compared_start, compared_end)}"
    for m in metrics:
        value = totals[m].iloc[0] if not totals.empty else None
        change, direction = _change(value, before[m].iloc[0] if not before.empty else None, content.units[m])
        content.headlines.append(
            Headline(content.labels[m], figures.formatted(value, content.units[m]), change, direction)
        )
    if "metric_time" in frame and not definition.get("dimensions"):
        grain = definition.get("time_grain") or "day"
        lines = {m: content.labels[m] for m in metrics}
        dated = frame.assign(metric_time=pd.to_datetime(frame["metric_time"]))  # a chart takes timestamps, not dates
        content.chart = _sized(
            trend(dated, lines, x="metric_time"), grain, frame["metric_time"].nunique(), "metric_time"
        )
    return content


@lru_cache(maxsize=64)
def _png(spec: str) -> bytes:
    """The PNG of a Vega-Lite spec; recipients of one organization with the same view share it."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(spec, scale=1.25)


def _span(start: date, end: date) -> str:
    return start.isoformat() if start == end else f"{start.isoformat()} to {end.isoformat()}"


def _cell(value, unit: str) -> str:
    import pandas as pd

    if isinstance(value, pd.Timestamp | datetime):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "-"
    if isinstance(value, str) or not unit:
        return str(value)
    return figures.formatted(value, unit)


def link(schedule: Schedule, filters: Filters, dashboards_url: str) -> str:
    """The same view in the dashboards: the page of the report with the email's filters as query parameters."""
    page = REPORT_TYPES[schedule.report_type].page
    if schedule.report_type == "custom":
        return f"{dashboards_url}/{page}?{urlencode({'report': schedule.custom_report_id})}"
    if schedule.report_type in ("current_state", "targets"):
        return f"{dashboards_url}/{page}"
    return f"{dashboards_url}/{page}?{urlencode(filters.as_params())}"


def render(
    viewer: Viewer,
    schedule: Schedule,
    filters: Filters,
    *,
    as_of_at: datetime | None,
    status: RefreshStatus,
    late: str | None = None,
    test: bool = False,
    dashboards_url: str | None = None,
    engine=None,
) -> Report:
    """The report ``schedule`` sends for ``filters``, read as ``viewer``. ``late`` is the stamp of a report sent past
    its grace time without its period's data or passing checks."""
    from oltp.settings import get_settings

    tz = schedule.zone
    kind = schedule.report_type
    if REPORT_TYPES[kind].relation in figures.DAILY_RELATIONS:
        content = _daily(viewer, REPORT_TYPES[kind].relation, filters, engine)
    elif kind == "current_state":
        content = _current_state(viewer, engine)
    elif kind == "targets":
        content = _targets(viewer, engine)
    else:
        content = _custom(viewer, schedule, filters, engine)
    as_of = f"{as_of_at.astimezone(tz):%Y-%m-%d %H:%M} ({schedule.timezone})" if as_of_at else "not built yet"
    period = (
        f"as of {as_of_at.astimezone(tz):%Y-%m-%d}"
        if kind == "current_state" and as_of_at
        else _span(filters.start, filters.end)
    )
    subject = f"{'[test] ' if test else ''}{schedule.name}: {period}{' (late, data incomplete)' if late else ''}"
    frame = content.frame
    report = Report(
        title=schedule.name,
        subject=subject,
        organization_name=viewer.organization_name,
        period=period,
        link=link(schedule, filters, (dashboards_url or get_settings().dashboards_url).rstrip("/")),
        as_of=as_of,
        checks=status.summary(),
        asset_url=status.asset_url,
        headlines=content.headlines,
        notes=([late] if late else []) + content.notes,
        comparison=content.comparison,
        columns=[(column, content.labels.get(column, column)) for column in frame.columns],
        rows=[
            [_cell(value, content.units.get(column, "")) for column, value in zip(frame.columns, row, strict=True)]
            for row in frame.itertuples(index=False, name=None)
        ],
        csv=csv_document(
            frame,
            title=schedule.name,
            organization_name=viewer.organization_name,
            as_of=as_of,
            applied=content.applied,
            definitions=content.definitions,
        ),
        csv_name=f"{_slug(schedule.name)}-{filters.end.isoformat()}.csv",
        # the same charts are checked against the Vega-Lite schema where the dashboards draw them (and in their
        # tests); checking every email's spec again cost each a twentieth of a second
        chart_png=_png(content.chart.to_json(validate=False))
        if content.chart is not None and schedule.format != "csv"
        else None,
        empty=_empty(frame, list(content.units)),
    )
    return report


def _empty(frame, figures_shown: list[str]) -> bool:
    """No rows, or not one figure other than zero: a period without activity (a balance counts as activity)."""
    shown = [column for column in figures_shown if column in frame]
    if frame.empty or not shown:
        return frame.empty
    import pandas as pd

    numbers = frame[shown].apply(lambda column: pd.to_numeric(column, errors="coerce")).fillna(0)
    return not numbers.ne(0).any().any()


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "report"


# -- the message -----------------------------------------------------------------------------------------------------
def message_id(kind: str, organization_id: int, schedule_id: int, scheduled_for: datetime, recipient: str,
               sender: str) -> str:  # fmt: skip
    """A Message-ID made from the delivery's key alone: the same delivery always carries the same one."""
    digest = hashlib.sha256(recipient.lower().encode()).hexdigest()[:12]
    domain = sender.rpartition("@")[2].strip("<> ") or "localhost"
    return f"<{kind}.{organization_id}.{schedule_id}.{scheduled_for:%Y%m%dT%H%M%SZ}.{digest}@{domain}>"


def message(report: Report, *, to: str, sender: str, message_id: str, format: str) -> EmailMessage:
    """The MIME message: plain text and HTML alternatives with the chart as a related inline image (html, both), the
    CSV as an attachment (csv, both)."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = report.subject
    mail["Message-ID"] = message_id
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(text_body(report, attached=format != "html"))
    if format != "csv":
        mail.add_alternative(html_body(report, attached=format != "html"), subtype="html")
        if report.chart_png:
            mail.get_payload()[1].add_related(
                report.chart_png, maintype="image", subtype="png", cid=f"<{CHART_CID}>", filename="chart.png"
            )
    if format != "html":
        mail.add_attachment(report.csv.encode(), maintype="text", subtype="csv", filename=report.csv_name)
    return mail


def text_body(report: Report, *, attached: bool) -> str:
    lines = [f"{report.title} - {report.organization_name}", f"Period: {report.period}", ""]
    lines += [f"! {note}" for note in report.notes]
    if report.notes:
        lines.append("")
    if report.empty:
        lines.append("No data for this period.")
    for headline in report.headlines:
        lines.append(f"{headline.label}: {headline.value}" + (f"  ({headline.change})" if headline.change else ""))
    if report.comparison:
        lines.append(f"Changes {report.comparison}.")
    if report.rows and not attached:
        lines += ["", " | ".join(label for _, label in report.columns)]
        lines += [" | ".join(row) for row in report.rows]
    if attached:
        lines += ["", f"The table is attached as {report.csv_name}."]
    lines += [
        "",
        f"Data as of {report.as_of}. Last refresh: {report.checks} ({report.asset_url}).",
        f"Open in the dashboards: {report.link}",
    ]
    return "\n".join(lines) + "\n"


def _e(text: str) -> str:
    return markup.escape(str(text), quote=True)


def _style(size: int = 13, colour: str = "#111827", extra: str = "") -> str:
    return f"color:{colour};{FONT}font-size:{size}px;{extra}"


def _tiles(headlines: list[Headline]) -> str:
    rows = ""
    for index in range(0, len(headlines), 3):
        cells = ""
        for headline in headlines[index : index + 3]:
            good = -headline.direction if headline.lower_is_better else headline.direction
            colour = {1: "#047857", -1: "#b91c1c"}.get(good, MUTED)
            arrow = {1: "&#9650;", -1: "&#9660;"}.get(headline.direction, "")
            change = f'<div style="{_style(12, colour)}">{arrow} {_e(headline.change)}</div>' if headline.change else ""
            cells += (
                '<td width="33%" valign="top" style="padding:10px;border:1px solid #e5e7eb;">'
                f'<div style="{_style(12, MUTED)}">{_e(headline.label)}</div>'
                f'<div style="{_style(20, extra="font-weight:bold;")}">{_e(headline.value)}</div>{change}</td>'
            )
        rows += f"<tr>{cells}</tr>"
    return f'<table role="presentation" width="100%" cellpadding="0" cellspacing="6">{rows}</table>' if rows else ""


def _table(report: Report) -> str:
    cell = "padding:5px 8px;border-bottom:1px solid #e5e7eb;" + _style(12)
    head = "".join(
        f'<th align="{"right" if i else "left"}" style="{cell}background:#f3f4f6;font-weight:bold;">{_e(label)}</th>'
        for i, (_, label) in enumerate(report.columns)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="{cell}white-space:nowrap;" align="{"right" if i else "left"}">{_e(v)}</td>'
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in report.rows
    )
    return f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>{head}</tr>{body}</table>'


def html_body(report: Report, *, attached: bool) -> str:
    """Mail-client HTML: tables for layout, inline styles only, the chart referenced by its content id."""
    parts = [
        f'<div style="{_style(12, MUTED)}">{_e(report.organization_name)}</div>',
        f'<h1 style="margin:4px 0;{_style(22)}">{_e(report.title)}</h1>',
        f'<div style="{_style(14, "#374151", "margin-bottom:12px;")}">{_e(report.period)}</div>',
    ]
    parts += [
        f'<p style="padding:10px 14px;background:#fef3c7;{_style(13, "#92400e")}">{_e(note)}</p>'
        for note in report.notes
    ]
    if report.empty:
        parts.append(f'<p style="{_style(14)}">No data for this period.</p>')
    parts.append(_tiles(report.headlines))
    if report.comparison:
        parts.append(f'<p style="{_style(12, MUTED, "margin:4px 0 12px;")}">Changes {_e(report.comparison)}.</p>')
    if report.chart_png:
        parts.append(
            f'<img src="cid:{CHART_CID}" width="{CHART_WIDTH}" alt="Chart: {_e(report.title)}" '
            'style="display:block;max-width:100%;height:auto;border:0;margin:8px 0;">'
        )
    if report.rows:
        parts.append(_table(report))
    if attached:
        parts.append(f'<p style="{_style(13)}">The table is also attached as {_e(report.csv_name)}.</p>')
    parts += [
        f'<p style="margin:20px 0 0;"><a href="{_e(report.link)}" style="display:inline-block;padding:10px 16px;'
        f'background:#2563eb;text-decoration:none;{_style(14, "#ffffff")}">Open in the dashboards</a></p>',
        f'<p style="{_style(12, MUTED, "margin:12px 0 0;")}">Data as of {_e(report.as_of)}. Last refresh: '
        f'{_e(report.checks)} (<a href="{_e(report.asset_url)}" style="color:{MUTED};">in Dagster</a>).</p>',
    ]
    content = "\n".join(parts)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{_e(report.subject)}</title></head>
<body style="margin:0;padding:0;background:#f9fafb;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f9fafb;">
<tr><td align="center" style="padding:16px;">
<table role="presentation" width="640" cellpadding="0" cellspacing="0"
 style="background:#ffffff;border:1px solid #e5e7eb;">
<tr><td style="padding:20px 24px;">
{content}
</td></tr></table>
</td></tr></table>
</body></html>
"""


def notice(*, to: list[str], sender: str, subject: str, body: str, message_id: str | None = None) -> EmailMessage:
    """A plain-text notice to a schedule's owner (and ALERT_EMAIL for failures)."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = ", ".join(to)
    mail["Subject"] = subject
    mail["Message-ID"] = message_id or make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(body)
    return mail
