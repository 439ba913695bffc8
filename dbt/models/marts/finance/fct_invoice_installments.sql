{#- One row per installment of an order's invoice: the payment_schedules rows, or, for an order that has none, the
    order itself as its single installment. The payment date is when the installment was fully paid; for a
    partial payment (amount_paid > 0, paid_at NULL) the OLTP keeps no payment date, so the date the installment
    row last changed stands in for it. -#}
{% set changes %}{% raw %}
    select organization_id, order_id from {{ changed_rows('payment_schedules') }} as changed
    union all
    select organization_id, id from {{ changed_rows('orders') }} as changed
{% endraw %}{% endset %}
{{ config(**keyed_incremental_config(['organization_id', 'order_id'], ['organization_id', 'order_id', 'installment_number'], changes,
    extra_indexes=metric_day_indexes(['payment_date']))) }}

with

schedules as (

    select * from {{ ref('stg_app__payment_schedules') }} as schedules where {{ key_filter('schedules') }}

),

orders as (

    select * from {{ ref('stg_app__orders') }} as orders where {{ key_filter('orders') }}

),

organizations as (

    select organization_id, timezone from {{ ref('dim_organizations') }}

),

scheduled as (

    select
        schedules.organization_id,
        schedules.order_id,
        schedules.payment_schedule_id,
        schedules.installment_number,
        schedules.due_date,
        schedules.amount_due,
        schedules.amount_paid,
        schedules.paid_at,
        schedules.installment_status,
        schedules.currency,
        schedules.created_at,
        schedules.updated_at

    from schedules
    inner join orders on orders.organization_id = schedules.organization_id and orders.order_id = schedules.order_id

),

unscheduled as (

    select
        orders.organization_id,
        orders.order_id,
        cast(null as bigint) as payment_schedule_id,
        1 as installment_number,
        orders.invoice_due_date as due_date,
        orders.total_amount as amount_due,
        orders.amount_paid,
        orders.paid_at,
        case
            when orders.payment_status = 'paid' then 'paid'
            when orders.amount_paid > 0 then 'partially_paid'
            else 'scheduled'
        end as installment_status,
        orders.currency,
        orders.created_at,
        orders.updated_at

    from orders
    where orders.invoice_number is not null
        and not exists (
            select 1 from schedules
            where schedules.organization_id = orders.organization_id and schedules.order_id = orders.order_id
        )

),

installments as (

    select * from scheduled
    union all
    select * from unscheduled

)

select
    installments.organization_id,
    installments.order_id,
    installments.payment_schedule_id,
    installments.installment_number,
    installments.due_date,
    installments.amount_due,
    installments.amount_paid,
    installments.amount_due - installments.amount_paid as amount_unpaid,
    installments.paid_at,
    case
        when installments.paid_at is not null
            then {{ local_date('installments.paid_at', 'organizations.timezone') }}
        when installments.amount_paid > 0
            then {{ local_date('installments.updated_at', 'organizations.timezone') }}
    end as payment_date,
    installments.installment_status,
    installments.currency,
    orders.customer_id,
    orders.sales_rep_user_id,
    orders.invoice_date,
    orders.payment_status as invoice_payment_status,
    installments.created_at,
    greatest(installments.updated_at, orders.updated_at) as updated_at

from installments
inner join orders on orders.organization_id = installments.organization_id and orders.order_id = installments.order_id
inner join organizations on organizations.organization_id = installments.organization_id
