"""Field jobs: job and checklist templates, installation jobs for equipment orders, maintenance and inspection visits,
and (through `write_jobs`) the repair and warranty-service jobs that the service step books for tickets and claims.

Every job is written with its children: technician assignments (1-2), tasks (2-4), materials (0-3, for
installation, repair and warranty-service work), time entries (travel + labour per technician, hours equal to
ended_at - started_at), photos (0-2) and one checklist copied from the checklist template of its job type.

Outcomes: a job whose actual end falls before ``ctx.end_us`` is completed; near the end of the window jobs are
in_progress (started, not finished), dispatched (technician travelling) or scheduled (not started yet); a few are
cancelled or on hold. Most jobs finish by their scheduled end. Some completed jobs need another visit: they have
``requires_follow_up`` and, when the next visit falls inside the window, a follow-up job (``follow_up_of_job_id``)
in the same batch, so the first-time-fix rate is about 85-90 %. Visits start on weekdays 08:00-15:30 in the
organization's time zone (`visit_slot`). No timestamp is at or after ``ctx.end_us``: jobs must be booked before it
and scheduled to start before `horizon_us` (= ctx.end_us unless FUTURE_DAYS > 0; ``scheduled_end`` and
``due_date`` are capped at the horizon).

``write_jobs(ctx, spec)`` = ``emit_jobs(ctx, plan_jobs(ctx, spec))``: `plan_jobs` decides everything (ids
included) without writing, so a caller can use a job's outcome (e.g. when it completed) before writing rows that
the jobs reference. Spec (numpy arrays of one length n unless noted; optional keys have the default shown):

- ``name`` (str, required): names the random stream ``jobs.<name>``; use one name per batch.
- ``customer_index`` (int, required): index into ctx.store["customers"].
- ``job_type`` (str, required): installation / repair / maintenance / inspection / warranty_service.
- ``scheduled_start_us`` (int, required): planned start, every value < horizon_us(ctx) (see `visit_slot`).
- ``created_us`` (int, default 1-9 days before the start): when the job was booked, < ctx.end_us; capped 2 h
  before the start.
- ``order_id``, ``issue_id``, ``warranty_claim_id``, ``follow_up_of_job_id`` (int, 0 = none).
- ``priority`` (str, default "normal"); ``estimated_hours_milli`` (int, default from the job template).
- ``can_cancel`` (bool, default True): whether the job may end up cancelled or on hold.
- ``billable`` (bool, default: repair, maintenance and inspection work is billable).
- ``follow_ups`` (bool scalar, default True): completed jobs may get a follow-up job in the batch.

The plan (returned by write_jobs too) holds job-level arrays for all rows: the n spec rows first, in order, then
the follow-up jobs. Keys: id, customer_index, order_id, job_type, status, priority, created_us,
scheduled_start_us, scheduled_end_us, actual_start_us / actual_end_us (0 when not started / not finished),
cancelled_us, lead_user, assistant_user (0 = none), issue_id, warranty_claim_id, follow_up_of_job_id,
requires_follow_up, parent_row (for follow-ups the row they follow, else -1), follow_up_row (row of the follow-up
job, else -1), labour_hours_milli (travel + labour, all technicians), labour_cost and parts_cost (cents, at cost).

ctx.store["jobs"] (after every write, all batches concatenated, aligned by index): id, customer_index, order_id
(0 = none), job_type, status, priority, created_us, scheduled_start_us, actual_start_us, actual_end_us (0 = none),
lead_user, assistant_user (0 = none), issue_id, warranty_claim_id, follow_up_of_job_id (0 = none),
requires_follow_up, labour_cost, parts_cost; and ctx.store["jobs"]["job_materials"]: job_id, job_index (into the
jobs arrays), product_index (into products), quantity_milli, location_id (van of the lead technician, else the
main warehouse), used_us, unit_cost (cents). Materials are only consumed by jobs that started (used_us <
ctx.end_us). ctx.store["job_templates"]: id, job_type, estimated_hours_milli, checklist (index into
CHECKLISTS); ctx.store["checklist_templates"]: id per CHECKLISTS entry.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np

from oltp.synthetic.arrow import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, masked
from oltp.synthetic.context import OrgContext
from oltp.synthetic.domains.common import numbered, round_div, to_json

JOB_TYPES = ("installation", "repair", "maintenance", "inspection", "warranty_service")
US_PER_MILLI_HOUR = US_PER_HOUR // 1000
EQUIPMENT_PRICE = 100_000  # physical products at $1000 or more are installed by a crew
LATE_SHARE = 0.13
CANCEL_SHARE = 0.03
ON_HOLD_SHARE = 0.02
# Days after the window's end for which booked visits are written (status scheduled, future scheduled_start).
# 0 keeps every timestamp before ctx.end_us, as the generator's rules ask; then only visits under way at the end
# are in_progress / dispatched / scheduled.
FUTURE_DAYS = 0
# chance that a completed job needs another visit, per job type
FOLLOW_UP_RATE = {
    "installation": 0.12,
    "repair": 0.2,
    "maintenance": 0.09,
    "inspection": 0.12,
    "warranty_service": 0.18,
}
TWO_TECHNICIANS = {"installation": 0.65, "repair": 0.2, "maintenance": 0.1, "inspection": 0.05, "warranty_service": 0.2}
# (job type, checklist name, [(label, required)])
CHECKLISTS = [
    (
        "installation",
        "Installation commissioning",
        [
            ("Site survey and access confirmed", True),
            ("Power isolated before work", True),
            ("Unit mounted and levelled", True),
            ("Connections tested for leaks and faults", True),
            ("System commissioned and settings recorded", True),
            ("Customer shown how to operate the system", False),
        ],
    ),
    (
        "repair",
        "Repair safety checklist",
        [
            ("Fault reproduced and diagnosed", True),
            ("Power isolated before work", True),
            ("Faulty part replaced or repaired", True),
            ("System tested after repair", True),
            ("Work area cleaned", False),
        ],
    ),
    (
        "maintenance",
        "Annual maintenance checklist",
        [
            ("Filters cleaned or replaced", True),
            ("Controls and safety devices tested", True),
            ("Performance readings recorded", True),
            ("Wear parts inspected", False),
            ("Service sticker updated", False),
        ],
    ),
    (
        "inspection",
        "Inspection checklist",
        [
            ("Visual inspection completed", True),
            ("Safety devices tested", True),
            ("Findings recorded with photos", True),
            ("Recommendations explained to customer", False),
        ],
    ),
    (
        "warranty_service",
        "Warranty service checklist",
        [
            ("Serial number verified against warranty", True),
            ("Failure diagnosed and documented", True),
            ("Defective part replaced", True),
            ("System tested after repair", True),
            ("Defective part tagged for return", False),
        ],
    ),
]
# (name, job type, estimated hours, default price in dollars or None)
JOB_TEMPLATES = [
    ("Standard installation", "installation", 6.0, None),
    ("Premium system installation", "installation", 8.0, None),
    ("Diagnostic and repair", "repair", 2.0, 189),
    ("Emergency repair", "repair", 3.0, 349),
    ("Annual maintenance visit", "maintenance", 1.5, 229),
    ("Safety inspection", "inspection", 1.0, 149),
    ("Warranty service visit", "warranty_service", 2.0, None),
]
TASKS = {
    "installation": ["Deliver and unpack equipment", "Remove old unit", "Install and connect", "Commission and test"],
    "repair": ["Diagnose fault", "Replace faulty part", "Test system", "Explain work to customer"],
    "maintenance": ["Clean and inspect", "Replace consumables", "Test controls", "Record readings"],
    "inspection": ["Visual inspection", "Test safety devices", "Write findings", "Review with customer"],
    "warranty_service": ["Verify warranty", "Diagnose failure", "Replace defective part", "Test and document"],
}
NOTES = {
    "installation": "Installed, commissioned and handed over to the customer.",
    "repair": "Fault found and repaired; system working normally.",
    "maintenance": "Routine maintenance done; no defects found.",
    "inspection": "Inspection complete; report sent to the customer.",
    "warranty_service": "Defective part replaced under warranty.",
}
TITLES = {
    "installation": "Installation",
    "repair": "Repair visit",
    "maintenance": "Maintenance visit",
    "inspection": "Inspection",
    "warranty_service": "Warranty service",
}


def emit(ctx: OrgContext) -> None:
    """Templates, then installation jobs for equipment orders and maintenance/inspection visits."""
    rng = ctx.rng("jobs.emit")
    _templates(ctx)
    installation = _installation_spec(ctx, rng)
    visits = _visit_spec(ctx, rng)
    spec = {key: np.concatenate([installation[key], visits[key]]) for key in installation}
    spec["name"] = "field"
    write_jobs(ctx, spec)


def horizon_us(ctx: OrgContext) -> int:
    """Jobs must be scheduled to start before this (the window's end unless FUTURE_DAYS > 0)."""
    return ctx.end_us + FUTURE_DAYS * US_PER_DAY


def utc_offsets(ctx: OrgContext) -> tuple[int, np.ndarray]:
    """(first day, UTC offset in microseconds of the organization's time zone per day from it), cached."""
    cached = ctx.store.get("utc_offsets")
    if cached is None:
        first = ctx.start_day - 400
        days = np.arange(first, ctx.start_day + ctx.days + 400)
        zone = ZoneInfo(ctx.profile.timezone)
        seconds = [
            zone.utcoffset(datetime.fromtimestamp(day * 86400 + 43200, tz=UTC)).total_seconds() for day in days.tolist()
        ]
        cached = ctx.store["utc_offsets"] = (first, (np.array(seconds) * 1_000_000).astype(np.int64))
    return cached


def local_offset(ctx: OrgContext, day: np.ndarray) -> np.ndarray:
    """UTC offset (microseconds, local = utc + offset) on each day (days since 1970)."""
    first, offsets = utc_offsets(ctx)
    return offsets[np.clip(np.asarray(day, dtype=np.int64) - first, 0, len(offsets) - 1)]


def visit_slot(ctx: OrgContext, after_us: np.ndarray, rng: np.random.Generator, min_days, max_days) -> np.ndarray:
    """A visit start on a weekday 08:00-15:30 local time, ``min_days``-``max_days`` days after ``after_us`` and at
    least 3 hours after it. May be after the horizon: callers keep only the slots before `horizon_us`."""
    after_us = np.asarray(after_us, dtype=np.int64)
    count = len(after_us)
    local_after = after_us + local_offset(ctx, after_us // US_PER_DAY)
    day = local_after // US_PER_DAY + rng.integers(min_days, np.asarray(max_days) + 1, count)
    start = day * US_PER_DAY + rng.integers(16, 32, count) * (US_PER_HOUR // 2)
    start = np.where(start < local_after + 3 * US_PER_HOUR, start + US_PER_DAY, start)
    weekday = (start // US_PER_DAY + 3) % 7  # 0 = Monday
    start = start + np.where(weekday == 5, 2, np.where(weekday == 6, 1, 0)) * US_PER_DAY
    return start - local_offset(ctx, start // US_PER_DAY)


def write_jobs(ctx: OrgContext, spec: dict) -> dict:
    """Plan and write a batch of jobs with all their children; returns the plan (see the module docstring)."""
    plan = plan_jobs(ctx, spec)
    emit_jobs(ctx, plan)
    return plan


def _templates(ctx: OrgContext) -> None:
    created = np.full(len(CHECKLISTS), ctx.start_us - 250 * US_PER_DAY)
    checklist_ids = ctx.ids("checklist_templates", len(CHECKLISTS))
    ctx.emit(
        "checklist_templates",
        {
            "id": checklist_ids,
            "name": [c[1] for c in CHECKLISTS],
            "description": [f"Standard checklist for {c[0].replace('_', ' ')} jobs." for c in CHECKLISTS],
            "job_type": [c[0] for c in CHECKLISTS],
            "items": to_json([[{"label": label, "is_required": req} for label, req in c[2]] for c in CHECKLISTS]),
            "created_at": created,
            "updated_at": created,
        },
    )
    ctx.store["checklist_templates"] = {"id": checklist_ids}
    count = len(JOB_TEMPLATES)
    ids = ctx.ids("job_templates", count)
    kinds = [t[1] for t in JOB_TEMPLATES]
    checklist = np.array([JOB_TYPES.index(k) for k in kinds])
    hours = np.array([round(t[2] * 1000) for t in JOB_TEMPLATES], dtype=np.int64)
    price = np.array([(t[3] or 0) * 100 - (1 if t[3] else 0) for t in JOB_TEMPLATES], dtype=np.int64)
    created = np.full(count, ctx.start_us - 250 * US_PER_DAY)
    ctx.emit(
        "job_templates",
        {
            "id": ids,
            "name": [t[0] for t in JOB_TEMPLATES],
            "description": [f"{t[0]}: typically {t[2]:g} hours on site." for t in JOB_TEMPLATES],
            "job_type": kinds,
            "estimated_hours": hours,
            "default_checklist_template_id": checklist_ids[checklist],
            "default_price": masked(price, price > 0),
            "created_at": created,
            "updated_at": created,
        },
    )
    ctx.store["job_templates"] = {
        "id": ids,
        "job_type": np.array(kinds),
        "estimated_hours_milli": hours,
        "checklist": checklist,
    }


def _empty_spec() -> dict:
    return {
        "customer_index": np.zeros(0, np.int64),
        "job_type": np.zeros(0, dtype="<U16"),
        "scheduled_start_us": np.zeros(0, np.int64),
        "created_us": np.zeros(0, np.int64),
        "order_id": np.zeros(0, np.int64),
        "priority": np.zeros(0, dtype="<U8"),
        "can_cancel": np.zeros(0, bool),
    }


def _installation_spec(ctx: OrgContext, rng) -> dict:
    """One installation per order with equipment, finishing by the order's fulfilment (in-progress orders: the
    installation is under way or about to start when the window ends)."""
    orders = ctx.store["orders"]
    lines = ctx.store["order_lines"]
    products = ctx.store["products"]
    index = lines["product_index"]
    equipment = (products["type"][index] == "physical") & (products["price"][index] >= EQUIPMENT_PRICE)
    has_equipment = np.bincount(lines["order_index"], equipment, minlength=len(orders["id"])) > 0
    chosen = np.flatnonzero(has_equipment & np.isin(orders["status"], ["in_progress", "fulfilled", "completed"]))
    count = len(chosen)
    premium = np.zeros(len(orders["id"]), bool)
    np.logical_or.at(premium, lines["order_index"], equipment & (products["price"][index] >= 700_000))
    hours = np.where(premium[chosen], 8000, 6000) * rng.uniform(0.8, 1.3, count)
    hours = (np.round(hours / 250) * 250).astype(np.int64)
    # Start early enough that even an overrunning job ends by fulfilment: 2x the estimate plus two hours before.
    latest = orders["fulfilled_us"][chosen] - 2 * hours * US_PER_MILLI_HOUR - 2 * US_PER_HOUR
    offset = local_offset(ctx, latest // US_PER_DAY)
    start = (latest + offset) // US_PER_DAY * US_PER_DAY + rng.integers(16, 20, count) * (US_PER_HOUR // 2) - offset
    start = np.where(start > latest, start - US_PER_DAY, start)  # 08:00-09:30 local
    start = np.maximum(start, orders["confirmed_us"][chosen] + 2 * US_PER_HOUR)
    keep = start < horizon_us(ctx)
    chosen, start, hours = chosen[keep], start[keep], hours[keep]
    count = len(chosen)
    spec = {
        "customer_index": orders["customer_index"][chosen],
        "job_type": np.full(count, "installation", dtype="<U16"),
        "scheduled_start_us": start,
        "created_us": np.minimum(orders["confirmed_us"][chosen], start - 2 * US_PER_HOUR),
        "order_id": orders["id"][chosen],
        "priority": np.where(rng.random(count) < 0.15, "high", "normal").astype("<U8"),
        "can_cancel": np.zeros(count, bool),
        "estimated_hours_milli": hours,
    }
    return spec


def _visit_spec(ctx: OrgContext, rng) -> dict:
    """Maintenance-plan visits (one soon after the plan starts, one about six months later) and ad-hoc
    maintenance and inspection visits for existing customers."""
    orders = ctx.store["orders"]
    lines = ctx.store["order_lines"]
    products = ctx.store["products"]
    customers = ctx.store["customers"]
    plan_line = products["type"][lines["product_index"]] == "subscription"
    plan_line &= np.isin(orders["status"][lines["order_index"]], ["fulfilled", "completed"])
    plan_orders = np.unique(lines["order_index"][plan_line])
    order_of_visit = np.repeat(plan_orders, 2)
    offset_days = np.tile([0, 1], len(plan_orders)) * 182 + rng.integers(10, 45, len(order_of_visit))
    plan_start = visit_slot(ctx, orders["fulfilled_us"][order_of_visit], rng, offset_days, offset_days)
    plan_keep = plan_start < horizon_us(ctx)
    order_of_visit, plan_start = order_of_visit[plan_keep], plan_start[plan_keep]
    planned = len(order_of_visit)

    per_day = 0.05 * ctx.scale.orders_per_day * ctx.profile.size
    days = np.repeat(np.arange(ctx.days), rng.poisson(per_day, ctx.days))
    eligible = np.flatnonzero(~customers["is_lead"])
    who = eligible[rng.integers(0, len(eligible), len(days))]
    adhoc_start = visit_slot(ctx, ctx.day_us(days), rng, 0, 0)
    ok = (customers["became_us"][who] < adhoc_start - 7 * US_PER_DAY) & (adhoc_start < horizon_us(ctx))
    who, adhoc_start = who[ok], adhoc_start[ok]
    adhoc = len(who)

    count = planned + adhoc
    start = np.concatenate([plan_start, adhoc_start])
    kind = np.concatenate(
        [
            np.where(rng.random(planned) < 0.85, "maintenance", "inspection"),
            np.where(rng.random(adhoc) < 0.5, "maintenance", "inspection"),
        ]
    ).astype("<U16")
    created = start - rng.integers(2, 21, count) * US_PER_DAY - rng.integers(0, 8, count) * US_PER_HOUR
    customer_index = np.concatenate([orders["customer_index"][order_of_visit], who])
    created = np.maximum(created, np.minimum(customers["became_us"][customer_index], start - 2 * US_PER_HOUR))
    created = np.minimum(created, ctx.end_us - US_PER_HOUR)  # visits after the window were booked before its end
    return {
        "customer_index": customer_index,
        "job_type": kind,
        "scheduled_start_us": start,
        "created_us": created,
        "order_id": np.concatenate([orders["id"][order_of_visit], np.zeros(adhoc, np.int64)]),
        "priority": np.where(rng.random(count) < 0.7, "normal", "low").astype("<U8"),
        "can_cancel": np.ones(count, bool),
        "estimated_hours_milli": np.zeros(count, np.int64),  # 0 = from the template
    }


def _outcomes(ctx: OrgContext, rng, spec: dict, count: int) -> dict:
    """Decide template, estimate, actual times, status and crew of ``count`` jobs."""

    def opt(key, default):
        return np.asarray(spec[key]) if key in spec else default

    end = ctx.end_us
    job_type = np.asarray(spec["job_type"]).astype("<U16")
    start = np.asarray(spec["scheduled_start_us"], dtype=np.int64)
    if count and start.max() >= horizon_us(ctx):
        raise ValueError("jobs must be scheduled to start before jobs.horizon_us(ctx)")
    zeros = np.zeros(count, np.int64)
    priority = opt("priority", np.full(count, "normal")).astype("<U8")
    created = opt("created_us", start - rng.integers(1, 10, count) * US_PER_DAY).astype(np.int64)
    created = np.minimum(created, start - 2 * US_PER_HOUR)
    if count and created.max() >= end:
        raise ValueError("jobs must be booked (created_us) before the end of the window")

    templates = ctx.store["job_templates"]
    type_code = _type_code(job_type)
    # first template of each type, the second one for premium installs and urgent repairs
    first_template = np.array([np.flatnonzero(templates["job_type"] == t)[0] for t in JOB_TYPES])
    template = first_template[type_code]
    alternative = ((job_type == "repair") & np.isin(priority, ["high", "urgent"])) | (
        (job_type == "installation") & (opt("estimated_hours_milli", zeros) >= 7000)
    )
    template = np.where(alternative, template + 1, template)
    estimate = opt("estimated_hours_milli", zeros).astype(np.int64)
    drawn = templates["estimated_hours_milli"][template] * rng.uniform(0.8, 1.3, count)
    estimate = np.where(estimate > 0, estimate, (np.round(drawn / 250) * 250).astype(np.int64))
    estimate_us = estimate * US_PER_MILLI_HOUR
    scheduled_end = start + estimate_us

    late = rng.random(count) < LATE_SHARE
    delay = np.where(late, rng.integers(0, 60, count), rng.integers(-10, 6, count)) * US_PER_MINUTE
    duration = (estimate_us * np.where(late, rng.uniform(1.05, 1.6, count), rng.uniform(0.6, 0.97, count))).astype(
        np.int64
    )
    duration = duration // US_PER_MINUTE * US_PER_MINUTE
    actual_start = start + delay
    actual_end = actual_start + duration
    actual_end = np.where(late, actual_end, np.minimum(actual_end, scheduled_end))
    travel = rng.integers(15, 61, count) * US_PER_MINUTE
    travel_start = actual_start - travel

    can_cancel = opt("can_cancel", np.ones(count, bool)).astype(bool)
    draw = rng.random(count)
    cancelled = can_cancel & (draw < CANCEL_SHARE)
    on_hold = can_cancel & (draw >= CANCEL_SHARE) & (draw < CANCEL_SHARE + ON_HOLD_SHARE)
    on_hold &= start > end - 30 * US_PER_DAY
    cancelled_us = created + (rng.random(count) * (np.minimum(start, end - 1) - created)).astype(np.int64)
    status = np.select(
        [cancelled, on_hold, actual_end < end, actual_start < end, travel_start < end],
        ["cancelled", "on_hold", "completed", "in_progress", "dispatched"],
        "scheduled",
    ).astype("<U12")
    completed = status == "completed"
    started = completed | (status == "in_progress")
    follow_rate = np.array([FOLLOW_UP_RATE[t] for t in JOB_TYPES])[type_code]
    requires_follow_up = completed & (rng.random(count) < follow_rate)

    users = ctx.store["users"]
    technicians = users["id"][(users["role"] == "technician") & users["active"]]
    if len(technicians) == 0:
        technicians = users["id"][users["role"] == "technician"]
    rate = users["hourly_cost"]
    n_tech = len(technicians)
    position = rng.integers(0, n_tech, count)
    lead = technicians[position]
    two = (rng.random(count) < np.array([TWO_TECHNICIANS[t] for t in JOB_TYPES])[type_code]) & (n_tech > 1)
    assistant = np.where(two, technicians[(position + 1 + rng.integers(0, max(1, n_tech - 1), count)) % n_tech], 0)
    billable = opt("billable", np.isin(job_type, ["repair", "maintenance", "inspection"])).astype(bool)

    return {
        "customer_index": np.asarray(spec["customer_index"], dtype=np.int64),
        "order_id": opt("order_id", zeros).astype(np.int64),
        "issue_id": opt("issue_id", zeros).astype(np.int64),
        "warranty_claim_id": opt("warranty_claim_id", zeros).astype(np.int64),
        "follow_up_of_job_id": opt("follow_up_of_job_id", zeros).astype(np.int64),
        "job_type": job_type,
        "type_code": type_code,
        "template": template,
        "priority": priority,
        "status": status,
        "created_us": created,
        "scheduled_start_us": start,
        "scheduled_end_us": scheduled_end,
        "estimated_hours_milli": estimate,
        "actual_start_us": np.where(started, actual_start, 0),
        "actual_end_us": np.where(completed, actual_end, 0),
        "planned_start_us": actual_start,
        "planned_end_us": actual_end,
        "travel_start_us": travel_start,
        "cancelled_us": np.where(cancelled, cancelled_us, 0),
        "requires_follow_up": requires_follow_up,
        "lead_user": lead,
        "assistant_user": assistant,
        "lead_rate": rate[np.searchsorted(users["id"], lead)],
        "assistant_rate": np.where(two, rate[np.searchsorted(users["id"], np.where(two, assistant, lead))], 0),
        "billable": billable,
    }


def _type_code(job_type: np.ndarray) -> np.ndarray:
    code = np.full(len(job_type), -1)
    for number, name in enumerate(JOB_TYPES):
        code[job_type == name] = number
    if (code < 0).any():
        raise ValueError(f"unknown job types {sorted(set(job_type[code < 0].tolist()))}")
    return code


def plan_jobs(ctx: OrgContext, spec: dict) -> dict:
    """Decide a batch of jobs and their follow-up visits (ids allocated, nothing written)."""
    rng = ctx.rng(f"jobs.{spec['name']}")
    count = len(spec["customer_index"])
    first = _outcomes(ctx, rng, spec, count)
    parents = np.flatnonzero(first["requires_follow_up"]) if spec.get("follow_ups", True) else np.zeros(0, int)
    gap_days = np.where(np.isin(first["priority"][parents], ["high", "urgent"]), 3, 10)
    follow_start = visit_slot(ctx, first["actual_end_us"][parents], rng, 1, gap_days)
    follow_created = first["actual_end_us"][parents] + rng.integers(10, 120, len(parents)) * US_PER_MINUTE
    keep = (follow_start < horizon_us(ctx)) & (np.minimum(follow_created, follow_start - 2 * US_PER_HOUR) < ctx.end_us)
    parents, follow_start, follow_created = parents[keep], follow_start[keep], follow_created[keep]
    follow_spec = {
        "customer_index": first["customer_index"][parents],
        "job_type": np.where(first["job_type"][parents] == "warranty_service", "warranty_service", "repair"),
        "scheduled_start_us": follow_start,
        "created_us": follow_created,
        "order_id": first["order_id"][parents],
        "issue_id": first["issue_id"][parents],
        "warranty_claim_id": first["warranty_claim_id"][parents],
        "priority": first["priority"][parents],
        "billable": np.zeros(len(parents), bool),  # a return visit to finish the work is not charged again
    }
    second = _outcomes(ctx, rng, follow_spec, len(parents))
    second["requires_follow_up"][:] = False
    plan = {key: np.concatenate([first[key], second[key]]) for key in first}
    total = count + len(parents)
    plan["id"] = ctx.ids("jobs", total)
    plan["parent_row"] = np.concatenate([np.full(count, -1), parents])
    plan["follow_up_row"] = np.full(total, -1)
    plan["follow_up_row"][parents] = count + np.arange(len(parents))
    plan["follow_up_of_job_id"][count:] = plan["id"][parents]
    _children(ctx, rng, plan)
    return plan


def _children(ctx: OrgContext, rng, plan: dict) -> None:
    """Plan time entries and materials (their cost goes into the job plan); the rest is decided at emit."""
    end = ctx.end_us
    count = len(plan["id"])
    status = plan["status"]
    started = np.isin(status, ["completed", "in_progress"])
    travelling = started | (status == "dispatched")
    two = plan["assistant_user"] > 0
    # time entries: travel then labour, for the lead and the assistant
    crew_job = np.concatenate([np.arange(count), np.flatnonzero(two)])
    crew_user = np.concatenate([plan["lead_user"], plan["assistant_user"][two]])
    crew_rate = np.concatenate([plan["lead_rate"], plan["assistant_rate"][two]])
    on_road = travelling[crew_job]
    t_job, t_user, t_rate = crew_job[on_road], crew_user[on_road], crew_rate[on_road]
    at_work = started[crew_job]
    l_job, l_user, l_rate = crew_job[at_work], crew_user[at_work], crew_rate[at_work]
    entry_job = np.concatenate([t_job, l_job])
    entry_start = np.concatenate([plan["travel_start_us"][t_job], plan["planned_start_us"][l_job]])
    entry_end = np.concatenate([plan["planned_start_us"][t_job], plan["planned_end_us"][l_job]])
    finished = entry_end < end
    hours = np.where(finished, round_div(entry_end - entry_start, US_PER_MILLI_HOUR), 0)
    rates = np.concatenate([t_rate, l_rate])
    entry_type = np.concatenate([np.full(len(t_job), "travel"), np.full(len(l_job), "labour")])
    plan["time_entries"] = {
        "job_row": entry_job,
        "user_id": np.concatenate([t_user, l_user]),
        "entry_type": entry_type,
        "started_us": entry_start,
        "ended_us": entry_end,
        "finished": finished,
        "hours_milli": hours,
        "hourly_cost": rates,
        "billable": (entry_type == "labour") & plan["billable"][entry_job],
    }
    plan["labour_hours_milli"] = np.bincount(entry_job, hours, minlength=count).astype(np.int64)
    plan["labour_cost"] = np.bincount(entry_job, round_div(hours * rates, 1000), minlength=count).astype(np.int64)

    # materials from the lead technician's van (or the warehouse)
    products = ctx.store["products"]
    locations = ctx.store["locations"]
    pool = np.flatnonzero(
        (products["type"] == "physical")
        & products["stocked"]
        & (products["price"] < EQUIPMENT_PRICE)
        & (products["discontinued_day"] > ctx.days)
    )
    kind = plan["job_type"]
    per_job = np.select(
        [kind == "installation", kind == "repair", kind == "warranty_service"],
        [rng.integers(1, 4, count), rng.integers(0, 4, count), rng.integers(1, 3, count)],
        0,
    )
    per_job = np.where(started & (len(pool) > 0), per_job, 0)
    m_job = np.repeat(np.arange(count), per_job)
    m_count = len(m_job)
    product_index = pool[rng.integers(0, max(1, len(pool)), m_count)] if len(pool) else np.zeros(0, np.int64)
    cheap = products["price"][product_index] < 10_000
    quantity = np.where(cheap, rng.integers(1, 5, m_count), 1) * 1000
    van_of = dict(zip(locations["van_users"].tolist(), locations["vans"].tolist(), strict=True))
    lead_van = np.array([van_of.get(u, locations["warehouse"]) for u in plan["lead_user"].tolist()], dtype=np.int64)
    work_end = np.minimum(plan["planned_end_us"], end - 1)
    used = plan["planned_start_us"][m_job] + (
        rng.random(m_count) * (work_end[m_job] - plan["planned_start_us"][m_job])
    ).astype(np.int64)
    unit_cost = products["cost"][product_index]
    plan["materials"] = {
        "job_row": m_job,
        "product_index": product_index,
        "quantity_milli": quantity.astype(np.int64),
        "location_id": lead_van[m_job] if m_count else np.zeros(0, np.int64),
        "used_us": used,
        "unit_cost": unit_cost,
        "unit_price": products["price"][product_index],
        "billable": plan["billable"][m_job],
    }
    plan["parts_cost"] = np.bincount(m_job, unit_cost * quantity // 1000, minlength=count).astype(np.int64)


def emit_jobs(ctx: OrgContext, plan: dict) -> None:
    """Write a planned batch: jobs, assignments, tasks, materials, time entries, photos, checklists."""
    rng = ctx.rng(f"jobs.emit.{int(plan['id'][0]) if len(plan['id']) else 0}")
    customers = ctx.store["customers"]
    templates = ctx.store["job_templates"]
    ids = plan["id"]
    count = len(ids)
    status = plan["status"]
    kind = plan["job_type"]
    completed = status == "completed"
    started = completed | (status == "in_progress")
    cancelled = status == "cancelled"
    customer_index = plan["customer_index"]
    updated = np.select(
        [completed, cancelled, started, status == "dispatched"],
        [plan["actual_end_us"], plan["cancelled_us"], plan["actual_start_us"], plan["travel_start_us"]],
        plan["created_us"],
    )
    last_day = (horizon_us(ctx) - 1) // US_PER_DAY
    due_day = np.minimum(plan["scheduled_end_us"] // US_PER_DAY + rng.integers(0, 4, count), last_day)
    due_day = np.maximum(due_day, plan["scheduled_start_us"] // US_PER_DAY)
    title = np.array([TITLES[t] for t in JOB_TYPES], dtype=object)[plan["type_code"]]
    follow = plan["follow_up_of_job_id"] > 0
    title = np.where(follow, "Follow-up: " + title, title)
    notes = np.array([NOTES[t] for t in JOB_TYPES], dtype=object)[plan["type_code"]]
    ctx.emit(
        "jobs",
        {
            "id": ids,
            "job_number": numbered("JOB", ids),
            "customer_id": customers["id"][customer_index],
            "contact_id": customers["primary_contact"][customer_index],
            "order_id": masked(plan["order_id"], plan["order_id"] > 0),
            "address_id": customers["service_address"][customer_index],
            "job_template_id": templates["id"][plan["template"]],
            "issue_id": masked(plan["issue_id"], plan["issue_id"] > 0),
            "warranty_claim_id": masked(plan["warranty_claim_id"], plan["warranty_claim_id"] > 0),
            "follow_up_of_job_id": masked(plan["follow_up_of_job_id"], follow),
            "job_type": kind.astype(object),
            "status": status.astype(object),
            "priority": plan["priority"].astype(object),
            "title": title,
            "description": np.where(
                follow, "Return visit to finish the work of the earlier job.", "Booked from the schedule."
            ).astype(object),
            "scheduled_start": plan["scheduled_start_us"],
            "scheduled_end": np.minimum(plan["scheduled_end_us"], horizon_us(ctx) - 1),
            "actual_start": masked(plan["actual_start_us"], started),
            "actual_end": masked(plan["actual_end_us"], completed),
            "due_date": due_day,
            "estimated_hours": plan["estimated_hours_milli"],
            "cancelled_at": masked(plan["cancelled_us"], cancelled),
            "requires_follow_up": plan["requires_follow_up"],
            "completion_notes": np.where(completed, notes, None),
            "customer_signature_captured": completed & (rng.random(count) < 0.9),
            "created_at": plan["created_us"],
            "updated_at": updated,
        },
    )
    _emit_assignments(ctx, rng, plan, started)
    task_first, task_count, task_ids = _emit_tasks(ctx, rng, plan)
    _emit_materials(ctx, plan)
    _emit_time_entries(ctx, plan)
    _emit_photos(ctx, rng, plan, started, task_first, task_count, task_ids)
    _emit_checklists(ctx, rng, plan)
    _store(ctx, plan)


def _emit_assignments(ctx: OrgContext, rng, plan: dict, started: np.ndarray) -> None:
    users = ctx.store["users"]
    dispatchers = users["id"][np.isin(users["role"], ["operations", "admin"])]
    two = plan["assistant_user"] > 0
    job_row = np.concatenate([np.arange(len(plan["id"])), np.flatnonzero(two)])
    order = np.argsort(job_row, kind="stable")
    job_row = job_row[order]
    user = np.concatenate([plan["lead_user"], plan["assistant_user"][two]])[order]
    role = np.concatenate([np.full(len(plan["id"]), "lead"), np.full(int(two.sum()), "assistant")])[order]
    count = len(job_row)
    created = plan["created_us"][job_row]
    window = plan["scheduled_start_us"][job_row] - 2 * US_PER_HOUR - created
    assigned = created + (rng.random(count) * np.maximum(window, 0) * 0.5).astype(np.int64)
    assigned = np.minimum(assigned, ctx.end_us - 1)
    status = plan["status"][job_row]
    ctx.emit(
        "job_assignments",
        {
            "id": ctx.ids("job_assignments", count),
            "job_id": plan["id"][job_row],
            "user_id": user,
            "assigned_by_user_id": dispatchers[rng.integers(0, len(dispatchers), count)],
            "role": role.astype(object),
            "status": np.select(
                [status == "cancelled", np.isin(status, ["completed", "in_progress", "dispatched"])],
                ["removed", "accepted"],
                "assigned",
            ).astype(object),
            "assigned_at": assigned,
            "created_at": assigned,
            "updated_at": np.where(started[job_row], plan["actual_start_us"][job_row], assigned),
        },
    )


def _emit_tasks(ctx: OrgContext, rng, plan: dict):
    count = len(plan["id"])
    end = ctx.end_us
    per_job = rng.integers(2, 5, count)
    job_row = np.repeat(np.arange(count), per_job)
    first = np.cumsum(per_job) - per_job
    sequence = np.arange(len(job_row)) - first[job_row] + 1
    task_count = len(job_row)
    titles = np.array([TASKS[t] for t in JOB_TYPES], dtype=object)[plan["type_code"][job_row], sequence - 1]
    start = plan["planned_start_us"][job_row]
    length = plan["planned_end_us"][job_row] - start
    finish = start + length * sequence // per_job[job_row]
    # Job-level flags picked per task: a task's copy of its job's status string would take 44 bytes a row.
    completed = (plan["status"] == "completed")[job_row]
    in_progress = (plan["status"] == "in_progress")[job_row]
    is_last = sequence == per_job[job_row]
    done = (completed | in_progress) & (finish < end)
    skipped = done & ~is_last & completed & (rng.random(task_count) < 0.04)
    running = in_progress & ~done & (start + length * (sequence - 1) // per_job[job_row] < end)
    # Codes, then the few shared strings: an object array takes 8 bytes a row, a string array 44.
    task_status = np.array(["todo", "skipped", "done", "in_progress"], dtype=object)[
        np.select([skipped, done, running], [1, 2, 3], 0)
    ]
    ids = ctx.ids("job_tasks", task_count)
    created = plan["created_us"][job_row]
    ctx.emit(
        "job_tasks",
        {
            "id": ids,
            "job_id": plan["id"][job_row],
            "title": titles,
            "status": task_status,
            "sequence": sequence,
            "completed_at": masked(finish, done & ~skipped),
            "completed_by_user_id": masked(plan["lead_user"][job_row], done & ~skipped),
            "created_at": created,
            "updated_at": np.where(done, finish, np.where(running, start, created)),
        },
    )
    return first, per_job, ids


def _emit_materials(ctx: OrgContext, plan: dict) -> None:
    products = ctx.store["products"]
    materials = plan["materials"]
    count = len(materials["job_row"])
    ctx.emit(
        "job_materials",
        {
            "id": ctx.ids("job_materials", count),
            "job_id": plan["id"][materials["job_row"]],
            "product_id": products["id"][materials["product_index"]],
            "location_id": materials["location_id"],
            "quantity": materials["quantity_milli"],
            "unit_cost": materials["unit_cost"],
            "unit_price": materials["unit_price"],
            "billable": materials["billable"],
            "used_at": materials["used_us"],
            "created_at": materials["used_us"],
            "updated_at": materials["used_us"],
        },
    )


def _emit_time_entries(ctx: OrgContext, plan: dict) -> None:
    entries = plan["time_entries"]
    count = len(entries["job_row"])
    finished = entries["finished"]
    ctx.emit(
        "job_time_entries",
        {
            "id": ctx.ids("job_time_entries", count),
            "job_id": plan["id"][entries["job_row"]],
            "user_id": entries["user_id"],
            "entry_type": entries["entry_type"].astype(object),
            "started_at": entries["started_us"],
            "ended_at": masked(entries["ended_us"], finished),
            "hours": entries["hours_milli"],
            "hourly_cost": masked(entries["hourly_cost"], entries["hourly_cost"] > 0),
            "billable": entries["billable"],
            "created_at": entries["started_us"],
            "updated_at": np.where(finished, entries["ended_us"], entries["started_us"]),
        },
    )


def _emit_photos(ctx: OrgContext, rng, plan, started, task_first, task_count, task_ids) -> None:
    count = len(plan["id"])
    per_job = np.where(started, rng.choice([0, 1, 2], count, p=[0.35, 0.35, 0.3]), 0)
    job_row = np.repeat(np.arange(count), per_job)
    photos = len(job_row)
    work_end = np.minimum(plan["planned_end_us"], ctx.end_us - 1)
    start = plan["actual_start_us"][job_row]
    taken = start + (rng.random(photos) * (work_end[job_row] - start)).astype(np.int64)
    task = task_ids[task_first[job_row] + rng.integers(0, 1 << 30, photos) % task_count[job_row]]
    ids = ctx.ids("job_photos", photos)
    ctx.emit(
        "job_photos",
        {
            "id": ids,
            "job_id": plan["id"][job_row],
            "job_task_id": masked(task, rng.random(photos) < 0.7),
            "storage_ref": [
                f"jobs/{j}/photo-{p}.jpg" for j, p in zip(plan["id"][job_row].tolist(), ids.tolist(), strict=True)
            ],
            "caption": rng.choice(["Before work", "After work", "Serial plate", "Site access"], photos).astype(object),
            "taken_at": taken,
            "taken_by_user_id": plan["lead_user"][job_row],
            "created_at": taken,
            "updated_at": taken,
        },
    )


def _emit_checklists(ctx: OrgContext, rng, plan: dict) -> None:
    end = ctx.end_us
    count = len(plan["id"])
    status = plan["status"]
    completed = status == "completed"
    checklist_ids = ctx.ids("job_checklists", count)
    template = plan["type_code"]
    ctx.emit(
        "job_checklists",
        {
            "id": checklist_ids,
            "job_id": plan["id"],
            "checklist_template_id": ctx.store["checklist_templates"]["id"][template],
            "name": np.array([c[1] for c in CHECKLISTS], dtype=object)[template],
            "status": np.select([completed, status == "in_progress"], ["completed", "in_progress"], "pending").astype(
                object
            ),
            "completed_at": masked(plan["actual_end_us"], completed),
            "completed_by_user_id": masked(plan["lead_user"], completed),
            "created_at": plan["created_us"],
            "updated_at": np.where(
                completed,
                plan["actual_end_us"],
                np.where(status == "in_progress", plan["actual_start_us"], plan["created_us"]),
            ),
        },
    )
    sizes = np.array([len(c[2]) for c in CHECKLISTS])
    width = sizes.max()
    labels = np.array([[item[0] for item in c[2]] + [""] * (width - len(c[2])) for c in CHECKLISTS], dtype=object)
    required = np.array([[item[1] for item in c[2]] + [False] * (width - len(c[2])) for c in CHECKLISTS])
    per_job = sizes[template]
    job_row = np.repeat(np.arange(count), per_job)
    items = len(job_row)
    sequence = np.arange(items) - np.repeat(np.cumsum(per_job) - per_job, per_job) + 1
    is_required = required[template[job_row], sequence - 1]
    start = plan["planned_start_us"][job_row]
    length = plan["planned_end_us"][job_row] - start
    at = start + length * sequence // (per_job[job_row] + 1)
    checked = (completed[job_row] & (is_required | (rng.random(items) < 0.85))) | (
        (status == "in_progress")[job_row] & (at < end)
    )
    ctx.emit(
        "job_checklist_items",
        {
            "id": ctx.ids("job_checklist_items", items),
            "job_checklist_id": checklist_ids[job_row],
            "sequence": sequence,
            "label": labels[template[job_row], sequence - 1],
            "is_required": is_required,
            "is_checked": checked,
            "checked_at": masked(at, checked),
            "checked_by_user_id": masked(plan["lead_user"][job_row], checked),
            "created_at": plan["created_us"][job_row],
            "updated_at": np.where(checked, at, plan["created_us"][job_row]),
        },
    )


STORED = (
    "id",
    "customer_index",
    "order_id",
    "job_type",
    "status",
    "priority",
    "created_us",
    "scheduled_start_us",
    "actual_start_us",
    "actual_end_us",
    "lead_user",
    "assistant_user",
    "issue_id",
    "warranty_claim_id",
    "follow_up_of_job_id",
    "requires_follow_up",
    "labour_cost",
    "parts_cost",
)


def _store(ctx: OrgContext, plan: dict) -> None:
    materials = plan["materials"]
    batch_materials = {
        "job_id": plan["id"][materials["job_row"]],
        "job_index": materials["job_row"],
        "product_index": materials["product_index"],
        "quantity_milli": materials["quantity_milli"],
        "location_id": materials["location_id"],
        "used_us": materials["used_us"],
        "unit_cost": materials["unit_cost"],
    }
    batch = {key: plan[key] for key in STORED}
    stored = ctx.store.get("jobs")
    if stored is None:
        ctx.store["jobs"] = {**batch, "job_materials": batch_materials}
        return
    offset = len(stored["id"])
    batch_materials["job_index"] = batch_materials["job_index"] + offset
    old_materials = stored["job_materials"]
    for key in STORED:
        stored[key] = np.concatenate([stored[key], batch[key]])
    stored["job_materials"] = {
        key: np.concatenate([old_materials[key], batch_materials[key]]) for key in batch_materials
    }
