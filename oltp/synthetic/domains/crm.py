"""Customers with their contacts, addresses, tags and priorities, and the sales pipeline: opportunities moving
through stages, quotes and their versions, won or lost with reasons."""

from __future__ import annotations

import numpy as np

from oltp.synthetic.arrow import US_PER_DAY, US_PER_HOUR, masked
from oltp.synthetic.context import OrgContext
from oltp.synthetic.domains.common import (
    COMPANY_KINDS,
    COMPANY_WORDS,
    daily_events,
    emails,
    join,
    numbered,
    person_names,
    street_addresses,
    to_json,
)

NEW_CUSTOMER_SHARE = 0.38
SOURCES = np.array(["referral", "website", "phone_inbound", "advertising", "campaign", "partner", "walk_in"])
SOURCE_WEIGHTS = np.array([0.25, 0.3, 0.15, 0.1, 0.08, 0.07, 0.05])
STAGES = ["lead", "qualified", "proposal", "negotiation"]
STAGE_PROBABILITY = {"lead": 1000, "qualified": 2500, "proposal": 5000, "negotiation": 7500, "won": 10000, "lost": 0}
LOST_REASONS = ["Price too high", "Chose a competitor", "No budget", "Project postponed", "No response"]
WON_REASONS = ["Best value", "Relationship", "Fast installation", "Product quality"]


def plan_customers_and_orders(ctx: OrgContext) -> None:
    """Decide who orders when: order days, which are first orders of new customers, and each order's customer.

    Customers that exist before the window are the base; every other customer is acquired shortly before their
    first order, so 'new customers' on a day are exactly the first orders of that day.
    """
    rng = ctx.rng("crm.plan")
    order_day = daily_events(ctx, rng, ctx.scale.orders_per_day)
    count = len(order_day)
    base = max(20, round(ctx.scale.orders_per_day * ctx.profile.size * 45))
    is_new = rng.random(count) < NEW_CUSTOMER_SHARE
    new_count = int(is_new.sum())
    customers = base + new_count
    # Base customers became customers before the window; new ones on their first order day.
    available_day = np.concatenate([np.full(base, -1), order_day[is_new]])
    customer_index = np.empty(count, dtype=np.int64)
    customer_index[is_new] = base + np.arange(new_count)
    repeat = ~is_new
    known = np.searchsorted(available_day, order_day[repeat], side="left")  # customers acquired before that day
    # Mild preference for recent customers: they reorder more.
    customer_index[repeat] = np.minimum(known - 1, (known * rng.random(repeat.sum()) ** 0.8).astype(np.int64))
    ctx.store["plan"] = {
        "order_day": order_day,
        "order_customer_index": customer_index,
        "is_first_order": is_new,
        "customer_count": customers,
        "base_customers": base,
        "customer_available_day": available_day,
    }


def customers(ctx: OrgContext) -> None:
    rng = ctx.rng("crm.customers")
    plan = ctx.store["plan"]
    ordering = plan["customer_count"]
    leads = max(5, int(ordering * 0.12))  # prospects that never ordered
    count = ordering + leads
    ids = ctx.ids("customers", count)
    commercial = rng.random(count) < ctx.profile.commercial_share
    first, last = person_names(rng, count)
    company = join(
        COMPANY_WORDS[rng.integers(0, len(COMPANY_WORDS), count)],
        " ",
        COMPANY_KINDS[rng.integers(0, len(COMPANY_KINDS), count)],
    )
    name = np.where(commercial, company, join(first, " ", last))
    # acquired_at: base customers months or years before the window; new ones 0-30 days before first order.
    first_day = np.concatenate([plan["customer_available_day"], rng.integers(0, ctx.days, leads)])
    base = np.arange(count) < plan["base_customers"]
    became_us = np.where(
        base,
        ctx.start_us - rng.integers(30, 1100, count) * US_PER_DAY,
        ctx.day_us(np.maximum(first_day, 0)) + 13 * US_PER_HOUR,
    )
    acquired_us = became_us - rng.integers(0, 30, count) * US_PER_DAY - rng.integers(0, 3600, count) * 1_000_000
    is_lead = np.arange(count) >= ordering
    acquired_us = np.where(is_lead, ctx.day_us(first_day) + 14 * US_PER_HOUR, acquired_us)

    order_customer = plan["order_customer_index"]
    last_order_day = np.full(count, -(10**6), dtype=np.int64)
    np.maximum.at(last_order_day, order_customer, plan["order_day"])
    last_order_day[base & (last_order_day < -1000)] = -rng.integers(1, 400, (base & (last_order_day < -1000)).sum())
    inactive = (~is_lead) & (last_order_day < ctx.days - 365)
    churned = inactive & (rng.random(count) < 0.5)
    churned_us = ctx.day_us(last_order_day + 365) + 10 * US_PER_HOUR
    churned &= (churned_us < ctx.end_us) & (churned_us >= became_us)
    status = np.where(is_lead, "lead", np.where(churned, "churned", np.where(inactive, "inactive", "active")))
    users = ctx.store["users"]
    reps = users["id"][users["role"] == "sales"]
    owner = reps[rng.integers(0, len(reps), count)]
    ctx.emit(
        "customers",
        {
            "id": ids,
            "customer_number": numbered("C", ids),
            "name": name,
            "legal_name": masked_strings(join(company, " LLC"), commercial),
            "customer_type": np.where(commercial, "commercial", "residential").astype(object),
            "status": status.astype(object),
            "owner_user_id": owner,
            "source": SOURCES[rng.choice(len(SOURCES), count, p=SOURCE_WEIGHTS)].astype(object),
            "email": emails(join(first, ".", last, ids.astype(str)), "mail.example"),
            "phone": join("+1-555-", rng.integers(1000000, 9999999, count).astype(str)),
            "tax_exempt": commercial & (rng.random(count) < 0.2),
            "acquired_at": acquired_us,
            "became_customer_at": masked(became_us, ~is_lead),
            "churned_at": masked(churned_us, churned),
            "credit_limit": masked(rng.choice([500000, 1000000, 2500000], count), commercial),
            "payment_terms_days": np.where(commercial, rng.choice([30, 45], count), rng.choice([0, 15], count)),
            "created_at": acquired_us,
            "updated_at": np.where(churned, churned_us, np.maximum(acquired_us, became_us)),
        },
    )
    late_payer = rng.random(count) < ctx.profile.late_payer_share
    ctx.store["customers"] = {
        "id": ids,
        "commercial": commercial,
        "owner": owner,
        "acquired_us": acquired_us,
        "became_us": became_us,
        "is_lead": is_lead,
        "late_payer": late_payer,
        "tax_exempt": commercial & (rng.random(count) < 0.2),
        "status": status,
        "terms_days": np.where(commercial, 30, 15),
    }
    _contacts_and_addresses(ctx, rng, ids, commercial, first, last, acquired_us)
    _tags_priorities_merges(ctx, rng, ids, commercial, acquired_us)


def masked_strings(values: np.ndarray, valid: np.ndarray) -> list:
    return [value if ok else None for value, ok in zip(values.tolist(), valid.tolist(), strict=True)]


def _contacts_and_addresses(ctx: OrgContext, rng, customer_ids, commercial, first, last, created) -> None:
    per_customer = np.where(commercial, rng.integers(1, 4, len(customer_ids)), 1)
    owners = np.repeat(np.arange(len(customer_ids)), per_customer)
    count = len(owners)
    is_primary = np.concatenate([[True], owners[1:] != owners[:-1]])
    contact_first, contact_last = person_names(rng, count)
    contact_first = np.where(is_primary & ~commercial[owners], first[owners], contact_first)
    contact_last = np.where(is_primary & ~commercial[owners], last[owners], contact_last)
    ids = ctx.ids("contacts", count)
    ctx.emit(
        "contacts",
        {
            "id": ids,
            "customer_id": customer_ids[owners],
            "first_name": contact_first.astype(object),
            "last_name": contact_last.astype(object),
            "email": emails(join(contact_first, ".", contact_last, ids.astype(str)), "mail.example"),
            "phone": join("+1-555-", rng.integers(1000000, 9999999, count).astype(str)),
            "job_title": masked_strings(
                np.array(["Facilities manager", "Owner", "Office manager"])[ids % 3], commercial[owners]
            ),
            "is_primary": is_primary,
            "preferred_channel": rng.choice(["email", "phone", "sms"], count, p=[0.6, 0.3, 0.1]).astype(object),
            "marketing_opt_in": rng.random(count) < 0.55,
            "created_at": created[owners],
            "updated_at": created[owners],
        },
    )
    primary_contact = ids[is_primary]
    ctx.store["customers"]["primary_contact"] = primary_contact

    # Every customer has a default service address; businesses also a default billing address.
    kinds = [("service", np.ones(len(customer_ids), bool)), ("billing", commercial)]
    rows_customer, rows_type = [], []
    for kind, mask in kinds:
        rows_customer.append(np.flatnonzero(mask))
        rows_type += [kind] * int(mask.sum())
    index = np.concatenate(rows_customer)
    count = len(index)
    address = street_addresses(rng, count)
    address_ids = ctx.ids("addresses", count)
    ctx.emit(
        "addresses",
        {
            "id": address_ids,
            "customer_id": customer_ids[index],
            "address_type": rows_type,
            "label": ["Site" if t == "service" else "Accounts" for t in rows_type],
            **address,
            "country": ["GB" if ctx.profile.currency == "GBP" else "US"] * count,
            "is_default": np.ones(count, bool),
            "created_at": created[index],
            "updated_at": created[index],
        },
    )
    service_address = np.zeros(len(customer_ids), dtype=np.int64)
    service_address[index[: len(customer_ids)]] = address_ids[: len(customer_ids)]
    ctx.store["customers"]["service_address"] = service_address


def _tags_priorities_merges(ctx: OrgContext, rng, customer_ids, commercial, created) -> None:
    tags = [
        "VIP",
        "Maintenance plan",
        "Property manager",
        "Referral partner",
        "Late payer",
        "New build",
        "Multi-site",
        "Do not call",
    ]
    tag_ids = ctx.ids("customer_tags", len(tags))
    first = np.full(len(tags), ctx.start_us - 500 * US_PER_DAY)
    ctx.emit(
        "customer_tags",
        {
            "id": tag_ids,
            "name": tags,
            "color": ["#d97706", "#2563eb", "#7c3aed", "#059669", "#dc2626", "#0891b2", "#4f46e5", "#6b7280"][
                : len(tags)
            ],
            "created_at": first,
            "updated_at": first,
        },
    )
    tagged = np.flatnonzero(rng.random(len(customer_ids)) < 0.3)
    second = tagged[rng.random(len(tagged)) < 0.3]
    who = np.concatenate([tagged, second])
    which = np.concatenate(
        [rng.integers(0, len(tags) // 2, len(tagged)), rng.integers(len(tags) // 2, len(tags), len(second))]
    )
    count = len(who)
    ctx.emit(
        "customer_tag_assignments",
        {
            "id": ctx.ids("customer_tag_assignments", count),
            "customer_id": customer_ids[who],
            "tag_id": tag_ids[which],
            "assigned_by_user_id": ctx.store["customers"]["owner"][who],
            "created_at": ctx.clamp_us(created[who] + US_PER_DAY),
            "updated_at": ctx.clamp_us(created[who] + US_PER_DAY),
        },
    )
    chosen = np.flatnonzero(commercial)
    count = len(chosen)
    valid_from = np.maximum(created[chosen] // US_PER_DAY, ctx.start_day - 400)
    ctx.emit(
        "customer_priorities",
        {
            "id": ctx.ids("customer_priorities", count),
            "customer_id": customer_ids[chosen],
            "priority": rng.choice(["normal", "high", "urgent"], count, p=[0.6, 0.3, 0.1]).astype(object),
            "tier": rng.choice(["standard", "silver", "gold", "platinum"], count, p=[0.4, 0.3, 0.2, 0.1]).astype(
                object
            ),
            "set_by_user_id": ctx.store["customers"]["owner"][chosen],
            "valid_from": valid_from,
            "created_at": valid_from * US_PER_DAY,
            "updated_at": valid_from * US_PER_DAY,
        },
    )
    leads = np.flatnonzero(ctx.store["customers"]["is_lead"])
    merges = min(3, len(leads) // 2)
    merged_at = ctx.clamp_us(ctx.start_us + rng.integers(0, ctx.days, merges) * US_PER_DAY + 15 * US_PER_HOUR)
    ctx.emit(
        "customer_merge_audit",
        {
            "id": ctx.ids("customer_merge_audit", merges),
            "surviving_customer_id": customer_ids[leads[:merges]],
            "merged_customer_id": customer_ids[leads[merges : 2 * merges]],
            "merged_by_user_id": np.full(merges, ctx.store["owner_user_id"]),
            "merged_at": merged_at,
            "reason": ["Duplicate lead from web form"] * merges,
            "snapshot": to_json([{"source": "web"}] * merges),
            "created_at": merged_at,
            "updated_at": merged_at,
        },
    )


def pipeline(ctx: OrgContext) -> None:
    """Opportunities behind commercial orders (won), plus lost and still-open ones, with quotes and activities."""
    rng = ctx.rng("crm.pipeline")
    orders = ctx.store["orders"]
    customers = ctx.store["customers"]
    reasons_won, reasons_lost = _reasons(ctx)

    won_orders = np.flatnonzero(customers["commercial"][orders["customer_index"]] & (orders["status"] != "draft"))
    won_orders = won_orders[rng.random(len(won_orders)) < 0.85]
    won = len(won_orders)
    lost = int(won * 0.9)
    open_count = max(3, int(won * 0.25))
    total = won + lost + open_count
    ids = ctx.ids("opportunities", total)
    outcome = np.array(["won"] * won + ["lost"] * lost + ["open"] * open_count)

    commercial_customers = np.flatnonzero(customers["commercial"] & ~customers["is_lead"])
    if len(commercial_customers) == 0:
        commercial_customers = np.flatnonzero(~customers["is_lead"])
    customer_index = np.concatenate(
        [
            orders["customer_index"][won_orders],
            commercial_customers[rng.integers(0, len(commercial_customers), lost + open_count)],
        ]
    )
    cycle_days = rng.integers(7, 75, total)
    close_us = np.concatenate(
        [
            orders["order_us"][won_orders],
            ctx.start_us
            + rng.integers(20, max(21, ctx.days), lost) * US_PER_DAY
            + rng.integers(13, 22, lost) * US_PER_HOUR,
            np.zeros(open_count, dtype=np.int64),
        ]
    )
    created_us = close_us - cycle_days * US_PER_DAY
    created_us[won + lost :] = ctx.end_us - rng.integers(1, 60, open_count) * US_PER_DAY - 8 * US_PER_HOUR
    created_us = np.maximum(created_us, customers["acquired_us"][customer_index] + US_PER_HOUR)
    close_us = np.where(outcome == "open", 0, np.maximum(close_us, created_us + US_PER_HOUR))
    amount = np.concatenate(
        [
            orders["total"][won_orders],
            (rng.lognormal(9.3, 0.7, lost + open_count) * 100).astype(np.int64),
        ]
    )
    # Furthest stage reached before closing: won deals passed negotiation; lost ones stopped anywhere.
    reached = np.where(outcome == "won", 3, rng.integers(0, 4, total))
    stage_now = np.where(outcome == "open", np.array(STAGES)[reached], outcome)
    # Stage entry times spread between creation and close (or now for open deals).
    horizon = np.where(outcome == "open", ctx.end_us - US_PER_HOUR, close_us)
    fractions = np.sort(rng.random((total, 3)), axis=1)
    stage_entered = np.empty((total, 4), dtype=np.int64)
    stage_entered[:, 0] = created_us
    stage_entered[:, 1:] = created_us[:, None] + (fractions * (horizon - created_us)[:, None]).astype(np.int64)
    entered_current = np.where(outcome == "open", stage_entered[np.arange(total), reached], close_us)
    ctx.store["users"]
    owner = customers["owner"][customer_index]
    won_mask, lost_mask = outcome == "won", outcome == "lost"
    reason = np.where(
        won_mask,
        reasons_won[rng.integers(0, len(reasons_won), total)],
        reasons_lost[rng.integers(0, len(reasons_lost), total)],
    )
    contact = customers["primary_contact"][customer_index]
    campaign_id, from_campaign = _campaign_sources(ctx, rng, created_us)
    ctx.emit(
        "opportunities",
        {
            "id": ids,
            "opportunity_number": numbered("OP", ids),
            "name": join(
                np.array(["New installation", "System upgrade", "Service contract", "Replacement"])[ids % 4],
                " #",
                ids.astype(str),
            ),
            "customer_id": customers["id"][customer_index],
            "contact_id": contact,
            "owner_user_id": owner,
            "stage": stage_now.astype(object),
            "status": np.where(outcome == "open", "open", outcome).astype(object),
            "amount": amount,
            "currency": [ctx.profile.currency] * total,
            "probability": np.array([STAGE_PROBABILITY[s] for s in stage_now.tolist()]),
            "expected_close_date": np.where(
                outcome == "open", (ctx.end_us // US_PER_DAY) + rng.integers(5, 60, total), close_us // US_PER_DAY
            ),
            "stage_entered_at": entered_current,
            "closed_at": masked(close_us, outcome != "open"),
            "won_at": masked(close_us, won_mask),
            "lost_at": masked(close_us, lost_mask),
            "win_loss_reason_id": masked(reason, outcome != "open"),
            "source": SOURCES[rng.choice(len(SOURCES), total, p=SOURCE_WEIGHTS)].astype(object),
            "campaign_id": masked(campaign_id, from_campaign),
            "created_at": created_us,
            "updated_at": np.where(outcome == "open", entered_current, close_us),
        },
    )
    opportunity_of_order = np.zeros(len(orders["id"]), dtype=np.int64)
    opportunity_of_order[won_orders] = ids[:won]
    orders["opportunity_id"] = opportunity_of_order
    _stage_history(ctx, rng, ids, outcome, reached, stage_entered, close_us, owner, contact)
    _quotes(
        ctx,
        rng,
        ids,
        outcome,
        reached,
        stage_entered,
        close_us,
        customers["id"][customer_index],
        contact,
        owner,
        amount,
        won_orders,
    )


def _campaign_sources(ctx: OrgContext, rng, created_us: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """About 15 % of deals come from a campaign that had started (and was not a draft) when the deal opened."""
    campaigns = ctx.store.get("engagement", {}).get("campaigns")
    count = len(created_us)
    if not campaigns or len(campaigns["id"]) == 0:
        return np.zeros(count, dtype=np.int64), np.zeros(count, dtype=bool)
    live = np.isin(campaigns["status"], ["running", "paused", "completed"])
    order = np.argsort(campaigns["starts_us"])
    order = order[live[order]]
    starts = campaigns["starts_us"][order]
    started = np.searchsorted(starts, created_us, side="right")  # campaigns started before each deal
    chosen = np.maximum(started - 1 - rng.integers(0, 3, count), 0)  # one of the latest few
    valid = (started > 0) & (rng.random(count) < 0.15)
    return campaigns["id"][order][np.minimum(chosen, max(len(order) - 1, 0))] if len(order) else np.zeros(
        count, np.int64
    ), valid


def _reasons(ctx: OrgContext):
    names = WON_REASONS + LOST_REASONS
    ids = ctx.ids("win_loss_reasons", len(names))
    first = np.full(len(names), ctx.start_us - 500 * US_PER_DAY)
    ctx.emit(
        "win_loss_reasons",
        {
            "id": ids,
            "outcome": ["won"] * len(WON_REASONS) + ["lost"] * len(LOST_REASONS),
            "name": names,
            "created_at": first,
            "updated_at": first,
        },
    )
    return ids[: len(WON_REASONS)], ids[len(WON_REASONS) :]


def _stage_history(ctx, rng, ids, outcome, reached, stage_entered, close_us, owner, contact) -> None:
    """One stage_change activity per step, plus calls and meetings: the pipeline can be replayed for any day."""
    rows_opp, rows_from, rows_to, rows_at = [], [], [], []
    for step in range(1, 4):
        moved = reached >= step
        rows_opp.append(np.flatnonzero(moved))
        rows_from += [STAGES[step - 1]] * int(moved.sum())
        rows_to += [STAGES[step]] * int(moved.sum())
        rows_at.append(stage_entered[moved, step])
    closed = outcome != "open"
    rows_opp.append(np.flatnonzero(closed))
    rows_from += np.array(STAGES)[reached[closed]].tolist()
    rows_to += outcome[closed].tolist()
    rows_at.append(close_us[closed])
    index = np.concatenate(rows_opp)
    touches = np.repeat(np.arange(len(ids)), rng.integers(1, 4, len(ids)))
    touch_at = stage_entered[touches, 0] + (
        rng.random(len(touches))
        * (np.where(closed[touches], close_us[touches], ctx.end_us - US_PER_HOUR) - stage_entered[touches, 0])
    ).astype(np.int64)
    count_changes, count_touches = len(index), len(touches)
    occurred = np.concatenate([np.concatenate(rows_at), touch_at])
    all_index = np.concatenate([index, touches])
    kinds = rng.choice(["call", "email", "meeting", "note"], count_touches, p=[0.4, 0.3, 0.2, 0.1])
    ctx.emit(
        "opportunity_activities",
        {
            "id": ctx.ids("opportunity_activities", count_changes + count_touches),
            "opportunity_id": ids[all_index],
            "user_id": owner[all_index],
            "contact_id": contact[all_index],
            "activity_type": ["stage_change"] * count_changes + kinds.tolist(),
            "from_stage": rows_from + [None] * count_touches,
            "to_stage": rows_to + [None] * count_touches,
            "subject": ["Stage changed"] * count_changes + [f"{k.title()} with customer" for k in kinds.tolist()],
            "occurred_at": occurred,
            "created_at": occurred,
            "updated_at": occurred,
        },
    )


def _quotes(
    ctx,
    rng,
    opportunity_ids,
    outcome,
    reached,
    stage_entered,
    close_us,
    customer_id,
    contact,
    owner,
    amount,
    won_orders,
) -> None:
    """A quote for every deal that reached the proposal stage; accepted when won, rejected when lost."""
    quoted = np.flatnonzero(reached >= 2)
    count = len(quoted)
    ids = ctx.ids("quotes", count)
    sent = stage_entered[quoted, 2]
    created = sent - rng.integers(1, 48, count) * US_PER_HOUR
    created = np.maximum(created, stage_entered[quoted, 0])
    sent = np.maximum(sent, created)
    result = outcome[quoted]
    viewed = sent + rng.integers(1, 72, count) * US_PER_HOUR
    settled = close_us[quoted]
    viewed = np.where(result == "open", np.minimum(viewed, ctx.end_us - 1), np.minimum(viewed, settled))
    valid_until = sent // US_PER_DAY + 30
    expired = (result == "open") & (valid_until < ctx.end_us // US_PER_DAY)
    status = np.where(
        result == "won", "accepted", np.where(result == "lost", "rejected", np.where(expired, "expired", "viewed"))
    )
    total = amount[quoted]
    tax = total * 7 // 107
    subtotal = total - tax
    ctx.emit(
        "quotes",
        {
            "id": ids,
            "quote_number": numbered("Q", ids),
            "opportunity_id": opportunity_ids[quoted],
            "customer_id": customer_id[quoted],
            "contact_id": contact[quoted],
            "owner_user_id": owner[quoted],
            "status": status.astype(object),
            "title": [f"Proposal {i}" for i in ids.tolist()],
            "sent_at": sent,
            "viewed_at": masked(viewed, status != "expired"),
            "accepted_at": masked(settled, status == "accepted"),
            "rejected_at": masked(settled, status == "rejected"),
            "valid_until": valid_until,
            "subtotal": subtotal,
            "discount_total": np.zeros(count, dtype=np.int64),
            "tax_total": tax,
            "total": total,
            "currency": [ctx.profile.currency] * count,
            "created_at": created,
            "updated_at": np.where(result == "open", viewed, settled),
        },
    )
    versions = np.where(rng.random(count) < 0.3, 2, 1)
    index = np.repeat(np.arange(count), versions)
    number = np.concatenate([np.arange(1, v + 1) for v in versions]) if count else np.array([], dtype=np.int64)
    final = number == versions[index]
    version_total = np.where(final, total[index], total[index] * 105 // 100)
    version_tax = version_total * 7 // 107
    at = created[index] + (number - 1) * US_PER_HOUR
    ctx.emit(
        "quote_versions",
        {
            "id": ctx.ids("quote_versions", len(index)),
            "quote_id": ids[index],
            "version_number": number,
            "line_items": to_json([{"lines": 1}] * len(index)),
            "subtotal": version_total - version_tax,
            "discount_total": np.zeros(len(index), dtype=np.int64),
            "tax_total": version_tax,
            "total": version_total,
            "created_by_user_id": owner[quoted][index],
            "change_summary": np.where(number == 1, "First version", "Revised price").astype(object),
            "created_at": at,
            "updated_at": at,
        },
    )
    orders = ctx.store["orders"]
    quote_of_order = np.zeros(len(orders["id"]), dtype=np.int64)
    won_quoted = result == "won"
    position = np.searchsorted(opportunity_ids[: len(won_orders)], opportunity_ids[quoted][won_quoted])
    quote_of_order[won_orders[position]] = ids[won_quoted]
    orders["quote_id"] = quote_of_order
