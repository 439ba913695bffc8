"""Support and warranty: warranties on sold products and their extensions, support tickets with their SLA clocks,
SLA events and escalations, warranty claims, the repair and warranty-service jobs booked for them, returns (RMAs),
satisfaction surveys, issue templates and the knowledge base.

Runs after `jobs.emit` (installation jobs are known) and writes its service jobs through `jobs.plan_jobs` /
`jobs.emit_jobs`, so ctx.store["jobs"] afterwards holds every job.

- Warranties: one per fulfilled order line whose product has a warranty policy; cover starts on the day the
  installation job finished (job_id set) or else the fulfilment day, ends the day before the same date
  ``months`` later (plus purchased extensions, ~3 %); active when the end date is on or after the window's last day.
- Tickets (issues): ~7 % of orders, a stream unrelated to orders, and the tickets behind most warranty claims.
  They open mostly in local office hours; first response and resolution are drawn relative to the SLA targets of
  their priority so that roughly 10-15 % breach. SLA due times are counted in business minutes of the
  organization's default calendar (Mon-Fri open-close in its time zone, holidays excluded), walked with numpy.
  Tickets that need a visit get a repair job and are resolved after the (last) visit completes; warranty tickets
  are resolved when the claim is decided. Due times of tickets still open at the window's end may lie after it.
- sla_tracking: response_breached = (first_response_at, or the window's end while unanswered) > response_due_at,
  likewise for resolution; status breached / met / paused / active. sla_events: started, response_met,
  resolution_met (when met in time) and one breached event at each missed due time. escalation_history: one row
  per breach at the due time, by the matching escalation rule, level 1, 2 in time order.
- Warranty claims: ~5 % of warranties, claim_date inside [start_date, end_date]; ~75 % of decided claims are
  approved and get a warranty_service job; parts and labour cost come from that job once it is completed
  (status resolved, approved_amount = min(parts + labour, policy limit) <= claimed_amount). The claim's job is
  jobs.warranty_claim_id; warranty_claims.job_id stays NULL: the two keys form a cycle that COPY cannot fill in
  one pass without an UPDATE (and an UPDATE fires the updated_at trigger, stamping the current time).
- RMAs: most return requests and about one in five delivery or defect tickets; one line each.

ctx.store["rmas"]: id, issue_id, order_index, line_index (into order_lines), product_index, quantity_milli,
status, requested_us, received_us (0 = not received by the window's end), refund_amount (cents), location_id
(the main warehouse, where returns arrive).
ctx.store["warranties"]: id, line_index, order_index, customer_index, product_index, start_day, end_day (days
since 1970), job_id (0 = none). ctx.store["issues"]: id, customer_index, order_id, category, priority, status,
opened_us, first_response_us, resolved_us (0 = none).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from oltp.synthetic.arrow import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, masked
from oltp.synthetic.context import OrgContext
from oltp.synthetic.domains import jobs
from oltp.synthetic.domains.catalog import POLICIES
from oltp.synthetic.domains.common import daily_events, numbered

PRIORITIES = np.array(["low", "normal", "high", "urgent"])
ORDER_ISSUE_RATE = 0.07
UNRELATED_PER_ORDER = 0.03
CLAIM_RATE = 0.055
EXTENSION_RATE = 0.03
CLAIM_TICKET_SHARE = 0.6
APPROVAL_RATE = 0.75
CSAT_RATE = 0.3
# (category, weight) of tickets about a fulfilled order; unfulfilled orders only get delivery/billing/question
ORDER_CATEGORIES = [
    ("product_defect", 25),
    ("installation", 15),
    ("delivery", 10),
    ("billing", 15),
    ("return", 8),
    ("question", 17),
    ("complaint", 10),
]
OTHER_CATEGORIES = [("service_request", 35), ("question", 30), ("billing", 10), ("complaint", 10), ("other", 15)]
# share of tickets of a category that need a repair visit
VISIT_RATE = {"product_defect": 0.45, "installation": 0.4, "service_request": 0.6, "complaint": 0.1}
SUBJECTS = {
    "product_defect": "Unit not working properly",
    "installation": "Problem after installation",
    "service_request": "Request for a service visit",
    "warranty": "Warranty repair request",
    "billing": "Question about my invoice",
    "delivery": "Delivery problem",
    "return": "I would like to return an item",
    "question": "Question about my system",
    "complaint": "Complaint about service",
    "other": "General enquiry",
}
ISSUE_TEMPLATES = [
    ("No heating or cooling", "product_defect", "high"),
    ("Noisy unit", "product_defect", "normal"),
    ("Installation snag", "installation", "normal"),
    ("Book a service visit", "service_request", "normal"),
    ("Warranty repair", "warranty", "normal"),
    ("Invoice query", "billing", "low"),
    ("Missing delivery", "delivery", "high"),
    ("Return request", "return", "normal"),
    ("How-to question", "question", "low"),
]
KB_CATEGORIES = [
    ("Getting started", "getting-started", None),
    ("Troubleshooting", "troubleshooting", None),
    ("Maintenance tips", "maintenance-tips", None),
    ("Warranty and returns", "warranty-and-returns", None),
    ("Error codes", "error-codes", 1),  # under Troubleshooting
]
KB_TOPICS = [
    "How to reset your {trade} controller",
    "What the status lights mean",
    "Changing the filter",
    "Seasonal maintenance checklist",
    "Understanding your warranty",
    "How to request a return",
    "Error code E1: sensor fault",
    "Error code E4: low pressure",
    "Preparing your home for installation",
    "Pairing the smart thermostat",
    "Saving energy with scheduling",
    "What to do in a power cut",
    "Booking a maintenance visit",
    "Reading your invoice",
    "Extending your warranty",
    "Noise from the outdoor unit",
    "Water around the unit",
    "Updating the controller firmware",
    "Safety checks we perform",
    "Choosing the right system size",
]
CSAT_COMMENTS = np.array(["Great service, thank you!", "Quick and friendly.", "Took too long.", "Problem not solved."])


def emit(ctx: OrgContext) -> None:
    rng = ctx.rng("service.emit")
    # the two reads of rows written by earlier steps, together (each read waits for queued COPYs)
    calendar = BusinessCalendar.for_organization(ctx)
    rules = _escalation_rules(ctx)
    template_ids = _issue_templates(ctx)
    _knowledge_base(ctx, rng)
    warranties = _warranties(ctx, rng)
    claims = _plan_claims(ctx, rng, calendar, warranties)
    issues = _plan_issues(ctx, rng, calendar, warranties, claims, template_ids)
    job_plan = _plan_service_jobs(ctx, rng, issues, claims)
    _resolve(ctx, rng, calendar, issues, claims, job_plan)
    _emit_issues(ctx, rng, issues, rules)
    _emit_claims(ctx, rng, claims, warranties)
    if len(job_plan["id"]):
        jobs.emit_jobs(ctx, job_plan)
    _returns(ctx, rng, issues)
    _csat(ctx, rng, issues)


class BusinessCalendar:
    """Business time of one calendar as a running count of business microseconds since its first day, so that
    "``minutes`` business minutes after t" is a position plus an offset turned back into a time (numpy only)."""

    def __init__(self, first_day: int, offset_us: np.ndarray, open_us: int, close_us: int, holidays):
        """``offset_us``: UTC offset of the calendar's time zone on each day from ``first_day``."""
        days = first_day + np.arange(len(offset_us))
        self.first = first_day
        self.count = len(days)
        self.offset_us = offset_us
        self.business = (((days + 3) % 7) < 5) & ~np.isin(days, np.asarray(holidays, dtype=np.int64))
        self.open_us = open_us
        self.length_us = close_us - open_us
        per_day = np.where(self.business, self.length_us, 0)
        self.after = np.cumsum(per_day)
        self.before = self.after - per_day

    @classmethod
    def for_organization(cls, ctx: OrgContext) -> BusinessCalendar:
        """The default calendar (the one the SLAs count in), read back from this organization's rows."""
        conn = ctx.loader.reading("business_hours_config", "organization_holidays")
        config_id = int(ctx.store["business_hours_config_ids"][0])
        _, opens, closes = conn.execute(
            "select timezone, mon_open, mon_close from app.business_hours_config"
            " where organization_id = %s and id = %s",
            (ctx.org_id, config_id),
        ).fetchone()
        holidays = [
            (row[0] - datetime(1970, 1, 1).date()).days
            for row in conn.execute(
                "select holiday_date from app.organization_holidays where organization_id = %s"
                " and (business_hours_config_id = %s or business_hours_config_id is null)",
                (ctx.org_id, config_id),
            )
        ]
        open_us = (opens.hour * 60 + opens.minute) * US_PER_MINUTE
        close_us = (closes.hour * 60 + closes.minute) * US_PER_MINUTE
        # the calendar's time zone is the organization's (catalog writes profile.timezone)
        first_day, offsets = jobs.utc_offsets(ctx)
        return cls(first_day, offsets, open_us, close_us, holidays)

    def _index(self, day: np.ndarray) -> np.ndarray:
        return np.clip(day - self.first, 0, self.count - 1)

    def local_to_utc(self, local_us: np.ndarray) -> np.ndarray:
        local_us = np.asarray(local_us, dtype=np.int64)
        return local_us - self.offset_us[self._index(local_us // US_PER_DAY)]

    def position(self, utc_us: np.ndarray) -> np.ndarray:
        utc_us = np.asarray(utc_us, dtype=np.int64)
        local = utc_us + self.offset_us[self._index(utc_us // US_PER_DAY)]
        day = self._index(local // US_PER_DAY)
        within = np.clip(local % US_PER_DAY - self.open_us, 0, self.length_us) * self.business[day]
        return self.before[day] + within

    def time_at(self, position: np.ndarray) -> np.ndarray:
        day = np.minimum(np.searchsorted(self.after, position, side="left"), self.count - 1)
        local = (self.first + day) * US_PER_DAY + self.open_us + (position - self.before[day])
        return local - self.offset_us[day]

    def add_minutes(self, utc_us: np.ndarray, minutes: np.ndarray) -> np.ndarray:
        """The time ``minutes`` business minutes (may be fractional) after each time."""
        offset = (np.asarray(minutes, dtype=np.float64) * US_PER_MINUTE).astype(np.int64)
        return self.time_at(self.position(utc_us) + offset)


def _issue_templates(ctx: OrgContext) -> dict:
    count = len(ISSUE_TEMPLATES)
    ids = ctx.ids("issue_templates", count)
    created = np.full(count, ctx.start_us - 200 * US_PER_DAY)
    ctx.emit(
        "issue_templates",
        {
            "id": ids,
            "name": [t[0] for t in ISSUE_TEMPLATES],
            "category": [t[1] for t in ISSUE_TEMPLATES],
            "priority": [t[2] for t in ISSUE_TEMPLATES],
            "subject_template": [f"{t[0]}: {{customer}}" for t in ISSUE_TEMPLATES],
            "description_template": [f"Customer reports: {t[0].lower()}." for t in ISSUE_TEMPLATES],
            "created_at": created,
            "updated_at": created,
        },
    )
    by_category: dict[str, int] = {}
    for template_id, (_, category, _) in zip(ids.tolist(), ISSUE_TEMPLATES, strict=True):
        by_category.setdefault(category, template_id)
    return by_category


def _knowledge_base(ctx: OrgContext, rng) -> None:
    count = len(KB_CATEGORIES)
    ids = ctx.ids("kb_categories", count)
    created = np.full(count, ctx.start_us - 180 * US_PER_DAY)
    parent = np.array([ids[p] if p is not None else 0 for _, _, p in KB_CATEGORIES], dtype=np.int64)
    ctx.emit(
        "kb_categories",
        {
            "id": ids,
            "parent_id": masked(parent, parent > 0),
            "name": [c[0] for c in KB_CATEGORIES],
            "slug": [c[1] for c in KB_CATEGORIES],
            "description": [f"Articles about {c[0].lower()}." for c in KB_CATEGORIES],
            "sort_order": np.arange(count),
            "created_at": created,
            "updated_at": created,
        },
    )
    trade = ctx.profile.industry.split()[0]
    titles = [t.format(trade=trade) for t in KB_TOPICS]
    articles = len(titles)
    category = np.array([1, 0, 0, 2, 3, 3, 4, 4, 0, 0, 2, 1, 2, 3, 3, 1, 1, 0, 2, 0])[:articles]
    users = ctx.store["users"]
    authors = users["id"][np.isin(users["role"], ["operations", "admin", "technician"])]
    status = rng.choice(["published", "draft", "archived"], articles, p=[0.8, 0.15, 0.05])
    written = ctx.start_us - rng.integers(10, 170, articles) * US_PER_DAY
    written = np.where(
        rng.random(articles) < 0.4, ctx.start_us + rng.integers(0, ctx.days, articles) * US_PER_DAY, written
    )
    written = written + 15 * US_PER_HOUR
    published = np.minimum(written + rng.integers(1, 10, articles) * US_PER_DAY, ctx.end_us - 1)
    is_published = status != "draft"
    views = np.where(is_published, rng.integers(20, 3000, articles), 0)
    helpful = (views * rng.uniform(0.02, 0.12, articles)).astype(np.int64)
    ctx.emit(
        "kb_articles",
        {
            "id": ctx.ids("kb_articles", articles),
            "category_id": ids[category],
            "title": titles,
            "slug": [t.lower().replace(":", "").replace(" ", "-") for t in titles],
            "body": [f"# {t}\n\nStep-by-step guidance from our {trade.lower()} technicians." for t in titles],
            "status": status.astype(object),
            "author_user_id": authors[rng.integers(0, len(authors), articles)],
            "published_at": masked(published, is_published),
            "view_count": views,
            "helpful_count": helpful,
            "not_helpful_count": helpful // rng.integers(3, 9, articles),
            "created_at": written,
            "updated_at": np.where(is_published, published, written),
        },
    )


def _add_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """The same day-of-month ``months`` later (clamped to the month's last day), as days since 1970."""
    dates = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    month = dates.astype("datetime64[M]")
    day_in_month = (dates - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(months, dtype=np.int64)
    last = (target + 1).astype("datetime64[D]") - 1
    return np.minimum(target.astype("datetime64[D]") + day_in_month, last).astype(np.int64)


def _warranties(ctx: OrgContext, rng) -> dict:
    orders = ctx.store["orders"]
    lines = ctx.store["order_lines"]
    products = ctx.store["products"]
    job_store = ctx.store["jobs"]
    order_index = lines["order_index"]
    product_index = lines["product_index"]
    fulfilled = np.isin(orders["status"], ["fulfilled", "completed"])
    chosen = np.flatnonzero(fulfilled[order_index] & (products["policy"][product_index] > 0))
    count = len(chosen)
    line_order = order_index[chosen]
    # installation job of each order (completed ones only)
    install = np.flatnonzero((job_store["job_type"] == "installation") & (job_store["status"] == "completed"))
    install = install[job_store["follow_up_of_job_id"][install] == 0]
    job_of_order = np.full(len(orders["id"]), -1)
    job_of_order[np.searchsorted(orders["id"], job_store["order_id"][install])] = install
    installed = (job_of_order[line_order] >= 0) & np.isin(
        products["type"][product_index[chosen]], ["physical", "bundle"]
    )
    job_row = np.where(installed, job_of_order[line_order], 0)
    handed_over = np.where(installed, job_store["actual_end_us"][job_row], orders["fulfilled_us"][line_order])
    start_day = handed_over // US_PER_DAY
    months = products["policy_months"][product_index[chosen]]
    end_day = _add_months(start_day, months) - 1
    last_day = (ctx.end_us - 1) // US_PER_DAY

    extended = rng.random(count) < EXTENSION_RATE
    bought_day = start_day + (rng.random(count) * (np.minimum(end_day, last_day) - start_day + 1)).astype(np.int64)
    bought = np.minimum(bought_day * US_PER_DAY + rng.integers(13, 22, count) * US_PER_HOUR, ctx.end_us - 1)
    bought = np.maximum(bought, handed_over + US_PER_HOUR)
    extended &= bought < ctx.end_us
    extension_months = rng.choice([12, 24], count)
    new_end = _add_months(end_day + 1, extension_months) - 1
    final_end = np.where(extended, new_end, end_day)
    ids = ctx.ids("warranties", count)
    registered = ctx.clamp_us(handed_over + rng.integers(1, 72, count) * US_PER_HOUR)
    customers = ctx.store["customers"]
    customer_index = orders["customer_index"][line_order]
    ctx.emit(
        "warranties",
        {
            "id": ids,
            "warranty_number": numbered("WR", ids),
            "customer_id": customers["id"][customer_index],
            "product_id": products["id"][product_index[chosen]],
            "order_id": orders["id"][line_order],
            "order_line_item_id": lines["id"][chosen],
            "warranty_policy_id": products["policy"][product_index[chosen]],
            "job_id": masked(job_store["id"][job_row], installed),
            "serial_number": [
                f"SN{p:05d}-{i:08d}" for p, i in zip(product_index[chosen].tolist(), ids.tolist(), strict=True)
            ],
            "registered_at": registered,
            "start_date": start_day,
            "end_date": final_end,
            "status": np.where(final_end >= last_day, "active", "expired").astype(object),
            "created_at": handed_over,
            "updated_at": np.where(extended, bought, registered),
        },
    )
    chosen_ext = np.flatnonzero(extended)
    ctx.emit(
        "warranty_extensions",
        {
            "id": ctx.ids("warranty_extensions", len(chosen_ext)),
            "warranty_id": ids[chosen_ext],
            "extension_months": extension_months[chosen_ext],
            "previous_end_date": end_day[chosen_ext],
            "new_end_date": new_end[chosen_ext],
            "price": extension_months[chosen_ext] * rng.integers(12, 25, len(chosen_ext)) * 100 - 1,
            "currency": [ctx.profile.currency] * len(chosen_ext),
            "purchased_at": bought[chosen_ext],
            "created_at": bought[chosen_ext],
            "updated_at": bought[chosen_ext],
        },
    )
    warranties = {
        "id": ids,
        "line_index": chosen,
        "order_index": line_order,
        "customer_index": customer_index,
        "product_index": product_index[chosen],
        "policy": products["policy"][product_index[chosen]],
        "start_day": start_day,
        "end_day": final_end,
        "handed_over_us": handed_over,
        "job_id": np.where(installed, job_store["id"][job_row], 0),
    }
    ctx.store["warranties"] = {k: v for k, v in warranties.items() if k not in ("policy", "handed_over_us")}
    return warranties


def _local_times(ctx: OrgContext, rng, calendar: BusinessCalendar, day: np.ndarray) -> np.ndarray:
    """A moment on each local calendar day ``day`` (days since 1970): mostly office hours, some evenings."""
    count = len(day)
    office = rng.random(count) < 0.85
    minute = np.where(office, rng.integers(8 * 60, 17 * 60, count), rng.integers(17 * 60, 22 * 60, count))
    local = day * US_PER_DAY + minute * US_PER_MINUTE + rng.integers(0, 60, count) * 1_000_000
    return calendar.local_to_utc(local)


def _sla_times(rng, calendar, opened, priority_code, ctx: OrgContext):
    """First response and resolution drawn around the SLA targets (in business minutes), plus the due times."""
    sla = ctx.store["sla_configurations"]
    count = len(opened)
    response_target = sla["response_minutes"][priority_code]
    resolution_target = sla["resolution_minutes"][priority_code]
    response_minutes = response_target * rng.lognormal(-1.0, 0.8, count)
    resolution_minutes = np.maximum(resolution_target * rng.lognormal(-0.8, 0.7, count), response_minutes + 10)
    return {
        "first_response_us": calendar.add_minutes(opened, response_minutes),
        "resolved_us": calendar.add_minutes(opened, resolution_minutes),
        "response_due_us": calendar.add_minutes(opened, response_target),
        "resolution_due_us": calendar.add_minutes(opened, resolution_target),
    }


def _priority(rng, count: int, low_stakes: np.ndarray) -> np.ndarray:
    normal = rng.choice(4, count, p=[0.2, 0.5, 0.22, 0.08])
    calm = rng.choice(4, count, p=[0.45, 0.5, 0.05, 0.0])
    return np.where(low_stakes, calm, normal)


def _plan_claims(ctx: OrgContext, rng, calendar: BusinessCalendar, warranties: dict) -> dict:
    """Which warranties are claimed and when the failure was reported; decisions come in `_resolve`."""
    last_day = (ctx.end_us - 1) // US_PER_DAY
    usable = np.flatnonzero(warranties["start_day"] <= last_day - 1)
    chosen = usable[rng.random(len(usable)) < CLAIM_RATE]
    start, end = warranties["start_day"][chosen], np.minimum(warranties["end_day"][chosen], last_day)
    day = start + (rng.random(len(chosen)) ** 0.8 * (end - start + 1)).astype(np.int64)
    reported = _local_times(ctx, rng, calendar, day)
    reported = np.maximum(reported, warranties["handed_over_us"][chosen] + US_PER_HOUR)
    claim_day = reported // US_PER_DAY
    keep = (claim_day >= start) & (claim_day <= warranties["end_day"][chosen]) & (reported < ctx.end_us)
    chosen, reported = chosen[keep], reported[keep]
    count = len(chosen)
    return {
        "warranty": chosen,
        "reported_us": reported,
        "claim_day": reported // US_PER_DAY,
        "has_ticket": rng.random(count) < CLAIM_TICKET_SHARE,
        "id": ctx.ids("warranty_claims", count),
    }


def _plan_issues(ctx: OrgContext, rng, calendar, warranties: dict, claims: dict, template_ids: dict) -> dict:
    orders = ctx.store["orders"]
    lines = ctx.store["order_lines"]
    customers = ctx.store["customers"]
    job_store = ctx.store["jobs"]
    end = ctx.end_us
    order_count = len(orders["id"])

    # A) tickets about orders
    live = np.isin(orders["status"], ["confirmed", "in_progress", "fulfilled", "completed"])
    about = np.flatnonzero(live & (rng.random(order_count) < ORDER_ISSUE_RATE))
    done = np.isin(orders["status"][about], ["fulfilled", "completed"])
    after = np.where(done, orders["fulfilled_us"][about], orders["confirmed_us"][about])
    gap = np.where(done, rng.exponential(20, len(about)), rng.exponential(3, len(about))).astype(np.int64)
    calendar_day = (after + calendar.offset_us[calendar._index(after // US_PER_DAY)]) // US_PER_DAY + gap
    opened_a = _local_times(ctx, rng, calendar, calendar_day)
    opened_a = np.where(opened_a <= after, after + rng.integers(1, 6, len(about)) * US_PER_HOUR, opened_a)
    names = np.array([c for c, _ in ORDER_CATEGORIES])
    weights = np.array([w for _, w in ORDER_CATEGORIES], dtype=float)
    category_a = names[rng.choice(len(names), len(about), p=weights / weights.sum())]
    early = np.array(["delivery", "billing", "question"])[rng.integers(0, 3, len(about))]
    category_a = np.where(done, category_a, early)
    # the order line the ticket is about, and the installation job for installation tickets
    first_line = np.searchsorted(lines["order_index"], about)
    line_count = np.bincount(lines["order_index"], minlength=order_count)[about]
    line_a = first_line + (rng.random(len(about)) * line_count).astype(np.int64)
    install = np.flatnonzero((job_store["job_type"] == "installation") & (job_store["status"] == "completed"))
    install = install[job_store["follow_up_of_job_id"][install] == 0]
    install_job = np.zeros(order_count, np.int64)
    install_job[np.searchsorted(orders["id"], job_store["order_id"][install])] = job_store["id"][install]
    job_a = np.where(category_a == "installation", install_job[about], 0)
    category_a = np.where((category_a == "installation") & (job_a == 0), "question", category_a)
    keep = opened_a < end
    about, opened_a, category_a, line_a, job_a = (
        about[keep],
        opened_a[keep],
        category_a[keep],
        line_a[keep],
        job_a[keep],
    )
    product_related = np.isin(category_a, ["product_defect", "installation", "delivery", "return"])
    line_a = np.where(product_related, line_a, -1)
    # defects under an active warranty of that line
    warranty_of_line = np.zeros(len(lines["id"]), np.int64)
    warranty_of_line[warranties["line_index"]] = warranties["id"]
    line_end = np.full(len(lines["id"]), -1, np.int64)
    line_end[warranties["line_index"]] = warranties["end_day"]
    safe_line = np.maximum(line_a, 0)
    covered = (line_a >= 0) & (category_a == "product_defect") & (line_end[safe_line] >= opened_a // US_PER_DAY)
    warranty_a = np.where(covered, warranty_of_line[safe_line], 0)

    # B) tickets not about an order
    days = daily_events(ctx, rng, UNRELATED_PER_ORDER * ctx.scale.orders_per_day)
    eligible = np.flatnonzero(~customers["is_lead"])
    who_b = eligible[rng.integers(0, len(eligible), len(days))]
    opened_b = _local_times(ctx, rng, calendar, ctx.start_day + days)
    keep = (customers["became_us"][who_b] < opened_b) & (opened_b < end)
    who_b, opened_b = who_b[keep], opened_b[keep]
    names = np.array([c for c, _ in OTHER_CATEGORIES])
    weights = np.array([w for _, w in OTHER_CATEGORIES], dtype=float)
    category_b = names[rng.choice(len(names), len(who_b), p=weights / weights.sum())]

    # C) tickets behind warranty claims
    ticketed = np.flatnonzero(claims["has_ticket"])
    w = claims["warranty"][ticketed]

    count_a, count_b, count_c = len(about), len(who_b), len(ticketed)
    count = count_a + count_b + count_c
    category = np.concatenate([category_a, category_b, np.full(count_c, "warranty")]).astype("<U16")
    opened = np.concatenate([opened_a, opened_b, claims["reported_us"][ticketed]])
    customer_index = np.concatenate([orders["customer_index"][about], who_b, warranties["customer_index"][w]])
    order_index = np.concatenate([about, np.full(count_b, -1), warranties["order_index"][w]])
    line_index = np.concatenate([line_a, np.full(count_b, -1), warranties["line_index"][w]])
    low_stakes = np.isin(category, ["billing", "question", "other"])
    priority_code = _priority(rng, count, low_stakes)
    channel = rng.choice(["email", "phone", "portal", "on_site"], count, p=[0.4, 0.35, 0.2, 0.05])
    times = _sla_times(rng, calendar, opened, priority_code, ctx)
    users = ctx.store["users"]
    agents = users["id"][np.isin(users["role"], ["operations", "admin"]) & users["active"]]
    template = np.array([template_ids.get(c, 0) for c in category.tolist()], dtype=np.int64)
    template = np.where(rng.random(count) < 0.4, template, 0)
    issues = {
        "id": ctx.ids("issues", count),
        "customer_index": customer_index,
        "order_index": order_index,
        "line_index": line_index,
        "job_id": np.concatenate([job_a, np.zeros(count_b + count_c, np.int64)]),
        "warranty_id": np.concatenate([warranty_a, np.zeros(count_b, np.int64), warranties["id"][w]]),
        "category": category,
        "priority_code": priority_code,
        "channel": channel,
        "opened_us": opened,
        "agent": agents[rng.integers(0, len(agents), count)],
        "template": template,
        "claim": np.concatenate([np.full(count_a + count_b, -1), ticketed]),
        "needs_visit": rng.random(count) < np.array([VISIT_RATE.get(c, 0.0) for c in category.tolist()]),
        **times,
    }
    claims["issue_row"] = np.full(len(claims["id"]), -1)
    claims["issue_row"][ticketed] = count_a + count_b + np.arange(count_c)
    claims["issue_id"] = np.zeros(len(claims["id"]), np.int64)
    claims["issue_id"][ticketed] = issues["id"][count_a + count_b :]
    return issues


def _plan_service_jobs(ctx: OrgContext, rng, issues: dict, claims: dict) -> dict:
    """Repair visits for tickets that need one; warranty-service visits for approved claims."""
    end = ctx.end_us
    orders = ctx.store["orders"]
    warranties = ctx.store["warranties"]
    # claim decisions (submitted when the ticket is first answered, or when reported without a ticket)
    count = len(claims["id"])
    has_issue = claims["issue_row"] >= 0
    submitted = np.where(
        has_issue,
        issues["first_response_us"][np.maximum(claims["issue_row"], 0)],
        claims["reported_us"] + rng.integers(5, 120, count) * US_PER_MINUTE,
    )
    decided = submitted + rng.integers(1, 6, count) * US_PER_DAY + rng.integers(0, 8 * 60, count) * US_PER_MINUTE
    # a claim raised through a ticket is decided when the ticket is resolved (drawn around its SLA target)
    ticket_resolved = issues["resolved_us"][np.maximum(claims["issue_row"], 0)]
    decided = np.where(
        has_issue, np.maximum(ticket_resolved, submitted + rng.integers(30, 240, count) * US_PER_MINUTE), decided
    )
    approved = rng.random(count) < APPROVAL_RATE
    cancelled = rng.random(count) < 0.02
    claims["submitted_us"] = submitted
    claims["decided_us"] = decided
    claims["approved"] = approved & ~cancelled
    claims["rejected"] = ~approved & ~cancelled
    claims["cancelled"] = cancelled

    visit = np.flatnonzero(issues["needs_visit"])
    window = np.array([[1, 4], [0, 2], [0, 1], [0, 0]])[issues["priority_code"][visit]]
    repair_start = jobs.visit_slot(ctx, issues["first_response_us"][visit], rng, window[:, 0], window[:, 1])
    keep = (repair_start < jobs.horizon_us(ctx)) & (issues["first_response_us"][visit] < end)
    visit, repair_start = visit[keep], repair_start[keep]
    serviced = np.flatnonzero(claims["approved"] & (decided < end))
    service_start = jobs.visit_slot(ctx, decided[serviced], rng, 1, 7)
    keep = service_start < jobs.horizon_us(ctx)
    serviced, service_start = serviced[keep], service_start[keep]
    w = claims["warranty"][serviced]
    order_of_issue = issues["order_index"][visit]
    issue_of_claim = claims["issue_row"][serviced]
    spec = {
        "name": "service",
        "customer_index": np.concatenate([issues["customer_index"][visit], warranties["customer_index"][w]]),
        "job_type": np.array(["repair"] * len(visit) + ["warranty_service"] * len(serviced), dtype="<U16"),
        "scheduled_start_us": np.concatenate([repair_start, service_start]),
        "created_us": np.concatenate([issues["first_response_us"][visit], decided[serviced]]),
        "order_id": np.concatenate(
            [np.where(order_of_issue >= 0, orders["id"][order_of_issue], 0), orders["id"][warranties["order_index"][w]]]
        ),
        "issue_id": np.concatenate(
            [issues["id"][visit], np.where(issue_of_claim >= 0, issues["id"][np.maximum(issue_of_claim, 0)], 0)]
        ),
        "warranty_claim_id": np.concatenate([np.zeros(len(visit), np.int64), claims["id"][serviced]]),
        "priority": np.concatenate(
            [PRIORITIES[issues["priority_code"][visit]], np.full(len(serviced), "normal")]
        ).astype("<U8"),
        "billable": np.concatenate([issues["category"][visit] != "installation", np.zeros(len(serviced), bool)]),
    }
    plan = jobs.plan_jobs(ctx, spec)
    issues["job_row"] = np.full(len(issues["id"]), -1)
    issues["job_row"][visit] = np.arange(len(visit))
    claims["job_row"] = np.full(count, -1)
    claims["job_row"][serviced] = len(visit) + np.arange(len(serviced))
    return plan


def _take(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``values[rows]``, or zeros when a batch planned no jobs at all (rows are then masked out by the caller)."""
    return values[rows] if len(values) else np.zeros(len(rows), dtype=values.dtype)


def _final_end(plan: dict, row: np.ndarray) -> np.ndarray:
    """When the work of job ``row`` (including its follow-up visit) was finished; 0 if not (yet)."""
    follow = _take(plan["follow_up_row"], row)
    has_follow = follow >= 0
    has_follow &= _take(plan["status"], np.maximum(follow, 0)) != "cancelled"
    end = np.where(_take(plan["requires_follow_up"], row) & ~has_follow, 0, _take(plan["actual_end_us"], row))
    return np.where(has_follow, _take(plan["actual_end_us"], np.maximum(follow, 0)), end)


def _resolve(ctx: OrgContext, rng, calendar, issues: dict, claims: dict, plan: dict) -> None:
    """Resolution of tickets with visits and of claim tickets; claim outcomes and costs."""
    end = ctx.end_us
    with_job = np.flatnonzero(issues["job_row"] >= 0)
    rows = issues["job_row"][with_job]
    finished = _final_end(plan, rows)
    cancelled = plan["status"][rows] == "cancelled"
    resolved = np.where(finished > 0, finished + rng.integers(20, 240, len(rows)) * US_PER_MINUTE, np.int64(2**62))
    issues["resolved_us"][with_job] = np.where(cancelled, issues["resolved_us"][with_job], resolved)
    # tickets that wait for a visit not booked inside the window stay open
    waiting = issues["needs_visit"] & (issues["job_row"] < 0)
    issues["resolved_us"][waiting] = np.maximum(issues["resolved_us"][waiting], end)
    # claim tickets: resolved when the claim is decided
    claim_rows = np.flatnonzero(claims["issue_row"] >= 0)
    ticket = claims["issue_row"][claim_rows]
    issues["resolved_us"][ticket] = np.where(
        claims["cancelled"][claim_rows], issues["resolved_us"][ticket], claims["decided_us"][claim_rows]
    )
    issues["resolved_us"] = np.maximum(issues["resolved_us"], issues["first_response_us"] + US_PER_MINUTE)

    # claims: job outcome and money
    number = len(claims["id"])
    job_row = claims["job_row"]
    has_job = job_row >= 0
    safe = np.maximum(job_row, 0)
    done_us = np.where(has_job, _final_end(plan, safe), 0)
    done = has_job & (done_us > 0) & (done_us < end)
    parts = np.where(done, _take(plan["parts_cost"], safe), 0)
    labour = np.where(done, _take(plan["labour_cost"], safe), 0)
    follow = _take(plan["follow_up_row"], safe)
    has_follow = has_job & (follow >= 0)
    parts = parts + np.where(done & has_follow, _take(plan["parts_cost"], np.maximum(follow, 0)), 0)
    labour = labour + np.where(done & has_follow, _take(plan["labour_cost"], np.maximum(follow, 0)), 0)
    estimate = rng.integers(150, 1500, number) * 100
    claimed = np.where(done, ((parts + labour) * rng.uniform(1.0, 1.3, number)).astype(np.int64), estimate)
    claims["job_id"] = np.where(has_job, _take(plan["id"], safe), 0)
    claims["done"] = done
    claims["resolved_us"] = np.where(done, done_us, 0)
    claims["parts_cost"] = parts
    claims["labour_cost"] = labour
    claims["claimed"] = claimed


def _emit_issues(ctx: OrgContext, rng, issues: dict, rules: dict) -> None:
    end = ctx.end_us
    customers = ctx.store["customers"]
    orders = ctx.store["orders"]
    lines = ctx.store["order_lines"]
    products = ctx.store["products"]
    sla = ctx.store["sla_configurations"]
    count = len(issues["id"])
    opened = issues["opened_us"]
    first = issues["first_response_us"]
    resolved = issues["resolved_us"]
    responded = first < end
    is_resolved = resolved < end
    closed_us = resolved + rng.integers(2, 8, count) * US_PER_DAY
    closed = is_resolved & (closed_us < end)
    has_job = issues["job_row"] >= 0
    open_status = np.where(
        has_job | issues["needs_visit"],
        "in_progress",
        rng.choice(["open", "pending_customer", "in_progress"], count, p=[0.4, 0.3, 0.3]),
    )
    status = np.select([closed, is_resolved, responded], ["closed", "resolved", open_status], "new")
    reopened = is_resolved & (rng.random(count) < 0.03)
    order_index = issues["order_index"]
    line_index = issues["line_index"]
    has_line = line_index >= 0
    product = np.where(has_line, products["id"][lines["product_index"][np.maximum(line_index, 0)]], 0)
    priority = PRIORITIES[issues["priority_code"]]
    subject = np.array([SUBJECTS[c] for c in issues["category"].tolist()], dtype=object)
    last_change = np.select([closed, is_resolved, responded], [closed_us, resolved, first], opened)
    ctx.emit(
        "issues",
        {
            "id": issues["id"],
            "issue_number": numbered("TCK", issues["id"]),
            "customer_id": customers["id"][issues["customer_index"]],
            "contact_id": customers["primary_contact"][issues["customer_index"]],
            "order_id": masked(orders["id"][np.maximum(order_index, 0)], order_index >= 0),
            "product_id": masked(product, has_line),
            "job_id": masked(issues["job_id"], issues["job_id"] > 0),
            "warranty_id": masked(issues["warranty_id"], issues["warranty_id"] > 0),
            "assigned_user_id": masked(issues["agent"], responded),
            "issue_template_id": masked(issues["template"], issues["template"] > 0),
            "sla_configuration_id": sla["id"][issues["priority_code"]],
            "channel": issues["channel"].astype(object),
            "category": issues["category"].astype(object),
            "priority": priority.astype(object),
            "status": status.astype(object),
            "opened_at": opened,
            "first_response_at": masked(first, responded),
            "resolved_at": masked(resolved, is_resolved),
            "closed_at": masked(closed_us, closed),
            "reopened_count": reopened.astype(np.int64),
            "subject": subject,
            "description": np.where(
                has_line,
                "About order line: " + products["name"][lines["product_index"][np.maximum(line_index, 0)]],
                "See the conversation.",
            ).astype(object),
            "created_at": opened,
            "updated_at": last_change,
        },
    )
    ctx.store["issues"] = {
        "id": issues["id"],
        "customer_index": issues["customer_index"],
        "order_id": np.where(order_index >= 0, orders["id"][np.maximum(order_index, 0)], 0),
        "category": issues["category"],
        "priority": priority,
        "status": status,
        "opened_us": opened,
        "first_response_us": np.where(responded, first, 0),
        "resolved_us": np.where(is_resolved, resolved, 0),
    }
    issues["status"] = status
    issues["responded"] = responded
    issues["is_resolved"] = is_resolved

    # SLA clocks
    response_due = issues["response_due_us"]
    resolution_due = issues["resolution_due_us"]
    response_breached = np.where(responded, first, end) > response_due
    resolution_breached = np.where(is_resolved, resolved, end) > resolution_due
    breached = response_breached | resolution_breached
    sla_status = np.select(
        [breached, is_resolved, status == "pending_customer"], ["breached", "met", "paused"], "active"
    )
    tracking_ids = ctx.ids("sla_tracking", count)
    ctx.emit(
        "sla_tracking",
        {
            "id": tracking_ids,
            "issue_id": issues["id"],
            "sla_configuration_id": sla["id"][issues["priority_code"]],
            "started_at": opened,
            "response_due_at": response_due,
            "response_met_at": masked(first, responded),
            "response_breached": response_breached,
            "resolution_due_at": resolution_due,
            "resolution_met_at": masked(resolved, is_resolved),
            "resolution_breached": resolution_breached,
            "paused_minutes": np.zeros(count, np.int64),
            "status": sla_status.astype(object),
            "created_at": opened,
            "updated_at": np.maximum(
                last_change, np.where(breached, np.where(resolution_breached, resolution_due, response_due), 0)
            ).clip(max=end - 1),
        },
    )
    kinds = [
        ("started", np.ones(count, bool), opened, np.zeros(count, np.int64)),
        ("response_met", responded & ~response_breached, first, issues["agent"]),
        ("resolution_met", is_resolved & ~resolution_breached, resolved, issues["agent"]),
        ("breached", response_breached, response_due, np.zeros(count, np.int64)),
        ("breached", resolution_breached, resolution_due, np.zeros(count, np.int64)),
    ]
    row = np.concatenate([np.flatnonzero(mask) for _, mask, _, _ in kinds])
    at = np.concatenate([when[mask] for _, mask, when, _ in kinds])
    user = np.concatenate([who[mask] for _, mask, _, who in kinds])
    kind = np.concatenate([np.full(int(mask.sum()), name) for name, mask, _, _ in kinds])
    order = np.lexsort((at, row))
    row, at, user, kind = row[order], at[order], user[order], kind[order]
    ctx.emit(
        "sla_events",
        {
            "id": ctx.ids("sla_events", len(row)),
            "sla_tracking_id": tracking_ids[row],
            "event_type": kind.astype(object),
            "occurred_at": at,
            "user_id": masked(user, user > 0),
            "created_at": at,
            "updated_at": at,
        },
    )
    _escalations(ctx, issues, rules, response_breached, resolution_breached)


def _escalation_rules(ctx: OrgContext) -> dict:
    """trigger_type -> (rule id, user escalated to), from the rules the catalog step wrote."""
    return {
        trigger: (rule_id, to_user)
        for rule_id, trigger, to_user in ctx.loader.reading("escalation_rules").execute(
            "select id, trigger_type, escalate_to_user_id from app.escalation_rules where organization_id = %s",
            (ctx.org_id,),
        )
    }


def _escalations(ctx: OrgContext, issues: dict, rules: dict, response_breached, resolution_breached) -> None:
    parts = []
    for trigger, mask, due in (
        ("response_breach", response_breached, issues["response_due_us"]),
        ("resolution_breach", resolution_breached, issues["resolution_due_us"]),
    ):
        rule_id, to_user = rules.get(trigger, (0, 0))
        rows = np.flatnonzero(mask)
        parts.append((rows, due[rows], np.full(len(rows), rule_id or 0), np.full(len(rows), to_user or 0), trigger))
    row = np.concatenate([p[0] for p in parts])
    at = np.concatenate([p[1] for p in parts])
    rule = np.concatenate([p[2] for p in parts]).astype(np.int64)
    to_user = np.concatenate([p[3] for p in parts]).astype(np.int64)
    reason = np.concatenate([np.full(len(p[0]), p[4]) for p in parts])
    order = np.lexsort((at, row))
    row, at, rule, to_user, reason = row[order], at[order], rule[order], to_user[order], reason[order]
    level = np.ones(len(row), np.int64)
    level[1:] += row[1:] == row[:-1]
    count = len(row)
    ctx.emit(
        "escalation_history",
        {
            "id": ctx.ids("escalation_history", count),
            "issue_id": issues["id"][row],
            "escalation_rule_id": masked(rule, rule > 0),
            "escalated_at": at,
            "from_user_id": masked(issues["agent"][row], issues["responded"][row]),
            "to_user_id": masked(to_user, to_user > 0),
            "level": level,
            "reason": np.where(reason == "response_breach", "First response overdue", "Resolution overdue").astype(
                object
            ),
            "created_at": at,
            "updated_at": at,
        },
    )


def _emit_claims(ctx: OrgContext, rng, claims: dict, warranties: dict) -> None:
    end = ctx.end_us
    # claims whose ticket was not answered by the window's end have not been submitted yet
    exists = claims["submitted_us"] < end
    claims = {key: value[exists] for key, value in claims.items()}
    count = len(claims["id"])
    w = claims["warranty"]
    submitted = claims["submitted_us"]
    decided = claims["decided_us"]
    is_decided = decided < end
    approved = claims["approved"] & is_decided
    rejected = claims["rejected"] & is_decided
    cancelled = claims["cancelled"] & is_decided
    done = claims["done"]
    review_started = submitted + US_PER_DAY < end
    status = np.select(
        [done, approved, rejected, cancelled, review_started],
        ["resolved", "approved", "rejected", "cancelled", "under_review"],
        "submitted",
    )
    policies = ctx.store["warranty_policies"]
    limit = np.array([p[3] for p in POLICIES], dtype=np.int64)
    policy_row = np.searchsorted(policies["id"], warranties["policy"][w])
    cost = claims["parts_cost"] + claims["labour_cost"]
    approved_amount = np.where(
        done, np.minimum(cost, limit[policy_row]), np.minimum(claims["claimed"] * 9 // 10, limit[policy_row])
    )
    approved_amount = np.minimum(approved_amount, claims["claimed"])
    good = np.array(["manufacturing_defect", "component_failure", "software", "installation_error"])
    bad = np.array(["wear_and_tear", "accidental_damage", "no_fault_found"])
    failure = np.where(approved, good[rng.integers(0, 4, count)], bad[rng.integers(0, 3, count)])
    diagnosed = approved | rejected
    customers = ctx.store["customers"]
    issue_ids = claims["issue_id"]
    ctx.emit(
        "warranty_claims",
        {
            "id": claims["id"],
            "claim_number": numbered("WC", claims["id"]),
            "warranty_id": warranties["id"][w],
            "customer_id": customers["id"][warranties["customer_index"][w]],
            "issue_id": masked(issue_ids, issue_ids > 0),
            "status": status.astype(object),
            "claim_date": claims["claim_day"],
            "submitted_at": submitted,
            "approved_at": masked(decided, approved),
            "rejected_at": masked(decided, rejected),
            "resolved_at": masked(claims["resolved_us"], done),
            "claimed_amount": claims["claimed"],
            "approved_amount": masked(approved_amount, approved),
            "parts_cost": claims["parts_cost"],
            "labour_cost": claims["labour_cost"],
            "failure_type": np.where(diagnosed, failure, None),
            "rejection_reason": [
                f"Not covered: {kind.replace('_', ' ')}" if no else None
                for kind, no in zip(failure.tolist(), rejected.tolist(), strict=True)
            ],
            "created_at": submitted,
            "updated_at": np.select([done, is_decided], [claims["resolved_us"], decided], submitted),
        },
    )


def _returns(ctx: OrgContext, rng, issues: dict) -> None:
    """RMAs for some product tickets about fulfilled orders, each returning one line's goods."""
    end = ctx.end_us
    orders = ctx.store["orders"]
    lines = ctx.store["order_lines"]
    products = ctx.store["products"]
    line_index = issues["line_index"]
    has_line = line_index >= 0
    safe = np.maximum(line_index, 0)
    goods = has_line & np.isin(products["type"][lines["product_index"][safe]], ["physical", "bundle"])
    order_of_line = lines["order_index"][safe]
    goods &= np.isin(orders["status"][order_of_line], ["fulfilled", "completed"])
    goods &= orders["fulfilled_us"][order_of_line] < issues["opened_us"]
    rate = np.select(
        [issues["category"] == "return", issues["category"] == "delivery", issues["category"] == "product_defect"],
        [0.7, 0.3, 0.2],
        0.0,
    )
    chosen = np.flatnonzero(goods & issues["responded"] & (rng.random(len(line_index)) < rate))
    count = len(chosen)
    requested = issues["first_response_us"][chosen] + rng.integers(10, 48 * 60, count) * US_PER_MINUTE
    keep = requested < end
    chosen, requested = chosen[keep], requested[keep]
    count = len(chosen)
    line = line_index[chosen]
    approved_us = requested + rng.integers(30, 48 * 60, count) * US_PER_MINUTE
    received_us = approved_us + rng.integers(3, 15, count) * US_PER_DAY
    settled_us = received_us + rng.integers(1, 6, count) * US_PER_DAY
    rejected = rng.random(count) < 0.1
    refund = rng.random(count) < 0.6
    is_approved = ~rejected & (approved_us < end)
    is_received = is_approved & (received_us < end)
    is_settled = is_received & (settled_us < end)
    status = np.select(
        [rejected & (approved_us < end), is_settled & refund, is_settled, is_received, is_approved],
        ["rejected", "refunded", "replaced", "received", "approved"],
        "requested",
    )
    quantity = np.minimum(lines["quantity_milli"][line], rng.integers(1, 3, count) * 1000)
    refund_amount = np.where(
        status == "refunded", lines["line_total"][line] * quantity // np.maximum(lines["quantity_milli"][line], 1), 0
    )
    ids = ctx.ids("return_authorizations", count)
    customers = ctx.store["customers"]
    order_index = lines["order_index"][line]
    updated = np.select(
        [is_settled, is_received, is_approved, rejected & (approved_us < end)],
        [settled_us, received_us, approved_us, approved_us],
        requested,
    )
    ctx.emit(
        "return_authorizations",
        {
            "id": ids,
            "rma_number": numbered("RMA", ids),
            "customer_id": customers["id"][orders["customer_index"][order_index]],
            "order_id": orders["id"][order_index],
            "issue_id": issues["id"][chosen],
            "status": status.astype(object),
            "requested_at": requested,
            "approved_at": masked(approved_us, is_approved),
            "received_at": masked(received_us, is_received),
            "refund_amount": refund_amount,
            "currency": [ctx.profile.currency] * count,
            "notes": np.where(rejected, "Outside the return window.", None),
            "created_at": requested,
            "updated_at": updated,
        },
    )
    category = issues["category"][chosen]
    reason = np.select(
        [category == "product_defect", category == "delivery"],
        ["defective", "damaged_in_transit"],
        np.array(["no_longer_needed", "wrong_item", "not_as_described"])[rng.integers(0, 3, count)],
    )
    condition = np.select(
        [reason == "defective", reason == "damaged_in_transit"],
        ["defective", "damaged"],
        np.array(["new", "opened"])[rng.integers(0, 2, count)],
    )
    ctx.emit(
        "rma_line_items",
        {
            "id": ctx.ids("rma_line_items", count),
            "rma_id": ids,
            "order_line_item_id": lines["id"][line],
            "product_id": products["id"][lines["product_index"][line]],
            "quantity": quantity,
            "reason": reason.astype(object),
            "condition": np.where(is_received, condition, None),
            "reason_notes": np.where(rng.random(count) < 0.5, "As discussed on the phone.", None),
            "created_at": requested,
            "updated_at": np.where(is_received, received_us, requested),
        },
    )
    ctx.store["rmas"] = {
        "id": ids,
        "issue_id": issues["id"][chosen],
        "order_index": order_index,
        "line_index": line,
        "product_index": lines["product_index"][line],
        "quantity_milli": quantity,
        "status": status,
        "requested_us": requested,
        "received_us": np.where(is_received, received_us, 0),
        "refund_amount": refund_amount,
        "location_id": np.full(count, ctx.store["locations"]["warehouse"], dtype=np.int64),
    }


def _csat(ctx: OrgContext, rng, issues: dict) -> None:
    """Surveys after about 30 % of resolved tickets and completed jobs; scores skewed high."""
    end = ctx.end_us
    customers = ctx.store["customers"]
    job_store = ctx.store["jobs"]
    resolved = np.flatnonzero(issues["is_resolved"] & (rng.random(len(issues["id"])) < CSAT_RATE))
    completed = np.flatnonzero((job_store["status"] == "completed") & (rng.random(len(job_store["id"])) < CSAT_RATE))
    after = np.concatenate([issues["resolved_us"][resolved], job_store["actual_end_us"][completed]])
    count = len(after)
    responded = after + rng.integers(30, 3 * 24 * 60, count) * US_PER_MINUTE
    keep = responded < end
    slow = np.concatenate(
        [issues["resolved_us"][resolved] > issues["resolution_due_us"][resolved], np.zeros(len(completed), bool)]
    )
    happy = rng.choice([1, 2, 3, 4, 5], count, p=[0.03, 0.04, 0.1, 0.3, 0.53])
    unhappy = rng.choice([1, 2, 3, 4, 5], count, p=[0.12, 0.15, 0.25, 0.28, 0.2])
    score = np.where(slow, unhappy, happy)
    comment = np.where(
        rng.random(count) < 0.3,
        CSAT_COMMENTS[np.where(score >= 4, rng.integers(0, 2, count), rng.integers(2, 4, count))],
        None,
    )
    customer_index = np.concatenate([issues["customer_index"][resolved], job_store["customer_index"][completed]])
    issue_id = np.concatenate([issues["id"][resolved], np.zeros(len(completed), np.int64)])
    job_id = np.concatenate([np.zeros(len(resolved), np.int64), job_store["id"][completed]])
    ctx.emit(
        "csat_responses",
        {
            "id": ctx.ids("csat_responses", int(keep.sum())),
            "issue_id": masked(issue_id[keep], issue_id[keep] > 0),
            "job_id": masked(job_id[keep], job_id[keep] > 0),
            "customer_id": customers["id"][customer_index[keep]],
            "contact_id": customers["primary_contact"][customer_index[keep]],
            "score": score[keep],
            "comment": comment[keep],
            "responded_at": responded[keep],
            "created_at": responded[keep],
            "updated_at": responded[keep],
        },
    )
