"""Purchasing and stock: supplier prices, purchase orders (approvals, amendments, landed costs, receipts), the
stock ledger with its FIFO cost layers, stock counts, stock alerts, demand forecasts and supplier scorecards.

How stock moves (all quantities in thousandths of a unit, stocked physical products only):

- Opening balances (an adjustment the day before the window) stock the warehouse and the vans.
- Out: order lines leave the main warehouse when their order is fulfilled (status fulfilled/completed); job
  materials (ctx.store["jobs"]["job_materials"] or ctx.store["job_materials"], when the jobs step ran) leave the
  location they were used from (a van or the warehouse). Vans carry a par stock and are topped up from the
  warehouse once a week with what they used the week before (transfer_out / transfer_in pairs), so a van never
  runs dry. Outbound movements are aggregated: one row per (product, location, day, type), with order_id /
  job_id / return_authorization_id set when a single document contributed.
- In: a day-by-day simulation of the warehouse (vectorised over products) orders from each product's preferred
  supplier on a monthly review (up to a target from the trailing 8 weeks of demand) and whenever the stock
  position (on hand + on order) falls below the reorder point. Goods arrive after the supplier's lead time,
  sometimes late, sometimes in two deliveries, with a few units rejected. When a day's demand exceeds the stock
  a rush purchase order, collected from the supplier the same day, covers exactly the shortfall: the product is
  then out of stock (stock_out alert) until the next delivery. A few products are run lean and do that often.
  Received customer returns in new or opened condition (ctx.store["rmas"], when present) come back into the
  warehouse as return movements.
- Quarterly full counts of the warehouse find small variances, booked as count_correction movements.

Invariants (checked in tests): inventory.quantity_on_hand = sum(inventory_movements.quantity) per (product,
location); the running balance ordered by occurred_at never goes below zero; quantity_remaining of the cost
layers of a (product, location) sums to its on-hand quantity (FIFO: the latest layers remain); purchase order
totals = subtotal - discount + tax + shipping and subtotal = sum of line totals; statuses follow the receipts.

Read back from the database (the steps that write them do not store them): suppliers' payment terms, the bins of
the main warehouse (warehouse_locations) and the condition of returned goods (rma_line_items).

ctx.store["purchase_orders"]: id, supplier_id, status, order_day (days since 1970), total, received_us (0 = not
fully received), payment_terms_days. ctx.store["inventory"]: product_index, location_id, quantity_on_hand,
average_cost.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from oltp.synthetic.arrow import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, masked
from oltp.synthetic.context import OrgContext
from oltp.synthetic.domains.common import numbered, round_div, seasonal_factor

REVIEW_DAYS = 30  # suppliers are reviewed monthly
TRAILING_DAYS = 56  # demand rate used for order-up-to targets
COVER = 1.1  # order up to this many review periods of demand above the reorder point
SAFETY, LEAN_SAFETY = 2.5, 0.5  # reorder point = lead-time (+3 days) demand + this many standard deviations
LATE_RATE, SPLIT_RATE, REJECT_RATE, CANCEL_RATE = 0.12, 0.08, 0.03, 0.04
STEP1_FROM, STEP2_FROM = 500_000, 2_500_000  # approval thresholds, in cents
VAT_BP = 2000  # GBP organizations pay 20 % VAT on purchases; US purchases for resale carry no sales tax
FORECAST_HISTORY = 90
TYPES = np.array(
    ["receipt", "sale", "job_consumption", "transfer_in", "transfer_out", "adjustment", "return", "count_correction"]
)
RECEIPT, SALE, JOB, T_IN, T_OUT, ADJUST, RETURN, COUNT = range(8)
REGULAR, REORDER, RUSH, CANCELLED = range(4)
MIN = US_PER_MINUTE
# Daily postings of issues fall between these times of day (UTC); van top-ups are loaded at 06:00, rush orders
# are collected before the day's first issue and stock counts end at 23:59, so the ledger's running balance
# follows the simulation's day order.
OPENS, CLOSES = 6 * US_PER_HOUR + 30 * MIN, 23 * US_PER_HOUR + 58 * MIN


def emit(ctx: OrgContext) -> None:
    org = _organization(ctx, ctx.rng("purchasing.suppliers"))
    _approval_rules(ctx, org)
    if org.n == 0:
        return
    prices = _prices(ctx, ctx.rng("purchasing.prices"), org)
    flows = _flows(ctx, ctx.rng("purchasing.vans"), org)
    sim = _simulate(ctx, ctx.rng("purchasing.simulation"), org, prices, flows)
    pos = _purchase_orders(ctx, ctx.rng("purchasing.orders"), org, sim, flows)
    _stock(ctx, ctx.rng("purchasing.stock"), org, flows, sim, pos)
    _supplier_metrics(ctx, org, pos)
    _forecasts(ctx, org, flows)


# --------------------------------------------------------------------------------------------------- master data
def _organization(ctx: OrgContext, rng) -> SimpleNamespace:
    products = ctx.store["products"]
    stocked = np.flatnonzero(products["stocked"] & (products["type"] == "physical"))
    n = len(stocked)
    position = np.full(len(products["id"]), -1, dtype=np.int64)
    position[stocked] = np.arange(n)
    suppliers = ctx.store["suppliers"]
    locations = ctx.store["locations"]
    price = products["price"][stocked]
    users = ctx.store["users"]
    active = np.asarray(users.get("active", np.ones(len(users["id"]), bool)), dtype=bool)
    staff = users["id"][np.isin(users["role"], ["operations", "admin"]) & active]
    if not len(staff):
        staff = np.array([ctx.store["owner_user_id"]], dtype=np.int64)
    conn = ctx.loader.reading("suppliers", "warehouse_locations")
    terms = dict(
        conn.execute("select id, payment_terms_days from app.suppliers where organization_id = %s", (ctx.org_id,))
    )
    bins = np.array(
        [
            row[0]
            for row in conn.execute(
                "select id from app.warehouse_locations where organization_id = %s and location_id = %s order by id",
                (ctx.org_id, locations["warehouse"]),
            )
        ],
        dtype=np.int64,
    )
    loc_ids = np.concatenate([[locations["warehouse"]], locations["vans"]]).astype(np.int64)
    return SimpleNamespace(
        n=n,
        index=stocked,  # index into ctx.store["products"] of each stocked product
        position=position,  # product index -> stocked position (-1 = not stocked)
        product_id=products["id"][stocked],
        name=products["name"][stocked],
        price=price,
        cost=products["cost"][stocked],
        supplier=np.searchsorted(suppliers["id"], products["supplier"][stocked]),
        supplier_ids=suppliers["id"],
        lead=np.asarray(suppliers["lead_time_days"], dtype=np.int64),
        late_rate=rng.uniform(0.02, 2 * LATE_RATE, len(suppliers["id"])),  # how reliable each supplier is
        terms=np.array([terms.get(int(s), 30) for s in suppliers["id"].tolist()], dtype=np.int64),
        pack=np.where(price < 6000, 5000, np.where(price < 20000, 2000, 1000)).astype(np.int64),
        gone=np.asarray(products["discontinued_day"], dtype=np.int64)[stocked],
        bin=bins[np.arange(n) % len(bins)] if len(bins) else np.zeros(n, np.int64),
        has_bins=len(bins) > 0,
        loc_ids=loc_ids,
        staff=staff,
        owner=int(ctx.store["owner_user_id"]),
        currency=ctx.profile.currency,
        vat=VAT_BP if ctx.profile.currency == "GBP" else 0,
    )


def _approval_rules(ctx: OrgContext, org) -> None:
    role_ids = ctx.store.get("role_ids", {})
    ids = ctx.ids("purchase_order_approval_rules", 3)
    org.rule_ids = ids
    created = np.full(3, ctx.start_us - 380 * US_PER_DAY)
    ctx.emit(
        "purchase_order_approval_rules",
        {
            "id": ids,
            "name": ["Purchasing manager approval", "Owner approval", "Admin approval (retired)"],
            "min_amount": [STEP1_FROM, STEP2_FROM, 100_000],
            "max_amount": masked(np.array([0, 0, STEP1_FROM - 1]), np.array([False, False, True])),
            "approver_role_id": masked(
                np.array([role_ids.get("operations", 0), 0, role_ids.get("admin", 0)]), np.array([True, False, True])
            ),
            "approver_user_id": masked(np.array([0, org.owner, 0]), np.array([False, True, False])),
            "location_id": masked(np.zeros(3, np.int64), np.zeros(3, bool)),
            "step": [1, 2, 1],
            "is_active": [True, True, False],
            "created_at": created,
            "updated_at": created + np.array([0, 0, 200]) * US_PER_DAY,
        },
    )


# ------------------------------------------------------------------------------------------------------- prices
def _prices(ctx: OrgContext, rng, org) -> SimpleNamespace:
    """Supplier price lists (a row per price period), their history, agreements and our selling-price changes.

    Returns the preferred supplier's unit cost of each product on each day, and agreed prices with their minimum
    quantities (0 where none applies)."""
    n, days = org.n, ctx.days
    anchor = np.maximum(100, (org.cost * rng.uniform(0.9, 1.0, n)).astype(np.int64))  # cost at the window start
    pre = 1 + (rng.random(n) < 0.5)
    inside = rng.poisson(0.8 * days / 365, n)
    segments = 1 + pre + inside
    pair = np.repeat(np.arange(n), segments)
    number = np.arange(len(pair)) - np.repeat(np.cumsum(segments) - segments, segments)
    inside_seg = number > np.repeat(pre, segments)
    day = np.where(number == 0, -rng.integers(600, 800, len(pair)), rng.integers(-560, -15, len(pair)))
    day = np.where(inside_seg, rng.integers(1, max(2, days), len(pair)), day)
    order = np.lexsort((day, pair))
    pair, day = pair[order], day[order]
    keep = np.concatenate([[True], (pair[1:] != pair[:-1]) | (day[1:] != day[:-1])])
    pair, day = pair[keep], day[keep]
    count = len(pair)
    first = np.concatenate([[True], pair[1:] != pair[:-1]])
    last = np.concatenate([pair[1:] != pair[:-1], [True]])
    rising = rng.random(count) < 0.85
    factor = np.where(
        day > 0,
        np.where(rising, 1 + rng.uniform(0.02, 0.07, count), 1 - rng.uniform(0.02, 0.04, count)),
        1 + rng.uniform(0.02, 0.06, count),
    )
    factor[first] = 1.0
    log_sum = np.cumsum(np.log(factor))
    current = np.flatnonzero(day <= 0)
    current = current[np.concatenate([pair[current][1:] != pair[current][:-1], [True]])]  # last segment <= day 0
    current_of = np.zeros(n, np.int64)
    current_of[pair[current]] = current
    cost = np.round(anchor[pair] * np.exp(log_sum - log_sum[current_of[pair]])).astype(np.int64)
    cost = np.maximum(cost, 50)
    same = np.concatenate([[False], (cost[1:] == cost[:-1]) & ~first[1:]])
    cost[same] += 1
    supplier = org.supplier[pair]
    list_ids = ctx.ids("supplier_price_lists", count)
    start_time = ctx.day_us(day) + rng.integers(13 * 60, 21 * 60, count) * MIN
    next_time = np.concatenate([start_time[1:], [0]])
    sku = np.array(
        [
            f"V{s}-{p:06d}"
            for s, p in zip(org.supplier_ids[supplier].tolist(), org.product_id[pair].tolist(), strict=True)
        ],
        dtype=object,
    )

    # alternative (non-preferred) suppliers quote a little above the preferred one
    suppliers = len(org.supplier_ids)
    alt = np.flatnonzero(rng.random(n) < (0.4 if suppliers > 1 else 0.0))
    alt_supplier = (org.supplier[alt] + 1 + rng.integers(0, max(1, suppliers - 1), len(alt))) % suppliers
    alt_cost = (cost[current_of[alt]] * rng.uniform(1.04, 1.12, len(alt))).astype(np.int64)
    alt_day = -rng.integers(60, 400, len(alt))
    alt_time = ctx.day_us(alt_day) + rng.integers(13 * 60, 21 * 60, len(alt)) * MIN
    alt_ids = ctx.ids("supplier_price_lists", len(alt))
    alt_sku = np.array(
        [
            f"V{s}-{p:06d}"
            for s, p in zip(org.supplier_ids[alt_supplier].tolist(), org.product_id[alt].tolist(), strict=True)
        ],
        dtype=object,
    )
    total = count + len(alt)
    ctx.emit(
        "supplier_price_lists",
        {
            "id": np.concatenate([list_ids, alt_ids]),
            "supplier_id": org.supplier_ids[np.concatenate([supplier, alt_supplier])],
            "product_id": org.product_id[np.concatenate([pair, alt])],
            "supplier_sku": np.concatenate([sku, alt_sku]),
            "unit_cost": np.concatenate([cost, alt_cost]),
            "currency": [org.currency] * total,
            "min_order_quantity": org.pack[np.concatenate([pair, alt])],
            "pack_size": org.pack[np.concatenate([pair, alt])],
            "lead_time_days": org.lead[np.concatenate([supplier, alt_supplier])],
            "is_preferred": np.concatenate([np.ones(count, bool), np.zeros(len(alt), bool)]),
            "valid_from": ctx.start_day + np.concatenate([day, alt_day]),
            "valid_to": masked(
                ctx.start_day + np.concatenate([np.concatenate([day[1:], [0]]) - 1, alt_day]),
                np.concatenate([~last, np.zeros(len(alt), bool)]),
            ),
            "created_at": np.concatenate([start_time, alt_time]),
            "updated_at": np.concatenate([np.where(last, start_time, next_time), alt_time]),
        },
    )
    history_ids = ctx.ids("supplier_price_history", total)
    old = np.concatenate([[0], cost[:-1]])
    by_user = rng.random(total) < 0.7
    ctx.emit(
        "supplier_price_history",
        {
            "id": history_ids,
            "supplier_price_list_id": np.concatenate([list_ids, alt_ids]),
            "supplier_id": org.supplier_ids[np.concatenate([supplier, alt_supplier])],
            "product_id": org.product_id[np.concatenate([pair, alt])],
            "old_cost": masked(
                np.concatenate([old, np.zeros(len(alt), np.int64)]), np.concatenate([~first, np.zeros(len(alt), bool)])
            ),
            "new_cost": np.concatenate([cost, alt_cost]),
            "currency": [org.currency] * total,
            "changed_at": np.concatenate([start_time, alt_time]),
            "changed_by_user_id": masked(org.staff[rng.integers(0, len(org.staff), total)], by_user),
            "reason": np.concatenate(
                [
                    np.where(
                        first,
                        "Initial price list",
                        np.where(cost > old, "Supplier price increase", "Supplier price decrease"),
                    ),
                    np.full(len(alt), "Initial price list"),
                ]
            ).astype(object),
            "created_at": np.concatenate([start_time, alt_time]),
            "updated_at": np.concatenate([start_time, alt_time]),
        },
    )

    # Our selling prices were last changed before the window (orders use today's list price): a supplier cost
    # change passed on for some products, a market adjustment for a few others.
    passed = np.flatnonzero((rng.random(n) < 0.4) & ~first[current_of])
    market = np.setdiff1d(np.flatnonzero(rng.random(n) < 0.12), passed)
    chosen = np.concatenate([passed, market])
    k = len(chosen)
    pct = rng.integers(3, 9, k)
    new_price = org.price[chosen]
    old_price = np.maximum(99, (new_price * 100 // (100 + pct)) // 100 * 100 - 1)
    old_price = np.where(old_price == new_price, new_price - 100, old_price)
    when = np.concatenate(
        [
            start_time[current_of[passed]] + rng.integers(1, 10, len(passed)) * US_PER_DAY,
            ctx.start_us - rng.integers(20, 300, len(market)) * US_PER_DAY,
        ]
    )
    when = np.minimum(when, ctx.start_us - US_PER_HOUR)
    link = np.concatenate([history_ids[current_of[passed]], np.zeros(len(market), np.int64)])
    ctx.emit(
        "price_change_history",
        {
            "id": ctx.ids("price_change_history", k),
            "product_id": org.product_id[chosen],
            "supplier_price_history_id": masked(link, link > 0),
            "old_list_price": old_price,
            "new_list_price": new_price,
            "old_unit_cost": org.cost[chosen] * 100 // (100 + pct),
            "new_unit_cost": org.cost[chosen],
            "reason": np.where(link > 0, "supplier_cost_change", "market_adjustment").astype(object),
            "notes": np.where(link > 0, "Supplier cost increase passed on", "Aligned with competitor pricing").astype(
                object
            ),
            "changed_by_user_id": np.full(k, org.owner),
            "changed_at": when,
            "created_at": when,
            "updated_at": when,
        },
    )

    # unit cost of the preferred supplier per day and product
    inside_rows = np.flatnonzero(day > 0)
    steps = np.zeros((days, n), np.int64)
    np.add.at(steps, (day[inside_rows], pair[inside_rows]), 1)
    cost_at = cost[current_of[None, :] + np.cumsum(steps, axis=0)]

    # yearly agreements for a third of the products: a lower price from a minimum quantity
    first_year = int(str(np.datetime64(ctx.start_day, "D").astype("datetime64[Y]")))
    last_year = int(str(np.datetime64(ctx.start_day + days - 1, "D").astype("datetime64[Y]")))
    agreed = np.flatnonzero(rng.random(n) < 0.33)
    years = np.arange(first_year, last_year + 1)
    a_product = np.tile(agreed, len(years))
    a_year = np.repeat(years, len(agreed))
    a_count = len(a_product)
    valid_from = (a_year - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    valid_to = (a_year - 1969).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64) - 1
    at_day = np.clip(valid_from - ctx.start_day, 0, days - 1)
    a_cost = (cost_at[at_day, a_product] * rng.uniform(0.9, 0.96, a_count)).astype(np.int64)
    a_min = org.pack[a_product] * rng.integers(3, 9, a_count)
    last_day = ctx.start_day + days - 1
    cancelled = rng.random(a_count) < 0.05
    status = np.where(cancelled, "cancelled", np.where(valid_to < last_day, "expired", "active")).astype(object)
    a_created = np.maximum(ctx.day_us(valid_from - ctx.start_day - 20), ctx.start_us - 400 * US_PER_DAY)
    a_created += rng.integers(13 * 60, 21 * 60, a_count) * MIN
    expired_at = ctx.day_us(valid_to - ctx.start_day + 1) + 2 * US_PER_HOUR
    ctx.emit(
        "price_agreements",
        {
            "id": ctx.ids("price_agreements", a_count),
            "supplier_id": org.supplier_ids[org.supplier[a_product]],
            "product_id": org.product_id[a_product],
            "agreement_ref": [
                f"PA-{y}-{p:06d}" for y, p in zip(a_year.tolist(), org.product_id[a_product].tolist(), strict=True)
            ],
            "status": status,
            "unit_cost": a_cost,
            "currency": [org.currency] * a_count,
            "min_quantity": a_min,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "notes": np.where(cancelled, "Cancelled: supplier withdrew the offer", "Annual volume agreement").astype(
                object
            ),
            "created_at": a_created,
            "updated_at": np.where(status == "expired", expired_at, a_created + np.where(cancelled, 3 * US_PER_DAY, 0)),
        },
    )
    agreement_cost = np.zeros((days, n), np.int64)
    agreement_min = np.zeros((days, n), np.int64)
    for i in np.flatnonzero(~cancelled).tolist():  # a few dozen agreements
        lo, hi = max(0, valid_from[i] - ctx.start_day), min(days, valid_to[i] - ctx.start_day + 1)
        agreement_cost[lo:hi, a_product[i]] = a_cost[i]
        agreement_min[lo:hi, a_product[i]] = a_min[i]
    return SimpleNamespace(cost_at=cost_at, agreement_cost=agreement_cost, agreement_min=agreement_min)


# ------------------------------------------------------------------------------------------------ stock flows
def _aggregate(ctx, org, day, product, loc, qty, when, ref, kind):
    """One row per (product, location, day): summed quantity, time of the last event, the document when single."""
    days = ctx.days + 1
    key = (loc.astype(np.int64) * org.n + product) * days + day
    unique, inverse = np.unique(key, return_inverse=True)
    total = np.bincount(inverse, qty, minlength=len(unique)).round().astype(np.int64)
    latest = np.zeros(len(unique), np.int64)
    np.maximum.at(latest, inverse, when)
    earliest = np.full(len(unique), np.iinfo(np.int64).max)
    np.minimum.at(earliest, inverse, when)
    single = np.bincount(inverse, minlength=len(unique)) == 1
    document = np.zeros(len(unique), np.int64)
    document[inverse] = ref
    a_day = unique % days
    midnight = ctx.day_us(a_day)
    return {
        "day": a_day,
        "product": (unique // days) % org.n,
        "loc": unique // days // org.n,
        "qty": total,
        "when": np.clip(latest, midnight + OPENS, midnight + CLOSES),
        "first": np.clip(earliest, midnight + OPENS, midnight + CLOSES),
        "ref": np.where(single, document, 0),
        "type": np.full(len(unique), kind),
    }


def _flows(ctx: OrgContext, rng, org) -> SimpleNamespace:
    """Outbound demand (sales, job materials, weekly van top-ups) and restocked returns, aggregated per day."""
    n, days = org.n, ctx.days
    orders = ctx.store["orders"]
    lines = ctx.store["order_lines"]
    product = org.position[lines["product_index"]]
    order_index = lines["order_index"]
    shipped = (product >= 0) & np.isin(orders["status"][order_index], ["fulfilled", "completed"])
    when = orders["fulfilled_us"][order_index[shipped]]
    inside = (when >= ctx.start_us) & (when < ctx.end_us)
    rows = [
        _aggregate(
            ctx,
            org,
            (when[inside] - ctx.start_us) // US_PER_DAY,
            product[shipped][inside],
            np.zeros(inside.sum(), np.int64),
            -lines["quantity_milli"][shipped][inside],
            when[inside],
            orders["id"][order_index[shipped]][inside],
            SALE,
        )
    ]
    reserved = np.zeros(n, np.int64)
    waiting = (product >= 0) & np.isin(orders["status"][order_index], ["confirmed", "in_progress"])
    np.add.at(reserved, product[waiting], lines["quantity_milli"][waiting])

    materials = ctx.store.get("job_materials") or (ctx.store.get("jobs") or {}).get("job_materials")
    van_rows = None
    if materials is not None and len(materials.get("product_index", [])):
        m_product = org.position[np.asarray(materials["product_index"])]
        used = np.asarray(materials["used_us"], dtype=np.int64)
        loc_id = np.asarray(materials.get("location_id", np.full(len(used), org.loc_ids[0])), dtype=np.int64)
        loc = np.searchsorted(org.loc_ids, loc_id).clip(0, len(org.loc_ids) - 1)
        loc = np.where(org.loc_ids[loc] == loc_id, loc, 0)
        job_id = np.asarray(materials.get("job_id", np.zeros(len(used), np.int64)), dtype=np.int64)
        ok = (m_product >= 0) & (used >= ctx.start_us) & (used < ctx.end_us)
        quantity = np.asarray(materials["quantity_milli"], dtype=np.int64)
        ok &= quantity > 0
        job_rows = _aggregate(
            ctx,
            org,
            (used[ok] - ctx.start_us) // US_PER_DAY,
            m_product[ok],
            loc[ok],
            -quantity[ok],
            used[ok],
            job_id[ok],
            JOB,
        )
        rows.append(job_rows)
        van_rows = {key: value[job_rows["loc"] > 0] for key, value in job_rows.items()}

    # Vans: par stock (opening balance) topped up weekly with the previous week's use.
    vans = len(org.loc_ids) - 1
    par = np.zeros((vans, n), np.int64)
    cheap = np.flatnonzero((org.price < 30000) & (org.gone > days))
    for van in range(vans):  # a handful of vans
        carried = rng.permutation(cheap)[:5]
        par[van, carried] = org.pack[carried] * rng.integers(1, 3, len(carried))
    weekday = (ctx.start_day + np.arange(days + 1) + 3) % 7
    top_day = np.arange(vans) % 5  # van k is topped up on weekday k % 5 (0 = Monday)
    first_top = 1 + (top_day - weekday[1]) % 7
    weeks = days // 7 + 3
    transfers = []
    if van_rows is not None and len(van_rows["day"]):
        van = van_rows["loc"] - 1
        week = np.where(van_rows["day"] < first_top[van], 0, 1 + (van_rows["day"] - first_top[van]) // 7)
        used_week = np.zeros((vans, n, weeks), np.int64)
        np.add.at(used_week, (van, van_rows["product"], week), -van_rows["qty"])
        par = np.maximum(par, -(-used_week.max(axis=2) // 1000) * 1000)
        t_van, t_product, t_week = np.nonzero(used_week[:, :, :-1] > 0)
        t_day = first_top[t_van] + 7 * t_week  # the top-up of week w+1 replaces what week w used
        keep = t_day < days
        t_van, t_product, t_week, t_day = t_van[keep], t_product[keep], t_week[keep], t_day[keep]
        t_qty = used_week[t_van, t_product, t_week]
        t_when = ctx.day_us(t_day) + 6 * US_PER_HOUR + (t_van % 15) * MIN  # loaded before the first issue
        for kind, loc, sign, other in (
            (T_OUT, np.zeros(len(t_day), np.int64), -1, t_van + 1),
            (T_IN, t_van + 1, 1, np.zeros(len(t_day), np.int64)),
        ):
            transfers.append(
                {
                    "day": t_day,
                    "product": t_product,
                    "loc": loc,
                    "qty": sign * t_qty,
                    "when": t_when,
                    "first": t_when,
                    "ref": np.zeros(len(t_day), np.int64),
                    "type": np.full(len(t_day), kind),
                    "other": other,
                }
            )

    returns = _returns(ctx, org)
    if returns is not None:
        rows.append(returns)
    for row in rows:
        row["other"] = np.full(len(row["day"]), -1)
    out = _concat(rows + transfers)

    at_warehouse = out["loc"] == 0
    outbound = at_warehouse & np.isin(out["type"], [SALE, JOB, T_OUT])
    demand = np.zeros((days + 1, n), np.int64)
    np.add.at(demand, (out["day"][outbound], out["product"][outbound]), -out["qty"][outbound])
    out_last = np.zeros((days + 1, n), np.int64)
    np.maximum.at(out_last, (out["day"][outbound], out["product"][outbound]), out["when"][outbound])
    out_first = np.full((days + 1, n), np.iinfo(np.int64).max)
    np.minimum.at(out_first, (out["day"][outbound], out["product"][outbound]), out["first"][outbound])
    inbound = at_warehouse & (out["type"] == RETURN)
    returned = np.zeros((days + 1, n), np.int64)
    np.add.at(returned, (out["day"][inbound], out["product"][inbound]), out["qty"][inbound])
    in_last = np.zeros((days + 1, n), np.int64)
    np.maximum.at(in_last, (out["day"][inbound], out["product"][inbound]), out["when"][inbound])
    return SimpleNamespace(
        rows=out,
        demand=demand,
        out_last=out_last,
        out_first=out_first,
        returned=returned,
        in_last=in_last,
        par=par,
        reserved=reserved,
    )


def _returns(ctx: OrgContext, org):
    """Restocked customer returns, if the service step stored them: goods in new or opened condition."""
    rmas = ctx.store.get("rmas")
    if not rmas:
        return None
    lines = ctx.store.get("rma_lines") or rmas.get("lines") or rmas
    if "product_index" not in lines or "quantity_milli" not in lines:
        return None
    head = np.asarray(lines["rma_index"]) if "rma_index" in lines and lines is not rmas else None
    received = None
    for key in ("received_us", "restocked_us", "returned_us"):
        source = lines if key in lines else rmas if key in rmas else None
        if source is not None:
            received = np.asarray(source[key], dtype=np.int64)
            if source is rmas and head is not None:
                received = received[head]
            break
    if received is None:
        return None
    rma_id = np.asarray(lines.get("rma_id", rmas.get("id", np.zeros(len(received), np.int64))), dtype=np.int64)
    if head is not None and "rma_id" not in lines:
        rma_id = np.asarray(rmas["id"], dtype=np.int64)[head]
    product = org.position[np.asarray(lines["product_index"])]
    quantity = np.asarray(lines["quantity_milli"], dtype=np.int64)
    ok = (product >= 0) & (received >= ctx.start_us) & (received < ctx.end_us) & (quantity > 0)
    if "condition" in lines:
        condition = np.asarray(lines["condition"], dtype=object)
    else:  # the service step writes each RMA's condition to rma_line_items without storing it: read it back
        found = dict(
            ctx.loader.reading("rma_line_items").execute(
                "select rma_id, min(condition) from app.rma_line_items where organization_id = %s group by rma_id",
                (ctx.org_id,),
            )
        )
        condition = np.array([found.get(i) for i in rma_id.tolist()], dtype=object)
    ok &= np.isin(condition, ["new", "opened"])
    if "restock" in lines:
        ok &= np.asarray(lines["restock"], dtype=bool)
    if not ok.any():
        return None
    return _aggregate(
        ctx,
        org,
        (received[ok] - ctx.start_us) // US_PER_DAY,
        product[ok],
        np.zeros(ok.sum(), np.int64),
        quantity[ok],
        received[ok],
        rma_id[ok],
        RETURN,
    )


def _concat(parts: list[dict]) -> dict:
    keys = parts[0].keys()
    return {key: np.concatenate([np.asarray(part[key]) for part in parts]) for key in keys}


# ------------------------------------------------------------------------------------------------- simulation
def _simulate(ctx: OrgContext, rng, org, prices, flows) -> SimpleNamespace:
    """Day by day: receipts of the day before, count corrections, rush orders for shortfalls, the day's outbound,
    then monthly reviews and reorder-point orders. Vectorised over products; the loop runs over days."""
    n, days = org.n, ctx.days
    demand = flows.demand
    active = np.arange(days + 1)[:, None] < org.gone[None, :]
    lead = org.lead[org.supplier]
    # Planning parameters are revised on the first of each month from the trailing 8 weeks of demand (scaled by
    # the season ahead relative to the weeks behind): reorder point = demand over the lead time (+3 days) +
    # `safety` standard deviations of it; order up to the reorder point + COVER months of demand.
    window = min(TRAILING_DAYS, days)
    daily = demand[:days].astype(float)
    sums = np.vstack([np.zeros((1, n)), np.cumsum(daily, axis=0)])
    squares = np.vstack([np.zeros((1, n)), np.cumsum(daily**2, axis=0)])
    upto = np.maximum(np.arange(days), window)  # the first weeks use the first window (history before the window)
    since = upto - window
    rate = (sums[upto] - sums[since]) / window
    deviation = np.sqrt(np.maximum((squares[upto] - squares[since]) / window - rate**2, 0))
    dates = (ctx.start_day + np.arange(days)).astype("datetime64[D]")
    month_first = np.maximum(np.searchsorted(dates, dates.astype("datetime64[M]").astype("datetime64[D]")), 0)
    season = np.concatenate([[0.0], np.cumsum(seasonal_factor(ctx, np.arange(days + 120)))])
    behind = (season[upto] - season[since]) / window
    ahead = (season[month_first[:, None] + lead + 3 + REVIEW_DAYS] - season[month_first[:, None]]) / (
        lead + 3 + REVIEW_DAYS
    )
    trend = ahead / behind[month_first][:, None]
    rate, deviation = rate[month_first] * trend, deviation[month_first] * trend
    mean_rate = sums[-1] / days
    safety = np.full(n, SAFETY)
    sellers = np.flatnonzero(mean_rate > 0)
    safety[rng.permutation(sellers)[: min(3, len(sellers) // 6 + 1)]] = LEAN_SAFETY
    cover = rate * (lead + 3) + safety * deviation * np.sqrt(lead + 3)
    rop = np.where(rate > 0, np.maximum(1000, np.ceil(cover / 1000) * 1000), 0)
    rop = np.where(active[:days], rop, 0).astype(np.int64)
    target = np.ceil((rop + rate * REVIEW_DAYS * COVER) / org.pack) * org.pack
    target = np.where(active[:days], np.maximum(target, np.where(mean_rate > 0, org.pack, 0)), 0).astype(np.int64)

    horizon = days + 80
    arriving = np.zeros((horizon, n), np.int64)  # accepted quantity delivered on each day
    arriving_value = np.zeros((horizon, n))
    expected = np.zeros((horizon, n), np.int64)  # delivered quantity (incl. rejected), for the on-order position
    on_hand = np.where(active[0], np.maximum(target[0], org.pack), 0).astype(np.int64)
    opening = on_hand.copy()
    average = prices.cost_at[0].astype(float)
    on_order = np.zeros(n, np.int64)
    average_at = np.zeros((days, n))
    below = np.zeros(n, bool)
    empty = np.zeros(n, bool)
    events = []  # (day, products, type 0 below / 1 out, raise?, phase 1 start / 2 after outbound, on hand)
    count_days = _quarter_ends(ctx)
    counts = []
    book = _Book(ctx, rng, org, prices)
    review = _review_days(ctx, len(org.supplier_ids))
    last_order = np.full(len(org.supplier_ids), -100)
    members = [np.flatnonzero(org.supplier == s) for s in range(len(org.supplier_ids))]

    def check(d, phase):
        # after the day's issues, a delivery later that day (booked for the next morning) averts the alert
        nonlocal below, empty
        threshold = rop[min(d, days - 1)]
        watched = (threshold > 0) & active[d]
        stock = on_hand + arriving[d] + flows.returned[d] if phase == 2 else on_hand
        now_below = watched & (stock < threshold)
        now_empty = watched & (stock <= 0)
        for kind, before, now in ((0, below, now_below), (1, empty, now_empty)):
            changed = np.flatnonzero(before != now)
            if len(changed):
                events.append((d, changed, kind, now[changed], phase, on_hand[changed].copy(), threshold[changed]))
        below, empty = now_below, now_empty

    for d in range(days + 1):
        if d > 0:
            inflow = arriving[d - 1]
            if inflow.any():
                grew = inflow > 0
                average[grew] = (on_hand[grew] * average[grew] + arriving_value[d - 1][grew]) / (
                    on_hand[grew] + inflow[grew]
                )
            on_hand += inflow + flows.returned[d - 1]
            on_order -= expected[d - 1]
            if d - 1 in count_days:
                variance = np.where(rng.random(n) < 0.12, rng.choice([-2000, -1000, -1000, 1000], n), 0)
                variance = np.where((on_hand > 0) & (on_hand + variance >= 0), variance, 0)
                counts.append((d - 1, on_hand.copy(), variance, average.copy()))
                on_hand += variance
            check(d, 1)
        if d == days:
            break
        average_at[d] = average
        short = np.flatnonzero(demand[d] > on_hand)
        if len(short):
            need = demand[d][short] - on_hand[short]
            for s in np.unique(org.supplier[short]).tolist():
                mine = org.supplier[short] == s
                landed = book.order(s, d, short[mine], need[mine], RUSH, arriving, arriving_value, expected)
                products = short[mine]
                average[products] = (on_hand[products] * average[products] + need[mine] * landed) / (
                    on_hand[products] + need[mine]
                )
                on_hand[products] += need[mine]
        on_hand -= demand[d]
        check(d, 2)
        position = on_hand + on_order
        due = set(review.get(d, ()))
        low = (position < rop[d]) & active[d]
        if low.any():
            due |= {s for s in np.unique(org.supplier[low]).tolist() if last_order[s] <= d - 7}
        for s in sorted(due):
            products = members[s]
            quantity = np.ceil((target[d, products] - position[products]) / org.pack[products]) * org.pack[products]
            wanted = quantity > 0
            if not wanted.any():
                continue
            kind = REGULAR if s in review.get(d, ()) else REORDER
            book.order(
                s, d, products[wanted], quantity[wanted].astype(np.int64), kind, arriving, arriving_value, expected
            )
            on_order[products[wanted]] += quantity[wanted].astype(np.int64)
            last_order[s] = d
    return SimpleNamespace(
        book=book.finish(),
        on_hand=on_hand,
        opening=opening,
        average=average,
        average_at=average_at,
        counts=counts,
        events=events,
        rop=rop[-1],
        rate=rate[-1],
        opening_cost=prices.cost_at[0],
    )


def _quarter_ends(ctx: OrgContext) -> set:
    dates = (ctx.start_day + np.arange(ctx.days)).astype("datetime64[D]")
    month = dates.astype("datetime64[M]")
    last = (dates + 1).astype("datetime64[M]") != month
    quarter = np.isin(month.astype(np.int64) % 12, [2, 5, 8, 11])
    return set(np.flatnonzero(last & quarter & (np.arange(ctx.days) >= 20)).tolist())


def _review_days(ctx: OrgContext, suppliers: int) -> dict:
    """Each supplier is reviewed once a month on its own day of the month."""
    dates = (ctx.start_day + np.arange(ctx.days)).astype("datetime64[D]")
    day_of_month = (dates - dates.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    review: dict[int, list[int]] = {}
    for s in range(suppliers):
        for d in np.flatnonzero(day_of_month == 1 + (s * 5 + 2) % 27).tolist():
            review.setdefault(d, []).append(s)
    return review


class _Book:
    """Purchase orders placed by the simulation: header values per order, line values per line."""

    def __init__(self, ctx, rng, org, prices):
        self.ctx, self.rng, self.org, self.prices = ctx, rng, org, prices
        self.head: list[tuple] = []
        self.line_parts: list[tuple] = []

    def order(self, s, d, products, quantity, kind, arriving, arriving_value, expected) -> np.ndarray:
        """Record an order; schedule its deliveries; return the landed unit cost of each line."""
        rng, org, prices = self.rng, self.org, self.prices
        unit = prices.cost_at[d, products]
        if kind != RUSH:
            agreed = prices.agreement_cost[d, products]
            use = (agreed > 0) & (quantity >= prices.agreement_min[d, products]) & (agreed < unit)
            unit = np.where(use, agreed, unit)
        line_total = round_div(quantity * unit, 1000)
        subtotal = int(line_total.sum())
        u = rng.random(8)
        lead = int(org.lead[s])
        k = len(products)
        first, rejected = quantity.copy(), np.zeros(k, np.int64)
        if kind == RUSH:
            discount_pct, shipping, freight, handling = 0, int(2500 + u[0] * 4000) // 100 * 100, 0, 0
            delay, split_after = -lead, -1
        else:
            discount_pct = 3 if u[0] < 0.04 else 2 if u[0] < 0.1 else 0
            shipping = int(1500 + u[1] * 6000) // 100 * 100 if u[2] < 0.2 else 0
            freight = max(2500, subtotal * (1 + int(u[3] * 3)) // 100) if u[4] < 0.3 else 0
            handling = int(1500 + u[5] * 3500) if u[6] < 0.05 else 0
            delay = (
                int(rng.integers(1, 8))
                if u[7] < org.late_rate[s]
                else int(rng.choice([-2, -1, 0], p=[0.15, 0.3, 0.55]))
            )
            split_after = -1
            if rng.random() < SPLIT_RATE:
                first = np.floor(quantity * 0.6 / org.pack[products]).astype(np.int64) * org.pack[products]
                if first.any() and (first < quantity).any():
                    split_after = int(rng.integers(3, 11))
                else:
                    first = quantity.copy()
            damaged = np.ceil(first * rng.uniform(0.02, 0.15, k) / 1000).astype(np.int64) * 1000
            rejected = np.where((rng.random(k) < REJECT_RATE) & (first >= 2000), np.minimum(damaged, first - 1000), 0)
        discount = subtotal * discount_pct // 100
        landed = np.round(unit * (subtotal - discount + shipping + freight + handling) / max(subtotal, 1)).astype(
            np.int64
        )
        arrive = d + max(0 if kind == RUSH else 2, lead + delay)
        self.head.append(
            (
                s,
                d,
                kind,
                arrive,
                arrive + split_after if split_after > 0 else -1,
                lead,
                discount_pct,
                subtotal,
                discount,
                shipping,
                freight,
                handling,
            )
        )
        self.line_parts.append((np.full(k, len(self.head) - 1), products, quantity, first, rejected, unit, landed))
        if kind == RUSH:  # collected and put on the shelf by the caller
            return landed
        arriving[arrive, products] += first - rejected
        arriving_value[arrive, products] += (first - rejected) * landed
        expected[arrive, products] += first
        second = quantity - first
        if split_after > 0:
            arriving[arrive + split_after, products] += second
            arriving_value[arrive + split_after, products] += second * landed
            expected[arrive + split_after, products] += second
        return landed

    def finish(self) -> SimpleNamespace:
        head = np.array(self.head, dtype=np.int64).reshape(-1, 12)
        parts = [
            np.concatenate([p[i] for p in self.line_parts]) if self.line_parts else np.zeros(0, np.int64)
            for i in range(7)
        ]
        names = (
            "supplier",
            "day",
            "kind",
            "arrive",
            "arrive2",
            "lead",
            "discount_pct",
            "subtotal",
            "discount",
            "shipping",
            "freight",
            "handling",
        )
        po = {name: head[:, i] for i, name in enumerate(names)}
        line = dict(zip(("po", "product", "quantity", "first", "rejected", "unit", "landed"), parts, strict=True))
        return SimpleNamespace(po=po, line=line)


# ------------------------------------------------------------------------------------------- purchase orders
def _purchase_orders(ctx: OrgContext, rng, org, sim, flows) -> SimpleNamespace:
    po, line = dict(sim.book.po), dict(sim.book.line)
    end = ctx.end_us
    # a few duplicates, cancelled before they were sent (they never arrive)
    regular = np.flatnonzero(po["kind"] != RUSH)
    copies = rng.permutation(regular)[: round(CANCEL_RATE * len(regular))]
    if len(copies):
        base = len(po["day"])
        dup = {key: value[copies].copy() for key, value in po.items()}
        dup["kind"][:] = CANCELLED
        dup["arrive"][:] = -1
        dup["arrive2"][:] = -1
        po = {key: np.concatenate([po[key], dup[key]]) for key in po}
        which = np.isin(line["po"], copies)
        remap = np.full(base, -1)
        remap[copies] = base + np.arange(len(copies))
        extra = {key: value[which].copy() for key, value in line.items()}
        extra["po"] = remap[extra["po"]]
        line = {key: np.concatenate([line[key], extra[key]]) for key in line}
    count = len(po["day"])
    order = np.lexsort((line["product"], line["po"]))
    line = {key: value[order] for key, value in line.items()}
    lines = len(line["po"])
    starts = np.searchsorted(line["po"], np.arange(count))
    line_number = np.arange(lines) - starts[line["po"]] + 1
    kind = po["kind"]
    rush = kind == RUSH
    cancelled = kind == CANCELLED

    # receipt times; a rush order is collected before the day's first issue of its products
    r1 = ctx.day_us(po["arrive"]) + rng.integers(13 * 60, 21 * 60, count) * MIN
    if rush.any():
        line_day = po["day"][line["po"]]
        first_out = flows.out_first[line_day, line["product"]]
        collect = np.maximum(ctx.day_us(line_day), first_out - 20 * MIN)
        earliest = np.full(count, np.iinfo(np.int64).max)
        np.minimum.at(earliest, line["po"][rush[line["po"]]], collect[rush[line["po"]]])
        r1 = np.where(rush, earliest, r1)
    r2 = np.where(po["arrive2"] >= 0, ctx.day_us(po["arrive2"]) + rng.integers(13 * 60, 21 * 60, count) * MIN, 0)
    created = np.where(
        rush,
        r1 - 2 * US_PER_HOUR - rng.integers(0, 40, count) * MIN,
        ctx.day_us(po["day"]) + rng.integers(13 * 60, 20 * 60, count) * MIN,
    )
    subtotal, discount, shipping = po["subtotal"], po["discount"], po["shipping"]
    tax = round_div((subtotal - discount + shipping) * org.vat, 10_000)
    total = subtotal - discount + tax + shipping

    # approvals: one step from STEP1_FROM, a second (owner) from STEP2_FROM
    steps = (total >= STEP1_FROM).astype(np.int64) + (total >= STEP2_FROM)
    quick = rush | cancelled
    ask1 = created + np.where(quick, 5, rng.integers(5, 30, count)) * MIN
    done1 = ask1 + np.where(quick, 10 * MIN, rng.integers(10, 8 * 60, count) * MIN)
    ask2 = done1 + MIN
    done2 = ask2 + np.where(quick, 15 * MIN, rng.integers(10, 12 * 60, count) * MIN)
    approved = np.where(steps == 2, done2, done1)
    sent = np.where(steps > 0, approved, created) + np.where(rush, 5 * MIN, rng.integers(10, 180, count) * MIN)
    cancelled_at = created + rng.integers(2, 30, count) * US_PER_HOUR
    cancelled &= cancelled_at < end
    # a cancelled duplicate above the threshold was rejected by its first approver
    rejected_po = cancelled & (steps > 0)
    done1 = np.where(rejected_po, np.minimum(done1, cancelled_at - MIN), done1)
    done1 = np.maximum(done1, ask1)
    keep = ~(kind == CANCELLED) | cancelled  # duplicates cancelled only after the window are not generated
    pending = (~cancelled) & (steps > 0) & (approved >= end)
    not_sent = (~cancelled) & (sent >= end)
    got1 = (~cancelled) & (po["arrive"] >= 0) & (r1 < end)
    got2 = got1 & (po["arrive2"] >= 0) & (r2 < end)
    whole = got1 & ((po["arrive2"] < 0) | got2)
    line_rejected = np.bincount(line["po"], line["rejected"], minlength=count) > 0
    closed_at = np.maximum(r1, r2) + rng.integers(1, 4, count) * US_PER_DAY
    closed = whole & line_rejected & (closed_at < end)
    status = np.select(
        [cancelled, pending, not_sent & (steps > 0), not_sent, ~got1, ~whole, closed],
        ["cancelled", "pending_approval", "approved", "draft", "sent", "partially_received", "closed"],
        "received",
    ).astype(object)
    received_at = np.where(whole, np.maximum(r1, r2), 0)
    order_day = created // US_PER_DAY
    expected_day = np.where(rush, r1 // US_PER_DAY, ctx.start_day + po["day"] + po["lead"])
    # a third of the late orders had their date pushed back by the supplier (an amendment)
    late_days = (r1 // US_PER_DAY) - expected_day
    moved = got1 & ~rush & (late_days >= 3) & (rng.random(count) < 0.35)
    new_expected = np.where(moved, expected_day + late_days - rng.integers(0, 3, count), expected_day)
    moved_at = sent + (r1 - sent) // 3

    ids = ctx.ids("purchase_orders", count)
    keep_idx = np.flatnonzero(keep)
    buyer = org.staff[rng.integers(0, len(org.staff), count)]
    last_change = np.select(
        [cancelled, status == "closed", whole, got1, ~not_sent, steps > 0],
        [cancelled_at, closed_at, received_at, r1, sent, np.minimum(done1, end - 1)],
        created,
    )
    last_change = ctx.clamp_us(np.maximum(last_change, created))
    notes = np.select(
        [rush, kind == REORDER, cancelled],
        ["Rush order: stock ran out", "Reorder point reached", "Duplicate order, cancelled"],
        "Monthly replenishment",
    )
    sel = keep_idx
    has_ref = ~not_sent & ~cancelled
    ctx.emit(
        "purchase_orders",
        {
            "id": ids[sel],
            "po_number": numbered("PO", ids[sel]),
            "supplier_id": org.supplier_ids[po["supplier"][sel]],
            "location_id": np.full(len(sel), org.loc_ids[0]),
            "status": status[sel],
            "order_date": order_day[sel],
            "expected_delivery_date": new_expected[sel],
            "currency": [org.currency] * len(sel),
            "subtotal": subtotal[sel],
            "discount_amount": discount[sel],
            "tax_amount": tax[sel],
            "shipping_amount": shipping[sel],
            "total_amount": total[sel],
            "payment_terms_days": org.terms[po["supplier"][sel]],
            "supplier_order_ref": [
                f"SC{i * 7 % 1000003:07d}" if ok else None
                for i, ok in zip(ids[sel].tolist(), has_ref[sel].tolist(), strict=True)
            ],
            "created_by_user_id": buyer[sel],
            "approved_by_user_id": masked(
                np.where(steps == 2, org.owner, org.staff[ids % len(org.staff)])[sel],
                ((steps > 0) & ~pending & ~cancelled)[sel],
            ),
            "approved_at": masked(approved[sel], ((steps > 0) & ~pending & ~cancelled)[sel]),
            "sent_at": masked(sent[sel], (~not_sent & ~cancelled)[sel]),
            "received_at": masked(received_at[sel], whole[sel]),
            "closed_at": masked(closed_at[sel], closed[sel]),
            "cancelled_at": masked(cancelled_at[sel], cancelled[sel]),
            "notes": notes[sel].astype(object),
            "created_at": created[sel],
            "updated_at": last_change[sel],
        },
    )

    # lines
    lp = line["po"]
    keep_line = keep[lp]
    item_ids = ctx.ids("purchase_order_items", lines)
    second = line["quantity"] - line["first"]
    accepted = np.where(got1[lp], line["first"] - line["rejected"], 0) + np.where(got2[lp], second, 0)
    product_id = org.product_id[line["product"]]
    supplier_sku = [
        f"V{s}-{p:06d}" for s, p in zip(org.supplier_ids[po["supplier"][lp]].tolist(), product_id.tolist(), strict=True)
    ]
    line_total = round_div(line["quantity"] * line["unit"], 1000)
    lk = np.flatnonzero(keep_line)
    ctx.emit(
        "purchase_order_items",
        {
            "id": item_ids[lk],
            "purchase_order_id": ids[lp[lk]],
            "line_number": line_number[lk],
            "product_id": product_id[lk],
            "supplier_sku": [supplier_sku[i] for i in lk.tolist()],
            "description": org.name[line["product"][lk]],
            "quantity_ordered": line["quantity"][lk],
            "quantity_received": accepted[lk],
            "unit_cost": line["unit"][lk],
            "discount_amount": np.zeros(len(lk), np.int64),
            "line_total": line_total[lk],
            "expected_delivery_date": new_expected[lp[lk]],
            "created_at": created[lp[lk]],
            "updated_at": last_change[lp[lk]],
        },
    )

    # approvals
    first_step = np.flatnonzero(keep & (steps >= 1) & (ask1 < end))
    second_step = np.flatnonzero(keep & (steps == 2) & ~cancelled & (done1 < end) & (ask2 < end))
    a_po = np.concatenate([first_step, second_step])
    a_step = np.concatenate([np.ones(len(first_step), np.int64), np.full(len(second_step), 2)])
    a_ask = np.where(a_step == 1, ask1[a_po], ask2[a_po])
    a_done = np.where(a_step == 1, done1[a_po], done2[a_po])
    decided = a_done < end
    decision = np.where(rejected_po[a_po], "rejected", "approved")
    ctx.emit(
        "purchase_order_approvals",
        {
            "id": ctx.ids("purchase_order_approvals", len(a_po)),
            "purchase_order_id": ids[a_po],
            "approval_rule_id": org.rule_ids[a_step - 1],
            "approver_user_id": np.where(a_step == 2, org.owner, org.staff[ids[a_po] % len(org.staff)]),
            "step": a_step,
            "amount": total[a_po],
            "requested_at": a_ask,
            "decision": [d if ok else None for d, ok in zip(decision.tolist(), decided.tolist(), strict=True)],
            "decided_at": masked(a_done, decided),
            "comments": [
                ("Duplicate of an open order" if r else None) if ok else None
                for r, ok in zip(rejected_po[a_po].tolist(), decided.tolist(), strict=True)
            ],
            "created_at": a_ask,
            "updated_at": np.where(decided, a_done, a_ask),
        },
    )

    # amendments: supplier-moved delivery dates, and quantities raised after approval
    raise_line = np.flatnonzero(
        (line_number == 1)
        & (rng.random(lines) < 0.05)
        & ~rush[lp]
        & ~cancelled[lp]
        & keep_line
        & ~not_sent[lp]
        & (line["quantity"] >= 2 * org.pack[line["product"]])
    )
    q_po = lp[raise_line]
    step = org.pack[line["product"][raise_line]]
    old_sub = subtotal[q_po] - (
        line_total[raise_line] - round_div((line["quantity"][raise_line] - step) * line["unit"][raise_line], 1000)
    )
    old_disc = old_sub * po["discount_pct"][q_po] // 100
    old_total = old_sub - old_disc + round_div((old_sub - old_disc + shipping[q_po]) * org.vat, 10_000) + shipping[q_po]
    limit = np.where(got1[q_po], r1[q_po], end)
    q_at = sent[q_po] + ((limit - sent[q_po]) * rng.uniform(0.1, 0.5, len(q_po))).astype(np.int64)
    d_po = np.flatnonzero(moved & keep & (moved_at < end))
    count_a = len(d_po) + len(q_po)
    to_date = lambda days_: np.asarray(days_).astype("datetime64[D]").astype(str).astype(object)  # noqa: E731
    at = np.concatenate([moved_at[d_po], q_at])
    ctx.emit(
        "purchase_order_amendments",
        {
            "id": ctx.ids("purchase_order_amendments", count_a),
            "purchase_order_id": ids[np.concatenate([d_po, q_po])],
            "purchase_order_item_id": masked(
                np.concatenate([np.zeros(len(d_po), np.int64), item_ids[raise_line]]), np.arange(count_a) >= len(d_po)
            ),
            "field_name": ["expected_delivery_date"] * len(d_po) + ["quantity_ordered"] * len(q_po),
            "old_value": np.concatenate(
                [
                    to_date(expected_day[d_po]),
                    ((line["quantity"][raise_line] - step) // 1000).astype(str).astype(object),
                ]
            ),
            "new_value": np.concatenate(
                [to_date(new_expected[d_po]), (line["quantity"][raise_line] // 1000).astype(str).astype(object)]
            ),
            "amount_change": np.concatenate([np.zeros(len(d_po), np.int64), total[q_po] - old_total]),
            "reason": ["Supplier confirmed a later delivery"] * len(d_po) + ["Demand higher than planned"] * len(q_po),
            "amended_by_user_id": buyer[np.concatenate([d_po, q_po])],
            "amended_at": at,
            "created_at": at,
            "updated_at": at,
        },
    )

    # landed costs billed on delivery
    c_po = np.concatenate([np.flatnonzero(got1 & (po["freight"] > 0)), np.flatnonzero(got1 & (po["handling"] > 0))])
    c_type = np.array(
        ["freight"] * int((got1 & (po["freight"] > 0)).sum()) + ["handling"] * int((got1 & (po["handling"] > 0)).sum()),
        dtype=object,
    )
    c_amount = np.where(c_type == "freight", po["freight"][c_po], po["handling"][c_po])
    c_ids = ctx.ids("purchase_order_costs", len(c_po))
    ctx.emit(
        "purchase_order_costs",
        {
            "id": c_ids,
            "purchase_order_id": ids[c_po],
            "cost_type": c_type,
            "amount": c_amount,
            "currency": [org.currency] * len(c_po),
            "supplier_id": masked(np.zeros(len(c_po), np.int64), np.zeros(len(c_po), bool)),
            "allocation_method": np.where(c_type == "freight", "by_value", "by_quantity").astype(object),
            "invoice_ref": [f"FR-{i:07d}" for i in c_ids.tolist()],
            "incurred_on": r1[c_po] // US_PER_DAY,
            "description": np.where(c_type == "freight", "Inbound freight", "Handling and palletising").astype(object),
            "created_at": r1[c_po],
            "updated_at": r1[c_po],
        },
    )

    # receipts: one per delivery
    g_po = np.concatenate([np.flatnonzero(got1), np.flatnonzero(got2)])
    g_second = np.arange(len(g_po)) >= got1.sum()
    g_when = np.where(g_second, r2[g_po], r1[g_po])
    receipt_ids = ctx.ids("purchase_order_receipts", len(g_po))
    receiver = org.staff[rng.integers(0, len(org.staff), len(g_po))]
    carrier = np.where(
        rush[g_po], "Collected", rng.choice(["UPS Freight", "FedEx", "DHL", "Supplier truck"], len(g_po))
    )
    ctx.emit(
        "purchase_order_receipts",
        {
            "id": receipt_ids,
            "receipt_number": numbered("GR", receipt_ids),
            "purchase_order_id": ids[g_po],
            "location_id": np.full(len(g_po), org.loc_ids[0]),
            "status": ["posted"] * len(g_po),
            "received_at": g_when,
            "received_by_user_id": receiver,
            "carrier": carrier.astype(object),
            "carrier_tracking_ref": [
                None if c == "Collected" else f"TR{i:010d}"
                for c, i in zip(carrier.tolist(), receipt_ids.tolist(), strict=True)
            ],
            "packing_slip_ref": [f"DN-{i:07d}" for i in receipt_ids.tolist()],
            "notes": np.where(g_second, "Balance of a split delivery", None).astype(object),
            "created_at": g_when,
            "updated_at": g_when,
        },
    )
    receipt_of = {0: np.full(count, -1), 1: np.full(count, -1)}
    receipt_of[0][g_po[~g_second]] = np.flatnonzero(~g_second)
    receipt_of[1][g_po[g_second]] = np.flatnonzero(g_second)
    i1 = np.flatnonzero(got1[lp] & (line["first"] > 0))
    i2 = np.flatnonzero(got2[lp] & (second > 0))
    ri = np.concatenate([i1, i2])
    r_index = np.concatenate([receipt_of[0][lp[i1]], receipt_of[1][lp[i2]]])
    r_qty = np.concatenate([line["first"][i1], second[i2]])
    r_rej = np.concatenate([line["rejected"][i1], np.zeros(len(i2), np.int64)])
    ctx.emit(
        "purchase_order_receipt_items",
        {
            "id": ctx.ids("purchase_order_receipt_items", len(ri)),
            "purchase_order_receipt_id": receipt_ids[r_index],
            "purchase_order_item_id": item_ids[ri],
            "warehouse_location_id": masked(org.bin[line["product"][ri]], np.full(len(ri), org.has_bins)),
            "quantity_received": r_qty,
            "quantity_rejected": r_rej,
            "rejection_reason": np.where(r_rej > 0, "Damaged in transit", None).astype(object),
            "created_at": g_when[r_index],
            "updated_at": g_when[r_index],
        },
    )
    accepted_now = r_qty - r_rej
    ctx.store["purchase_orders"] = {
        "id": ids[sel],
        "supplier_id": org.supplier_ids[po["supplier"][sel]],
        "status": status[sel],
        "order_day": order_day[sel],
        "total": total[sel],
        "received_us": received_at[sel],
        "payment_terms_days": org.terms[po["supplier"][sel]],
    }
    return SimpleNamespace(
        ids=ids,
        keep=keep,
        supplier=po["supplier"],
        order_day=order_day,
        expected_day=new_expected,
        total=total,
        cancelled=cancelled,
        sent=np.where(~not_sent & ~cancelled, sent, 0),
        # receipt lines (goods in): stocked position, receipt time, accepted and rejected quantity, landed cost
        r_product=line["product"][ri],
        r_when=g_when[r_index],
        r_qty=r_qty,
        r_rejected=r_rej,
        r_accepted=accepted_now,
        r_cost=line["landed"][ri],
        r_po=lp[ri],
        r_user=receiver[r_index],
        # lines (ordered) for fill rates
        l_po=lp,
        l_quantity=line["quantity"],
        l_first=line["first"] - line["rejected"],
        l_second=second,
        r1=r1,
        r2=r2,
        got1=got1,
        got2=got2,
    )


# ------------------------------------------------------------------------------------------------------ stock
def _stock(ctx: OrgContext, rng, org, flows, sim, pos) -> None:
    n, days = org.n, ctx.days
    rows = flows.rows
    before = ctx.start_us - US_PER_DAY
    # opening balances (warehouse and van par stock), carried over from before the window
    w_open = np.flatnonzero(sim.opening > 0)
    v_van, v_product = np.nonzero(flows.par > 0)
    open_product = np.concatenate([w_open, v_product])
    open_loc = np.concatenate([np.zeros(len(w_open), np.int64), v_van + 1])
    open_qty = np.concatenate([sim.opening[w_open], flows.par[v_van, v_product]])
    opening = {
        "product": open_product,
        "loc": open_loc,
        "type": np.full(len(open_product), ADJUST),
        "qty": open_qty,
        "when": np.full(len(open_product), before),
        "cost": sim.opening_cost[open_product],
        "other": np.full(len(open_product), -1),
        "order": 0,
        "job": 0,
        "po": 0,
        "count": 0,
        "rma": 0,
    }
    # receipts
    got = pos.r_accepted > 0
    receipts = {
        "product": pos.r_product[got],
        "loc": np.zeros(got.sum(), np.int64),
        "type": np.full(got.sum(), RECEIPT),
        "qty": pos.r_accepted[got],
        "when": pos.r_when[got],
        "cost": pos.r_cost[got],
        "other": np.full(got.sum(), -1),
        "order": 0,
        "job": 0,
        "po": pos.ids[pos.r_po[got]],
        "count": 0,
        "rma": 0,
        "user": pos.r_user[got],
    }
    # outbound, transfers and returns (costed at the warehouse moving average of the day)
    cost = np.round(sim.average_at[np.minimum(rows["day"], days - 1), rows["product"]]).astype(np.int64)
    ledger = {
        "product": rows["product"],
        "loc": rows["loc"],
        "type": rows["type"],
        "qty": rows["qty"],
        "when": rows["when"],
        "cost": cost,
        "other": rows["other"],
        "order": np.where(rows["type"] == SALE, rows["ref"], 0),
        "job": np.where(rows["type"] == JOB, rows["ref"], 0),
        "po": 0,
        "count": 0,
        "rma": np.where(rows["type"] == RETURN, rows["ref"], 0),
    }
    # stock counts at the end of each quarter
    count_ids = ctx.ids("stock_counts", len(sim.counts) + 1)
    c_day = np.array([c[0] for c in sim.counts], dtype=np.int64)
    c_start = ctx.day_us(c_day) + 22 * US_PER_HOUR
    c_done = ctx.day_us(c_day) + 23 * US_PER_HOUR + 59 * MIN
    expected = np.array([c[1] for c in sim.counts], dtype=np.int64).reshape(-1, n)
    variance = np.array([c[2] for c in sim.counts], dtype=np.int64).reshape(-1, n)
    c_cost = np.round(np.array([c[3] for c in sim.counts]).reshape(-1, n)).astype(np.int64)
    # the counts (written before the corrections that reference them); the next count is planned
    k = len(c_day)
    counter = org.staff[rng.integers(0, len(org.staff), k + 1)]
    next_quarter = (np.datetime64(ctx.start_day + days, "D").astype("datetime64[M]") + 2).astype("datetime64[D]")
    ctx.emit(
        "stock_counts",
        {
            "id": count_ids,
            "count_number": numbered("SC", count_ids),
            "location_id": np.full(k + 1, org.loc_ids[0]),
            "count_type": ["full"] * (k + 1),
            "status": ["completed"] * k + ["planned"],
            "scheduled_date": np.concatenate([ctx.start_day + c_day, [next_quarter.astype(np.int64)]]),
            "started_at": masked(np.concatenate([c_start, [0]]), np.arange(k + 1) < k),
            "counted_at": masked(np.concatenate([c_done, [0]]), np.arange(k + 1) < k),
            "counted_by_user_id": counter,
            "approved_by_user_id": masked(np.full(k + 1, org.owner), np.arange(k + 1) < k),
            "notes": ["Quarter-end stock count"] * (k + 1),
            "created_at": np.concatenate([c_start - 7 * US_PER_DAY, [ctx.end_us - 3 * US_PER_DAY]]),
            "updated_at": np.concatenate([c_done + 30 * MIN, [ctx.end_us - 3 * US_PER_DAY]]),
        },
    )
    cv_count, cv_product = np.nonzero(variance)
    corrections = {
        "product": cv_product,
        "loc": np.zeros(len(cv_product), np.int64),
        "type": np.full(len(cv_product), COUNT),
        "qty": variance[cv_count, cv_product],
        "when": c_done[cv_count],
        "cost": c_cost[cv_count, cv_product],
        "other": np.full(len(cv_product), -1),
        "order": 0,
        "job": 0,
        "po": 0,
        "count": count_ids[cv_count],
        "rma": 0,
    }
    parts = [opening, receipts, ledger, corrections]
    for part in parts:
        size = len(part["product"])
        for key in ("order", "job", "po", "count", "rma", "user"):
            value = part.get(key, 0)
            part[key] = np.broadcast_to(np.asarray(value, dtype=np.int64), (size,)).copy()
    mv = _concat(parts)
    order = np.lexsort((mv["type"], mv["when"]))
    mv = {key: value[order] for key, value in mv.items()}
    total = len(mv["product"])
    movement_ids = ctx.ids("inventory_movements", total)
    is_wh = mv["loc"] == 0
    created_by = np.where(mv["user"] > 0, mv["user"], org.staff[movement_ids % len(org.staff)])
    notes = np.select(
        [mv["type"] == ADJUST, mv["type"] == COUNT], ["Opening balance", "Quarterly count variance"], None
    )
    ctx.emit(
        "inventory_movements",
        {
            "id": movement_ids,
            "product_id": org.product_id[mv["product"]],
            "location_id": org.loc_ids[mv["loc"]],
            "warehouse_location_id": masked(org.bin[mv["product"]], is_wh & org.has_bins),
            "movement_type": TYPES[mv["type"]].astype(object),
            "quantity": mv["qty"],
            "unit_cost": mv["cost"],
            "occurred_at": mv["when"],
            "transfer_location_id": masked(org.loc_ids[np.maximum(mv["other"], 0)], mv["other"] >= 0),
            "order_id": masked(mv["order"], mv["order"] > 0),
            "job_id": masked(mv["job"], mv["job"] > 0),
            "purchase_order_id": masked(mv["po"], mv["po"] > 0),
            "stock_count_id": masked(mv["count"], mv["count"] > 0),
            "return_authorization_id": masked(mv["rma"], mv["rma"] > 0),
            "created_by_user_id": masked(created_by, np.isin(mv["type"], [RECEIPT, ADJUST, COUNT, T_IN, T_OUT])),
            "notes": notes.astype(object),
            "created_at": mv["when"],
            "updated_at": mv["when"],
        },
    )

    # stock per (product, location): the ledger's sum
    key = mv["loc"] * n + mv["product"]
    cells = np.unique(np.concatenate([np.arange(n), key]))  # every stocked product has a warehouse row
    slot = np.searchsorted(cells, key)
    on_hand = np.bincount(slot, mv["qty"], minlength=len(cells)).round().astype(np.int64)
    assert (on_hand[:n] == sim.on_hand).all() and (on_hand >= 0).all(), "stock ledger out of balance"
    last_move = np.zeros(len(cells), np.int64)
    np.maximum.at(last_move, slot, mv["when"])

    # FIFO cost layers: every inflow is a layer; what is on hand is in the latest ones
    inflow = np.flatnonzero(
        np.isin(mv["type"], [RECEIPT, ADJUST, T_IN, RETURN]) | ((mv["type"] == COUNT) & (mv["qty"] > 0))
    )
    layer_slot = slot[inflow]
    newest_first = np.lexsort((-mv["when"][inflow], layer_slot))
    inflow, layer_slot = inflow[newest_first], layer_slot[newest_first]
    quantity = mv["qty"][inflow]
    running = np.cumsum(quantity)
    group_start = np.searchsorted(layer_slot, layer_slot)
    before_me = running - quantity - (running[group_start] - quantity[group_start])
    remaining = np.clip(on_hand[layer_slot] - before_me, 0, quantity)
    ctx.emit(
        "inventory_cost_layers",
        {
            "id": ctx.ids("inventory_cost_layers", len(inflow)),
            "product_id": org.product_id[mv["product"][inflow]],
            "location_id": org.loc_ids[mv["loc"][inflow]],
            "received_at": mv["when"][inflow],
            "quantity_received": quantity,
            "quantity_remaining": remaining,
            "unit_cost": mv["cost"][inflow],
            "purchase_order_id": masked(mv["po"][inflow], mv["po"][inflow] > 0),
            "inventory_movement_id": movement_ids[inflow],
            "created_at": mv["when"][inflow],
            "updated_at": np.maximum(mv["when"][inflow], np.where(remaining < quantity, last_move[layer_slot], 0)),
        },
    )
    value = np.bincount(layer_slot, remaining * mv["cost"][inflow], minlength=len(cells))

    c_loc, c_product = cells // n, cells % n
    warehouse = c_loc == 0
    average = np.where(
        warehouse,
        np.round(sim.average[np.minimum(c_product, n - 1)]),
        np.where(on_hand > 0, value / np.maximum(on_hand, 1), sim.average[c_product]),
    ).astype(np.int64)
    last_count = c_done[-1] if len(c_done) else 0
    first_move = np.full(len(cells), np.iinfo(np.int64).max)
    np.minimum.at(first_move, slot, mv["when"])
    first_move = np.where(first_move == np.iinfo(np.int64).max, ctx.start_us - US_PER_DAY, first_move)
    updated = np.maximum(np.where(last_move > 0, last_move, first_move), np.where(warehouse, last_count, 0))
    reorder_quantity = np.ceil(sim.rate * REVIEW_DAYS / org.pack) * org.pack
    inventory_ids = ctx.ids("inventory", len(cells))
    ctx.emit(
        "inventory",
        {
            "id": inventory_ids,
            "product_id": org.product_id[c_product],
            "location_id": org.loc_ids[c_loc],
            "warehouse_location_id": masked(org.bin[c_product], warehouse & org.has_bins),
            "quantity_on_hand": on_hand,
            "quantity_reserved": np.where(warehouse, flows.reserved[c_product], 0),
            "average_cost": average,
            "reorder_point": masked(sim.rop[c_product], warehouse),
            "reorder_quantity": masked(reorder_quantity[c_product].astype(np.int64), warehouse),
            "last_movement_at": masked(last_move, last_move > 0),
            "last_counted_at": masked(np.full(len(cells), last_count), warehouse & (last_count > 0)),
            "created_at": np.minimum(first_move, ctx.start_us - US_PER_DAY),
            "updated_at": updated,
        },
    )
    ctx.store["inventory"] = {
        "product_index": org.index[c_product],
        "location_id": org.loc_ids[c_loc],
        "quantity_on_hand": on_hand,
        "average_cost": average,
    }

    i_count = np.repeat(np.arange(k), n)
    i_product = np.tile(np.arange(n), k)
    i_var = variance.reshape(-1)
    ctx.emit(
        "stock_count_items",
        {
            "id": ctx.ids("stock_count_items", k * n),
            "stock_count_id": count_ids[i_count],
            "product_id": org.product_id[i_product],
            "warehouse_location_id": masked(org.bin[i_product], np.full(k * n, org.has_bins)),
            "expected_quantity": expected.reshape(-1),
            "counted_quantity": expected.reshape(-1) + i_var,
            "unit_cost": c_cost.reshape(-1),
            "counted_at": c_done[i_count],
            "notes": np.select(
                [i_var < 0, i_var > 0], ["Short: damaged or unrecorded use", "Found extra units"], None
            ).astype(object),
            "created_at": c_start[i_count],
            "updated_at": c_done[i_count],
        },
    )
    _alerts(ctx, rng, org, flows, sim, pos, c_day, c_done)


def _alerts(ctx: OrgContext, rng, org, flows, sim, pos, c_day, c_done) -> None:
    """below_reorder_point and stock_out alerts at the warehouse, raised and resolved by the simulation's events."""
    if not sim.events:
        return
    days = ctx.days
    d = np.concatenate([np.full(len(e[1]), e[0]) for e in sim.events])
    product = np.concatenate([e[1] for e in sim.events])
    kind = np.concatenate([np.full(len(e[1]), e[2]) for e in sim.events])
    raised = np.concatenate([e[3] for e in sim.events])
    phase = np.concatenate([np.full(len(e[1]), e[4]) for e in sim.events])
    quantity = np.concatenate([e[5] for e in sim.events])
    limit = np.concatenate([e[6] for e in sim.events])
    # When it happened: raised after the day's issues at the last one, resolved by a delivery or return later that
    # day (phase 2); at the start of a day, by the previous day's deliveries or count, else by the monthly revision
    # of reorder points at midnight (phase 1).
    in_last = flows.in_last.copy()
    np.maximum.at(in_last, ((pos.r_when - ctx.start_us) // US_PER_DAY, pos.r_product), pos.r_when)
    count_time = np.zeros(days + 1, np.int64)
    count_time[c_day] = c_done
    previous = np.maximum(d - 1, 0)
    today = np.minimum(d, days)
    when = np.where(
        phase == 2,
        np.where(raised, flows.out_last[today, product], in_last[today, product]),
        np.maximum(in_last[previous, product], count_time[previous]),
    )
    when = np.where(when > 0, when, ctx.day_us(d))
    order = np.lexsort((np.arange(len(d)), product, kind))
    d, product, kind, raised, when, quantity, limit = (
        a[order] for a in (d, product, kind, raised, when, quantity, limit)
    )
    rows = np.flatnonzero(raised)
    following = rows + 1
    has_next = following < len(d)
    following = np.minimum(following, len(d) - 1)
    resolved = has_next & (product[following] == product[rows]) & (kind[following] == kind[rows]) & ~raised[following]
    raised_at = when[rows]
    resolved_at = np.where(resolved, np.maximum(when[following], raised_at + MIN), 0)
    resolved &= resolved_at < ctx.end_us
    count = len(rows)
    acknowledged = rng.random(count) < 0.6
    span = np.where(resolved, resolved_at - raised_at, np.maximum(ctx.end_us - 1 - raised_at, 0))
    ack_at = raised_at + (span * rng.uniform(0.1, 0.8, count)).astype(np.int64)
    acknowledged &= ack_at < ctx.end_us
    status = np.where(resolved, "resolved", np.where(acknowledged, "acknowledged", "open")).astype(object)
    p = product[rows]
    threshold = np.where(kind[rows] == 0, limit[rows], 0)
    names = org.name[p].tolist()
    messages = [
        f"{name}: {q / 1000:g} on hand, below the reorder point of {t / 1000:g}"
        if k == 0
        else f"{name} is out of stock"
        for name, q, t, k in zip(names, quantity[rows].tolist(), threshold.tolist(), kind[rows].tolist(), strict=True)
    ]
    ctx.emit(
        "inventory_alerts",
        {
            "id": ctx.ids("inventory_alerts", count),
            "product_id": org.product_id[p],
            "location_id": np.full(count, org.loc_ids[0]),
            "alert_type": np.where(kind[rows] == 0, "below_reorder_point", "stock_out").astype(object),
            "status": status,
            "quantity_on_hand": np.maximum(quantity[rows], 0),
            "threshold_quantity": threshold,
            "message": messages,
            "raised_at": raised_at,
            "acknowledged_at": masked(ack_at, acknowledged),
            "acknowledged_by_user_id": masked(org.staff[rng.integers(0, len(org.staff), count)], acknowledged),
            "resolved_at": masked(resolved_at, resolved),
            "resolved_by_user_id": masked(np.zeros(count, np.int64), np.zeros(count, bool)),
            "created_at": raised_at,
            "updated_at": np.where(resolved, resolved_at, np.where(acknowledged, ack_at, raised_at)),
        },
    )


# ------------------------------------------------------------------------------------- scorecards and forecasts
def _supplier_metrics(ctx: OrgContext, org, pos) -> None:
    """Per supplier and completed month: orders placed and spend, on-time and fill rates, rejects, lead time."""
    first = np.datetime64(ctx.start_day, "D").astype("datetime64[M]")
    end_day = ctx.start_day + ctx.days  # first day after the window
    month_start = (
        np.arange(first, np.datetime64(end_day, "D").astype("datetime64[M]") + 1)
        .astype("datetime64[D]")
        .astype(np.int64)
    )
    month_end = np.append(month_start[1:], 0) - 1
    complete = (month_start >= ctx.start_day) & (month_end < end_day) & (month_end >= month_start)
    month_start, month_end = month_start[complete], month_end[complete]
    months = len(month_start)
    suppliers = len(org.supplier_ids)
    if not months:
        return

    def month_of(day):
        m = np.searchsorted(month_start, day, side="right") - 1
        return np.where((m >= 0) & (day <= month_end[np.maximum(m, 0)]), m, -1)

    def per_cell(supplier, month, weights):
        ok = month >= 0
        return np.bincount(supplier[ok] * months + month[ok], np.asarray(weights)[ok], minlength=suppliers * months)

    placed = pos.keep & ~pos.cancelled
    m_po = np.where(placed, month_of(pos.order_day), -1)
    po_count = per_cell(pos.supplier, m_po, np.ones(len(m_po)))
    spend = per_cell(pos.supplier, m_po, pos.total)
    # deliveries (one per receipt: on time when on or before the promised date)
    r_supplier = pos.supplier[pos.r_po]
    r_day = pos.r_when // US_PER_DAY
    m_r = month_of(r_day)
    received = per_cell(r_supplier, m_r, pos.r_qty)
    rejected = per_cell(r_supplier, m_r, pos.r_rejected)
    g_po = np.concatenate([np.flatnonzero(pos.got1), np.flatnonzero(pos.got2)])
    g_day = np.concatenate([pos.r1[pos.got1], pos.r2[pos.got2]]) // US_PER_DAY
    m_g = month_of(g_day)
    deliveries = per_cell(pos.supplier[g_po], m_g, np.ones(len(g_po)))
    on_time = per_cell(pos.supplier[g_po], m_g, (g_day <= pos.expected_day[g_po]).astype(float))
    lead = per_cell(pos.supplier[g_po], m_g, g_day - pos.order_day[g_po])
    # fill: of the lines due in the month, the accepted share received by the month's end
    due_po = np.where(placed & (pos.sent > 0), month_of(pos.expected_day), -1)
    m_l = due_po[pos.l_po]
    month_last = month_end[np.maximum(m_l, 0)]
    by_end = np.where(pos.got1[pos.l_po] & (pos.r1[pos.l_po] // US_PER_DAY <= month_last), pos.l_first, 0)
    by_end += np.where(pos.got2[pos.l_po] & (pos.r2[pos.l_po] // US_PER_DAY <= month_last), pos.l_second, 0)
    ordered = per_cell(pos.supplier[pos.l_po], m_l, pos.l_quantity)
    filled = per_cell(pos.supplier[pos.l_po], m_l, by_end)
    cell = np.flatnonzero((po_count > 0) | (deliveries > 0) | (ordered > 0))
    s, m = cell // months, cell % months

    def rate(numerator, denominator):
        return masked(
            np.round(10_000 * numerator[cell] / np.maximum(denominator[cell], 1)).astype(np.int64),
            denominator[cell] > 0,
        )

    computed = ctx.clamp_us(ctx.day_us(month_end[m] + 1 - ctx.start_day) + 6 * US_PER_HOUR)
    ctx.emit(
        "supplier_performance_metrics",
        {
            "id": ctx.ids("supplier_performance_metrics", len(cell)),
            "supplier_id": org.supplier_ids[s],
            "period_start": month_start[m],
            "period_end": month_end[m],
            "on_time_delivery_rate": rate(on_time, deliveries),
            "fill_rate": rate(np.minimum(filled, ordered), ordered),
            "defect_rate": rate(rejected, received),
            "average_lead_time_days": masked(
                np.round(1000 * lead[cell] / np.maximum(deliveries[cell], 1)).astype(np.int64), deliveries[cell] > 0
            ),
            "purchase_order_count": po_count[cell].astype(np.int64),
            "spend": spend[cell].round().astype(np.int64),
            "computed_at": computed,
            "created_at": computed,
            "updated_at": computed,
        },
    )


def _forecasts(ctx: OrgContext, org, flows) -> None:
    """On the first of every month (after 90 days of history): the next three months' warehouse demand per product,
    the trailing 90 days' rate adjusted for the season."""
    days = ctx.days
    dates = (ctx.start_day + np.arange(days)).astype("datetime64[D]")
    firsts = np.flatnonzero(
        (dates == dates.astype("datetime64[M]").astype("datetime64[D]")) & (np.arange(days) >= FORECAST_HISTORY)
    )
    if not len(firsts):
        firsts = np.array([days - 1]) if days > 30 else np.zeros(0, np.int64)
    if not len(firsts):
        return
    demand = flows.demand[:days].astype(float)
    cumulative = np.vstack([np.zeros((1, org.n)), np.cumsum(demand, axis=0)])
    season = seasonal_factor(ctx, np.arange(days + 120))
    season_sum = np.concatenate([[0.0], np.cumsum(season)])
    history = np.minimum(FORECAST_HISTORY, firsts)
    base = (cumulative[firsts] - cumulative[firsts - history]) / (season_sum[firsts] - season_sum[firsts - history])[
        :, None
    ]
    month = dates[firsts].astype("datetime64[M]")
    rows_v, rows_p, rows_k = [], [], []
    for k in range(3):
        rows_k.append(np.full((len(firsts), org.n), k))
        rows_v.append(np.repeat(np.arange(len(firsts)), org.n).reshape(len(firsts), org.n))
        rows_p.append(np.tile(np.arange(org.n), (len(firsts), 1)))
    v = np.stack(rows_v, axis=2).reshape(-1)
    p = np.stack(rows_p, axis=2).reshape(-1)
    k = np.stack(rows_k, axis=2).reshape(-1)
    keep = org.gone[p] > firsts[v]
    v, p, k = v[keep], p[keep], k[keep]
    period_start = (month[v] + k).astype("datetime64[D]").astype(np.int64)
    period_end = (month[v] + k + 1).astype("datetime64[D]").astype(np.int64) - 1
    lo = np.clip(period_start - ctx.start_day, 0, days + 119)
    hi = np.clip(period_end - ctx.start_day + 1, 0, days + 119)
    quantity = np.round(base[v, p] * (season_sum[hi] - season_sum[lo]) / 1000).astype(np.int64) * 1000
    spread = 0.15 + 0.08 * k
    lower = np.floor(quantity * (1 - spread) / 1000).astype(np.int64) * 1000
    upper = np.ceil(quantity * (1 + spread) / 1000).astype(np.int64) * 1000 + 1000
    made = ctx.day_us(firsts[v]) + 6 * US_PER_HOUR
    count = len(v)
    ctx.emit(
        "inventory_forecasts",
        {
            "id": ctx.ids("inventory_forecasts", count),
            "product_id": org.product_id[p],
            "location_id": np.full(count, org.loc_ids[0]),
            "forecast_date": ctx.start_day + firsts[v],
            "period_start": period_start,
            "period_end": period_end,
            "forecast_quantity": quantity,
            "lower_bound": np.minimum(lower, quantity),
            "upper_bound": upper,
            "confidence": np.full(count, 8000),
            "method": ["seasonal"] * count,
            "created_at": made,
            "updated_at": made,
        },
    )
