"""Analytics & reporting: targets, custom and scheduled reports, dashboard layouts and report favourites.

Step `emit` runs at the end of the pipeline. Targets are set close to what the generated data achieves (actual
x 0.9-1.15, actual blended 70/30 with the average month so quiet months still get a target), so attainment
varies around 100 %. Metric definitions used for the actuals (the warehouse should compute the same):
- revenue: orders not draft/cancelled, total excluding tax (subtotal - discount + shipping), by order date
- orders: count of those orders; average_order_value: revenue / orders
- new_customers: first orders of customers, by order date
- gross_margin: revenue minus line costs (quantity x unit_cost), in money, by order date
- cash_collected: installments paid, by payment date
- won_deals / won_value: opportunities won (closed with the order), count and order total, by close date
- quotes_sent: quotes by sent date
- jobs_completed / issues_resolved: only when jobs / issues rows exist when this step runs
Money targets are in the organization's currency (target_value numeric(14,3)), counts as plain numbers.

ctx.store: nothing new.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from oltp.synthetic.arrow import US_PER_DAY, US_PER_HOUR, masked
from oltp.synthetic.context import OrgContext
from oltp.synthetic.domains.common import to_json
from oltp.synthetic.domains.engagement import MONTH_NAMES, load, read_sql, user_emails

MONEY_METRICS = {"revenue", "average_order_value", "gross_margin", "cash_collected", "won_value"}
LABELS = {"revenue": "Revenue", "orders": "Orders", "average_order_value": "Average order value",
          "new_customers": "New customers", "gross_margin": "Gross margin", "cash_collected": "Cash collected",
          "won_deals": "Won deals", "won_value": "Won value", "quotes_sent": "Quotes sent",
          "jobs_completed": "Jobs completed", "issues_resolved": "Issues resolved"}  # fmt: skip


def emit(ctx: OrgContext) -> None:
    rng = ctx.rng("analytics")
    _targets(ctx, rng)
    report_ids, report_created, report_names = _custom_reports(ctx, rng)
    _scheduled_reports(ctx, rng, report_ids, report_created, report_names)
    _dashboards_and_favorites(ctx, rng, report_ids, report_created)


def _month_of(days: np.ndarray, first_month: np.datetime64) -> np.ndarray:
    return (np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]") - first_month).astype(
        np.int64
    )


def _daily_counts(ctx: OrgContext, sql: str) -> tuple[np.ndarray, np.ndarray]:
    rows = read_sql(ctx, sql.format(org=int(ctx.org_id)))
    return rows.get("day", np.array([], np.int64)), rows.get("n", np.array([], np.int64))


def _targets(ctx: OrgContext, rng) -> None:
    orders = ctx.store["orders"]
    lines = ctx.store["order_lines"]
    plan = ctx.store["installments"]
    customers = ctx.store["customers"]
    first_month = np.datetime64(ctx.start, "M")
    last_day = ctx.end_us // US_PER_DAY - 1
    months = np.arange(first_month, np.datetime64(int(last_day), "D").astype("datetime64[M]") + 1)
    n_months = len(months)
    month_start = months.astype("datetime64[D]").astype(np.int64)
    month_end = (months + 1).astype("datetime64[D]").astype(np.int64) - 1
    covered = np.minimum(month_end, last_day) - np.maximum(month_start, ctx.start_day) + 1
    scale = (month_end - month_start + 1) / covered  # partial first/last months: extrapolate to a full month

    real = ~np.isin(orders["status"], ["draft", "cancelled"])
    order_day = orders["order_us"] // US_PER_DAY
    om = _month_of(order_day, first_month)
    net = orders["total"] - orders["tax_total"]
    line_cost = lines["unit_cost"] * lines["quantity_milli"] // 1000
    cost = np.bincount(lines["order_index"], line_cost, minlength=len(orders["id"]))

    def monthly(month_index, weights=None, mask=None):
        mask = np.ones(len(month_index), bool) if mask is None else mask
        ok = mask & (month_index >= 0) & (month_index < n_months)
        w = None if weights is None else np.asarray(weights, dtype=float)[ok]
        return np.bincount(month_index[ok], w, minlength=n_months).astype(float)

    actual = {
        "revenue": monthly(om, net, real),
        "orders": monthly(om, None, real),
        "new_customers": monthly(om, None, real & ctx.store["plan"]["is_first_order"]),
        "gross_margin": monthly(om, net - cost, real),
        "cash_collected": monthly(
            _month_of(plan["paid_us"] // US_PER_DAY, first_month), plan["amount_due"], plan["paid"]
        ),
        "won_deals": monthly(om, None, real & (orders["opportunity_id"] > 0)),
        "won_value": monthly(om, orders["total"], real & (orders["opportunity_id"] > 0)),
    }
    quotes = load(ctx, "quotes")
    sent = quotes["sent_at"] >= 0
    actual["quotes_sent"] = monthly(_month_of(quotes["sent_at"] // US_PER_DAY, first_month), None, sent)
    for metric, sql in (
        ("jobs_completed", "select (actual_end at time zone 'UTC')::date - date '1970-01-01' as day, count(*) as n "
                           "from app.jobs where organization_id = {org} and status = 'completed' "
                           "and deleted_at is null group by 1"),
        ("issues_resolved", "select (resolved_at at time zone 'UTC')::date - date '1970-01-01' as day, count(*) as n "
                            "from app.issues where organization_id = {org} and resolved_at is not null "
                            "and deleted_at is null group by 1"),
    ):  # fmt: skip
        day, n = _daily_counts(ctx, sql)
        if len(day):
            actual[metric] = monthly(_month_of(day, first_month), n)
    actual = {k: v * scale for k, v in actual.items()}
    actual["average_order_value"] = actual["revenue"] / np.maximum(actual["orders"], 1)

    rows = {"metric": [], "period_type": [], "start": [], "end": [], "value": [], "user": [], "group": [], "name": [],
            "notes": []}  # fmt: skip
    currency = ctx.profile.currency
    labels = [f"{MONTH_NAMES[int(m) % 12]} {int(m) // 12 + 1970}" for m in months.astype(np.int64).tolist()]

    def add(metric, period_type, starts, ends, expected, names, user=0, group=0):
        expected = np.asarray(expected, dtype=float)
        factor = rng.uniform(0.9, 1.15, len(expected))
        value = expected * factor
        if metric in MONEY_METRICS:
            step = 10_000 if np.median(value) > 1_000_000 else 1_000  # round to 100 / 10 currency units
            thousandths = np.maximum(np.round(value / step) * step, step).astype(np.int64) * 10
            note = f"Money in {currency}, excluding tax."
        else:
            thousandths = np.maximum(np.round(value), 1).astype(np.int64) * 1000
            note = "Count."
        k = len(expected)
        rows["metric"] += [metric] * k
        rows["period_type"] += [period_type] * k
        rows["start"].append(np.asarray(starts, np.int64))
        rows["end"].append(np.asarray(ends, np.int64))
        rows["value"].append(thousandths)
        rows["user"].append(np.full(k, user, np.int64))
        rows["group"].append(np.full(k, group, np.int64))
        rows["name"] += list(names)
        rows["notes"] += [note] * k

    for metric, values in actual.items():
        expected = 0.7 * values + 0.3 * values.mean()
        add(metric, "month", month_start, month_end, expected, [f"{LABELS[metric]} - {label}" for label in labels])

    # Yearly revenue for the organization.
    years = months.astype("datetime64[Y]")
    for year in np.unique(years):
        inside = years == year
        y = int(year.astype(np.int64)) + 1970
        expected = (0.7 * actual["revenue"][inside] + 0.3 * actual["revenue"].mean()).sum() * 12 / inside.sum()
        start = np.datetime64(f"{y}-01-01", "D").astype(np.int64)
        add("revenue", "year", [start], [np.datetime64(f"{y}-12-31", "D").astype(np.int64)], [expected],
            [f"Revenue - {y}"])  # fmt: skip

    # Quarterly revenue per sales rep, and won value for the sales team.
    quarter_of_month = (months.astype(np.int64) // 3) * 3
    quarters = np.unique(quarter_of_month)
    q_start = quarters.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    q_end = (quarters.astype("datetime64[M]") + 3).astype("datetime64[D]").astype(np.int64) - 1
    q_label = [f"Q{(int(q) % 12) // 3 + 1} {int(q) // 12 + 1970}" for q in quarters.tolist()]
    q_index_of_month = np.searchsorted(quarters, quarter_of_month)
    rep = customers["owner"][orders["customer_index"]]
    users = ctx.store["users"]
    reps = users["id"][users["role"] == "sales"]
    month_ok = real & (om >= 0) & (om < n_months)
    for rep_id in reps.tolist():
        mine = month_ok & (rep == rep_id)
        by_month = np.bincount(om[mine], net[mine].astype(float), minlength=n_months) * scale
        by_quarter = np.bincount(q_index_of_month, by_month, minlength=len(quarters))
        months_in = np.bincount(q_index_of_month, minlength=len(quarters))
        by_quarter = by_quarter * 3 / months_in
        if by_quarter.sum() <= 0:
            continue
        expected = 0.7 * by_quarter + 0.3 * by_quarter.mean()
        add("revenue", "quarter", q_start, q_end, expected, [f"Revenue - {q} - rep {rep_id}" for q in q_label],
            user=rep_id)  # fmt: skip
    groups = ctx.store["groups"]
    sales_group = groups["id"][groups["role"] == "sales"]
    if len(sales_group):
        by_quarter = np.bincount(q_index_of_month, actual["won_value"], minlength=len(quarters))
        by_quarter = by_quarter * 3 / np.bincount(q_index_of_month, minlength=len(quarters))
        add("won_value", "quarter", q_start, q_end, 0.7 * by_quarter + 0.3 * by_quarter.mean(),
            [f"Won value - {q} - sales team" for q in q_label], group=int(sales_group[0]))  # fmt: skip

    start = np.concatenate(rows["start"])
    n = len(start)
    created = np.minimum((start - rng.integers(5, 20, n)) * US_PER_DAY + 15 * US_PER_HOUR, ctx.end_us - US_PER_HOUR)
    user = np.concatenate(rows["user"])
    group = np.concatenate(rows["group"])
    ctx.emit(
        "targets",
        {
            "id": ctx.ids("targets", n),
            "name": rows["name"],
            "metric": rows["metric"],
            "period_type": rows["period_type"],
            "period_start": start,
            "period_end": np.concatenate(rows["end"]),
            "target_value": np.concatenate(rows["value"]),
            "user_id": masked(user, user > 0),
            "user_group_id": masked(group, group > 0),
            "notes": rows["notes"],
            "created_at": created,
            "updated_at": created,
        },
    )


REPORT_SPECS = [
    ("Monthly revenue by customer type", ["revenue", "orders", "average_order_value"], ["customer_type"],
     [{"field": "order_status", "op": "not_in", "values": ["draft", "cancelled"]}], "bar"),
    ("New customers by source", ["new_customers"], ["customer_source"], [], "line"),
    ("Gross margin by product category", ["gross_margin", "revenue"], ["product_category"], [], "bar"),
    ("Win rate by sales rep", ["win_rate", "won_deals", "won_value"], ["sales_rep"], [], "table"),
    ("Cash collected vs revenue", ["cash_collected", "revenue"], [], [], "area"),
    ("Quote conversion", ["quotes_sent", "won_deals", "win_rate"], ["sales_rep"], [], "table"),
    ("Average order value trend", ["average_order_value"], ["region"],
     [{"field": "customer_type", "op": "eq", "value": "residential"}], "line"),
    ("Commercial accounts revenue", ["revenue", "gross_margin"], ["customer"],
     [{"field": "customer_type", "op": "eq", "value": "commercial"}], "table"),
]  # fmt: skip


def _custom_reports(ctx: OrgContext, rng):
    users = ctx.store["users"]
    builders = users["id"][np.isin(users["role"], ["owner", "admin", "analyst", "finance", "sales"]) & users["active"]]
    count = int(rng.integers(4, len(REPORT_SPECS) + 1))
    chosen = np.sort(rng.choice(len(REPORT_SPECS), count, replace=False))
    specs = [REPORT_SPECS[i] for i in chosen.tolist()]
    definitions = [
        {"metrics": m, "dimensions": d, "time_grain": "month", "filters": f,
         "date_range": {"type": "relative", "last": int(rng.choice([3, 6, 12, 24])), "unit": "month"}}
        for _, m, d, f, _ in specs
    ]  # fmt: skip
    created = ctx.start_us + rng.integers(0, max(1, ctx.days // 2), count) * US_PER_DAY + 16 * US_PER_HOUR
    edited = np.minimum(created + rng.integers(0, 60, count) * US_PER_DAY, ctx.end_us - US_PER_HOUR)
    ids = ctx.ids("custom_reports", count)
    ctx.emit(
        "custom_reports",
        {
            "id": ids,
            "name": [s[0] for s in specs],
            "description": [f"{s[0]}, by month." for s in specs],
            "definition": to_json(definitions),
            "owner_user_id": builders[rng.integers(0, len(builders), count)],
            "is_shared": rng.random(count) < 0.6,
            "visualization": [s[4] for s in specs],
            "created_at": created,
            "updated_at": edited,
        },
    )
    return ids, created, [s[0] for s in specs]


SCHEDULES = [
    ("Daily metrics", "daily_metrics", "daily", None, None, time(7, 0), ("owner", "admin", "analyst")),
    ("Weekly pipeline review", "pipeline", "weekly", 1, None, time(7, 30), ("owner", "sales")),
    ("Monthly warranty review", "warranty", "monthly", None, 1, time(8, 0), ("owner", "operations")),
    ("Weekly jobs summary", "jobs", "weekly", 5, None, time(16, 0), ("operations", "admin")),
    ("Morning snapshot", "current_state", "daily", None, None, time(6, 30), ("operations",)),
    ("Targets vs actual", "targets", "monthly", None, 2, time(9, 0), ("owner", "finance", "sales")),
]  # fmt: skip


def _runs(zone: str, at: time, frequency: str, dow, dom, end: datetime) -> tuple[datetime, datetime]:
    """Last run before ``end`` and the next one at or after it, in UTC (local send time in the zone)."""
    tz = ZoneInfo(zone)
    local_end = end.astimezone(tz)
    candidates = []
    for offset in range(-40, 40):
        day = local_end.date() + timedelta(days=offset)
        if frequency == "weekly" and day.isoweekday() != dow:
            continue
        if frequency == "monthly":
            last_of_month = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            if day.day != min(dom, last_of_month.day):
                continue
        candidates.append(datetime.combine(day, at, tz).astimezone(UTC))
    before = max(c for c in candidates if c < end)
    after = min(c for c in candidates if c >= end)
    return before, after


def _scheduled_reports(ctx: OrgContext, rng, report_ids, report_created, report_names) -> None:
    users = ctx.store["users"]
    emails = user_emails(ctx)
    count = int(rng.integers(5, 9))
    custom = max(1, count - len(SCHEDULES))
    base = [SCHEDULES[i] for i in np.sort(rng.choice(len(SCHEDULES), count - custom, replace=False)).tolist()]
    picks = rng.choice(len(report_ids), min(custom, len(report_ids)), replace=False)
    specs = base + [(f"{report_names[i]} (weekly)", "custom", "weekly", 1, None, time(8, 0), ("analyst", "owner"))
                    for i in picks.tolist()]  # fmt: skip
    custom_id = [0] * len(base) + [int(report_ids[i]) for i in picks.tolist()]
    custom_created = [0] * len(base) + [int(report_created[i]) for i in picks.tolist()]
    end = datetime.fromtimestamp(ctx.end_us / 1_000_000, UTC)
    creators = users["id"][np.isin(users["role"], ["owner", "admin", "analyst"])]
    rows = {k: [] for k in ("name", "report_type", "custom", "frequency", "time", "dow", "dom", "recipients", "format",
                            "active", "last", "next", "creator", "created")}  # fmt: skip
    inactive = int(rng.integers(0, len(base))) if len(specs) >= 6 else -1
    for i, (name, kind, frequency, dow, dom, at, roles) in enumerate(specs):
        last, following = _runs(ctx.profile.timezone, at, frequency, dow or 1, dom or 1, end)
        last_us = int(last.timestamp()) * 1_000_000
        next_us = int(following.timestamp()) * 1_000_000
        active = i != inactive
        if not active:  # switched off a while ago
            last_us -= int(rng.integers(30, 90)) * US_PER_DAY
        people = emails[np.isin(users["role"], roles) & users["active"]][:4]
        created = min(
            max(ctx.start_us - int(rng.integers(10, 200)) * US_PER_DAY, custom_created[i] + US_PER_DAY),
            last_us - US_PER_HOUR,
        )
        rows["name"].append(name)
        rows["report_type"].append(kind)
        rows["custom"].append(custom_id[i])
        rows["frequency"].append(frequency)
        rows["time"].append(at.isoformat())
        rows["dow"].append(dow or 0)
        rows["dom"].append(dom or 0)
        rows["recipients"].append(json.dumps(sorted(set(people.tolist()))))
        rows["format"].append(str(rng.choice(["html", "csv", "both"], p=[0.6, 0.2, 0.2])))
        rows["active"].append(active)
        rows["last"].append(last_us)
        rows["next"].append(next_us if active else 0)
        rows["creator"].append(int(creators[rng.integers(0, len(creators))]))
        rows["created"].append(created)
    n = len(specs)
    custom_ids = np.array(rows["custom"], np.int64)
    dow = np.array(rows["dow"], np.int64)
    dom = np.array(rows["dom"], np.int64)
    last = np.array(rows["last"], np.int64)
    nxt = np.array(rows["next"], np.int64)
    active = np.array(rows["active"], bool)
    ids = ctx.ids("scheduled_reports", n)
    ctx.emit(
        "scheduled_reports",
        {
            "id": ids,
            "name": rows["name"],
            "report_type": rows["report_type"],
            "custom_report_id": masked(custom_ids, custom_ids > 0),
            "frequency": rows["frequency"],
            "send_at_local_time": rows["time"],
            "day_of_week": masked(dow, dow > 0),
            "day_of_month": masked(dom, dom > 0),
            "timezone": [ctx.profile.timezone] * n,
            "recipients": rows["recipients"],
            "format": rows["format"],
            "is_active": active,
            "last_sent_at": last,
            "next_run_at": masked(nxt, active),
            "created_by_user_id": np.array(rows["creator"], np.int64),
            "created_at": np.array(rows["created"], np.int64),
            "updated_at": last,
        },
    )
    _report_deliveries(ctx, ids, rows["recipients"], last)


def _report_deliveries(ctx: OrgContext, schedule_ids: np.ndarray, recipients: list[str], last: np.ndarray) -> None:
    """The ledger row of each schedule's last send to each recipient (readside/delivery.py writes them live): sent
    two seconds after the occurrence, reporting the 7 days before it."""
    users = ctx.store["users"]
    user_of = dict(zip((str(e).lower() for e in user_emails(ctx).tolist()), users["id"].tolist(), strict=True))
    rows = {k: [] for k in ("schedule", "when", "recipient", "user", "message_id")}
    for schedule_id, addresses, when in zip(schedule_ids.tolist(), recipients, last.tolist(), strict=True):
        for address in json.loads(addresses):
            address = str(address).lower()
            stamp = datetime.fromtimestamp(when / 1_000_000, UTC)
            digest = hashlib.sha256(address.encode()).hexdigest()[:12]
            rows["schedule"].append(schedule_id)
            rows["when"].append(when)
            rows["recipient"].append(address)
            rows["user"].append(user_of.get(address, 0))
            rows["message_id"].append(
                f"<scheduled.{ctx.org_id}.{schedule_id}.{stamp:%Y%m%dT%H%M%SZ}.{digest}@localhost>"
            )
    when = np.array(rows["when"], np.int64)
    user = np.array(rows["user"], np.int64)
    day = when // US_PER_DAY
    sent = when + 2_000_000
    k = len(when)
    ctx.emit(
        "report_deliveries",
        {
            "id": ctx.ids("report_deliveries", k),
            "scheduled_report_id": np.array(rows["schedule"], np.int64),
            "kind": ["scheduled"] * k,
            "scheduled_for": when,
            "period_start": day - 7,
            "period_end": day - 1,
            "recipient": rows["recipient"],
            "recipient_user_id": masked(user, user > 0),
            "status": ["sent"] * k,
            "attempts": np.ones(k, np.int64),
            "next_attempt_at": when,
            "claimed_at": when,
            "message_id_header": rows["message_id"],
            "sent_at": sent,
            "smtp_response": ["250 OK"] * k,
            "data_as_of": when - US_PER_HOUR,
            "checks": ["no checks ran"] * k,
            "created_at": when,
            "updated_at": sent,
        },
    )


DASHBOARDS = {
    "executive": ["revenue", "orders", "gross_margin", "cash_collected", "new_customers", "average_order_value"],
    "pipeline": ["pipeline_value", "won_value", "win_rate", "quotes_sent"],
    "operations": ["jobs_completed", "first_time_fix_rate", "sla_compliance_rate"],
    "finance": ["cash_collected", "revenue", "gross_margin", "overdue_receivables"],
    "service": ["issues_resolved", "sla_compliance_rate", "csat_average", "warranty_claims"],
}
ROLE_DASHBOARDS = {"owner": ["executive", "pipeline", "finance"], "admin": ["executive", "operations"],
                   "sales": ["pipeline", "executive"], "operations": ["operations", "service"],
                   "finance": ["finance", "executive"], "analyst": ["executive", "pipeline", "finance"],
                   "viewer": ["executive"]}  # fmt: skip
BUILTIN_REPORTS = ["daily_metrics", "pipeline", "warranty", "jobs", "current_state", "targets"]


def _layout(metrics: list[str], columns: int) -> str:
    width = 12 // columns
    widgets = [{"id": f"w{i + 1}", "type": "kpi" if i < columns else "chart", "metric": m,
                "x": (i % columns) * width, "y": (i // columns) * 3, "w": width, "h": 2 if i < columns else 4}
               for i, m in enumerate(metrics)]  # fmt: skip
    return json.dumps({"columns": 12, "widgets": widgets}, separators=(",", ":"))


def _dashboards_and_favorites(ctx: OrgContext, rng, report_ids, report_created) -> None:
    users = ctx.store["users"]
    layout_rows = {"user": [], "key": [], "layout": [], "default": [], "created": [], "updated": []}
    fav_rows = {"user": [], "custom": [], "key": [], "created": []}
    end = ctx.end_us
    for user_id, role, active in zip(users["id"].tolist(), users["role"].tolist(), users["active"].tolist(),
                                     strict=True):  # fmt: skip
        if not active or role not in ROLE_DASHBOARDS:
            continue
        keys = ROLE_DASHBOARDS[role][: int(rng.integers(1, len(ROLE_DASHBOARDS[role]) + 1))]
        for position, key in enumerate(keys):
            created = ctx.start_us + int(rng.integers(0, max(1, ctx.days // 3))) * US_PER_DAY + 17 * US_PER_HOUR
            updated = min(created + int(rng.integers(0, 90)) * US_PER_DAY, end - US_PER_HOUR)
            layout_rows["user"].append(user_id)
            layout_rows["key"].append(key)
            layout_rows["layout"].append(_layout(DASHBOARDS[key], int(rng.choice([2, 3, 4]))))
            layout_rows["default"].append(position == 0)
            layout_rows["created"].append(created)
            layout_rows["updated"].append(updated)
        favorites = int(rng.integers(0, 4))
        builtin = rng.choice(BUILTIN_REPORTS, min(favorites, 2), replace=False).tolist()
        customs = rng.choice(len(report_ids), min(favorites - len(builtin), len(report_ids)), replace=False).tolist()
        for key in builtin:
            fav_rows["user"].append(user_id)
            fav_rows["custom"].append(0)
            fav_rows["key"].append(key)
            fav_rows["created"].append(ctx.start_us + int(rng.integers(0, ctx.days)) * US_PER_DAY + 18 * US_PER_HOUR)
        for i in customs:
            fav_rows["user"].append(user_id)
            fav_rows["custom"].append(int(report_ids[i]))
            fav_rows["key"].append(None)
            after = int(report_created[i]) + US_PER_DAY
            fav_rows["created"].append(min(after + int(rng.integers(0, 60)) * US_PER_DAY, end - US_PER_HOUR))
    n = len(layout_rows["user"])
    ctx.emit(
        "dashboard_layouts",
        {
            "id": ctx.ids("dashboard_layouts", n),
            "user_id": np.array(layout_rows["user"], np.int64),
            "dashboard_key": layout_rows["key"],
            "layout": layout_rows["layout"],
            "is_default": np.array(layout_rows["default"], bool),
            "created_at": np.array(layout_rows["created"], np.int64),
            "updated_at": np.array(layout_rows["updated"], np.int64),
        },
    )
    n = len(fav_rows["user"])
    custom = np.array(fav_rows["custom"], np.int64)
    created = np.array(fav_rows["created"], np.int64)
    ctx.emit(
        "report_favorites",
        {
            "id": ctx.ids("report_favorites", n),
            "user_id": np.array(fav_rows["user"], np.int64),
            "custom_report_id": masked(custom, custom > 0),
            "report_key": fav_rows["key"],
            "created_at": created,
            "updated_at": created,
        },
    )
