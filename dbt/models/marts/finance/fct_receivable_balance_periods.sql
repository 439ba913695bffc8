{#- The history of every invoice's open balance, as periods of days over which it is constant: an invoice owes
    its installments from its invoice date; a payment lowers the balance from its payment date, an effective credit
    note from its issue date (credits are applied to the latest installments first); an unpaid installment is
    overdue from the day after its due date. valid_to is exclusive and NULL while the period lasts. Invoices
    written off are not receivables (the OLTP keeps no write-off date, so on no day). Balances are at the end of
    each day, in the order's currency. -#}
{% set changes %}{% raw %}
    select organization_id, id from {{ changed_rows('orders') }} as changed
    union all
    select organization_id, order_id from {{ changed_rows('payment_schedules') }} as changed
    union all
    select organization_id, order_id from {{ changed_rows('credit_notes') }} as changed where order_id is not null
{% endraw %}{% endset %}
{{ config(**keyed_incremental_config(['organization_id', 'order_id'], ['organization_id', 'order_id', 'valid_from'], changes)) }}

with

invoices as (

    select organization_id, order_id, invoice_date, updated_at
    from {{ ref('stg_app__orders') }} as orders
    where {{ key_filter('orders') }}
        and invoice_number is not null
        and invoice_date is not null
        and payment_status <> 'written_off'

),

installments as (

    select installments.organization_id, installments.order_id, installments.due_date, installments.amount_due,
        installments.amount_paid, installments.payment_date, installments.updated_at, invoices.invoice_date,
        invoices.updated_at as invoice_updated_at
    from {{ ref('fct_invoice_installments') }} as installments
    inner join invoices
        on invoices.organization_id = installments.organization_id
        and invoices.order_id = installments.order_id

),

credits as (

    select credits.organization_id, credits.order_id, credits.issued_date, credits.credit_total, credits.updated_at,
        invoices.invoice_date
    from {{ ref('fct_credit_notes') }} as credits
    inner join invoices
        on invoices.organization_id = credits.organization_id
        and invoices.order_id = credits.order_id
    where credits.is_effective

),

-- What each event changes from its day on (an event before the invoice date counts from the invoice date): the
-- amount due, paid, credited, and due but unpaid. Every event's day starts a period, even when nothing moves on it
-- (an installment paid before its due date). One pass over the events, summed per day and then cumulatively,
-- instead of joining every period to every installment: at the full `large` scale that join spilled more than
-- 11 GB to disk.
events as (

    -- the invoice owes all its installments from its invoice date (an invoice without installments owes nothing)
    select organization_id, order_id, invoice_date as event_date,
        sum(amount_due) as due, 0 as paid, 0 as credited, 0 as overdue,
        greatest(max(updated_at), max(invoice_updated_at)) as invoice_updated_at,
        null::timestamptz as credit_updated_at
    from installments
    group by organization_id, order_id, invoice_date

    union all

    -- a payment lowers the balance from its payment date (an amount without its date never counts: its day would
    -- be the invoice date, a period that starts anyway)
    select organization_id, order_id, greatest(payment_date, invoice_date), 0, amount_paid, 0, 0, null, null
    from installments
    where amount_paid > 0 and payment_date is not null

    union all

    -- an installment is overdue from the day after its due date ...
    select organization_id, order_id, greatest(due_date + 1, invoice_date), 0, 0, 0, amount_due, null, null
    from installments
    where due_date is not null

    union all

    -- ... less what was paid of it, from the later of that day and the payment date
    select organization_id, order_id, greatest(due_date + 1, payment_date, invoice_date), 0, 0, 0, -amount_paid,
        null, null
    from installments
    where amount_paid > 0 and payment_date is not null and due_date is not null

    union all

    -- an effective credit note lowers the balance from its issue date
    select organization_id, order_id, greatest(issued_date, invoice_date), 0, 0, credit_total, 0, null, updated_at
    from credits
    where issued_date is not null

),

event_days as (

    select
        organization_id,
        order_id,
        event_date as valid_from,
        sum(due) as due,
        sum(paid) as paid,
        sum(credited) as credited,
        sum(overdue) as overdue,
        max(invoice_updated_at) as invoice_updated_at,
        max(credit_updated_at) as credit_updated_at
    from events
    group by organization_id, order_id, event_date

),

balances as (

    select
        organization_id,
        order_id,
        valid_from,
        lead(valid_from) over (partition by organization_id, order_id order by valid_from) as valid_to,
        greatest(
            0,
            sum(due) over running - sum(paid) over running - sum(credited) over running
        ) as outstanding_amount,
        sum(overdue) over running as overdue_unpaid,
        greatest(
            max(invoice_updated_at) over (partition by organization_id, order_id),
            max(credit_updated_at) over running
        ) as updated_at
    from event_days
    window running as (partition by organization_id, order_id order by valid_from)

)

select
    organization_id,
    order_id,
    valid_from,
    valid_to,
    outstanding_amount,
    -- Credits go to the latest installments first, so the overdue part is what remains of the earliest ones.
    greatest(0, least(outstanding_amount, overdue_unpaid)) as overdue_amount,
    updated_at
from balances
where outstanding_amount > 0
