"""Receivables and revenue: installments, credit notes, reminders, statements, revenue recognition and deferral,
and customer-specific prices."""

from __future__ import annotations

import numpy as np

from oltp.synthetic.arrow import US_PER_DAY, US_PER_HOUR, masked
from oltp.synthetic.context import OrgContext
from oltp.synthetic.domains.common import numbered

RATABLE_TYPES = ("warranty_plan", "subscription")
DEFERRAL_MONTHS = 12


def emit(ctx: OrgContext) -> None:
    rng = ctx.rng("financial")
    _installments(ctx)
    _credit_notes(ctx, rng)
    _reminders(ctx, rng)
    _statements(ctx, rng)
    _revenue(ctx)
    _customer_prices(ctx, rng)


def _installments(ctx: OrgContext) -> None:
    orders = ctx.store["orders"]
    plan = ctx.store["installments"]
    order_index = plan["order_index"]
    count = len(order_index)
    created = orders["invoice_us"][order_index]
    ctx.emit(
        "payment_schedules",
        {
            "id": plan["id"],
            "order_id": orders["id"][order_index],
            "installment_number": plan["number"],
            "due_date": plan["due_day"],
            "amount_due": plan["amount_due"],
            "amount_paid": np.where(plan["paid"], plan["amount_due"], 0),
            "paid_at": masked(plan["paid_us"], plan["paid"]),
            "status": plan["status"],
            "currency": [ctx.profile.currency] * count,
            "created_at": created,
            "updated_at": np.where(plan["paid"], plan["paid_us"], created),
        },
    )


def _credit_notes(ctx: OrgContext, rng) -> None:
    """About 3 % of invoices get a credit note for part of their value, never more than was invoiced."""
    orders = ctx.store["orders"]
    chosen = np.flatnonzero(orders["invoiced"] & (rng.random(len(orders["id"])) < 0.03))
    issued_us = orders["invoice_us"][chosen] + rng.integers(3, 60, len(chosen)) * US_PER_DAY
    keep = issued_us < ctx.end_us
    chosen, issued_us = chosen[keep], issued_us[keep]
    count = len(chosen)
    net = orders["subtotal"][chosen] - orders["discount_total"][chosen]
    share = rng.choice([10, 25, 50, 100], count, p=[0.4, 0.3, 0.2, 0.1])
    amount = net * share // 100
    tax = np.where(net > 0, orders["tax_total"][chosen] * share // 100, 0)
    ids = ctx.ids("credit_notes", count)
    reason = rng.choice(["return", "pricing_error", "damaged_goods", "service_issue", "goodwill"], count)
    applied = rng.random(count) < 0.7
    applied_us = ctx.clamp_us(issued_us + rng.integers(1, 15, count) * US_PER_DAY)
    ctx.emit(
        "credit_notes",
        {
            "id": ids,
            "credit_note_number": numbered("CN", ids),
            "customer_id": ctx.store["customers"]["id"][orders["customer_index"][chosen]],
            "order_id": orders["id"][chosen],
            "created_by_user_id": np.full(count, ctx.store["owner_user_id"]),
            "reason": reason.astype(object),
            "status": np.where(applied, "applied", "issued").astype(object),
            "issued_date": issued_us // US_PER_DAY,
            "applied_at": masked(applied_us, applied),
            "amount": amount,
            "tax_amount": tax,
            "total_amount": amount + tax,
            "currency": [ctx.profile.currency] * count,
            "created_at": issued_us,
            "updated_at": np.where(applied, applied_us, issued_us),
        },
    )
    ctx.store["credit_notes"] = {"order_index": chosen, "amount": amount, "issued_day": issued_us // US_PER_DAY}


def _reminders(ctx: OrgContext, rng) -> None:
    names = ["Friendly reminder", "Payment overdue", "Final notice"]
    offsets = [-3, 7, 30]
    template_ids = ctx.ids("reminder_templates", 3)
    first = np.full(3, ctx.start_us - 300 * US_PER_DAY)
    ctx.emit(
        "reminder_templates",
        {
            "id": template_ids,
            "name": names,
            "days_relative_to_due": offsets,
            "channel": ["email", "email", "letter"],
            "subject": names,
            "body": ["Your invoice {invoice_number} is due on {due_date}."] * 3,
            "created_at": first,
            "updated_at": first,
        },
    )
    # A reminder is sent on each offset day that passes while the installment is still unpaid.
    plan = ctx.store["installments"]
    orders = ctx.store["orders"]
    rows_installment, rows_template, rows_day = [], [], []
    paid_day = np.where(plan["paid"], plan["paid_us"] // US_PER_DAY, 10**9)
    end_day = ctx.end_us // US_PER_DAY
    for template, offset in enumerate(offsets):
        day = plan["due_day"] + offset
        due = (day < paid_day) & (day < end_day) & (day * US_PER_DAY > orders["invoice_us"][plan["order_index"]])
        rows_installment.append(np.flatnonzero(due))
        rows_template += [template] * int(due.sum())
        rows_day.append(day[due])
    index = np.concatenate(rows_installment)
    count = len(index)
    sent = np.concatenate(rows_day) * US_PER_DAY + 15 * US_PER_HOUR
    channel = np.array(["email", "email", "letter"])[rows_template] if count else np.array([], dtype=object)
    ctx.emit(
        "reminder_history",
        {
            "id": ctx.ids("reminder_history", count),
            "order_id": orders["id"][plan["order_index"][index]],
            "payment_schedule_id": plan["id"][index],
            "reminder_template_id": template_ids[np.array(rows_template, dtype=np.int64)],
            "channel": channel.astype(object),
            "status": np.where(rng.random(count) < 0.97, "sent", "bounced").astype(object),
            "sent_at": sent,
            "created_at": sent,
            "updated_at": sent,
        },
    )


def _statements(ctx: OrgContext, rng) -> None:
    """Month-end statements for business customers with an open balance at month end."""
    orders = ctx.store["orders"]
    customers = ctx.store["customers"]
    month_starts = np.arange(
        np.datetime64(ctx.start, "M"), (np.datetime64(ctx.start, "D") + ctx.days).astype("datetime64[M]") + 1
    )
    ends = (month_starts + 1).astype("datetime64[D]") - 1
    end_days = ends.astype(np.int64)
    start_days = month_starts.astype("datetime64[D]").astype(np.int64)
    usable = end_days < ctx.end_us // US_PER_DAY
    invoiced = np.flatnonzero(orders["invoiced"] & orders["commercial"])
    rows = []
    for start_day, end_day in zip(start_days[usable], end_days[usable], strict=True):
        open_at = invoiced[
            (orders["invoice_day"][invoiced] <= end_day)
            & ((orders["paid_us"][invoiced] == 0) | (orders["paid_us"][invoiced] // US_PER_DAY > end_day))
        ]
        if len(open_at) == 0:
            continue
        balance = np.bincount(orders["customer_index"][open_at], orders["total"][open_at] - 0)
        owing = np.flatnonzero(balance)
        opening = np.zeros(len(owing), dtype=np.int64)
        rows.append((start_day, end_day, owing, opening, balance[owing]))
    if not rows:
        return
    customer_index = np.concatenate([r[2] for r in rows])
    count = len(customer_index)
    period_start = np.concatenate([np.full(len(r[2]), r[0]) for r in rows])
    period_end = np.concatenate([np.full(len(r[2]), r[1]) for r in rows])
    closing = np.concatenate([r[4] for r in rows]).astype(np.int64)
    previous = {}
    opening = np.zeros(count, dtype=np.int64)
    for i, (customer, value) in enumerate(zip(customer_index.tolist(), closing.tolist(), strict=True)):
        opening[i] = previous.get(customer, 0)
        previous[customer] = value
    sent = (period_end + 1) * US_PER_DAY + 9 * US_PER_HOUR
    sent = np.minimum(sent, ctx.end_us - 1)
    ids = ctx.ids("statement_history", count)
    ctx.emit(
        "statement_history",
        {
            "id": ids,
            "customer_id": customers["id"][customer_index],
            "statement_date": period_end + 1,
            "period_start": period_start,
            "period_end": period_end,
            "opening_balance": opening,
            "closing_balance": closing,
            "currency": [ctx.profile.currency] * count,
            "delivery_channel": rng.choice(["email", "portal", "post"], count, p=[0.7, 0.2, 0.1]).astype(object),
            "sent_at": sent,
            "storage_ref": [f"statements/{i}.pdf" for i in ids.tolist()],
            "created_at": sent,
            "updated_at": sent,
        },
    )


def _revenue(ctx: OrgContext) -> None:
    """Goods and services are recognised when fulfilled; plans and subscriptions ratably over 12 months."""
    orders = ctx.store["orders"]
    lines = ctx.store["order_lines"]
    products = ctx.store["products"]
    line_order = lines["order_index"]
    fulfilled = np.isin(orders["status"], ["fulfilled", "completed"])[line_order]
    ratable = np.isin(products["type"][lines["product_index"]], RATABLE_TYPES)
    fulfil_day = orders["fulfilled_us"][line_order] // US_PER_DAY
    end_day = ctx.end_us // US_PER_DAY

    deferred = np.flatnonzero(fulfilled & ratable)
    count = len(deferred)
    deferred_ids = ctx.ids("deferred_revenue", count)
    start = fulfil_day[deferred].astype("datetime64[D]")
    month_offsets = np.arange(DEFERRAL_MONTHS)
    # Recognition dates: the same day of each following month (clamped by numpy month arithmetic).
    months = start.astype("datetime64[M]")[:, None] + month_offsets[None, :]
    day_in_month = (start - start.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)
    month_days = months.astype("datetime64[D]")
    next_month_days = (months + 1).astype("datetime64[D]")
    recognise_day = np.minimum(month_days + day_in_month[:, None], next_month_days - 1).astype(np.int64)
    total = lines["line_total"][deferred]
    share = total // DEFERRAL_MONTHS
    amounts = np.repeat(share[:, None], DEFERRAL_MONTHS, axis=1)
    amounts[:, -1] += total - share * DEFERRAL_MONTHS
    happened = recognise_day < end_day
    recognised = (amounts * happened).sum(axis=1)
    period_end = recognise_day[:, -1] if count else np.array([], dtype=np.int64)
    status = np.where(
        recognised == total, "fully_recognized", np.where(recognised > 0, "partially_recognized", "deferred")
    )
    created = orders["fulfilled_us"][line_order[deferred]]
    ctx.emit(
        "deferred_revenue",
        {
            "id": deferred_ids,
            "order_id": orders["id"][line_order[deferred]],
            "order_line_item_id": lines["id"][deferred],
            "total_deferred": total,
            "recognized_to_date": recognised,
            "currency": [ctx.profile.currency] * count,
            "period_start": fulfil_day[deferred],
            "period_end": period_end,
            "status": status.astype(object),
            "created_at": created,
            "updated_at": created,
        },
    )
    ratable_rows = np.nonzero(happened)
    point = np.flatnonzero(fulfilled & ~ratable)
    n_ratable, n_point = len(ratable_rows[0]), len(point)
    recognised_on = np.concatenate([fulfil_day[point], recognise_day[ratable_rows]])
    line_index = np.concatenate([point, deferred[ratable_rows[0]]])
    ctx.emit(
        "revenue_recognition",
        {
            "id": ctx.ids("revenue_recognition", n_point + n_ratable),
            "order_id": orders["id"][line_order[line_index]],
            "order_line_item_id": lines["id"][line_index],
            "deferred_revenue_id": masked(
                np.concatenate([np.zeros(n_point, np.int64), deferred_ids[ratable_rows[0]]]),
                np.arange(n_point + n_ratable) >= n_point,
            ),
            "recognized_on": recognised_on,
            "amount": np.concatenate([lines["line_total"][point], amounts[ratable_rows]]),
            "currency": [ctx.profile.currency] * (n_point + n_ratable),
            "recognition_method": ["point_in_time"] * n_point + ["ratably"] * n_ratable,
            "created_at": recognised_on * US_PER_DAY + 23 * US_PER_HOUR,
            "updated_at": recognised_on * US_PER_DAY + 23 * US_PER_HOUR,
        },
    )


def _customer_prices(ctx: OrgContext, rng) -> None:
    customers = ctx.store["customers"]
    products = ctx.store["products"]
    commercial = np.flatnonzero(customers["commercial"] & ~customers["is_lead"])
    chosen = commercial[rng.random(len(commercial)) < 0.25]
    stocked = np.flatnonzero(products["stocked"])
    if len(chosen) == 0 or len(stocked) == 0:
        return
    product_index = stocked[rng.integers(0, len(stocked), len(chosen))]
    valid_from = np.maximum(customers["became_us"][chosen] // US_PER_DAY, ctx.start_day - 100)
    ctx.emit(
        "customer_product_prices",
        {
            "id": ctx.ids("customer_product_prices", len(chosen)),
            "customer_id": customers["id"][chosen],
            "product_id": products["id"][product_index],
            "unit_price": products["price"][product_index] * 92 // 100,
            "currency": [ctx.profile.currency] * len(chosen),
            "min_quantity": np.full(len(chosen), 1000),
            "valid_from": valid_from,
            "approved_by_user_id": np.full(len(chosen), ctx.store["owner_user_id"]),
            "created_at": valid_from * US_PER_DAY,
            "updated_at": valid_from * US_PER_DAY,
        },
    )
