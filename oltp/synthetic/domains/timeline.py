"""The cross-domain timeline and customer follow-up: activities, audit_logs, customer_activities and monthly
customer_health_metrics.

Step `emit` runs at the end of the pipeline (after orders, the pipeline, receivables and, when present, support:
open issues feed the health metrics). It reads ctx.store ("orders", "customers", "installments", "users") and
rows of quotes, opportunities, user_sessions and issues read back with `engagement.load`.

ctx.store written here: "customer_activities": {customer_index, occurred_us, activity_type} (for later steps).
"""

from __future__ import annotations

import numpy as np

from oltp.synthetic.arrow import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, masked
from oltp.synthetic.context import OrgContext
from oltp.synthetic.domains.common import join, numbered, text
from oltp.synthetic.domains.engagement import load

KEY = 1 << 24  # day numbers stay below this: keys customer * KEY + day sort by customer, then day


def emit(ctx: OrgContext) -> None:
    rng = ctx.rng("timeline")
    for name in ("quotes", "opportunities", "user_sessions", "issues"):  # one wait for queued writes, before emitting
        load(ctx, name)
    _activities(ctx, rng)
    _audit_logs(ctx, rng)
    _customer_activities(ctx, rng)
    _health_metrics(ctx, rng)


def _cat(blocks: list[dict]) -> dict[str, np.ndarray]:
    return {key: np.concatenate([np.asarray(b[key]) for b in blocks]) for key in blocks[0]}


def _activities(ctx: OrgContext, rng) -> None:
    """One entry per order (created; cancelled ones also a status change), per quote sent and per opportunity
    opened and closed."""
    orders = ctx.store["orders"]
    customers = ctx.store["customers"]
    quotes = load(ctx, "quotes")
    opps = load(ctx, "opportunities")
    n = len(orders["id"])
    ci = orders["customer_index"]
    order_numbers = numbered("SO", orders["id"])
    zeros = np.zeros(n, np.int64)
    _write_activities(ctx, {
        "type": np.full(n, "created", dtype=object), "subject": text("Order ", order_numbers, " created"),
        "user": customers["owner"][ci], "at": orders["order_us"],
        "details": text('{"order_number":"', order_numbers, '","total_cents":', orders["total"], "}"),
        "customer": customers["id"][ci], "contact": customers["primary_contact"][ci], "opportunity": zeros,
        "quote": zeros, "order": orders["id"],
    })  # fmt: skip
    cx = np.flatnonzero(orders["status"] == "cancelled")
    m = len(cx)
    zeros = np.zeros(m, np.int64)
    _write_activities(ctx, {
        "type": np.full(m, "status_change", dtype=object), "subject": text("Order ", order_numbers[cx], " cancelled"),
        "user": customers["owner"][ci[cx]], "at": orders["cancelled_us"][cx],
        "details": np.full(m, '{"from":"confirmed","to":"cancelled"}', dtype=object),
        "customer": customers["id"][ci[cx]], "contact": customers["primary_contact"][ci[cx]], "opportunity": zeros,
        "quote": zeros, "order": orders["id"][cx],
    })  # fmt: skip
    qi = np.flatnonzero(quotes["sent_at"] >= 0)
    m = len(qi)
    _write_activities(ctx, {
        "type": np.full(m, "email", dtype=object), "subject": text("Quote ", quotes["quote_number"][qi], " sent"),
        "user": quotes["owner_user_id"][qi], "at": quotes["sent_at"][qi],
        "details": text('{"quote_number":"', quotes["quote_number"][qi], '","total_cents":',
                        quotes["total"][qi], "}"),
        "customer": quotes["customer_id"][qi], "contact": quotes["contact_id"][qi],
        "opportunity": quotes["opportunity_id"][qi], "quote": quotes["id"][qi], "order": np.zeros(m, np.int64),
    })  # fmt: skip
    m = len(opps["id"])
    zeros = np.zeros(m, np.int64)
    _write_activities(ctx, {
        "type": np.full(m, "created", dtype=object),
        "subject": text("Opportunity ", opps["opportunity_number"], " opened"),
        "user": opps["owner_user_id"], "at": opps["created_at"],
        "details": text('{"amount_cents":', opps["amount"], "}"),
        "customer": opps["customer_id"], "contact": opps["contact_id"], "opportunity": opps["id"], "quote": zeros,
        "order": zeros,
    })  # fmt: skip
    closed = np.flatnonzero(opps["closed_at"] >= 0)
    m = len(closed)
    zeros = np.zeros(m, np.int64)
    _write_activities(ctx, {
        "type": np.full(m, "status_change", dtype=object),
        "subject": text("Opportunity ", opps["opportunity_number"][closed], " ", opps["status"][closed]),
        "user": opps["owner_user_id"][closed], "at": opps["closed_at"][closed],
        "details": text('{"from":"open","to":"', opps["status"][closed], '"}'),
        "customer": opps["customer_id"][closed], "contact": opps["contact_id"][closed],
        "opportunity": opps["id"][closed], "quote": zeros, "order": zeros,
    })  # fmt: skip


def _write_activities(ctx: OrgContext, rows: dict[str, np.ndarray]) -> None:
    """Write one block of activities; blocks are written one at a time so that only one block's text is held."""
    at = rows["at"]
    ctx.emit(
        "activities",
        {
            "id": ctx.ids("activities", len(at)),
            "activity_type": rows["type"],
            "subject": rows["subject"],
            "user_id": masked(rows["user"], rows["user"] > 0),
            "occurred_at": at,
            "details": rows["details"],
            **{f"{key}_id": masked(rows[key], rows[key] > 0) for key in ("customer", "contact", "opportunity",
                                                                          "quote", "order")},
            "created_at": at,
            "updated_at": at,
        },
    )  # fmt: skip


USER_AGENTS = np.array(
    ["Mozilla/5.0 (Windows NT 10.0)", "Mozilla/5.0 (iPhone)", "FieldApp/3.2 (Android)"], dtype=object
)


def _audit_logs(ctx: OrgContext, rng) -> None:
    """About 0.2 row changes per order (orders, customers, payment schedules) and a sample of sign-ins."""
    orders = ctx.store["orders"]
    customers = ctx.store["customers"]
    users = ctx.store["users"]
    plan = ctx.store["installments"]
    end = ctx.end_us
    role = users["role"]
    office = users["id"][np.isin(role, ["operations", "admin"])]
    finance = users["id"][np.isin(role, ["finance", "admin"])]
    blocks = []

    def block(action, table, pk, at, user, token, old, new, ip=None, agent=None):
        n = len(at)
        ip = (
            join("10.0.", rng.integers(0, 255, n).astype(str), ".", rng.integers(1, 255, n).astype(str))
            if ip is None
            else ip
        )
        agent = USER_AGENTS[rng.integers(0, len(USER_AGENTS), n)] if agent is None else agent
        blocks.append(
            {
                "action": np.full(n, action, dtype=object),
                "table": np.full(n, table, dtype=object),
                "pk": np.asarray(pk, np.int64),
                "at": np.asarray(at, np.int64),
                "user": np.asarray(user, np.int64),
                "token": np.asarray(token, np.int64),
                "old": np.asarray(old, dtype=object),
                "new": np.asarray(new, dtype=object),
                "ip": np.asarray(ip, dtype=object),
                "agent": np.asarray(agent, dtype=object),
            }
        )

    count = len(orders["id"])
    ins = np.flatnonzero(rng.random(count) < 0.12)
    n = len(ins)
    block(
        "insert",
        "orders",
        orders["id"][ins],
        orders["order_us"][ins],
        customers["owner"][orders["customer_index"][ins]],
        np.zeros(n),
        np.full(n, "{}"),
        join('{"order_number":"', numbered("SO", orders["id"][ins]), '","status":"draft"}'),
    )
    fulfilled = np.isin(orders["status"], ["fulfilled", "completed"])
    upd = np.flatnonzero(fulfilled & (rng.random(count) < 0.06))
    n = len(upd)
    block(
        "update",
        "orders",
        orders["id"][upd],
        orders["fulfilled_us"][upd],
        office[rng.integers(0, len(office), n)],
        np.zeros(n),
        np.full(n, '{"status":"in_progress"}'),
        np.full(n, '{"status":"fulfilled"}'),
    )
    new_customers = np.flatnonzero(
        (customers["acquired_us"] >= ctx.start_us)
        & (customers["acquired_us"] < end)
        & (rng.random(len(customers["id"])) < 0.1)
    )
    n = len(new_customers)
    via_api = rng.random(n) < 0.25
    tokens = ctx.store["api_token_ids"]
    block(
        "insert",
        "customers",
        customers["id"][new_customers],
        customers["acquired_us"][new_customers],
        np.where(via_api, 0, customers["owner"][new_customers]),
        np.where(via_api, tokens[-1], 0),
        np.full(n, "{}"),
        join('{"status":"', np.where(customers["is_lead"][new_customers], "lead", "active"), '"}'),
        agent=np.where(via_api, "python-requests/2.31", USER_AGENTS[rng.integers(0, len(USER_AGENTS), n)]),
    )
    paid = np.flatnonzero(plan["paid"] & (rng.random(len(plan["id"])) < 0.03))
    n = len(paid)
    block(
        "update",
        "payment_schedules",
        plan["id"][paid],
        plan["paid_us"][paid],
        finance[rng.integers(0, len(finance), n)],
        np.zeros(n),
        np.full(n, '{"status":"scheduled"}'),
        np.full(n, '{"status":"paid"}'),
    )

    sessions = load(ctx, "user_sessions")
    chosen = np.flatnonzero(rng.random(len(sessions["user_id"])) < 0.3)
    n = len(chosen)
    block(
        "login",
        None,
        np.zeros(n),
        sessions["started_at"][chosen],
        sessions["user_id"][chosen],
        np.zeros(n),
        np.full(n, "{}"),
        np.full(n, "{}"),
        sessions["ip_address"][chosen],
        sessions["user_agent"][chosen],
    )
    failed = chosen[rng.random(n) < 0.04]
    n = len(failed)
    block(
        "login_failed",
        None,
        np.zeros(n),
        sessions["started_at"][failed] - rng.integers(1, 120, n) * 1_000_000,
        sessions["user_id"][failed],
        np.zeros(n),
        np.full(n, "{}"),
        np.full(n, "{}"),
        sessions["ip_address"][failed],
        sessions["user_agent"][failed],
    )
    out = chosen[rng.random(len(chosen)) < 0.3]
    out_at = sessions["started_at"][out] + rng.integers(10, 600, len(out)) * US_PER_MINUTE
    out, out_at = out[out_at < end], out_at[out_at < end]
    n = len(out)
    block(
        "logout",
        None,
        np.zeros(n),
        out_at,
        sessions["user_id"][out],
        np.zeros(n),
        np.full(n, "{}"),
        np.full(n, "{}"),
        sessions["ip_address"][out],
        sessions["user_agent"][out],
    )
    # Month-end exports by finance.
    month_ends = _month_end_days(ctx, np.arange(ctx.days))
    month_ends = np.unique(month_ends[month_ends < end // US_PER_DAY])
    n = len(month_ends)
    block(
        "export",
        "orders",
        np.zeros(n),
        month_ends * US_PER_DAY + 21 * US_PER_HOUR,
        finance[rng.integers(0, len(finance), n)],
        np.zeros(n),
        np.full(n, "{}"),
        join('{"format":"csv","rows":', rng.integers(100, 5000, n).astype(str), "}"),
    )

    rows = _cat(blocks)
    total = len(rows["at"])
    at = rows["at"]
    ctx.emit(
        "audit_logs",
        {
            "id": ctx.ids("audit_logs", total),
            "user_id": masked(rows["user"], rows["user"] > 0),
            "api_token_id": masked(rows["token"], rows["token"] > 0),
            "action": rows["action"],
            "table_name": rows["table"].tolist(),
            "row_pk": masked(rows["pk"], rows["pk"] > 0),
            "old_values": rows["old"],
            "new_values": rows["new"],
            "ip_address": rows["ip"],
            "user_agent": rows["agent"],
            "occurred_at": at,
            "created_at": at,
            "updated_at": at,
        },
    )


def _month_end_days(ctx: OrgContext, day_index: np.ndarray) -> np.ndarray:
    """Last day (days since 1970) of the month of each window day index."""
    days = (ctx.start_day + np.asarray(day_index, dtype=np.int64)).astype("datetime64[D]")
    return ((days.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1).astype(np.int64)


PRE_SALE = np.array(["call", "site_visit", "meeting", "email"])
PRE_SALE_P = [0.45, 0.25, 0.1, 0.2]
POST_SALE = np.array(["call", "note", "task", "email"])
POST_SALE_P = [0.35, 0.3, 0.2, 0.15]
SUBJECTS = {"call": "Call with customer", "site_visit": "Site survey", "meeting": "Meeting at the office",
            "email": "E-mail exchange", "note": "Customer note", "task": "Follow-up task",
            "status_change": "Status changed"}  # fmt: skip


def _customer_activities(ctx: OrgContext, rng) -> None:
    """About one interaction per order: before it (calls, surveys, meetings) or after it (follow-ups), plus a first
    contact for every lead."""
    orders = ctx.store["orders"]
    customers = ctx.store["customers"]
    users = ctx.store["users"]
    end = ctx.end_us
    technicians = users["id"][users["role"] == "technician"]
    placed = np.flatnonzero(orders["status"] != "draft")
    n = len(placed)
    ci = orders["customer_index"][placed]
    after = rng.random(n) < 0.4
    base_after = np.where(
        orders["status"][placed] == "completed", orders["completed_us"][placed], orders["order_us"][placed]
    )
    at_after = base_after + rng.integers(1, 10, n) * US_PER_DAY + rng.integers(-3, 4, n) * US_PER_HOUR
    after &= at_after < end
    acquired = customers["acquired_us"][ci]
    order_us = orders["order_us"][placed]
    before = order_us - (rng.random(n) * 14 * US_PER_DAY).astype(np.int64)
    before = np.where(before < acquired, acquired + (rng.random(n) * (order_us - acquired)).astype(np.int64), before)
    at = np.where(after, at_after, before)
    kind = np.where(after, POST_SALE[rng.choice(4, n, p=POST_SALE_P)], PRE_SALE[rng.choice(4, n, p=PRE_SALE_P)])
    leads = np.flatnonzero(customers["is_lead"])
    lead_at = customers["acquired_us"][leads] + (rng.random(len(leads)) * 5 * US_PER_DAY).astype(np.int64)
    leads, lead_at = leads[lead_at < end], lead_at[lead_at < end]
    ci = np.concatenate([ci, leads])
    at = np.concatenate([at, lead_at])
    kind = np.concatenate([kind, PRE_SALE[rng.choice(4, len(leads), p=PRE_SALE_P)]])
    total = len(at)
    duration = np.select([kind == "call", kind == "meeting", kind == "site_visit"],
                         [rng.integers(60, 1200, total), rng.integers(1800, 5400, total),
                          rng.integers(1800, 7200, total)], -1)  # fmt: skip
    done_at = at + rng.integers(1, 48, total) * US_PER_HOUR
    done = (kind == "task") & (done_at < end)
    user = np.where(kind == "site_visit", technicians[rng.integers(0, len(technicians), total)], customers["owner"][ci])
    subject = np.empty(total, dtype=object)
    for key, value in SUBJECTS.items():
        subject[kind == key] = value
    ctx.emit(
        "customer_activities",
        {
            "id": ctx.ids("customer_activities", total),
            "customer_id": customers["id"][ci],
            "contact_id": customers["primary_contact"][ci],
            "user_id": user,
            "activity_type": kind.astype(object),
            "subject": subject,
            "description": np.where(kind == "note", "Prefers morning appointments.", None).tolist(),
            "occurred_at": at,
            "completed_at": masked(done_at, done),
            "duration_seconds": masked(duration, duration >= 0),
            "created_at": at,
            "updated_at": np.where(done, done_at, at),
        },
    )
    ctx.store["customer_activities"] = {"customer_index": ci, "occurred_us": at, "activity_type": kind}


def _counts_upto(keys_sorted: np.ndarray, query: np.ndarray, side: str = "right") -> np.ndarray:
    return np.searchsorted(keys_sorted, query, side=side)


def _health_metrics(ctx: OrgContext, rng) -> None:
    """Month-end health per customer active that month (ordered or had an interaction).

    engagement: recency (exp(-days/180)) and frequency (orders in the last 365 days) of orders, plus interactions
    that month; payment: share of installments due so far that were paid on time (NULL before any was due);
    support: open issues and issues in the last 90 days (NULL when the organization has no issues data);
    nps: a survey answer from some customers, kept from the survey day on. health = weighted mix; risk from it.
    """
    orders = ctx.store["orders"]
    customers = ctx.store["customers"]
    plan = ctx.store["installments"]
    acts = ctx.store["customer_activities"]
    end_day = ctx.end_us // US_PER_DAY
    n_customers = len(customers["id"])

    real = ~np.isin(orders["status"], ["draft", "cancelled"])
    o_customer = orders["customer_index"][real]
    o_day = orders["order_us"][real] // US_PER_DAY
    a_day = acts["occurred_us"] // US_PER_DAY
    event_customer = np.concatenate([orders["customer_index"], acts["customer_index"]])
    event_day = np.concatenate([orders["order_us"] // US_PER_DAY, a_day])
    month_end = ((event_day.astype("datetime64[D]").astype("datetime64[M]") + 1).astype("datetime64[D]") - 1).astype(
        np.int64
    )
    metric_day = np.minimum(month_end, end_day - 1)
    keep = metric_day >= ctx.start_day
    pairs = np.unique(event_customer[keep] * KEY + metric_day[keep])
    customer = pairs // KEY
    day = pairs % KEY
    count = len(pairs)

    order_keys = np.sort(o_customer * KEY + o_day)
    upto = _counts_upto(order_keys, pairs)
    last = np.maximum(upto - 1, 0)
    has_order = (upto > 0) & (order_keys[last] // KEY == customer) if len(order_keys) else np.zeros(count, bool)
    last_day = np.where(
        has_order, order_keys[last] % KEY if len(order_keys) else 0, customers["became_us"][customer] // US_PER_DAY
    )
    recency = np.clip(day - last_day, 0, 1000)
    recency = np.where(customers["is_lead"][customer] & ~has_order, 365, recency)
    frequency = upto - _counts_upto(order_keys, pairs - 365, side="right")
    activity_keys = np.sort(acts["customer_index"] * KEY + a_day)
    month_first = (day.astype("datetime64[D]").astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)
    in_month = _counts_upto(activity_keys, pairs) - _counts_upto(activity_keys, customer * KEY + month_first, "left")
    engagement = np.clip(60 * np.exp(-recency / 180) + 40 * (1 - np.exp(-frequency / 2)) + 5 * np.minimum(in_month, 2),
                         0, 100)  # fmt: skip

    i_customer = orders["customer_index"][plan["order_index"]]
    due_keys = np.sort(i_customer * KEY + plan["due_day"])
    paid_day = np.where(plan["paid"], plan["paid_us"] // US_PER_DAY, 10**7)
    late = paid_day > plan["due_day"]
    late_keys = np.sort(i_customer[late] * KEY + plan["due_day"][late])
    due_count = _counts_upto(due_keys, pairs) - _counts_upto(due_keys, customer * KEY, "left")
    late_count = _counts_upto(late_keys, pairs) - _counts_upto(late_keys, customer * KEY, "left")
    has_payment = due_count > 0
    payment = np.where(has_payment, 100 * (due_count - late_count + 0.5) / (due_count + 0.5), 0)
    payment = np.clip(payment, 0, 100)

    issues = load(ctx, "issues")
    has_support = len(issues["customer_id"]) > 0
    if has_support:
        i_index = np.searchsorted(customers["id"], issues["customer_id"])
        opened_keys = np.sort(i_index * KEY + issues["opened_at"] // US_PER_DAY)
        done_us = np.where(issues["resolved_at"] >= 0, issues["resolved_at"], issues["closed_at"])
        done_keys = np.sort(i_index[done_us >= 0] * KEY + done_us[done_us >= 0] // US_PER_DAY)
        opened = _counts_upto(opened_keys, pairs) - _counts_upto(opened_keys, customer * KEY, "left")
        resolved = _counts_upto(done_keys, pairs) - _counts_upto(done_keys, customer * KEY, "left")
        open_issues = np.maximum(opened - resolved, 0)
        recent_issues = _counts_upto(opened_keys, pairs) - _counts_upto(opened_keys, pairs - 90)
        support = np.clip(100 - 25 * open_issues - 8 * recent_issues, 0, 100)
    else:
        open_issues = np.zeros(count, np.int64)
        support = np.zeros(count)

    surveyed = rng.random(n_customers) < 0.35
    survey_day = ctx.start_day + rng.integers(0, ctx.days, n_customers)
    answer = np.clip(np.round(rng.normal(np.where(customers["late_payer"], 6.0, 8.3), 1.6)), 0, 10).astype(np.int64)
    has_nps = surveyed[customer] & (survey_day[customer] <= day)
    nps = answer[customer]

    health = 0.5 * engagement + 0.3 * np.where(has_payment, payment, 80) + 0.2 * (support if has_support else 85)
    health = np.where(has_nps, 0.85 * health + 1.5 * nps, health)
    health = np.clip(health, 0, 100)
    hundredths = lambda v: np.round(np.asarray(v, dtype=float) * 100).astype(np.int64)  # noqa: E731
    stored = hundredths(health)  # risk from the stored (rounded) score, so SQL on the table agrees
    risk = np.select([stored >= 7000, stored >= 5000, stored >= 3000], ["low", "medium", "high"], "critical")
    at = day * US_PER_DAY + 23 * US_PER_HOUR + 30 * US_PER_MINUTE
    ctx.emit(
        "customer_health_metrics",
        {
            "id": ctx.ids("customer_health_metrics", count),
            "customer_id": customers["id"][customer],
            "metric_date": day,
            "health_score": stored,
            "engagement_score": hundredths(engagement),
            "payment_score": masked(hundredths(payment), has_payment),
            "support_score": masked(hundredths(support), np.full(count, has_support)),
            "nps_score": masked(nps, has_nps),
            "risk_level": risk.astype(object),
            "open_issue_count": open_issues,
            "created_at": at,
            "updated_at": at,
        },
    )
