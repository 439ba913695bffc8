"""Orders with their lines, invoicing and payment, amendments, shipments and templates.

`plan` decides every order and line in integer cents (totals are sums of their lines by construction); the
pipeline then attaches opportunities and quotes; `emit` writes them.
"""

from __future__ import annotations

import numpy as np

from oltp.synthetic.arrow import US_PER_DAY, US_PER_HOUR, masked
from oltp.synthetic.context import OrgContext
from oltp.synthetic.domains.common import numbered, pick, round_div, to_json, zipf_weights

CANCEL_RATE = 0.03
WRITE_OFF_RATE = 0.01


def plan(ctx: OrgContext) -> None:
    rng = ctx.rng("orders.plan")
    plan_ = ctx.store["plan"]
    customers = ctx.store["customers"]
    products = ctx.store["products"]
    order_day = plan_["order_day"]
    customer_index = plan_["order_customer_index"]
    count = len(order_day)
    commercial = customers["commercial"][customer_index]
    order_us = ctx.business_time_us(order_day, rng)
    # A first order happens when the customer became one.
    first = plan_["is_first_order"]
    order_us[first] = np.maximum(order_us[first], customers["became_us"][customer_index[first]])

    # Lines: equipment jobs are bigger for businesses.
    lines_per_order = np.minimum(10, 1 + np.where(commercial, rng.poisson(2.4, count), rng.poisson(1.3, count)))
    order_of_line = np.repeat(np.arange(count), lines_per_order)
    line_count = len(order_of_line)
    line_number = np.arange(line_count) - np.repeat(np.cumsum(lines_per_order) - lines_per_order, lines_per_order) + 1
    weights = zipf_weights(len(products["id"]), 0.9)
    product_index = pick(rng, np.arange(len(products["id"])), line_count, weights[rng.permutation(len(weights))])
    # Discontinued products are not sold after they were discontinued.
    gone = products["discontinued_day"][product_index] <= order_day[order_of_line]
    product_index[gone] = np.flatnonzero(products["discontinued_day"] > ctx.days + 1)[0]
    kind = products["type"][product_index]
    quantity = np.where(
        kind == "service",
        rng.integers(1, 7, line_count),
        np.where(products["price"][product_index] < 10000, rng.integers(1, 5, line_count), 1),
    )
    quantity = quantity * np.where(commercial[order_of_line] & (kind == "physical"), rng.integers(1, 3, line_count), 1)
    quantity_milli = quantity.astype(np.int64) * 1000
    unit_price = products["price"][product_index]
    unit_cost = products["cost"][product_index]
    gross = quantity * unit_price
    discount_pct = np.where(rng.random(line_count) < 0.15, rng.choice([5, 10, 15], line_count), 0)
    discount = round_div(gross * discount_pct, 100)
    line_total = gross - discount
    tax_rate_bp = 600 + ctx.profile.index % 4 * 75  # 6.00 % to 8.25 %, in basis points
    exempt = customers["tax_exempt"][customer_index][order_of_line]
    tax = np.where(exempt, 0, round_div(line_total * tax_rate_bp, 10_000))

    subtotal = np.bincount(order_of_line, gross, minlength=count).astype(np.int64)
    discount_total = np.bincount(order_of_line, discount, minlength=count).astype(np.int64)
    tax_total = np.bincount(order_of_line, tax, minlength=count).astype(np.int64)
    has_physical = np.bincount(order_of_line, kind == "physical", minlength=count) > 0
    shipping = np.where(has_physical & (rng.random(count) < 0.3), rng.integers(15, 60, count) * 100, 0)
    total = subtotal - discount_total + tax_total + shipping

    # Timeline (all inside the window; later steps that fall after it have not happened yet).
    end = ctx.end_us
    confirmed = order_us + rng.integers(1, 30, count) * US_PER_HOUR
    big = np.bincount(order_of_line, unit_price >= 100000, minlength=count) > 0
    fulfilled = confirmed + np.where(big, rng.integers(3, 22, count), rng.integers(0, 6, count)) * US_PER_DAY
    completed = fulfilled + rng.integers(0, 3, count) * US_PER_DAY + rng.integers(1, 6, count) * US_PER_HOUR
    cancelled_at = order_us + rng.integers(1, 10, count) * US_PER_DAY
    cancelled = (rng.random(count) < CANCEL_RATE) & (cancelled_at < end)
    draft = (~cancelled) & (confirmed >= end)
    status = np.select(
        [cancelled, draft, fulfilled >= end, completed >= end],
        ["cancelled", "draft", "in_progress", "fulfilled"],
        "completed",
    ).astype(object)
    is_fulfilled = np.isin(status, ["fulfilled", "completed"])
    invoice_us = fulfilled + rng.integers(1, 20, count) * US_PER_HOUR
    invoiced = is_fulfilled & (invoice_us < end)
    terms = customers["terms_days"][customer_index]
    invoice_day = invoice_us // US_PER_DAY
    due_day = invoice_day + terms

    ctx.store["orders"] = {
        "id": ctx.ids("orders", count),
        "customer_index": customer_index,
        "order_day": order_day,
        "order_us": order_us,
        "status": status,
        "confirmed_us": confirmed,
        "fulfilled_us": fulfilled,
        "completed_us": completed,
        "cancelled_us": cancelled_at,
        "subtotal": subtotal,
        "discount_total": discount_total,
        "tax_total": tax_total,
        "shipping": shipping,
        "total": total,
        "invoiced": invoiced,
        "invoice_us": invoice_us,
        "invoice_day": invoice_day,
        "due_day": due_day,
        "terms": terms,
        "commercial": commercial,
    }
    ctx.store["order_lines"] = {
        "id": ctx.ids("order_line_items", line_count),
        "order_index": order_of_line,
        "line_number": line_number,
        "product_index": product_index,
        "quantity_milli": quantity_milli,
        "unit_price": unit_price,
        "unit_cost": unit_cost,
        "discount": discount,
        "tax": tax,
        "line_total": line_total,
    }
    _payments(ctx, rng)


def _payments(ctx: OrgContext, rng) -> None:
    """Installments per invoice and when each is paid: on time mostly, late for late payers, some never."""
    orders = ctx.store["orders"]
    customers = ctx.store["customers"]
    invoiced = np.flatnonzero(orders["invoiced"])
    total = orders["total"][invoiced]
    parts = np.where(total > 800000, rng.integers(2, 4, len(invoiced)), 1)
    order_index = np.repeat(invoiced, parts)
    number = np.arange(len(order_index)) - np.repeat(np.cumsum(parts) - parts, parts) + 1
    share = total // parts
    amount_due = np.repeat(share, parts)
    last = number == np.repeat(parts, parts)
    amount_due[last] += np.repeat(total - share * parts, parts)[last]
    due_day = orders["due_day"][order_index] + (number - 1) * 30
    late = customers["late_payer"][orders["customer_index"][order_index]]
    never = np.repeat(rng.random(len(invoiced)) < WRITE_OFF_RATE, parts)
    pay_day = np.where(
        late,
        due_day + rng.integers(5, 100, len(order_index)),
        np.minimum(due_day, orders["invoice_day"][order_index] + rng.integers(0, 20, len(order_index))),
    )
    pay_day = np.where(rng.random(len(order_index)) < 0.07, due_day + rng.integers(1, 25, len(order_index)), pay_day)
    pay_day = np.maximum(pay_day, orders["invoice_day"][order_index])
    paid_us = pay_day * US_PER_DAY + rng.integers(14, 23, len(order_index)) * US_PER_HOUR
    paid_us = np.maximum(paid_us, orders["invoice_us"][order_index] + US_PER_HOUR)
    is_paid = (~never) & (paid_us < ctx.end_us)
    end_day = ctx.end_us // US_PER_DAY
    status = np.where(is_paid, "paid", np.where(due_day < end_day, "overdue", "scheduled")).astype(object)
    ctx.store["installments"] = {
        "id": ctx.ids("payment_schedules", len(order_index)),
        "order_index": order_index,
        "number": number,
        "due_day": due_day,
        "amount_due": amount_due,
        "paid": is_paid,
        "paid_us": paid_us,
        "status": status,
    }
    paid_amount = np.bincount(order_index, np.where(is_paid, amount_due, 0), minlength=len(orders["id"]))
    paid_count = np.bincount(order_index, is_paid, minlength=len(orders["id"]))
    all_count = np.bincount(order_index, minlength=len(orders["id"]))
    last_paid = np.zeros(len(orders["id"]), dtype=np.int64)
    np.maximum.at(last_paid, order_index, np.where(is_paid, paid_us, 0))
    written_off = np.zeros(len(orders["id"]), bool)
    written_off[order_index[never]] = True
    written_off &= (orders["due_day"] + 180) < end_day
    orders["amount_paid"] = paid_amount.astype(np.int64)
    orders["paid_us"] = last_paid
    orders["payment_status"] = np.select(
        [~orders["invoiced"], written_off, (paid_count == all_count) & (all_count > 0), paid_count > 0],
        ["not_invoiced", "written_off", "paid", "partially_paid"],
        "unpaid",
    ).astype(object)


def emit(ctx: OrgContext) -> None:
    rng = ctx.rng("orders.emit")
    orders = ctx.store["orders"]
    lines = ctx.store["order_lines"]
    customers = ctx.store["customers"]
    products = ctx.store["products"]
    count = len(orders["id"])
    status = orders["status"]
    customer_index = orders["customer_index"]
    not_draft = status != "draft"
    fulfilled = np.isin(status, ["fulfilled", "completed"])
    completed = status == "completed"
    invoiced = orders["invoiced"]
    paid_status = orders["payment_status"]
    last_change = np.select(
        [status == "cancelled", orders["paid_us"] > 0, invoiced, completed, fulfilled, not_draft],
        [
            orders["cancelled_us"],
            orders["paid_us"],
            orders["invoice_us"],
            orders["completed_us"],
            orders["fulfilled_us"],
            orders["confirmed_us"],
        ],
        orders["order_us"],
    )
    ctx.emit(
        "orders",
        {
            "id": orders["id"],
            "order_number": numbered("SO", orders["id"]),
            "customer_id": customers["id"][customer_index],
            "contact_id": customers["primary_contact"][customer_index],
            "shipping_address_id": customers["service_address"][customer_index],
            "opportunity_id": masked(orders["opportunity_id"], orders["opportunity_id"] > 0),
            "quote_id": masked(orders["quote_id"], orders["quote_id"] > 0),
            "sales_rep_user_id": customers["owner"][customer_index],
            "status": status,
            "order_date": orders["order_us"] // US_PER_DAY,
            "confirmed_at": masked(orders["confirmed_us"], not_draft & (status != "cancelled")),
            "fulfilled_at": masked(orders["fulfilled_us"], fulfilled),
            "completed_at": masked(orders["completed_us"], completed),
            "cancelled_at": masked(orders["cancelled_us"], status == "cancelled"),
            "cancellation_reason": [("Customer changed plans" if s == "cancelled" else None) for s in status.tolist()],
            "subtotal": orders["subtotal"],
            "discount_total": orders["discount_total"],
            "tax_total": orders["tax_total"],
            "shipping_total": orders["shipping"],
            "total_amount": orders["total"],
            "currency": [ctx.profile.currency] * count,
            "invoice_number": [
                f"INV-{i:07d}" if ok else None for i, ok in zip(orders["id"].tolist(), invoiced.tolist(), strict=True)
            ],
            "invoice_issued_at": masked(orders["invoice_us"], invoiced),
            "invoice_date": masked(orders["invoice_day"], invoiced),
            "invoice_due_date": masked(orders["due_day"], invoiced),
            "payment_terms_days": orders["terms"],
            "amount_paid": orders["amount_paid"],
            "payment_status": paid_status,
            "paid_at": masked(orders["paid_us"], paid_status == "paid"),
            "created_at": orders["order_us"],
            "updated_at": last_change,
        },
    )
    line_order = lines["order_index"]
    ctx.emit(
        "order_line_items",
        {
            "id": lines["id"],
            "order_id": orders["id"][line_order],
            "line_number": lines["line_number"],
            "product_id": products["id"][lines["product_index"]],
            "description": products["name"][lines["product_index"]],
            "quantity": lines["quantity_milli"],
            "unit_price": lines["unit_price"],
            "unit_cost": lines["unit_cost"],
            "discount_amount": lines["discount"],
            "tax_amount": lines["tax"],
            "line_total": lines["line_total"],
            "created_at": orders["order_us"][line_order],
            "updated_at": orders["order_us"][line_order],
        },
    )
    _amendments(ctx, rng)
    _shipments(ctx, rng)
    _templates(ctx, rng)


def _amendments(ctx: OrgContext, rng) -> None:
    """Price and quantity changes agreed before confirmation; the order rows hold the amended totals."""
    orders = ctx.store["orders"]
    chosen = np.flatnonzero((rng.random(len(orders["id"])) < 0.05) & (orders["status"] != "draft"))
    count = len(chosen)
    change = orders["total"][chosen] * rng.integers(-8, 9, count) // 100
    kind = np.where(change < 0, "change_price", "change_quantity")
    at = np.minimum(
        orders["order_us"][chosen] + rng.integers(1, 20, count) * US_PER_HOUR, orders["confirmed_us"][chosen]
    )
    at = np.maximum(at, orders["order_us"][chosen])
    ctx.emit(
        "order_amendments",
        {
            "id": ctx.ids("order_amendments", count),
            "order_id": orders["id"][chosen],
            "amended_by_user_id": ctx.store["customers"]["owner"][orders["customer_index"][chosen]],
            "amendment_type": kind.astype(object),
            "amount_change": change,
            "reason": np.where(change < 0, "Negotiated discount", "Added quantity").astype(object),
            "amended_at": at,
            "before_state": to_json(
                [
                    {"total_cents": int(t - c)}
                    for t, c in zip(orders["total"][chosen].tolist(), change.tolist(), strict=True)
                ]
            ),
            "after_state": to_json([{"total_cents": int(t)} for t in orders["total"][chosen].tolist()]),
            "created_at": at,
            "updated_at": at,
        },
    )


def _shipments(ctx: OrgContext, rng) -> None:
    """Fulfilled orders with goods ship them from the warehouse; one shipment per order."""
    orders = ctx.store["orders"]
    lines = ctx.store["order_lines"]
    products = ctx.store["products"]
    physical_line = products["type"][lines["product_index"]] == "physical"
    fulfilled = np.isin(orders["status"], ["fulfilled", "completed"])
    ships = fulfilled & (np.bincount(lines["order_index"], physical_line, minlength=len(orders["id"])) > 0)
    ships &= rng.random(len(orders["id"])) < 0.6
    chosen = np.flatnonzero(ships)
    count = len(chosen)
    ids = ctx.ids("order_shipments", count)
    shipped = np.maximum(
        orders["fulfilled_us"][chosen] - rng.integers(1, 3, count) * US_PER_DAY, orders["confirmed_us"][chosen]
    )
    delivered = orders["fulfilled_us"][chosen]
    ctx.emit(
        "order_shipments",
        {
            "id": ids,
            "order_id": orders["id"][chosen],
            "shipment_number": numbered("SH", ids),
            "from_location_id": np.full(count, ctx.store["locations"]["warehouse"]),
            "carrier": rng.choice(["UPS", "FedEx", "Own van"], count).astype(object),
            "carrier_tracking_ref": [f"TRK{i:010d}" for i in ids.tolist()],
            "status": ["delivered"] * count,
            "shipped_at": shipped,
            "delivered_at": delivered,
            "freight_cost": orders["shipping"][chosen] * 6 // 10,
            "created_at": shipped,
            "updated_at": delivered,
        },
    )
    shipment_of_order = np.full(len(orders["id"]), -1)
    shipment_of_order[chosen] = np.arange(count)
    item_lines = np.flatnonzero(physical_line & (shipment_of_order[lines["order_index"]] >= 0))
    shipment_index = shipment_of_order[lines["order_index"][item_lines]]
    ctx.emit(
        "shipment_items",
        {
            "id": ctx.ids("shipment_items", len(item_lines)),
            "shipment_id": ids[shipment_index],
            "order_line_item_id": lines["id"][item_lines],
            "quantity": lines["quantity_milli"][item_lines],
            "created_at": shipped[shipment_index],
            "updated_at": shipped[shipment_index],
        },
    )


def _templates(ctx: OrgContext, rng) -> None:
    products = ctx.store["products"]
    names = ["Standard install", "Annual service", "Emergency repair kit"]
    ids = ctx.ids("order_templates", len(names))
    first = np.full(len(names), ctx.start_us - 200 * US_PER_DAY)
    ctx.emit(
        "order_templates",
        {
            "id": ids,
            "name": names,
            "description": [f"{n} template" for n in names],
            "created_by_user_id": np.full(len(names), ctx.store["owner_user_id"]),
            "created_at": first,
            "updated_at": first,
        },
    )
    template = np.repeat(np.arange(len(names)), 3)
    product_index = rng.integers(0, len(products["id"]), len(template))
    ctx.emit(
        "order_template_items",
        {
            "id": ctx.ids("order_template_items", len(template)),
            "order_template_id": ids[template],
            "line_number": np.tile([1, 2, 3], len(names)),
            "product_id": products["id"][product_index],
            "description": products["name"][product_index],
            "quantity": np.full(len(template), 1000),
            "unit_price": products["price"][product_index],
            "created_at": np.full(len(template), first[0]),
            "updated_at": np.full(len(template), first[0]),
        },
    )
