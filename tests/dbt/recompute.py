"""An independent recomputation of the reporting relations with pandas, straight from the `app` tables: the
definitions of docs/metrics.md written a second time, day by day and row by row, so the reconciliation tests can
compare every column to the cent. Money is carried as Decimal (or integer cents), never as float."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from orchestration.dbt_runner import DBT_PROJECT_DIR

CENT = Decimal("0.01")
ZERO = Decimal(0)
OPEN_STAGES = ("lead", "qualified", "proposal", "negotiation")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cents(value) -> Decimal | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def dec(value) -> Decimal:
    """A numeric column value as Decimal (0 for NULL)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ZERO
    return Decimal(value) if not isinstance(value, Decimal) else value


def is_null(value) -> bool:
    return value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def stage_defaults() -> dict[str, Decimal]:
    with (DBT_PROJECT_DIR / "seeds" / "opportunity_stages.csv").open() as handle:
        return {row["stage"]: Decimal(row["default_probability"]) for row in csv.DictReader(handle)}


@dataclass
class AppData:
    """The app tables of one database, read once; `live(name)` drops soft-deleted rows."""

    engine: object
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def raw(self, name: str) -> pd.DataFrame:
        if name not in self.tables:
            sql = f"select * from app.{name}"
            if name == "business_hours_config":
                opens = ", ".join(f"{d}_open::text as {d}_open, {d}_close::text as {d}_close" for d in WEEKDAYS)
                sql = f"select id, organization_id, timezone, is_default, {opens} from app.{name}"
            self.tables[name] = pd.read_sql(sql, self.engine, coerce_float=False)
        return self.tables[name]

    def live(self, name: str) -> pd.DataFrame:
        frame = self.raw(name)
        return frame[frame["deleted_at"].isna()] if "deleted_at" in frame.columns else frame


class Calendar:
    """Each organization's time zone, business dates and as-of date."""

    def __init__(self, data: AppData, as_of: dict[int, date]):
        organizations = data.live("organizations")
        self.zones = {int(r.id): ZoneInfo(r.timezone) for r in organizations.itertuples()}
        self.created = {
            int(r.id): r.created_at.astimezone(self.zones[int(r.id)]).date() for r in organizations.itertuples()
        }
        self.as_of = as_of
        self.currency = {int(r.id): r.currency for r in organizations.itertuples()}

    def local(self, organization_id, instant) -> date | None:
        if is_null(instant):
            return None
        return pd.Timestamp(instant).tz_convert(self.zones[int(organization_id)]).date()

    def day_end(self, organization_id, day: date) -> datetime:
        """The instant the local day ends (midnight after it)."""
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zones[int(organization_id)])


def reporting_days(data: AppData, calendar: Calendar) -> dict[int, list[date]]:
    orders = data.live("orders")
    first_orders = orders.groupby("organization_id")["order_date"].min().to_dict()
    days = {}
    for organization_id, created in calendar.created.items():
        first = min([created] + ([first_orders[organization_id]] if organization_id in first_orders else []))
        last = calendar.as_of[organization_id]
        days[organization_id] = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return days


# -- shared building blocks -----------------------------------------------------------------------------------
def live_orders(data: AppData) -> pd.DataFrame:
    return data.live("orders").set_index(["organization_id", "id"], drop=False)


def order_lines(data: AppData) -> pd.DataFrame:
    orders = live_orders(data)
    lines = data.raw("order_line_items")
    keep = [(o, i) in orders.index for o, i in zip(lines.organization_id, lines.order_id, strict=True)]
    return lines[keep]


def line_cost(line) -> Decimal:
    return ZERO if is_null(line.unit_cost) else cents(dec(line.quantity) * dec(line.unit_cost))


def installments(data: AppData, calendar: Calendar) -> list[dict]:
    """Invoice installments: payment_schedules of live orders, or the invoiced order itself when it has none."""
    orders = live_orders(data)
    schedules = data.raw("payment_schedules")
    rows, scheduled = [], set()
    for s in schedules.itertuples():
        key = (s.organization_id, s.order_id)
        if key not in orders.index:
            continue
        scheduled.add(key)
        rows.append({"organization_id": s.organization_id, "order_id": s.order_id, "number": s.installment_number,
                     "due": s.due_date, "amount_due": dec(s.amount_due), "amount_paid": dec(s.amount_paid),
                     "paid_at": s.paid_at, "updated_at": s.updated_at})  # fmt: skip
    for o in orders.itertuples():
        if is_null(o.invoice_number) or (o.organization_id, o.id) in scheduled:
            continue
        rows.append({"organization_id": o.organization_id, "order_id": o.id, "number": 1,
                     "due": o.invoice_due_date, "amount_due": dec(o.total_amount), "amount_paid": dec(o.amount_paid),
                     "paid_at": o.paid_at, "updated_at": o.updated_at})  # fmt: skip
    for row in rows:
        if not is_null(row["paid_at"]):
            row["payment_date"] = calendar.local(row["organization_id"], row["paid_at"])
        elif row["amount_paid"] > 0:
            row["payment_date"] = calendar.local(row["organization_id"], row["updated_at"])
        else:
            row["payment_date"] = None
    return rows


def effective_credits(data: AppData) -> pd.DataFrame:
    credits = data.live("credit_notes")
    return credits[credits.status.isin(["issued", "applied"])]


def receivables_by_day(data: AppData, calendar: Calendar, days: dict[int, list[date]]) -> dict:
    """(organization, day) -> (outstanding cents, overdue cents), evaluated for every day of every open invoice."""
    orders = live_orders(data)
    invoices = orders[orders.invoice_number.notna() & (orders.payment_status != "written_off")]
    by_order = defaultdict(list)
    for row in installments(data, calendar):
        by_order[(row["organization_id"], row["order_id"])].append(row)
    credits = defaultdict(list)
    for c in effective_credits(data).itertuples():
        if not is_null(c.order_id):
            credits[(c.organization_id, int(c.order_id))].append((c.issued_date, int(dec(c.total_amount) * 100)))
    totals = {}
    for organization_id, org_days in days.items():
        if not org_days:
            continue
        first, ordinals = org_days[0], np.array([d.toordinal() for d in org_days])
        outstanding_sum = np.zeros(len(org_days), dtype=np.int64)
        overdue_sum = np.zeros(len(org_days), dtype=np.int64)
        for inv in invoices[invoices.organization_id == organization_id].itertuples():
            start = max(inv.invoice_date.toordinal() - first.toordinal(), 0)
            if start >= len(org_days):
                continue
            d = ordinals[start:]
            parts = by_order[(organization_id, inv.id)]
            due_total = sum(int(p["amount_due"] * 100) for p in parts)
            paid = np.zeros(len(d), dtype=np.int64)
            overdue_unpaid = np.zeros(len(d), dtype=np.int64)
            for p in parts:
                paid_cents = int(p["amount_paid"] * 100)
                paid_by = (d >= p["payment_date"].toordinal()) if p["payment_date"] else np.zeros(len(d), bool)
                paid += np.where(paid_by, paid_cents, 0)
                overdue_unpaid += np.where(
                    d > p["due"].toordinal(), int(p["amount_due"] * 100) - np.where(paid_by, paid_cents, 0), 0
                )
            credited = np.zeros(len(d), dtype=np.int64)
            for issued, amount in credits[(organization_id, inv.id)]:
                credited += np.where(d >= issued.toordinal(), amount, 0)
            outstanding = np.maximum(0, due_total - paid - credited)
            outstanding_sum[start:] += outstanding
            overdue_sum[start:] += np.maximum(0, np.minimum(outstanding, overdue_unpaid))
        for index, day in enumerate(org_days):
            totals[(organization_id, day)] = (int(outstanding_sum[index]), int(overdue_sum[index]))
    return totals


def as_money(cents_value: int) -> Decimal:
    return (Decimal(cents_value) / 100).quantize(CENT)


# -- mv_daily_metrics ---------------------------------------------------------------------------------------------
def daily_metrics(data: AppData, calendar: Calendar) -> dict[tuple, dict]:
    days = reporting_days(data, calendar)
    rows = {(o, d): defaultdict(lambda: ZERO) for o, ds in days.items() for d in ds}
    orders = live_orders(data)
    for o in orders.itertuples():
        net = dec(o.total_amount) - dec(o.tax_total)
        if o.status not in ("draft", "cancelled") and (o.organization_id, o.order_date) in rows:
            row = rows[(o.organization_id, o.order_date)]
            row["orders"] += 1
            row["booked_value"] += net
        if not is_null(o.invoice_number) and (o.organization_id, o.invoice_date) in rows:
            row = rows[(o.organization_id, o.invoice_date)]
            row["invoices_issued"] += 1
            row["invoiced_revenue"] += net
        if o.payment_status == "paid":
            key = (o.organization_id, calendar.local(o.organization_id, o.paid_at))
            if key in rows:
                rows[key]["invoices_paid"] += 1
    for line in order_lines(data).itertuples():
        order = orders.loc[(line.organization_id, line.order_id)]
        if not is_null(order.invoice_number) and (line.organization_id, order.invoice_date) in rows:
            rows[(line.organization_id, order.invoice_date)]["cost_of_goods_sold"] += line_cost(line)
    for c in effective_credits(data).itertuples():
        if (c.organization_id, c.issued_date) in rows:
            rows[(c.organization_id, c.issued_date)]["credit_notes_amount"] += dec(c.amount)
    for p in installments(data, calendar):
        if p["amount_paid"] > 0 and (p["organization_id"], p["payment_date"]) in rows:
            rows[(p["organization_id"], p["payment_date"])]["cash_collected"] += p["amount_paid"]
    for c in data.live("customers").itertuples():
        key = (c.organization_id, calendar.local(c.organization_id, c.became_customer_at))
        if key in rows:
            rows[key]["new_customers"] += 1
    receivables = receivables_by_day(data, calendar, days)
    result = {}
    for key, row in rows.items():
        outstanding, overdue = receivables.get(key, (0, 0))
        revenue = row["invoiced_revenue"] - row["credit_notes_amount"]
        result[key] = {
            "currency": calendar.currency[key[0]],
            "orders": int(row["orders"]),
            "booked_value": cents(row["booked_value"]),
            "average_order_value": cents(row["booked_value"] / row["orders"]) if row["orders"] else None,
            "new_customers": int(row["new_customers"]),
            "invoices_issued": int(row["invoices_issued"]),
            "invoiced_revenue": cents(row["invoiced_revenue"]),
            "credit_notes_amount": cents(row["credit_notes_amount"]),
            "revenue": cents(revenue),
            "cost_of_goods_sold": cents(row["cost_of_goods_sold"]),
            "gross_margin": cents(revenue - row["cost_of_goods_sold"]),
            "invoices_paid": int(row["invoices_paid"]),
            "cash_collected": cents(row["cash_collected"]),
            "receivables_outstanding": as_money(outstanding),
            "receivables_overdue": as_money(overdue),
        }
    return result


# -- mv_daily_pipeline ----------------------------------------------------------------------------------------------
@dataclass
class Deal:
    row: object
    periods: list  # (stage, start, end or None, probability)
    initial_stage: str
    last_open_stage: str


def replay_deals(data: AppData) -> list[Deal]:
    defaults = stage_defaults()
    opportunities = data.live("opportunities")
    activities = data.raw("opportunity_activities")
    changes = activities[activities.activity_type == "stage_change"].sort_values(["occurred_at", "id"])
    by_deal = defaultdict(list)
    for change in changes.itertuples():
        by_deal[(change.organization_id, change.opportunity_id)].append(change)
    deals = []
    for opp in opportunities.itertuples():
        history = by_deal[(opp.organization_id, opp.id)]
        fallback = opp.stage if opp.status == "open" else "lead"
        starts = [(history[0].from_stage if history else fallback, opp.created_at)]
        starts += [(change.to_stage, change.occurred_at) for change in history]
        periods = []
        for index, (stage, start) in enumerate(starts):
            end = starts[index + 1][1] if index + 1 < len(starts) else None
            if stage not in OPEN_STAGES:
                continue
            start = max(start, opp.created_at)
            if not is_null(opp.closed_at):
                end = opp.closed_at if end is None else min(end, opp.closed_at)
            if end is not None and end < start:
                continue
            periods.append([stage, start, end])
        for index, period in enumerate(periods):
            own = opp.status == "open" and index == len(periods) - 1 and period[0] == opp.stage
            period.append(dec(opp.probability) if own else defaults[period[0]])
        initial = periods[0][0] if periods else fallback
        deals.append(Deal(opp, periods, initial, periods[-1][0] if periods else initial))
    return deals


def daily_pipeline(data: AppData, calendar: Calendar) -> dict[tuple, dict]:
    days = reporting_days(data, calendar)
    rows = {(o, d, s): defaultdict(lambda: ZERO) for o, ds in days.items() for d in ds for s in OPEN_STAGES}
    for deal in replay_deals(data):
        opp = deal.row
        organization_id = opp.organization_id
        for day in days[organization_id]:
            end_of_day = calendar.day_end(organization_id, day)
            for stage, start, end, probability in deal.periods:
                if start < end_of_day and (end is None or end >= end_of_day):
                    row = rows[(organization_id, day, stage)]
                    row["open_deals"] += 1
                    row["open_value"] += dec(opp.amount)
                    row["weighted_value"] += cents(dec(opp.amount) * probability / 100)
        created = calendar.local(organization_id, opp.created_at)
        if (organization_id, created, deal.initial_stage) in rows:
            row = rows[(organization_id, created, deal.initial_stage)]
            row["created_deals"] += 1
            row["created_value"] += dec(opp.amount)
        closed = calendar.local(organization_id, opp.closed_at)
        if closed and (organization_id, closed, deal.last_open_stage) in rows:
            row = rows[(organization_id, closed, deal.last_open_stage)]
            row[f"{opp.status}_deals"] += 1
            row[f"{opp.status}_value"] += dec(opp.amount)
            if opp.status == "won":
                row["won_days_to_close"] += (closed - created).days
    result = {}
    for key, row in rows.items():
        won, lost = int(row["won_deals"]), int(row["lost_deals"])
        result[key] = {
            "stage_order": OPEN_STAGES.index(key[2]) + 1,
            "currency": calendar.currency[key[0]],
            "open_deals": int(row["open_deals"]),
            "open_value": cents(row["open_value"]),
            "weighted_value": cents(row["weighted_value"]),
            "created_deals": int(row["created_deals"]),
            "created_value": cents(row["created_value"]),
            "won_deals": won,
            "won_value": cents(row["won_value"]),
            "lost_deals": lost,
            "lost_value": cents(row["lost_value"]),
            "win_rate": cents(Decimal(100 * won) / (won + lost)) if won + lost else None,
            "won_days_to_close": int(row["won_days_to_close"]),
            "average_days_to_close": cents(row["won_days_to_close"] / won) if won else None,
        }
    return result


# -- jobs ---------------------------------------------------------------------------------------------------------
def job_facts(data: AppData, calendar: Calendar) -> pd.DataFrame:
    """One row per live job with its completion date, punctuality, first-time fix, checklist counts and lead."""
    jobs = data.live("jobs").copy()
    followed = {
        (r.organization_id, int(r.follow_up_of_job_id)) for r in jobs.itertuples() if not is_null(r.follow_up_of_job_id)
    }
    checklists = data.raw("job_checklists")
    items = data.raw("job_checklist_items")
    item_counts = defaultdict(lambda: [0, 0])
    checklist_job = {(r.organization_id, r.id): r.job_id for r in checklists.itertuples()}
    for item in items.itertuples():
        job = checklist_job.get((item.organization_id, item.job_checklist_id))
        if job is not None:
            item_counts[(item.organization_id, job)][0] += 1
            item_counts[(item.organization_id, job)][1] += int(bool(item.is_checked))
    assignments = data.raw("job_assignments")
    assignments = assignments[~assignments.status.isin(["declined", "removed"])].copy()
    assignments["not_lead"] = assignments.role != "lead"
    assignments = assignments.sort_values(["organization_id", "job_id", "not_lead", "assigned_at", "id"])
    lead = assignments.groupby(["organization_id", "job_id"]).first()["user_id"].to_dict()
    facts = []
    for job in jobs.itertuples():
        completed = job.status == "completed"
        key = (job.organization_id, job.id)
        facts.append({
            "organization_id": job.organization_id, "job_id": job.id, "status": job.status,
            "scheduled_date": calendar.local(job.organization_id, job.scheduled_start),
            "completed_date": calendar.local(job.organization_id, job.actual_end) if completed else None,
            "on_time": (job.actual_end <= job.scheduled_end) if completed and not is_null(job.scheduled_end) else None,
            "first_time_fix": (not job.requires_follow_up and key not in followed) if completed else None,
            "items": item_counts[key][0], "checked": item_counts[key][1], "lead": lead.get(key),
        })  # fmt: skip
    return pd.DataFrame(facts)


def daily_jobs(data: AppData, calendar: Calendar) -> dict[tuple, dict]:
    days = reporting_days(data, calendar)
    rows = {(o, d): defaultdict(lambda: ZERO) for o, ds in days.items() for d in ds}
    facts = job_facts(data, calendar)
    for job in facts.itertuples():
        if job.status != "cancelled" and (job.organization_id, job.scheduled_date) in rows:
            rows[(job.organization_id, job.scheduled_date)]["jobs_scheduled"] += 1
        if job.completed_date and (job.organization_id, job.completed_date) in rows:
            row = rows[(job.organization_id, job.completed_date)]
            row["jobs_completed"] += 1
            row["jobs_with_scheduled_end"] += int(job.on_time is not None)
            row["jobs_on_time"] += int(job.on_time is True)
            row["first_time_fixes"] += int(bool(job.first_time_fix))
            row["checklist_items"] += job.items
            row["checklist_items_checked"] += job.checked
    live_jobs = {(r.organization_id, r.job_id) for r in facts.itertuples()}
    for entry in data.raw("job_time_entries").itertuples():
        if entry.entry_type == "break" or (entry.organization_id, entry.job_id) not in live_jobs:
            continue
        key = (entry.organization_id, calendar.local(entry.organization_id, entry.started_at))
        if key in rows:
            rows[key]["hours_logged"] += dec(entry.hours)
            if not is_null(entry.hourly_cost):
                rows[key]["labour_cost"] += cents(dec(entry.hours) * dec(entry.hourly_cost))
    for material in data.raw("job_materials").itertuples():
        key = (material.organization_id, calendar.local(material.organization_id, material.used_at))
        if (material.organization_id, material.job_id) in live_jobs and key in rows:
            rows[key]["material_cost"] += cents(dec(material.quantity) * dec(material.unit_cost))
    result = {}
    for key, row in rows.items():

        def rate(part, whole, row=row):
            return cents(Decimal(100) * row[part] / row[whole]) if row[whole] else None

        result[key] = {
            "currency": calendar.currency[key[0]],
            "jobs_scheduled": int(row["jobs_scheduled"]),
            "jobs_completed": int(row["jobs_completed"]),
            "jobs_with_scheduled_end": int(row["jobs_with_scheduled_end"]),
            "jobs_on_time": int(row["jobs_on_time"]),
            "on_time_rate": rate("jobs_on_time", "jobs_with_scheduled_end"),
            "hours_logged": Decimal(row["hours_logged"]).quantize(Decimal("0.001")),
            "labour_cost": cents(row["labour_cost"]),
            "material_cost": cents(row["material_cost"]),
            "first_time_fixes": int(row["first_time_fixes"]),
            "first_time_fix_rate": rate("first_time_fixes", "jobs_completed"),
            "checklist_items": int(row["checklist_items"]),
            "checklist_items_checked": int(row["checklist_items_checked"]),
            "checklist_completion_rate": rate("checklist_items_checked", "checklist_items"),
        }
    return result


# -- warranty -----------------------------------------------------------------------------------------------------
def daily_warranty(data: AppData, calendar: Calendar) -> dict[tuple, dict]:
    days = reporting_days(data, calendar)
    rows = {(o, d): defaultdict(lambda: ZERO) for o, ds in days.items() for d in ds}
    warranties = data.live("warranties")
    for warranty in warranties.itertuples():
        if warranty.status != "void":
            for day in days[warranty.organization_id]:
                if warranty.start_date <= day <= warranty.end_date:
                    rows[(warranty.organization_id, day)]["active_warranties"] += 1
                    if warranty.end_date <= day + timedelta(days=30):
                        rows[(warranty.organization_id, day)]["expiring_within_30_days"] += 1
        key = (warranty.organization_id, calendar.local(warranty.organization_id, warranty.registered_at))
        if key in rows:
            rows[key]["warranties_registered"] += 1
    for claim in data.live("warranty_claims").itertuples():
        events = {
            "claims_opened": claim.submitted_at,
            "claims_approved": claim.approved_at,
            "claims_rejected": claim.rejected_at,
            "claims_resolved": claim.resolved_at,
        }
        for column, instant in events.items():
            key = (claim.organization_id, calendar.local(claim.organization_id, instant))
            if key in rows:
                rows[key][column] += 1
                if column == "claims_resolved":
                    rows[key]["claim_cost"] += dec(claim.parts_cost) + dec(claim.labour_cost)
                    submitted = calendar.local(claim.organization_id, claim.submitted_at)
                    rows[key]["days_to_resolve_total"] += (key[1] - submitted).days
    result = {}
    for key, row in rows.items():
        resolved = int(row["claims_resolved"])
        result[key] = {
            "currency": calendar.currency[key[0]],
            "active_warranties": int(row["active_warranties"]),
            "warranties_registered": int(row["warranties_registered"]),
            "expiring_within_30_days": int(row["expiring_within_30_days"]),
            "claims_opened": int(row["claims_opened"]),
            "claims_approved": int(row["claims_approved"]),
            "claims_rejected": int(row["claims_rejected"]),
            "claims_resolved": resolved,
            "claim_cost": cents(row["claim_cost"]),
            "days_to_resolve_total": int(row["days_to_resolve_total"]),
            "average_days_to_resolve": cents(row["days_to_resolve_total"] / resolved) if resolved else None,
        }
    return result


# -- support: SLA in business minutes ---------------------------------------------------------------------------------
def _clock(text: str | None) -> tuple[int, int] | None:
    if text is None or is_null(text):
        return None
    hours, minutes = text.split(":")[:2]
    return int(hours), int(minutes)


def business_minutes(data: AppData, organization_id, calendar_id, start, end) -> Decimal | None:
    """Minutes of the calendar's opening windows between two instants, holidays excluded; wall-clock minutes for
    a round-the-clock SLA (no calendar)."""
    if is_null(start) or is_null(end):
        return None
    start, end = pd.Timestamp(start).to_pydatetime(), pd.Timestamp(end).to_pydatetime()
    if end <= start:
        return ZERO
    if is_null(calendar_id):
        return Decimal(str((end - start).total_seconds())) / 60
    config = data.raw("business_hours_config").set_index("id").loc[int(calendar_id)]
    zone = ZoneInfo(config.timezone)
    holidays = data.raw("organization_holidays")
    closed = {
        h.holiday_date
        for h in holidays.itertuples()
        if h.organization_id == organization_id
        and (is_null(h.business_hours_config_id) or int(h.business_hours_config_id) == int(calendar_id))
    }
    total = timedelta()
    day = start.astimezone(zone).date() - timedelta(days=1)
    while day <= end.astimezone(zone).date() + timedelta(days=1):
        weekday = WEEKDAYS[day.weekday()]
        opens, closes = _clock(config[f"{weekday}_open"]), _clock(config[f"{weekday}_close"])
        if opens and closes and day not in closed:
            open_at = datetime.combine(day, time(*opens), tzinfo=zone)
            close_at = datetime.combine(day, time(0), tzinfo=zone) + timedelta(hours=closes[0], minutes=closes[1])
            overlap = min(close_at, end) - max(open_at, start)
            if overlap > timedelta():
                total += overlap
        day += timedelta(days=1)
    return Decimal(str(total.total_seconds())) / 60


def issue_facts(data: AppData, calendar: Calendar, as_of_at: dict[int, datetime]) -> pd.DataFrame:
    issues = data.live("issues")
    tracking = data.raw("sla_tracking").set_index(["organization_id", "issue_id"])
    slas = data.raw("sla_configurations")
    facts = []
    for issue in issues.itertuples():
        sla_id = issue.sla_configuration_id
        if is_null(sla_id) and (issue.organization_id, issue.id) in tracking.index:
            sla_id = tracking.loc[(issue.organization_id, issue.id)].sla_configuration_id
        mine = slas[slas.organization_id == issue.organization_id]
        if is_null(sla_id):
            candidates = mine[mine.is_active & (mine.priority == issue.priority)].sort_values(
                ["is_default", "id"], ascending=[False, True]
            )
            if len(candidates):
                sla_id = candidates.iloc[0].id
        if is_null(sla_id) and mine.is_default.any():
            sla_id = mine[mine.is_default].iloc[0].id
        sla = mine.set_index("id").loc[int(sla_id)] if not is_null(sla_id) else None
        calendar_id = sla.business_hours_config_id if sla is not None else None

        def minutes(end, issue=issue, calendar_id=calendar_id):
            value = business_minutes(data, issue.organization_id, calendar_id, issue.opened_at, end)
            return None if value is None else cents(value)

        response, resolution = minutes(issue.first_response_at), minutes(issue.resolved_at)
        elapsed = minutes(as_of_at[issue.organization_id])
        response_target = None if sla is None else int(sla.first_response_minutes)
        resolution_target = None if sla is None else int(sla.resolution_minutes)

        def over(value, target):
            return None if value is None or target is None else value > target

        response_breached = (
            over(response, response_target) if not is_null(issue.first_response_at) else over(elapsed, response_target)
        )
        if not is_null(issue.resolved_at):
            resolution_breached = over(resolution, resolution_target)
        elif issue.status == "closed":
            resolution_breached = False
        else:
            resolution_breached = over(elapsed, resolution_target)
        compliant = None
        if not is_null(issue.resolved_at) and response is not None and response_target is not None:
            compliant = response <= response_target and resolution <= resolution_target
        facts.append({
            "organization_id": issue.organization_id, "issue_id": issue.id, "status": issue.status,
            "open": issue.status not in ("resolved", "closed"),
            "breached": bool(response_breached) or bool(resolution_breached),
            "resolved_date": calendar.local(issue.organization_id, issue.resolved_at),
            "compliant": compliant, "assigned_user_id": issue.assigned_user_id,
        })  # fmt: skip
    return pd.DataFrame(facts)


# -- mv_current_state -----------------------------------------------------------------------------------------------
def current_state(data: AppData, calendar: Calendar, as_of_at: dict[int, datetime]) -> dict[tuple, dict]:
    days = {o: [calendar.as_of[o]] for o in calendar.zones}
    receivables = receivables_by_day(data, calendar, days)
    orders = data.live("orders")
    open_orders = orders[orders.status.isin(["confirmed", "in_progress", "fulfilled"])]
    products = data.live("products").set_index(["organization_id", "id"])
    locations = data.live("locations").set_index(["organization_id", "id"])
    inventory = data.raw("inventory")
    opportunities = data.live("opportunities")
    jobs = data.live("jobs")
    warranties = data.live("warranties")
    issues = issue_facts(data, calendar, as_of_at)
    state = {}
    for organization_id in calendar.zones:
        as_of = calendar.as_of[organization_id]
        mine = open_orders[open_orders.organization_id == organization_id]
        value, below = ZERO, set()
        for position in inventory[inventory.organization_id == organization_id].itertuples():
            product_key = (organization_id, position.product_id)
            if product_key not in products.index or (organization_id, position.location_id) not in locations.index:
                continue
            product = products.loc[product_key]
            value += cents(dec(position.quantity_on_hand) * dec(position.average_cost))
            point = product.reorder_point if is_null(position.reorder_point) else position.reorder_point
            if product.status == "active" and dec(point) > 0 and dec(position.quantity_on_hand) <= dec(point):
                below.add(position.product_id)
        my_issues = issues[issues.organization_id == organization_id] if len(issues) else issues
        deals = opportunities[(opportunities.organization_id == organization_id) & (opportunities.status == "open")]
        my_warranties = warranties[(warranties.organization_id == organization_id) & (warranties.status != "void")]
        outstanding, overdue = receivables.get((organization_id, as_of), (0, 0))
        state[(organization_id,)] = {
            "as_of_date": as_of,
            "currency": calendar.currency[organization_id],
            "open_orders": len(mine),
            "open_orders_value": cents(sum((dec(r.total_amount) - dec(r.tax_total) for r in mine.itertuples()), ZERO)),
            "receivables_outstanding": as_money(outstanding),
            "receivables_overdue": as_money(overdue),
            "inventory_value": cents(value),
            "skus_below_reorder_point": len(below),
            "open_issues": int(my_issues["open"].sum()) if len(my_issues) else 0,
            "open_sla_breaches": int((my_issues["open"] & my_issues["breached"]).sum()) if len(my_issues) else 0,
            "open_opportunities": len(deals),
            "open_pipeline_value": cents(sum((dec(a) for a in deals.amount), ZERO)),
            "active_jobs": int(
                (
                    (jobs.organization_id == organization_id)
                    & jobs.status.isin(["scheduled", "dispatched", "in_progress", "on_hold"])
                ).sum()
            ),
            "active_warranties": int(((my_warranties.start_date <= as_of) & (my_warranties.end_date >= as_of)).sum()),
        }
    return state


# -- target_attainment ----------------------------------------------------------------------------------------------
RATIO_METRICS = {"average_order_value", "first_time_fix_rate", "sla_compliance_rate", "csat_average"}
UNATTRIBUTED = {"warranty_claims", "warranty_claim_cost"}
CEILINGS = {"warranty_claims", "warranty_claim_cost"}


def metric_events(data: AppData, calendar: Calendar, as_of_at: dict[int, datetime]) -> dict[str, list]:
    """Per measure, (organization, date, user, value) events: the metric definitions of docs/metrics.md."""
    events = defaultdict(list)
    orders = live_orders(data)

    def add(name, organization_id, day, user, value):
        if day is not None:
            events[name].append((organization_id, day, None if is_null(user) else int(user), Decimal(value)))

    for o in orders.itertuples():
        net = dec(o.total_amount) - dec(o.tax_total)
        if o.status not in ("draft", "cancelled"):
            add("orders_booked", o.organization_id, o.order_date, o.sales_rep_user_id, 1)
            add("booked_value", o.organization_id, o.order_date, o.sales_rep_user_id, net)
        if not is_null(o.invoice_number):
            add("invoiced_revenue", o.organization_id, o.invoice_date, o.sales_rep_user_id, net)
    for line in order_lines(data).itertuples():
        order = orders.loc[(line.organization_id, line.order_id)]
        if not is_null(order.invoice_number):
            add(
                "cost_of_goods_sold", line.organization_id, order.invoice_date, order.sales_rep_user_id, line_cost(line)
            )
    for c in effective_credits(data).itertuples():
        key = (c.organization_id, c.order_id)
        rep = orders.loc[key].sales_rep_user_id if not is_null(c.order_id) and key in orders.index else None
        add("credit_notes_amount", c.organization_id, c.issued_date, rep, dec(c.amount))
    for p in installments(data, calendar):
        if p["amount_paid"] > 0:
            rep = orders.loc[(p["organization_id"], p["order_id"])].sales_rep_user_id
            add("cash_collected", p["organization_id"], p["payment_date"], rep, p["amount_paid"])
    for c in data.live("customers").itertuples():
        add(
            "new_customers",
            c.organization_id,
            calendar.local(c.organization_id, c.became_customer_at),
            c.owner_user_id,
            1,
        )
    for q in data.live("quotes").itertuples():
        add("quotes_sent", q.organization_id, calendar.local(q.organization_id, q.sent_at), q.owner_user_id, 1)
    for opp in data.live("opportunities").itertuples():
        add(
            "pipeline_created",
            opp.organization_id,
            calendar.local(opp.organization_id, opp.created_at),
            opp.owner_user_id,
            dec(opp.amount),
        )
        if opp.status == "won":
            closed = calendar.local(opp.organization_id, opp.closed_at)
            add("won_deals", opp.organization_id, closed, opp.owner_user_id, 1)
            add("won_value", opp.organization_id, closed, opp.owner_user_id, dec(opp.amount))
    jobs = job_facts(data, calendar)
    for job in jobs.itertuples():
        if job.completed_date:
            add("jobs_completed", job.organization_id, job.completed_date, job.lead, 1)
            add("first_time_fixes", job.organization_id, job.completed_date, job.lead, int(bool(job.first_time_fix)))
    issues = issue_facts(data, calendar, as_of_at)
    for issue in issues.itertuples():
        if issue.resolved_date:
            add("issues_resolved", issue.organization_id, issue.resolved_date, issue.assigned_user_id, 1)
            add(
                "sla_compliant_issues",
                issue.organization_id,
                issue.resolved_date,
                issue.assigned_user_id,
                int(issue.compliant is True),
            )
    issue_agent = {(r.organization_id, r.issue_id): r.assigned_user_id for r in issues.itertuples()}
    job_lead = {(r.organization_id, r.job_id): r.lead for r in jobs.itertuples()}
    for answer in data.raw("csat_responses").itertuples():
        user = issue_agent.get((answer.organization_id, answer.issue_id)) if not is_null(answer.issue_id) else None
        if is_null(user) and not is_null(answer.job_id):
            user = job_lead.get((answer.organization_id, answer.job_id))
        day = calendar.local(answer.organization_id, answer.responded_at)
        add("csat_score_total", answer.organization_id, day, user, answer.score)
        add("csat_responses", answer.organization_id, day, user, 1)
    for claim in data.live("warranty_claims").itertuples():
        add(
            "warranty_claims", claim.organization_id, calendar.local(claim.organization_id, claim.submitted_at), None, 1
        )
        resolved = calendar.local(claim.organization_id, claim.resolved_at)
        add(
            "warranty_claim_cost", claim.organization_id, resolved, None, dec(claim.parts_cost) + dec(claim.labour_cost)
        )
    return events


METRIC_FORMULAS = {
    "revenue": lambda m: m("invoiced_revenue") - m("credit_notes_amount"),
    "orders": lambda m: m("orders_booked"),
    "average_order_value": lambda m: m("booked_value") / m("orders_booked") if m("orders_booked") else None,
    "new_customers": lambda m: m("new_customers"),
    "gross_margin": lambda m: m("invoiced_revenue") - m("credit_notes_amount") - m("cost_of_goods_sold"),
    "cash_collected": lambda m: m("cash_collected"),
    "quotes_sent": lambda m: m("quotes_sent"),
    "pipeline_value": lambda m: m("pipeline_created"),
    "won_deals": lambda m: m("won_deals"),
    "won_value": lambda m: m("won_value"),
    "jobs_completed": lambda m: m("jobs_completed"),
    "first_time_fix_rate": lambda m: 100 * m("first_time_fixes") / m("jobs_completed") if m("jobs_completed") else None,
    "issues_resolved": lambda m: m("issues_resolved"),
    "sla_compliance_rate": lambda m: (
        100 * m("sla_compliant_issues") / m("issues_resolved") if m("issues_resolved") else None
    ),
    "csat_average": lambda m: m("csat_score_total") / m("csat_responses") if m("csat_responses") else None,
    "warranty_claims": lambda m: m("warranty_claims"),
    "warranty_claim_cost": lambda m: m("warranty_claim_cost"),
}


def target_attainment(data: AppData, calendar: Calendar, as_of_at: dict[int, datetime]) -> dict[tuple, dict]:
    events = metric_events(data, calendar, as_of_at)
    members = defaultdict(set)
    for member in data.raw("user_group_members").itertuples():
        members[(member.organization_id, member.group_id)].add(member.user_id)
    result = {}
    for target in data.raw("targets").itertuples():
        organization_id = target.organization_id
        as_of = calendar.as_of[organization_id]
        period_days = (target.period_end - target.period_start).days + 1
        elapsed = max(0, (min(as_of, target.period_end) - target.period_start).days + 1)
        last = min(target.period_end, as_of)
        if not is_null(target.user_id):
            scope, owners = "user", {int(target.user_id)}
        elif not is_null(target.user_group_id):
            scope, owners = "group", members[(organization_id, int(target.user_group_id))]
        else:
            scope, owners = "organization", None

        def measure(name, organization_id=organization_id, target=target, last=last, owners=owners):
            return sum(
                (value for org, day, user, value in events[name]
                 if org == organization_id and target.period_start <= day <= last
                 and (owners is None or user in owners)),
                ZERO,
            )  # fmt: skip

        if scope != "organization" and target.metric in UNATTRIBUTED:
            actual = None
        else:
            actual = METRIC_FORMULAS[target.metric](measure)
        value = dec(target.target_value)
        additive = target.metric not in RATIO_METRICS
        expected = value * elapsed / period_days if additive else value
        ceiling = target.metric in CEILINGS
        if elapsed == 0:
            status = "not_started"
        elif actual is None:
            status = "no_data"
        elif as_of > target.period_end:
            status = "achieved" if ((actual >= value) != ceiling or actual == value) else "missed"
        else:
            status = "on_track" if (actual >= expected) != ceiling else "behind"
        result[(organization_id, target.id)] = {
            "metric": target.metric,
            "owner_scope": scope,
            "period_days": period_days,
            "elapsed_days": elapsed,
            "as_of_date": as_of,
            "target_value": value,
            "actual_value": cents(actual),
            "attainment_percent": cents(100 * actual / value) if actual is not None and value else None,
            "expected_to_date": cents(expected) if elapsed else cents(ZERO),
            "pace_percent": cents(100 * actual / expected) if actual is not None and elapsed and expected else None,
            "pace_status": status,
        }
    return result
