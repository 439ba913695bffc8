"""Engagement: e-mail templates and signatures, marketing campaigns and their recipients, the e-mail log
(invoices, quotes, follow-ups, inbound mail) and scheduled e-mails and calls.

Steps:
- `campaigns` (after "customers", before "pipeline", which links opportunities to campaigns): email_templates,
  email_signatures, email_campaigns.
- `messages` (at the end of the pipeline): campaign_recipients, email_history, scheduled_emails, scheduled_calls.

ctx.store written here:
- "campaign_ids": ids of email_campaigns (numpy int64), in start order.
- "engagement": {"templates": {category: template id}, "campaigns": {id, status, channel, campaign_type,
  starts_us, ends_us, created_us, template_id}, "user_email": e-mail per ctx.store["users"] index}
- "loaded": rows read back from the database by `load` (contacts, quotes, opportunities, user_sessions, ...)
  for the tables whose generators keep nothing in ctx.store; shared with the timeline and analytics modules.

Planned times may lie after the window (a scheduled campaign's starts_at, a running campaign's ends_at, a
pending scheduled e-mail's scheduled_for, an upcoming call's scheduled_for); every created_at, updated_at and
every time something actually happened is before ctx.end_us.
"""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from oltp.schemas import APP_SCHEMA
from oltp.synthetic.arrow import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, masked
from oltp.synthetic.context import OrgContext
from oltp.synthetic.domains.common import join, numbered, text, to_json

US_PER_SECOND = 1_000_000

# ---------------------------------------------------------------------------------------------------------------
# Reading back rows that earlier steps wrote but did not keep in ctx.store


def _us(column: str) -> str:
    """SQL for a timestamptz column as integer microseconds since the epoch, -1 when NULL."""
    return f"coalesce((extract(epoch from {column}) * 1000000)::bigint, -1) as {column.split('.')[-1]}"


QUERIES = {
    "contacts": "select id, customer_id, email, coalesce(phone, '') as phone, marketing_opt_in, is_primary "
    "from app.contacts where organization_id = {org} order by id",
    "users": "select id, email from app.users where organization_id = {org} order by id",
    "quotes": f"select id, coalesce(opportunity_id, 0) as opportunity_id, customer_id, coalesce(contact_id, 0) "
    f"as contact_id, coalesce(owner_user_id, 0) as owner_user_id, status, quote_number, {_us('sent_at')}, "
    f"{_us('viewed_at')}, {_us('accepted_at')}, {_us('rejected_at')}, {_us('created_at')}, total "
    "from app.quotes where organization_id = {org} order by id",
    "opportunities": f"select id, customer_id, coalesce(contact_id, 0) as contact_id, coalesce(owner_user_id, 0) "
    f"as owner_user_id, status, stage, opportunity_number, {_us('created_at')}, {_us('closed_at')}, amount "
    "from app.opportunities where organization_id = {org} order by id",
    "user_sessions": f"select user_id, ip_address, user_agent, {_us('started_at')} "
    "from app.user_sessions where organization_id = {org} order by id",
    "issues": f"select customer_id, {_us('opened_at')}, {_us('resolved_at')}, {_us('closed_at')} "
    "from app.issues where organization_id = {org} and deleted_at is null",
}


def load(ctx: OrgContext, name: str) -> dict[str, np.ndarray]:
    """Rows of an already written table (QUERIES[name]) as numpy columns, read once per organization.

    Integers (ids, microseconds with -1 for NULL, money in cents for numeric(14,2)) come back as int64, text as
    object arrays, booleans as bool.
    """
    cache = ctx.store.setdefault("loaded", {})
    if name not in cache:
        cache[name] = read_sql(ctx, QUERIES[name].format(org=int(ctx.org_id)))
    return cache[name]


def read_sql(ctx: OrgContext, sql: str) -> dict[str, np.ndarray]:
    """Result of a query as numpy columns, fetched with COPY ... TO STDOUT (fast for large results)."""
    conn = ctx.loader.reading(*re.findall(rf"\b{APP_SCHEMA}\.(\w+)", sql))
    with conn.cursor() as cursor, cursor.copy(f"copy ({sql}) to stdout (format csv, header)") as copy:
        data = b"".join(bytes(block) for block in copy)
    header = data.split(b"\n", 1)[0].decode()
    names = header.split(",")
    if data.count(b"\n") <= 1:
        return {name: np.array([], dtype=np.int64) for name in names}
    table = pacsv.read_csv(
        io.BytesIO(data),
        convert_options=pacsv.ConvertOptions(true_values=["t"], false_values=["f"], strings_can_be_null=False),
    )
    result = {}
    for name in names:
        column = table.column(name)
        if pa.types.is_decimal(column.type) or pa.types.is_floating(column.type):
            # numeric(14,2) money: back to integer cents
            values = np.round(column.to_numpy(zero_copy_only=False).astype(float) * 100).astype(np.int64)
        elif pa.types.is_integer(column.type):
            values = column.fill_null(-1).to_numpy().astype(np.int64)
        elif pa.types.is_boolean(column.type):
            values = column.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
        elif pa.types.is_null(column.type):
            values = np.full(len(column), None, dtype=object)
        else:
            values = column.cast(pa.string()).to_numpy(zero_copy_only=False).astype(object)
        result[name] = values
    return result


def contacts(ctx: OrgContext) -> dict[str, np.ndarray]:
    """Contacts with "customer_index" (into ctx.store["customers"]) added."""
    rows = load(ctx, "contacts")
    if "customer_index" not in rows:
        rows["customer_index"] = np.searchsorted(ctx.store["customers"]["id"], rows["customer_id"])
    return rows


def user_emails(ctx: OrgContext) -> np.ndarray:
    """E-mail address of each user, aligned with ctx.store["users"]["id"]."""
    engagement = ctx.store.setdefault("engagement", {})
    if "user_email" not in engagement:
        rows = load(ctx, "users")
        position = np.searchsorted(rows["id"], ctx.store["users"]["id"])
        engagement["user_email"] = rows["email"][position]
    return engagement["user_email"]


def user_index(ctx: OrgContext, user_ids: np.ndarray) -> np.ndarray:
    return np.searchsorted(ctx.store["users"]["id"], np.asarray(user_ids, dtype=np.int64))


def contact_email(ctx: OrgContext, contact_ids: np.ndarray) -> np.ndarray:
    rows = contacts(ctx)
    return rows["email"][np.searchsorted(rows["id"], np.asarray(contact_ids, dtype=np.int64))]


# ---------------------------------------------------------------------------------------------------------------
# Step 1: templates, signatures and campaigns

TEMPLATES = [
    ("Monthly newsletter", "marketing", "News from {org_name}: {month}", ["first_name", "month"]),
    ("Seasonal promotion", "marketing", "{first_name}, save on your next service", ["first_name", "offer"]),
    ("Win-back offer", "marketing", "We miss you, {first_name}", ["first_name", "offer"]),
    ("Product announcement", "marketing", "New from {org_name}", ["first_name"]),
    ("Nurture sequence", "marketing", "Getting the most from your system", ["first_name"]),
    ("Quote sent", "quote", "Your proposal {quote_number}", ["first_name", "quote_number", "quote_total"]),
    ("Quote follow-up", "quote", "Following up on proposal {quote_number}", ["first_name", "quote_number"]),
    ("Order confirmation", "order", "Order {order_number} confirmed", ["first_name", "order_number"]),
    ("Invoice", "invoice", "Invoice {invoice_number}", ["first_name", "invoice_number", "amount_due", "due_date"]),
    ("Service reminder", "reminder", "Time for your annual service", ["first_name", "last_service_date"]),
    ("Support reply", "support", "Re: {issue_subject}", ["first_name", "issue_number"]),
    ("General", "general", "{subject}", ["first_name", "subject"]),
]

# campaign type -> (probability, channels, channel probabilities, duration days (low, high), template name)
CAMPAIGN_TYPES = {
    "newsletter": (0.25, ["email"], [1.0], (1, 3), "Monthly newsletter"),
    "promotion": (0.3, ["email", "sms", "direct_mail", "social"], [0.5, 0.2, 0.15, 0.15], (14, 31),
                  "Seasonal promotion"),
    "nurture": (0.1, ["email"], [1.0], (30, 61), "Nurture sequence"),
    "announcement": (0.1, ["email", "social", "event"], [0.5, 0.3, 0.2], (3, 8), "Product announcement"),
    "follow_up": (0.1, ["email", "phone"], [0.6, 0.4], (7, 15), "General"),
    "reactivation": (0.15, ["email", "direct_mail", "phone"], [0.5, 0.3, 0.2], (14, 29), "Win-back offer"),
}  # fmt: skip
BUDGET = {"email": (200, 2000), "sms": (300, 1500), "direct_mail": (1500, 8000), "social": (500, 5000),
          "event": (2000, 10000), "phone": (800, 4000)}  # fmt: skip
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SEASONS = ["Winter", "Winter", "Spring", "Spring", "Spring", "Summer", "Summer", "Summer", "Fall", "Fall", "Fall",
           "Winter"]  # fmt: skip


def campaigns(ctx: OrgContext) -> None:
    rng = ctx.rng("engagement.campaigns")
    engagement = ctx.store.setdefault("engagement", {})
    owner = ctx.store["owner_user_id"]
    users = ctx.store["users"]

    count = len(TEMPLATES)
    template_ids = ctx.ids("email_templates", count)
    created = ctx.start_us - rng.integers(200, 400, count) * US_PER_DAY
    ctx.emit(
        "email_templates",
        {
            "id": template_ids,
            "name": [t[0] for t in TEMPLATES],
            "category": [t[1] for t in TEMPLATES],
            "subject": [t[2] for t in TEMPLATES],
            "body_html": [f"<p>Hello {{first_name}},</p><p>{t[2]}</p>" for t in TEMPLATES],
            "body_text": [f"Hello {{first_name}},\n\n{t[2]}" for t in TEMPLATES],
            "variables": [json.dumps(t[3]) for t in TEMPLATES],
            "is_active": np.ones(count, bool),
            "created_by_user_id": np.full(count, owner),
            "created_at": created,
            "updated_at": created + rng.integers(0, 100, count) * US_PER_DAY,
        },
    )
    by_name = {t[0]: int(i) for t, i in zip(TEMPLATES, template_ids.tolist(), strict=True)}
    engagement["templates"] = by_name

    # One default signature per user, and an organization-wide one.
    n_users = len(users["id"])
    sig_created = ctx.start_us - rng.integers(1, 20, n_users + 1) * US_PER_DAY
    names = user_display_names(ctx)
    org_name = ctx.profile.name
    ctx.emit(
        "email_signatures",
        {
            "id": ctx.ids("email_signatures", n_users + 1),
            "user_id": masked(np.append(users["id"], 0), np.arange(n_users + 1) < n_users),
            "name": ["Default"] * n_users + ["Company footer"],
            "content_html": join("<p>", np.append(names, org_name), "<br>", np.append(
                np.char.capitalize(users["role"].astype(str)).astype(object), "Customer service"), "<br>", org_name,
                "</p>").tolist(),
            "is_default": np.append(np.ones(n_users, bool), False),
            "created_at": sig_created,
            "updated_at": sig_created,
        },
    )  # fmt: skip
    _campaigns(ctx, rng, by_name)


def user_display_names(ctx: OrgContext) -> np.ndarray:
    """Names for signatures, from the e-mail address (first.last123@...)."""
    local = np.array([e.split("@")[0] for e in user_emails(ctx).tolist()], dtype=object)
    return np.array([" ".join(p.capitalize() for p in s.rstrip("0123456789").split(".")) for s in local.tolist()],
                    dtype=object)  # fmt: skip


def _campaigns(ctx: OrgContext, rng, templates: dict[str, int]) -> None:
    users = ctx.store["users"]
    marketers = users["id"][np.isin(users["role"], ["sales", "admin"]) & users["active"]]
    if len(marketers) == 0:
        marketers = np.array([ctx.store["owner_user_id"]])
    first_month = np.datetime64(ctx.start, "M")
    last_month = (np.datetime64(ctx.start, "D") + ctx.days - 1).astype("datetime64[M]")
    months = np.arange(first_month, last_month + 1)
    month_start = months.astype("datetime64[D]").astype(np.int64)
    start_day = np.maximum(month_start + rng.integers(0, 20, len(months)), ctx.start_day)
    starts = start_day * US_PER_DAY + rng.integers(13, 17, len(months)) * US_PER_HOUR
    # The month after the window: a campaign already set up for it (scheduled).
    next_start = ctx.end_us + rng.integers(3, 20) * US_PER_DAY + 14 * US_PER_HOUR
    starts = np.append(starts, next_start)
    n = len(starts)
    kinds = list(CAMPAIGN_TYPES)
    kind = np.array(kinds)[rng.choice(len(kinds), n, p=[CAMPAIGN_TYPES[k][0] for k in kinds])]
    channel = np.array([rng.choice(CAMPAIGN_TYPES[k][1], p=CAMPAIGN_TYPES[k][2]) for k in kind.tolist()])
    duration = np.array([rng.integers(*CAMPAIGN_TYPES[k][3]) for k in kind.tolist()], dtype=np.int64)
    ends = starts + duration * US_PER_DAY
    created = starts - rng.integers(5, 25, n) * US_PER_DAY - rng.integers(0, 8, n) * US_PER_HOUR
    keep = created < ctx.end_us
    # Draft: being prepared at the end of the window, no date yet.
    starts, ends, created, kind, channel = starts[keep], ends[keep], created[keep], kind[keep], channel[keep]
    draft_created = ctx.end_us - rng.integers(1, 6) * US_PER_DAY - 5 * US_PER_HOUR
    starts, ends = np.append(starts, 0), np.append(ends, 0)
    created = np.append(created, draft_created)
    kind, channel = np.append(kind, "newsletter"), np.append(channel, "email")
    n = len(starts)
    draft = np.arange(n) == n - 1
    cancelled = (~draft) & (rng.random(n) < 0.05) & (starts < ctx.end_us - 30 * US_PER_DAY)
    paused = (~draft) & (rng.random(n) < 0.25)
    status = np.select(
        [draft, cancelled, starts >= ctx.end_us, ends < ctx.end_us, paused],
        ["draft", "cancelled", "scheduled", "completed", "paused"],
        "running",
    )
    cancelled_us = created + (starts - created) // 2
    paused_us = np.minimum(starts + (ctx.end_us - starts) // 2, ctx.end_us - US_PER_HOUR)
    updated = np.select(
        [status == "cancelled", status == "completed", status == "paused", status == "running"],
        [cancelled_us, ends, paused_us, starts],
        created,
    )
    has_start = status != "draft"
    has_end = ~np.isin(status, ["draft", "cancelled"])
    low = np.array([BUDGET[c][0] for c in channel.tolist()])
    high = np.array([BUDGET[c][1] for c in channel.tolist()])
    budget = (low + rng.random(n) * (high - low)) * min(2.0, max(0.5, ctx.profile.size))
    budget = (budget // 50 * 50 * 100).astype(np.int64)
    named_us = np.where(has_start, starts, created + 20 * US_PER_DAY)  # a draft is for the coming month
    month_index = (named_us // US_PER_DAY).astype("datetime64[D]").astype(
        "datetime64[M]").astype(np.int64) % 12  # fmt: skip
    year = (named_us // US_PER_DAY).astype("datetime64[D]").astype("datetime64[Y]").astype(
        np.int64) + 1970  # fmt: skip
    label = {"newsletter": "newsletter", "promotion": "promotion", "nurture": "nurture series",
             "announcement": "announcement", "follow_up": "customer follow-up", "reactivation": "win-back"}  # fmt: skip
    name = [
        f"{MONTH_NAMES[m]} {y} {label[k]}" if k in ("newsletter", "follow_up") else f"{SEASONS[m]} {y} {label[k]}"
        for m, y, k in zip(month_index.tolist(), year.tolist(), kind.tolist(), strict=True)
    ]
    # Names must read well, duplicates are allowed (no unique key) but avoid confusion with a suffix.
    seen: dict[str, int] = {}
    for i, value in enumerate(name):
        seen[value] = seen.get(value, 0) + 1
        if seen[value] > 1:
            name[i] = f"{value} ({seen[value]})"
    audience = []
    for k in kind.tolist():
        if k == "reactivation":
            audience.append({"marketing_opt_in": True, "no_order_in_days": 180})
        elif k == "follow_up":
            audience.append({"marketing_opt_in": True, "ordered_within_days": 90})
        else:
            audience.append({"marketing_opt_in": True, "customer_status": ["active", "inactive", "lead"]})
    template = np.array([templates[CAMPAIGN_TYPES[k][4]] for k in kind.tolist()], dtype=np.int64)
    uses_template = np.isin(channel, ["email", "sms"])
    ids = ctx.ids("email_campaigns", n)
    ctx.emit(
        "email_campaigns",
        {
            "id": ids,
            "name": name,
            "description": [f"{label[k].capitalize()} via {c.replace('_', ' ')}" for k, c in
                            zip(kind.tolist(), channel.tolist(), strict=True)],
            "status": status.astype(object),
            "channel": channel.astype(object),
            "campaign_type": kind.astype(object),
            "template_id": masked(template, uses_template),
            "subject": [nm if c == "email" else None for nm, c in zip(name, channel.tolist(), strict=True)],
            "owner_user_id": marketers[rng.integers(0, len(marketers), n)],
            "audience_filter": to_json(audience),
            "starts_at": masked(starts, has_start),
            "ends_at": masked(ends, has_end),
            "budget": masked(budget, ~draft),
            "created_at": created,
            "updated_at": updated,
        },
    )  # fmt: skip
    ctx.store["campaign_ids"] = ids
    ctx.store["engagement"]["campaigns"] = {
        "id": ids, "status": status, "channel": channel, "campaign_type": kind, "starts_us": starts,
        "ends_us": ends, "created_us": created, "template_id": template, "open_rate": rng.uniform(0.18, 0.45, n),
        "click_rate": rng.uniform(0.08, 0.3, n),
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Step 2: recipients, the e-mail log, scheduled e-mails and calls


def messages(ctx: OrgContext) -> None:
    rng = ctx.rng("engagement.messages")
    for name in ("quotes", "opportunities", "contacts", "users"):  # one wait for queued writes, before emitting
        load(ctx, name)
    _recipients(ctx, rng)
    follow_ups = _plan_scheduled_emails(ctx, rng)
    _email_history(ctx, rng, follow_ups)
    _scheduled_emails(ctx, follow_ups)
    _scheduled_calls(ctx, rng)


def _recipients(ctx: OrgContext, rng) -> None:
    """A sample of opted-in contacts per e-mail/SMS campaign; unsubscribed contacts get nothing afterwards."""
    campaigns_ = ctx.store["engagement"]["campaigns"]
    customers = ctx.store["customers"]
    orders = ctx.store["orders"]
    people = contacts(ctx)
    opted_in = people["marketing_opt_in"].copy()
    customer_of = people["customer_index"]
    acquired = customers["acquired_us"][customer_of]
    sms_ok = people["phone"] != ""
    order_customer, order_us = orders["customer_index"], orders["order_us"]
    parts = []
    order = np.argsort(campaigns_["starts_us"], kind="stable")
    for c in order.tolist():
        status, channel = campaigns_["status"][c], campaigns_["channel"][c]
        if status not in ("running", "paused", "completed") or channel not in ("email", "sms"):
            continue
        start, end = int(campaigns_["starts_us"][c]), int(campaigns_["ends_us"][c])
        eligible = opted_in & (acquired < start)
        if channel == "sms":
            eligible &= sms_ok
        kind = campaigns_["campaign_type"][c]
        if kind in ("reactivation", "follow_up"):
            window = 180 if kind == "reactivation" else 90
            recent = np.zeros(len(customers["id"]), bool)
            recent[order_customer[(order_us < start) & (order_us >= start - window * US_PER_DAY)]] = True
            eligible &= ~recent[customer_of] if kind == "reactivation" else recent[customer_of]
        pool = np.flatnonzero(eligible)
        if len(pool) == 0:
            continue
        chosen = np.sort(rng.choice(pool, min(len(pool), int(rng.integers(60, 300))), replace=False))
        address = people["email"][chosen] if channel == "email" else people["phone"][chosen]
        _, first = np.unique(address.astype(str), return_index=True)
        chosen, address = chosen[np.sort(first)], address[np.sort(first)]
        k = len(chosen)
        spread = (end - start) if kind in ("nurture", "follow_up", "reactivation") else 4 * US_PER_HOUR
        sent = start + (rng.random(k) * spread).astype(np.int64)
        is_sent = sent < ctx.end_us
        bounced = is_sent & (rng.random(k) < (0.03 if channel == "email" else 0.01))
        delivered_at = sent + rng.integers(1, 120, k) * US_PER_SECOND
        delivered = is_sent & ~bounced & (rng.random(k) < 0.99) & (delivered_at < ctx.end_us)
        bounced_at = sent + rng.integers(5, 600, k) * US_PER_SECOND
        bounced &= bounced_at < ctx.end_us
        opened_at = delivered_at + (rng.exponential(8, k) * US_PER_HOUR).astype(np.int64)
        opened = delivered & (channel == "email") & (rng.random(k) < campaigns_["open_rate"][c])
        opened &= opened_at < ctx.end_us
        base = np.where(opened, opened_at, delivered_at)
        clicked_at = base + rng.integers(10, 1800, k) * US_PER_SECOND
        click_rate = campaigns_["click_rate"][c] if channel == "email" else 0.05
        clicked = np.where(channel == "email", opened, delivered) & (rng.random(k) < click_rate)
        clicked &= clicked_at < ctx.end_us
        unsub_at = base + rng.integers(30, 3600, k) * US_PER_SECOND
        unsubscribed = delivered & (rng.random(k) < 0.008) & (unsub_at < ctx.end_us)
        status_r = np.select(
            [unsubscribed, clicked, opened, delivered, bounced, is_sent],
            ["unsubscribed", "clicked", "opened", "delivered", "bounced", "sent"],
            "pending",
        )
        opted_in[chosen[unsubscribed]] = False
        created = np.full(k, max(int(campaigns_["created_us"][c]), start - US_PER_HOUR))
        stamps = np.stack([
            created, np.where(is_sent, sent, 0), np.where(delivered, delivered_at, 0), np.where(opened, opened_at, 0),
            np.where(clicked, clicked_at, 0), np.where(bounced, bounced_at, 0), np.where(unsubscribed, unsub_at, 0),
        ])  # fmt: skip
        parts.append({
            "campaign_id": np.full(k, campaigns_["id"][c]),
            "customer_id": customers["id"][customer_of[chosen]],
            "contact_id": people["id"][chosen],
            "email_address": address,
            "status": status_r.astype(object),
            "sent_at": masked(sent, is_sent),
            "delivered_at": masked(delivered_at, delivered),
            "opened_at": masked(opened_at, opened),
            "clicked_at": masked(clicked_at, clicked),
            "bounced_at": masked(bounced_at, bounced),
            "unsubscribed_at": masked(unsub_at, unsubscribed),
            "open_count": np.where(opened, 1 + rng.poisson(0.8, k), 0),
            "click_count": np.where(clicked, 1 + rng.poisson(0.3, k), 0),
            "created_at": created,
            "updated_at": stamps.max(axis=0),
        })  # fmt: skip
    if not parts:
        return
    columns = {}
    for name in parts[0]:
        values = [p[name] for p in parts]
        if isinstance(values[0], pa.Array):
            columns[name] = pa.concat_arrays(values)
        else:
            columns[name] = np.concatenate(values)
    columns = {"id": ctx.ids("campaign_recipients", len(columns["campaign_id"])), **columns}
    ctx.emit("campaign_recipients", columns)


def _plan_scheduled_emails(ctx: OrgContext, rng) -> dict[str, np.ndarray]:
    """Quote follow-ups (3 days after sending, cancelled when the customer decided first) and annual service
    reminders (queued two weeks ahead, a year after a completed order). Sent ones get an email_history row."""
    quotes = load(ctx, "quotes")
    orders = ctx.store["orders"]
    customers = ctx.store["customers"]
    templates = ctx.store["engagement"]["templates"]
    sent_quotes = np.flatnonzero((quotes["sent_at"] >= 0) & (quotes["contact_id"] > 0))
    q = sent_quotes[rng.random(len(sent_quotes)) < 0.5]
    nq = len(q)
    q_created = quotes["sent_at"][q] + rng.integers(1, 30, nq) * US_PER_MINUTE
    q_for = (quotes["sent_at"][q] // US_PER_DAY + 3) * US_PER_DAY + rng.integers(13, 21, nq) * US_PER_HOUR
    decided = np.maximum(quotes["accepted_at"][q], quotes["rejected_at"][q])
    q_cancel = (decided >= 0) & (decided <= q_for)
    q_cancel_at = np.maximum(decided, q_created)

    completed = np.flatnonzero((orders["status"] == "completed") & (rng.random(len(orders["id"])) < 0.12))
    ns = len(completed)
    s_for = (orders["completed_us"][completed] // US_PER_DAY + 350) * US_PER_DAY + rng.integers(
        13, 16, ns
    ) * US_PER_HOUR
    s_created = s_for - 14 * US_PER_DAY
    s_keep = s_created < ctx.end_us
    completed, s_for, s_created = completed[s_keep], s_for[s_keep], s_created[s_keep]
    ns = len(completed)
    s_customer = orders["customer_index"][completed]

    scheduled_for = np.concatenate([q_for, s_for])
    created = np.concatenate([q_created, s_created])
    n = nq + ns
    cancelled = np.concatenate([q_cancel, np.zeros(ns, bool)])
    # churned customers' reminders were cancelled when they churned
    cancelled[nq:] |= customers["status"][s_customer] == "churned"
    cancelled_at = np.concatenate([q_cancel_at, np.minimum(s_created + US_PER_DAY, s_for)])
    due = scheduled_for < ctx.end_us
    cancelled &= np.where(cancelled_at < ctx.end_us, True, False)
    failed = due & ~cancelled & (rng.random(n) < 0.04)
    sent = due & ~cancelled & ~failed
    sent_at = ctx.clamp_us(scheduled_for + rng.integers(1, 90, n) * US_PER_SECOND)
    status = np.select([cancelled, sent, failed], ["cancelled", "sent", "failed"], "pending")
    customer_index = np.concatenate([np.searchsorted(customers["id"], quotes["customer_id"][q]), s_customer])
    contact = np.concatenate([quotes["contact_id"][q], customers["primary_contact"][s_customer]])
    owner = np.concatenate([quotes["owner_user_id"][q], customers["owner"][s_customer]])
    subject = np.concatenate([join("Following up on proposal ", quotes["quote_number"][q]),
                              np.full(ns, "Time for your annual service", dtype=object)])  # fmt: skip
    return {
        "n": n, "quote_rows": nq, "quote_index": q, "order_index": completed, "customer_index": customer_index,
        "contact_id": contact, "user_id": owner, "subject": subject, "scheduled_for": scheduled_for,
        "created": created, "status": status, "sent_at": sent_at, "cancelled_at": cancelled_at,
        "template_id": np.concatenate([np.full(nq, templates["Quote follow-up"]),
                                       np.full(ns, templates["Service reminder"])]),
        "history_id": np.zeros(n, dtype=np.int64),
    }  # fmt: skip


def _delivery(rng, sent_at: np.ndarray, end_us: int, open_p: float, view_at=None, can_fail: bool = True):
    """Delivery, open and click of outbound mail: status and timestamps (all before end_us).

    ``view_at`` (-1 = never): a known first view (quotes), which becomes the open and implies delivery.
    ``can_fail=False`` for mail known to have gone out (follow-ups whose schedule says sent).
    """
    n = len(sent_at)
    r = rng.random(n)
    failed = (r < 0.005) & can_fail
    bounced = (r >= 0.005) & (r < 0.02)
    receipt = rng.random(n) < 0.98
    delivered_at = sent_at + rng.integers(1, 120, n) * US_PER_SECOND
    if view_at is not None:
        failed &= view_at < 0
        bounced &= view_at < 0
        receipt |= view_at >= 0
        delivered_at = np.where(view_at >= 0, np.minimum(delivered_at, view_at), delivered_at)
    delivered = ~failed & ~bounced & receipt & (delivered_at < end_us)
    opened_at = delivered_at + (rng.exponential(6, n) * US_PER_HOUR).astype(np.int64)
    opened = delivered & (rng.random(n) < open_p)
    if view_at is not None:
        opened_at = np.where(view_at >= 0, np.maximum(view_at, delivered_at), opened_at)
        opened = delivered & ((view_at >= 0) | opened)
    opened &= opened_at < end_us
    clicked_at = opened_at + rng.integers(5, 900, n) * US_PER_SECOND
    clicked = opened & (rng.random(n) < 0.2) & (clicked_at < end_us)
    status = np.select([failed, bounced, clicked, opened, delivered], ["failed", "bounced", "clicked", "opened",
                                                                        "delivered"], "sent")  # fmt: skip
    error = np.where(failed, "SMTP timeout", np.where(bounced, "550 5.1.1 Mailbox unavailable", None))
    return {"status": status, "has_sent": ~failed, "delivered_at": delivered_at, "delivered": delivered,
            "opened_at": opened_at, "opened": opened, "clicked_at": clicked_at, "clicked": clicked,
            "error": error}  # fmt: skip


INBOUND_SUBJECTS = np.array(["Question about my invoice", "Can we reschedule?", "Thanks for the great work",
                             "Problem with the installation", "Request for a quote", "Updated billing address",
                             "When will the technician arrive?", "Warranty question"], dtype=object)  # fmt: skip


def _email_history(ctx: OrgContext, rng, follow_ups: dict[str, np.ndarray]) -> None:
    orders = ctx.store["orders"]
    customers = ctx.store["customers"]
    templates = ctx.store["engagement"]["templates"]
    quotes = load(ctx, "quotes")
    emails_of_user = user_emails(ctx)
    domain = ctx.store["domain"]
    end = ctx.end_us
    accounts = f"accounts@{domain}"

    # 1. Invoices: sent by the system from the accounts mailbox when the invoice is issued.
    inv = np.flatnonzero(orders["invoiced"])
    n = len(inv)
    customer_index = orders["customer_index"][inv]
    contact = customers["primary_contact"][customer_index]
    sent = ctx.clamp_us(orders["invoice_us"][inv] + rng.integers(1, 30, n) * US_PER_MINUTE)
    d = _delivery(rng, sent, end, 0.6)
    numbers = numbered("INV", orders["id"][inv])
    _write_email_history(ctx, {
        "direction": np.full(n, "outbound", dtype=object), "customer_index": customer_index, "contact_id": contact,
        "opportunity_id": orders["opportunity_id"][inv], "quote_id": orders["quote_id"][inv],
        "order_id": orders["id"][inv], "template_id": np.full(n, templates["Invoice"]),
        "user_id": np.zeros(n, dtype=np.int64), "from": np.full(n, accounts, dtype=object),
        "to": contact_email(ctx, contact), "subject": text("Invoice ", numbers),
        "body": text("Please find attached invoice ", numbers, "."),
        "thread": text("order-", orders["id"][inv]),
        "created": orders["invoice_us"][inv], "sent": sent, **d,
    })  # fmt: skip

    # 2. Quotes: sent by the salesperson; the customer's viewing the quote is the open.
    qi = np.flatnonzero(quotes["sent_at"] >= 0)
    n = len(qi)
    owner = quotes["owner_user_id"][qi]
    has_owner = owner > 0
    sent = quotes["sent_at"][qi]
    d = _delivery(rng, sent, end, 0.0, np.where(quotes["viewed_at"][qi] >= sent, quotes["viewed_at"][qi], -1), False)
    contact = quotes["contact_id"][qi]
    to = np.where(contact > 0, contact_email(ctx, contact), customers_email_fallback(ctx, quotes["customer_id"][qi]))
    _write_email_history(ctx, {
        "direction": np.full(n, "outbound", dtype=object),
        "customer_index": np.searchsorted(customers["id"], quotes["customer_id"][qi]), "contact_id": contact,
        "opportunity_id": quotes["opportunity_id"][qi], "quote_id": quotes["id"][qi], "order_id": np.zeros(n, np.int64),
        "template_id": np.full(n, templates["Quote sent"]), "user_id": owner,
        "from": np.where(has_owner, emails_of_user[user_index(ctx, np.maximum(owner, 0))], f"sales@{domain}"),
        "to": to, "subject": text("Your proposal ", quotes["quote_number"][qi]),
        "body": text("Please find our proposal ", quotes["quote_number"][qi], " attached."),
        "thread": text("quote-", quotes["id"][qi]), "created": sent, "sent": sent, **d,
    })  # fmt: skip

    # 3. Accepted quotes: about half of the customers confirm by replying.
    acc = np.flatnonzero(
        (quotes["accepted_at"] >= 0) & (quotes["contact_id"] > 0) & (rng.random(len(quotes["id"])) < 0.5)
    )
    acc_customer = np.searchsorted(customers["id"], quotes["customer_id"][acc])
    _write_email_history(ctx, _inbound(ctx, quotes["accepted_at"][acc], acc_customer,
                           quotes["contact_id"][acc], quotes["owner_user_id"][acc],
                           join("Re: Your proposal ", quotes["quote_number"][acc]),
                           join("quote-", quotes["id"][acc].astype(str)), opportunity=quotes["opportunity_id"][acc],
                           quote=quotes["id"][acc]))  # fmt: skip

    # 4. Other mail from customers about their orders, about 0.12 per order.
    placed = np.flatnonzero((orders["status"] != "draft") & (rng.random(len(orders["id"])) < 0.12))
    at = orders["order_us"][placed] + (rng.exponential(6, len(placed)) * US_PER_DAY).astype(np.int64)
    placed, at = placed[at < end], at[at < end]
    ci = orders["customer_index"][placed]
    _write_email_history(ctx, _inbound(ctx, at, ci, customers["primary_contact"][ci], customers["owner"][ci],
                           INBOUND_SUBJECTS[rng.integers(0, len(INBOUND_SUBJECTS), len(placed))],
                           join("order-", orders["id"][placed].astype(str)), order=orders["id"][placed]))  # fmt: skip

    # 5. Scheduled e-mails that went out.
    fu = np.flatnonzero(follow_ups["status"] == "sent")
    n = len(fu)
    sent = follow_ups["sent_at"][fu]
    d = _delivery(rng, sent, end, 0.45, can_fail=False)
    is_quote = fu < follow_ups["quote_rows"]
    q_of = np.append(follow_ups["quote_index"], 0)[np.minimum(fu, follow_ups["quote_rows"])]
    quote_id = np.where(is_quote, np.append(quotes["id"], 0)[q_of], 0)
    contact = follow_ups["contact_id"][fu]
    owner = follow_ups["user_id"][fu]
    block = {
        "direction": np.full(n, "outbound", dtype=object), "customer_index": follow_ups["customer_index"][fu],
        "contact_id": contact,
        "opportunity_id": np.where(is_quote, np.append(quotes["opportunity_id"], 0)[q_of], 0),
        "quote_id": quote_id, "order_id": np.zeros(n, np.int64),
        "template_id": follow_ups["template_id"][fu], "user_id": owner,
        "from": np.where(owner > 0, emails_of_user[user_index(ctx, np.maximum(owner, 0))], f"service@{domain}"),
        "to": contact_email(ctx, contact), "subject": follow_ups["subject"][fu],
        "body": np.full(n, "Just checking in - let us know if you have any questions.", dtype=object),
        "thread": pc.if_else(is_quote, text("quote-", quote_id),
                             text("service-", follow_ups["customer_index"][fu])),
        "created": follow_ups["scheduled_for"][fu], "sent": sent, **d,
    }  # fmt: skip
    follow_ups["history_id"][fu] = _write_email_history(ctx, block)


def _write_email_history(ctx: OrgContext, block: dict[str, np.ndarray]) -> np.ndarray:
    """Write one block of e-mails and return their ids. Blocks are written one at a time (ids run on from one
    block to the next) so that only one block's text is held in memory."""
    total = len(block["direction"])
    ids = ctx.ids("email_history", total)
    has_sent = block["has_sent"]
    sent = block["sent"]
    inbound = block["direction"] == "inbound"
    delivered, opened, clicked = block["delivered"], block["opened"], block["clicked"]
    updated = np.max(np.stack([block["created"], np.where(has_sent, sent, 0),
                               np.where(delivered, block["delivered_at"], 0), np.where(opened, block["opened_at"], 0),
                               np.where(clicked, block["clicked_at"], 0)]), axis=0)  # fmt: skip
    org_tag = f"@mail.{ctx.store['domain']}>"
    customers = ctx.store["customers"]
    ctx.emit(
        "email_history",
        {
            "id": ids,
            "direction": block["direction"],
            "status": block["status"].astype(object),
            "customer_id": customers["id"][block["customer_index"]],
            "contact_id": masked(block["contact_id"], block["contact_id"] > 0),
            "opportunity_id": masked(block["opportunity_id"], block["opportunity_id"] > 0),
            "quote_id": masked(block["quote_id"], block["quote_id"] > 0),
            "order_id": masked(block["order_id"], block["order_id"] > 0),
            "template_id": masked(block["template_id"], block["template_id"] > 0),
            "user_id": masked(block["user_id"], block["user_id"] > 0),
            "from_address": block["from"],
            "to_address": block["to"],
            "cc_addresses": np.full(total, "[]", dtype=object),
            "subject": block["subject"],
            "body": block["body"],
            "message_ref": text("<", ids, pc.if_else(inbound, "@mail.example>", org_tag)),
            "thread_ref": block["thread"],
            "sent_at": masked(sent, has_sent),
            "delivered_at": masked(block["delivered_at"], delivered),
            "opened_at": masked(block["opened_at"], opened),
            "clicked_at": masked(block["clicked_at"], clicked),
            "error_message": block["error"].tolist(),
            "created_at": block["created"],
            "updated_at": updated,
        },
    )
    return ids


def customers_email_fallback(ctx: OrgContext, customer_ids: np.ndarray) -> np.ndarray:
    """The primary contact's e-mail of each customer."""
    customers = ctx.store["customers"]
    return contact_email(ctx, customers["primary_contact"][np.searchsorted(customers["id"], customer_ids)])


def _inbound(ctx, at, customer_index, contact, user, subject, thread, order=None, opportunity=None, quote=None):
    n = len(at)
    zeros = np.zeros(n, dtype=np.int64)
    user = np.asarray(user, dtype=np.int64)
    emails_of_user = user_emails(ctx)
    return {
        "direction": np.full(n, "inbound", dtype=object), "customer_index": customer_index, "contact_id": contact,
        "opportunity_id": zeros if opportunity is None else opportunity, "quote_id": zeros if quote is None else quote,
        "order_id": zeros if order is None else order, "template_id": zeros, "user_id": user,
        "from": contact_email(ctx, contact),
        "to": np.where(user > 0, emails_of_user[user_index(ctx, np.maximum(user, 0))], f"office@{ctx.store['domain']}"),
        "subject": np.asarray(subject, dtype=object), "body": np.full(n, "Sent from my phone", dtype=object),
        "thread": thread, "created": at, "sent": at, "status": np.full(n, "received", dtype=object),
        "has_sent": np.ones(n, bool), "delivered_at": zeros, "delivered": np.zeros(n, bool), "opened_at": zeros,
        "opened": np.zeros(n, bool), "clicked_at": zeros, "clicked": np.zeros(n, bool),
        "error": np.full(n, None, dtype=object),
    }  # fmt: skip


def _scheduled_emails(ctx: OrgContext, plan: dict[str, np.ndarray]) -> None:
    customers = ctx.store["customers"]
    quotes = load(ctx, "quotes")
    n = plan["n"]
    nq = plan["quote_rows"]
    status = plan["status"]
    is_quote = np.arange(n) < nq
    quote_rows = np.concatenate([plan["quote_index"], np.zeros(n - nq, dtype=np.int64)]).astype(np.int64)
    quote_id = np.where(is_quote, np.append(quotes["id"], 0)[quote_rows], 0)
    opportunity = np.where(is_quote, np.append(quotes["opportunity_id"], 0)[quote_rows], 0)
    sent, cancelled, failed = status == "sent", status == "cancelled", status == "failed"
    updated = np.select([sent, cancelled, failed], [plan["sent_at"], plan["cancelled_at"], plan["scheduled_for"]],
                        plan["created"])  # fmt: skip
    updated = np.where(failed, np.minimum(updated + 2 * US_PER_MINUTE, ctx.end_us - 1), updated)
    ctx.emit(
        "scheduled_emails",
        {
            "id": ctx.ids("scheduled_emails", n),
            "user_id": masked(plan["user_id"], plan["user_id"] > 0),
            "customer_id": customers["id"][plan["customer_index"]],
            "contact_id": plan["contact_id"],
            "opportunity_id": masked(opportunity, opportunity > 0),
            "quote_id": masked(quote_id, quote_id > 0),
            "template_id": plan["template_id"],
            "to_address": contact_email(ctx, plan["contact_id"]),
            "subject": plan["subject"],
            "body": np.full(n, "Just checking in - let us know if you have any questions.", dtype=object),
            "scheduled_for": plan["scheduled_for"],
            "status": status.astype(object),
            "sent_at": masked(plan["sent_at"], sent),
            "cancelled_at": masked(plan["cancelled_at"], cancelled),
            "failure_reason": np.where(failed, "Recipient mailbox unavailable", None).tolist(),
            "email_history_id": masked(plan["history_id"], sent),
            "created_at": plan["created"],
            "updated_at": updated,
        },
    )


CALL_PURPOSES = np.array(["Qualification call", "Discuss requirements", "Follow up on proposal",
                          "Negotiation check-in", "Schedule site survey"], dtype=object)  # fmt: skip
OUTCOMES = np.array(["connected", "voicemail", "no_answer", "busy", "wrong_number"])
OUTCOME_P = [0.62, 0.2, 0.12, 0.04, 0.02]
CALL_NOTES = {
    "connected": "Spoke with the customer, next steps agreed.",
    "voicemail": "Left a voicemail.",
    "no_answer": "No answer.",
    "busy": "Line busy, will retry.",
    "wrong_number": "Number on file is wrong.",
}


def _scheduled_calls(ctx: OrgContext, rng) -> None:
    """Follow-up calls during each opportunity's life; upcoming calls for some open ones."""
    opps = load(ctx, "opportunities")
    end = ctx.end_us
    m = len(opps["id"])
    is_open = opps["status"] == "open"
    horizon = np.where(is_open, end - US_PER_HOUR, opps["closed_at"])
    calls = np.where(rng.random(m) < 0.3, 2, 1)
    index = np.repeat(np.arange(m), calls)
    past_for = opps["created_at"][index] + (rng.random(len(index)) * (horizon[index] - opps["created_at"][index]))
    past_for = np.maximum(past_for.astype(np.int64), opps["created_at"][index])
    upcoming = np.flatnonzero(is_open & (rng.random(m) < 0.5))
    up_for = end + rng.integers(0, 14, len(upcoming)) * US_PER_DAY + rng.integers(13, 22, len(upcoming)) * US_PER_HOUR
    index = np.concatenate([index, upcoming])
    scheduled_for = np.concatenate([past_for, up_for])
    n = len(index)
    created = np.maximum(opps["created_at"][index], scheduled_for - rng.integers(1, 6, n) * US_PER_DAY)
    created = np.minimum(created, end - US_PER_HOUR)
    created = np.maximum(created, opps["created_at"][index])
    completed_at = scheduled_for + rng.integers(0, 20, n) * US_PER_MINUTE
    r = rng.random(n)
    happened = completed_at < end
    status = np.where(
        ~happened, "scheduled", np.where(r < 0.78, "completed", np.where(r < 0.92, "missed", "cancelled"))
    )
    completed = status == "completed"
    outcome = OUTCOMES[rng.choice(len(OUTCOMES), n, p=OUTCOME_P)]
    duration = np.select([outcome == "connected", outcome == "voicemail"],
                         [rng.integers(120, 1800, n), rng.integers(20, 70, n)], 0)  # fmt: skip
    cancelled_at = np.maximum(created, scheduled_for - rng.integers(1, 20, n) * US_PER_HOUR)
    missed_at = np.minimum(scheduled_for + US_PER_HOUR, end - 1)
    updated = np.select([completed, status == "missed", status == "cancelled"], [completed_at, missed_at, cancelled_at],
                        created)  # fmt: skip
    stage_purpose = np.where(is_open[index], rng.integers(0, len(CALL_PURPOSES), n), rng.integers(1, 4, n))
    contact = opps["contact_id"][index]
    owner = opps["owner_user_id"][index]
    ctx.emit(
        "scheduled_calls",
        {
            "id": ctx.ids("scheduled_calls", n),
            "customer_id": opps["customer_id"][index],
            "contact_id": masked(contact, contact > 0),
            "user_id": masked(owner, owner > 0),
            "opportunity_id": opps["id"][index],
            "purpose": CALL_PURPOSES[stage_purpose],
            "scheduled_for": scheduled_for,
            "status": status.astype(object),
            "completed_at": masked(completed_at, completed),
            "outcome": np.where(completed, outcome, None).tolist(),
            "duration_seconds": masked(duration, completed),
            "notes": np.where(completed, _notes(outcome), None).tolist(),
            "created_at": created,
            "updated_at": updated,
        },
    )  # fmt: skip


def _notes(outcome: np.ndarray) -> np.ndarray:
    result = np.empty(len(outcome), dtype=object)
    for key, note in CALL_NOTES.items():
        result[outcome == key] = note
    return result
