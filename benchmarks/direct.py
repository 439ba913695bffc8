"""The reporting numbers computed straight from the `app` tables, by hand-written SQL: the baselines the benchmark
measures the warehouse against.

Each query returns the same columns, rows and values as one reporting relation (`tests/benchmarks` checks this on
`tiny`), for one organization and a range of days, or for every organization and every day when the parameters
are NULL. They follow the definitions of docs/metrics.md without any of the warehouse's tables: what an analyst
would have to run against the operational database if the warehouse did not exist.

Parameters (bound, never pasted): ``org`` (bigint or NULL), ``first`` and ``last`` (dates or NULL).

Run them with ``enable_nestloop`` off (:data:`SESSION_SETTINGS`): the planner has no statistics for joins between
aggregated CTEs, guesses one row, and picks nested loops that rescan an aggregate per outer row (seconds instead of
milliseconds at `tiny`, hours at `demo`). An analyst would do the same; the warehouse's own queries need no hint.
"""

from __future__ import annotations

import csv

from orchestration.dbt_runner import DBT_PROJECT_DIR

OPEN_STAGES = ("lead", "qualified", "proposal", "negotiation")
SESSION_SETTINGS = ("set enable_nestloop = off",)


def _stage_values() -> str:
    """The stage seed as a VALUES list (our own numbers from dbt/seeds, not user input)."""
    with (DBT_PROJECT_DIR / "seeds" / "opportunity_stages.csv").open() as handle:
        rows = [r for r in csv.DictReader(handle) if r["stage"] in OPEN_STAGES]
    return ", ".join(f"('{r['stage']}', {int(r['stage_order'])}, {float(r['default_probability'])})" for r in rows)


# -- shared pieces ---------------------------------------------------------------------------------------------------
_PARAMS = """
params as (
    select cast(%(org)s as bigint) as org, cast(%(first)s as date) as first_day, cast(%(last)s as date) as last_day
),
organizations as (
    select o.id as organization_id, o.timezone, o.currency,
        (o.created_at at time zone o.timezone)::date as created_date,
        (now() at time zone o.timezone)::date as as_of_date
    from app.organizations as o cross join params
    where o.deleted_at is null and (params.org is null or o.id = params.org)
),
orders as (
    select o.*, org.timezone
    from app.orders as o
    inner join organizations as org on org.organization_id = o.organization_id
    where o.deleted_at is null
),
days as (
    select org.organization_id, org.timezone, org.currency, day::date as metric_date
    from organizations as org
    cross join params
    cross join lateral generate_series(
        greatest(
            least(
                org.created_date,
                (select min(o.order_date) from orders as o where o.organization_id = org.organization_id)
            ),
            params.first_day
        ),
        least(org.as_of_date, params.last_day),
        interval '1 day'
    ) as day
)"""

_RECEIVABLES = """
installments as (
    select s.organization_id, s.order_id, s.due_date, s.amount_due, s.amount_paid,
        case when s.paid_at is not null then (s.paid_at at time zone o.timezone)::date
             when s.amount_paid > 0 then (s.updated_at at time zone o.timezone)::date end as payment_date
    from app.payment_schedules as s
    inner join orders as o on o.organization_id = s.organization_id and o.id = s.order_id
    union all
    select o.organization_id, o.id, o.invoice_due_date, o.total_amount, o.amount_paid,
        case when o.paid_at is not null then (o.paid_at at time zone o.timezone)::date
             when o.amount_paid > 0 then (o.updated_at at time zone o.timezone)::date end
    from orders as o
    where o.invoice_number is not null
        and not exists (select 1 from app.payment_schedules as s
                        where s.organization_id = o.organization_id and s.order_id = o.id)
),
invoices as (
    select organization_id, id as order_id, invoice_date
    from orders
    where invoice_number is not null and invoice_date is not null and payment_status <> 'written_off'
),
invoice_installments as (
    select i.* from installments as i
    inner join invoices as v on v.organization_id = i.organization_id and v.order_id = i.order_id
),
invoice_credits as (
    select c.organization_id, c.order_id, c.issued_date, c.total_amount
    from app.credit_notes as c
    inner join invoices as v on v.organization_id = c.organization_id and v.order_id = c.order_id
    where c.deleted_at is null and c.status in ('issued', 'applied')
),
breakpoints as (
    select distinct e.organization_id, e.order_id, greatest(e.event_date, v.invoice_date) as valid_from
    from (
        select organization_id, order_id, invoice_date as event_date from invoices
        union all select organization_id, order_id, payment_date from invoice_installments where amount_paid > 0
        union all select organization_id, order_id, due_date + 1 from invoice_installments
        union all select organization_id, order_id, issued_date from invoice_credits
    ) as e
    inner join invoices as v on v.organization_id = e.organization_id and v.order_id = e.order_id
),
periods as (
    select *, lead(valid_from) over (partition by organization_id, order_id order by valid_from) as valid_to
    from breakpoints
),
installment_totals as (
    select p.organization_id, p.order_id, p.valid_from,
        sum(x.amount_due) as amount_due,
        coalesce(sum(x.amount_paid) filter (where x.payment_date <= p.valid_from), 0) as amount_paid,
        coalesce(sum(x.amount_due - case when x.payment_date <= p.valid_from then x.amount_paid else 0 end)
            filter (where x.due_date < p.valid_from), 0) as overdue_unpaid
    from periods as p
    inner join invoice_installments as x on x.organization_id = p.organization_id and x.order_id = p.order_id
    group by 1, 2, 3
),
credit_totals as (
    select p.organization_id, p.order_id, p.valid_from, sum(c.total_amount) as credited
    from periods as p
    inner join invoice_credits as c
        on c.organization_id = p.organization_id and c.order_id = p.order_id and c.issued_date <= p.valid_from
    group by 1, 2, 3
),
balances as (
    select p.organization_id, p.order_id, p.valid_from, p.valid_to,
        greatest(0, i.amount_due - i.amount_paid - coalesce(c.credited, 0)) as outstanding,
        i.overdue_unpaid
    from periods as p
    inner join installment_totals as i using (organization_id, order_id, valid_from)
    left join credit_totals as c using (organization_id, order_id, valid_from)
)"""

DAILY_METRICS = f"""
with {_PARAMS},
{_RECEIVABLES},
line_costs as (
    select l.organization_id, l.order_id, sum(round(l.quantity * l.unit_cost, 2)) as cost
    from app.order_line_items as l
    inner join orders as o on o.organization_id = l.organization_id and o.id = l.order_id
    group by l.organization_id, l.order_id
),
booked as (
    select organization_id, order_date as metric_date, count(*) as orders, sum(total_amount - tax_total) as value
    from orders where status not in ('draft', 'cancelled')
    group by 1, 2
),
invoiced as (
    select o.organization_id, o.invoice_date as metric_date, count(*) as invoices,
        sum(o.total_amount - o.tax_total) as revenue, coalesce(sum(c.cost), 0) as cost
    from orders as o
    left join line_costs as c on c.organization_id = o.organization_id and c.order_id = o.id
    where o.invoice_number is not null
    group by 1, 2
),
paid as (
    select organization_id, (paid_at at time zone timezone)::date as metric_date, count(*) as invoices
    from orders where payment_status = 'paid'
    group by 1, 2
),
credited as (
    select c.organization_id, c.issued_date as metric_date, sum(c.amount) as amount
    from app.credit_notes as c
    inner join organizations as org on org.organization_id = c.organization_id
    where c.deleted_at is null and c.status in ('issued', 'applied')
    group by 1, 2
),
collected as (
    select organization_id, payment_date as metric_date, sum(amount_paid) as amount
    from installments where amount_paid > 0
    group by 1, 2
),
new_customers as (
    select c.organization_id, (c.became_customer_at at time zone org.timezone)::date as metric_date,
        count(*) as customers
    from app.customers as c
    inner join organizations as org on org.organization_id = c.organization_id
    where c.deleted_at is null
    group by 1, 2
),
receivables as (
    select d.organization_id, d.metric_date, sum(b.outstanding) as outstanding,
        sum(greatest(0, least(b.outstanding, b.overdue_unpaid))) as overdue
    from days as d
    inner join balances as b
        on b.organization_id = d.organization_id
        and b.valid_from <= d.metric_date and (b.valid_to is null or b.valid_to > d.metric_date)
    where b.outstanding > 0
    group by 1, 2
)
select
    d.organization_id, d.metric_date, d.currency::varchar(3) as currency,
    coalesce(booked.orders, 0)::integer as orders,
    coalesce(booked.value, 0)::numeric(18, 2) as booked_value,
    round(booked.value / nullif(booked.orders, 0), 2)::numeric(18, 2) as average_order_value,
    coalesce(new_customers.customers, 0)::integer as new_customers,
    coalesce(invoiced.invoices, 0)::integer as invoices_issued,
    coalesce(invoiced.revenue, 0)::numeric(18, 2) as invoiced_revenue,
    coalesce(credited.amount, 0)::numeric(18, 2) as credit_notes_amount,
    (coalesce(invoiced.revenue, 0) - coalesce(credited.amount, 0))::numeric(18, 2) as revenue,
    coalesce(invoiced.cost, 0)::numeric(18, 2) as cost_of_goods_sold,
    (coalesce(invoiced.revenue, 0) - coalesce(credited.amount, 0) - coalesce(invoiced.cost, 0))::numeric(18, 2)
        as gross_margin,
    coalesce(paid.invoices, 0)::integer as invoices_paid,
    coalesce(collected.amount, 0)::numeric(18, 2) as cash_collected,
    coalesce(receivables.outstanding, 0)::numeric(18, 2) as receivables_outstanding,
    coalesce(receivables.overdue, 0)::numeric(18, 2) as receivables_overdue
from days as d
left join booked using (organization_id, metric_date)
left join invoiced using (organization_id, metric_date)
left join paid using (organization_id, metric_date)
left join credited using (organization_id, metric_date)
left join collected using (organization_id, metric_date)
left join new_customers using (organization_id, metric_date)
left join receivables using (organization_id, metric_date)
"""

DAILY_PIPELINE = f"""
with {_PARAMS},
stages (stage, stage_order, default_probability) as (values {_stage_values()}),
opportunities as (
    select p.*, org.timezone,
        case when p.status = 'open' then p.stage else 'lead' end as fallback_stage
    from app.opportunities as p
    inner join organizations as org on org.organization_id = p.organization_id
    where p.deleted_at is null
),
changes as (
    select a.organization_id, a.opportunity_id, a.from_stage, a.to_stage, a.occurred_at,
        row_number() over (partition by a.organization_id, a.opportunity_id order by a.occurred_at, a.id) as n
    from app.opportunity_activities as a
    inner join opportunities as p on p.organization_id = a.organization_id and p.id = a.opportunity_id
    where a.activity_type = 'stage_change'
),
starts as (
    select p.organization_id, p.id as opportunity_id, 0::bigint as n,
        case when c.n is null then p.fallback_stage else c.from_stage end as stage, p.created_at as started_at
    from opportunities as p
    left join changes as c on c.organization_id = p.organization_id and c.opportunity_id = p.id and c.n = 1
    union all
    select organization_id, opportunity_id, n, to_stage, occurred_at from changes
),
raw_periods as (
    select s.organization_id, s.opportunity_id, s.n, s.stage,
        greatest(s.started_at, p.created_at) as started_at,
        case when p.closed_at is null then lead(s.started_at) over w
             else least(coalesce(lead(s.started_at) over w, p.closed_at), p.closed_at) end as ended_at
    from starts as s
    inner join opportunities as p on p.organization_id = s.organization_id and p.id = s.opportunity_id
    window w as (partition by s.organization_id, s.opportunity_id order by s.n)
),
periods as (
    select r.*,
        row_number() over (partition by organization_id, opportunity_id order by n) as from_first,
        row_number() over (partition by organization_id, opportunity_id order by n desc) as from_last
    from raw_periods as r
    where stage in (select stage from stages) and (ended_at is null or ended_at >= started_at)
),
deals as (
    select p.organization_id, p.id, p.amount, p.status,
        (p.created_at at time zone p.timezone)::date as created_date,
        (p.closed_at at time zone p.timezone)::date as closed_date,
        coalesce(f.stage, p.fallback_stage) as initial_stage,
        coalesce(l.stage, f.stage, p.fallback_stage) as last_open_stage
    from opportunities as p
    left join periods as f on f.organization_id = p.organization_id and f.opportunity_id = p.id and f.from_first = 1
    left join periods as l on l.organization_id = p.organization_id and l.opportunity_id = p.id and l.from_last = 1
),
open_deals as (
    select d.organization_id, d.metric_date, pr.stage, count(*) as deals, sum(p.amount) as value,
        sum(round(p.amount * case when p.status = 'open' and pr.from_last = 1 and pr.stage = p.stage
                                  then p.probability else st.default_probability end / 100, 2)) as weighted
    from days as d
    inner join periods as pr
        on pr.organization_id = d.organization_id
        and pr.started_at < ((d.metric_date + 1)::timestamp at time zone d.timezone)
        and (pr.ended_at is null or pr.ended_at >= ((d.metric_date + 1)::timestamp at time zone d.timezone))
    inner join opportunities as p on p.organization_id = pr.organization_id and p.id = pr.opportunity_id
    inner join stages as st on st.stage = pr.stage
    group by 1, 2, 3
),
created as (
    select organization_id, created_date as metric_date, initial_stage as stage, count(*) as deals,
        sum(amount) as value
    from deals group by 1, 2, 3
),
closed as (
    select organization_id, closed_date as metric_date, last_open_stage as stage,
        count(*) filter (where status = 'won') as won,
        coalesce(sum(amount) filter (where status = 'won'), 0) as won_value,
        count(*) filter (where status = 'lost') as lost,
        coalesce(sum(amount) filter (where status = 'lost'), 0) as lost_value,
        coalesce(sum(closed_date - created_date) filter (where status = 'won'), 0) as won_days
    from deals where closed_date is not null and status in ('won', 'lost')
    group by 1, 2, 3
)
select
    d.organization_id, d.metric_date, st.stage::varchar as stage, st.stage_order::integer as stage_order,
    d.currency::varchar(3) as currency,
    coalesce(o.deals, 0)::integer as open_deals,
    coalesce(o.value, 0)::numeric(18, 2) as open_value,
    coalesce(o.weighted, 0)::numeric(18, 2) as weighted_value,
    coalesce(c.deals, 0)::integer as created_deals,
    coalesce(c.value, 0)::numeric(18, 2) as created_value,
    coalesce(x.won, 0)::integer as won_deals,
    coalesce(x.won_value, 0)::numeric(18, 2) as won_value,
    coalesce(x.lost, 0)::integer as lost_deals,
    coalesce(x.lost_value, 0)::numeric(18, 2) as lost_value,
    round(100.0 * x.won / nullif(x.won + x.lost, 0), 2)::numeric(5, 2) as win_rate,
    coalesce(x.won_days, 0)::integer as won_days_to_close,
    round(x.won_days::numeric / nullif(x.won, 0), 2)::numeric(10, 2) as average_days_to_close
from days as d
cross join stages as st
left join open_deals as o on o.organization_id = d.organization_id and o.metric_date = d.metric_date
    and o.stage = st.stage
left join created as c on c.organization_id = d.organization_id and c.metric_date = d.metric_date
    and c.stage = st.stage
left join closed as x on x.organization_id = d.organization_id and x.metric_date = d.metric_date
    and x.stage = st.stage
"""

DAILY_JOBS = f"""
with {_PARAMS},
jobs as (
    select j.*, org.timezone
    from app.jobs as j
    inner join organizations as org on org.organization_id = j.organization_id
    where j.deleted_at is null
),
followed as (
    select distinct organization_id, follow_up_of_job_id as job_id from jobs where follow_up_of_job_id is not null
),
checklists as (
    select c.organization_id, c.job_id, count(*) as items, count(*) filter (where i.is_checked) as checked
    from app.job_checklists as c
    inner join app.job_checklist_items as i on i.organization_id = c.organization_id and i.job_checklist_id = c.id
    inner join jobs as j on j.organization_id = c.organization_id and j.id = c.job_id
    group by 1, 2
),
facts as (
    select j.organization_id, j.status,
        (j.scheduled_start at time zone j.timezone)::date as scheduled_date,
        case when j.status = 'completed' then (j.actual_end at time zone j.timezone)::date end as completed_date,
        case when j.status = 'completed' and j.scheduled_end is not null then j.actual_end <= j.scheduled_end end
            as on_time,
        j.status = 'completed' and not j.requires_follow_up and f.job_id is null as first_time_fix,
        coalesce(c.items, 0) as items, coalesce(c.checked, 0) as checked
    from jobs as j
    left join followed as f on f.organization_id = j.organization_id and f.job_id = j.id
    left join checklists as c on c.organization_id = j.organization_id and c.job_id = j.id
),
scheduled as (
    select organization_id, scheduled_date as metric_date, count(*) as jobs
    from facts where status <> 'cancelled' group by 1, 2
),
completed as (
    select organization_id, completed_date as metric_date, count(*) as jobs,
        count(on_time) as with_end, count(*) filter (where on_time) as on_time,
        count(*) filter (where first_time_fix) as fixes, sum(items) as items, sum(checked) as checked
    from facts where completed_date is not null group by 1, 2
),
hours as (
    select t.organization_id, (t.started_at at time zone j.timezone)::date as metric_date,
        sum(t.hours) as hours, coalesce(sum(round(t.hours * t.hourly_cost, 2)), 0) as cost
    from app.job_time_entries as t
    inner join jobs as j on j.organization_id = t.organization_id and j.id = t.job_id
    where t.entry_type <> 'break'
    group by 1, 2
),
materials as (
    select m.organization_id, (m.used_at at time zone j.timezone)::date as metric_date,
        coalesce(sum(round(m.quantity * m.unit_cost, 2)), 0) as cost
    from app.job_materials as m
    inner join jobs as j on j.organization_id = m.organization_id and j.id = m.job_id
    group by 1, 2
)
select
    d.organization_id, d.metric_date, d.currency::varchar(3) as currency,
    coalesce(s.jobs, 0)::integer as jobs_scheduled,
    coalesce(c.jobs, 0)::integer as jobs_completed,
    coalesce(c.with_end, 0)::integer as jobs_with_scheduled_end,
    coalesce(c.on_time, 0)::integer as jobs_on_time,
    round(100.0 * c.on_time / nullif(c.with_end, 0), 2)::numeric(5, 2) as on_time_rate,
    coalesce(h.hours, 0)::numeric(12, 3) as hours_logged,
    coalesce(h.cost, 0)::numeric(18, 2) as labour_cost,
    coalesce(m.cost, 0)::numeric(18, 2) as material_cost,
    coalesce(c.fixes, 0)::integer as first_time_fixes,
    round(100.0 * c.fixes / nullif(c.jobs, 0), 2)::numeric(5, 2) as first_time_fix_rate,
    coalesce(c.items, 0)::integer as checklist_items,
    coalesce(c.checked, 0)::integer as checklist_items_checked,
    round(100.0 * c.checked / nullif(c.items, 0), 2)::numeric(5, 2) as checklist_completion_rate
from days as d
left join scheduled as s using (organization_id, metric_date)
left join completed as c using (organization_id, metric_date)
left join hours as h using (organization_id, metric_date)
left join materials as m using (organization_id, metric_date)
"""

DAILY_WARRANTY = f"""
with {_PARAMS},
warranties as (
    select w.*, org.timezone
    from app.warranties as w
    inner join organizations as org on org.organization_id = w.organization_id
    where w.deleted_at is null
),
active as (
    select d.organization_id, d.metric_date, count(*) as active,
        count(*) filter (where w.end_date <= d.metric_date + 30) as expiring
    from days as d
    inner join warranties as w
        on w.organization_id = d.organization_id and w.status <> 'void'
        and d.metric_date between w.start_date and w.end_date
    group by 1, 2
),
registered as (
    select organization_id, (registered_at at time zone timezone)::date as metric_date, count(*) as registered
    from warranties group by 1, 2
),
claims as (
    select c.organization_id, org.timezone, c.submitted_at, c.approved_at, c.rejected_at, c.resolved_at,
        coalesce(c.parts_cost, 0) + coalesce(c.labour_cost, 0) as cost
    from app.warranty_claims as c
    inner join organizations as org on org.organization_id = c.organization_id
    where c.deleted_at is null
),
claim_events as (
    select organization_id, (submitted_at at time zone timezone)::date as metric_date, 1 as opened, 0 as approved,
        0 as rejected, 0 as resolved, 0 as cost, 0 as days
    from claims where submitted_at is not null
    union all
    select organization_id, (approved_at at time zone timezone)::date, 0, 1, 0, 0, 0, 0
    from claims where approved_at is not null
    union all
    select organization_id, (rejected_at at time zone timezone)::date, 0, 0, 1, 0, 0, 0
    from claims where rejected_at is not null
    union all
    select organization_id, (resolved_at at time zone timezone)::date, 0, 0, 0, 1, cost,
        (resolved_at at time zone timezone)::date - (submitted_at at time zone timezone)::date
    from claims where resolved_at is not null
),
claim_days as (
    select organization_id, metric_date, sum(opened) as opened, sum(approved) as approved,
        sum(rejected) as rejected, sum(resolved) as resolved, sum(cost) as cost, sum(days) as days
    from claim_events group by 1, 2
)
select
    d.organization_id, d.metric_date, d.currency::varchar(3) as currency,
    coalesce(a.active, 0)::integer as active_warranties,
    coalesce(r.registered, 0)::integer as warranties_registered,
    coalesce(a.expiring, 0)::integer as expiring_within_30_days,
    coalesce(c.opened, 0)::integer as claims_opened,
    coalesce(c.approved, 0)::integer as claims_approved,
    coalesce(c.rejected, 0)::integer as claims_rejected,
    coalesce(c.resolved, 0)::integer as claims_resolved,
    coalesce(c.cost, 0)::numeric(18, 2) as claim_cost,
    coalesce(c.days, 0)::integer as days_to_resolve_total,
    round(c.days::numeric / nullif(c.resolved, 0), 2)::numeric(10, 2) as average_days_to_resolve
from days as d
left join active as a using (organization_id, metric_date)
left join registered as r using (organization_id, metric_date)
left join claim_days as c using (organization_id, metric_date)
"""

# Business minutes between two instants on a business-hours calendar, holidays excluded (round the clock when the
# SLA has no calendar): {start} and {end} are column expressions of the enclosing query.
_BUSINESS_MINUTES = """
case
    when {start} is null or {end} is null then null
    when {end} <= {start} then 0
    when sla.business_hours_config_id is null then extract(epoch from {end} - {start}) / 60
    else (
        select coalesce(sum(extract(epoch from least(w.closes_at, {end}) - greatest(w.opens_at, {start})) / 60), 0)
        from app.business_hours_config as cal
        cross join lateral generate_series(
            ({start} at time zone cal.timezone)::date - 1, ({end} at time zone cal.timezone)::date + 1, interval '1 day'
        ) as g(day)
        cross join lateral (
            select
                (g.day::date + (array[cal.mon_open, cal.tue_open, cal.wed_open, cal.thu_open, cal.fri_open,
                    cal.sat_open, cal.sun_open])[extract(isodow from g.day)::int])::timestamp
                    at time zone cal.timezone as opens_at,
                (g.day::date + (array[cal.mon_close, cal.tue_close, cal.wed_close, cal.thu_close, cal.fri_close,
                    cal.sat_close, cal.sun_close])[extract(isodow from g.day)::int])::timestamp
                    at time zone cal.timezone as closes_at
        ) as w
        where cal.organization_id = sla.organization_id and cal.id = sla.business_hours_config_id
            and w.opens_at is not null and w.closes_at is not null
            and least(w.closes_at, {end}) > greatest(w.opens_at, {start})
            and not exists (
                select 1 from app.organization_holidays as h
                where h.organization_id = cal.organization_id and h.holiday_date = g.day::date
                    and (h.business_hours_config_id is null or h.business_hours_config_id = cal.id)
            )
    )
end"""

CURRENT_STATE = f"""
with {_PARAMS},
{_RECEIVABLES},
open_orders as (
    select organization_id, count(*) as orders, sum(total_amount - tax_total) as value
    from orders where status in ('confirmed', 'in_progress', 'fulfilled')
    group by 1
),
receivables as (
    select b.organization_id, sum(b.outstanding) as outstanding,
        sum(greatest(0, least(b.outstanding, b.overdue_unpaid))) as overdue
    from balances as b
    inner join organizations as org on org.organization_id = b.organization_id
    where b.outstanding > 0 and b.valid_from <= org.as_of_date and (b.valid_to is null or b.valid_to > org.as_of_date)
    group by 1
),
inventory as (
    select i.organization_id, coalesce(sum(round(i.quantity_on_hand * i.average_cost, 2)), 0) as value,
        count(distinct i.product_id) filter (
            where p.status = 'active' and coalesce(i.reorder_point, p.reorder_point) > 0
                and i.quantity_on_hand <= coalesce(i.reorder_point, p.reorder_point)
        ) as below
    from app.inventory as i
    inner join organizations as org on org.organization_id = i.organization_id
    inner join app.products as p
        on p.organization_id = i.organization_id and p.id = i.product_id and p.deleted_at is null
    inner join app.locations as l
        on l.organization_id = i.organization_id and l.id = i.location_id and l.deleted_at is null
    group by 1
),
open_issues as (
    select i.*, coalesce(
        i.sla_configuration_id,
        t.sla_configuration_id,
        (select s.id from app.sla_configurations as s
         where s.organization_id = i.organization_id and s.is_active and s.priority = i.priority
         order by s.is_default desc, s.id limit 1),
        (select s.id from app.sla_configurations as s
         where s.organization_id = i.organization_id and s.is_default order by s.id limit 1)
    ) as sla_id
    from app.issues as i
    inner join organizations as org on org.organization_id = i.organization_id
    left join app.sla_tracking as t on t.organization_id = i.organization_id and t.issue_id = i.id
    where i.deleted_at is null and i.status not in ('resolved', 'closed')
),
issue_minutes as (
    select i.organization_id, sla.first_response_minutes, sla.resolution_minutes, i.first_response_at,
        i.resolved_at,
        round({_BUSINESS_MINUTES.format(start="i.opened_at", end="i.first_response_at")}, 2) as response,
        round({_BUSINESS_MINUTES.format(start="i.opened_at", end="i.resolved_at")}, 2) as resolution,
        round({_BUSINESS_MINUTES.format(start="i.opened_at", end="now()")}, 2) as elapsed
    from open_issues as i
    left join app.sla_configurations as sla on sla.organization_id = i.organization_id and sla.id = i.sla_id
),
issues as (
    select organization_id, count(*) as open_issues,
        count(*) filter (where
            case when first_response_at is not null then response > first_response_minutes
                 else elapsed > first_response_minutes end
            or case when resolved_at is not null then resolution > resolution_minutes
                    else elapsed > resolution_minutes end
        ) as breaches
    from issue_minutes group by 1
),
pipeline as (
    select p.organization_id, count(*) as deals, sum(p.amount) as value
    from app.opportunities as p
    inner join organizations as org on org.organization_id = p.organization_id
    where p.deleted_at is null and p.status = 'open'
    group by 1
),
jobs as (
    select j.organization_id, count(*) as jobs
    from app.jobs as j
    inner join organizations as org on org.organization_id = j.organization_id
    where j.deleted_at is null and j.status in ('scheduled', 'dispatched', 'in_progress', 'on_hold')
    group by 1
),
warranties as (
    select w.organization_id, count(*) as warranties
    from app.warranties as w
    inner join organizations as org on org.organization_id = w.organization_id
    where w.deleted_at is null and w.status <> 'void' and org.as_of_date between w.start_date and w.end_date
    group by 1
)
select
    org.organization_id, org.as_of_date, org.currency::varchar(3) as currency,
    coalesce(oo.orders, 0)::integer as open_orders,
    coalesce(oo.value, 0)::numeric(18, 2) as open_orders_value,
    coalesce(r.outstanding, 0)::numeric(18, 2) as receivables_outstanding,
    coalesce(r.overdue, 0)::numeric(18, 2) as receivables_overdue,
    coalesce(inv.value, 0)::numeric(18, 2) as inventory_value,
    coalesce(inv.below, 0)::integer as skus_below_reorder_point,
    coalesce(i.open_issues, 0)::integer as open_issues,
    coalesce(i.breaches, 0)::integer as open_sla_breaches,
    coalesce(p.deals, 0)::integer as open_opportunities,
    coalesce(p.value, 0)::numeric(18, 2) as open_pipeline_value,
    coalesce(j.jobs, 0)::integer as active_jobs,
    coalesce(w.warranties, 0)::integer as active_warranties
from organizations as org
left join open_orders as oo using (organization_id)
left join receivables as r using (organization_id)
left join inventory as inv using (organization_id)
left join issues as i using (organization_id)
left join pipeline as p using (organization_id)
left join jobs as j using (organization_id)
left join warranties as w using (organization_id)
"""

# reporting relation -> the hand-written query giving its numbers from the app tables
DIRECT = {
    "mv_daily_metrics": DAILY_METRICS,
    "mv_daily_pipeline": DAILY_PIPELINE,
    "mv_daily_jobs": DAILY_JOBS,
    "mv_daily_warranty": DAILY_WARRANTY,
    "mv_current_state": CURRENT_STATE,
}
