{{ config(**daily_relation_config('int_mv_daily_metrics__contributions', ['organization_id', 'metric_date'])) }}
-- depends_on: {{ ref('int_slice_ledger') }}
-- depends_on: {{ ref('int_mv_daily_metrics__contributions') }}

with

days as (

    select reporting_days.organization_id, reporting_days.metric_date
    from {{ ref('int_reporting_days') }} as reporting_days
    {{ slice_filter('reporting_days') }}

),

organizations as (

    select organization_id, reporting_currency from {{ ref('dim_organizations') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

booked as (

    select orders.organization_id, orders.order_date as metric_date,
        count(*) as orders, sum(orders.net_revenue) as booked_value
    from orders
    inner join days on days.organization_id = orders.organization_id and days.metric_date = orders.order_date
    where orders.is_booked
    group by orders.organization_id, orders.order_date

),

invoiced as (

    select orders.organization_id, orders.invoice_date as metric_date,
        count(*) as invoices_issued,
        sum(orders.net_revenue) as invoiced_revenue,
        sum(orders.cost_of_goods_sold) as cost_of_goods_sold
    from orders
    inner join days on days.organization_id = orders.organization_id and days.metric_date = orders.invoice_date
    where orders.is_invoiced
    group by orders.organization_id, orders.invoice_date

),

paid as (

    select orders.organization_id, orders.paid_date as metric_date, count(*) as invoices_paid
    from orders
    inner join days on days.organization_id = orders.organization_id and days.metric_date = orders.paid_date
    group by orders.organization_id, orders.paid_date

),

credited as (

    select credits.organization_id, credits.issued_date as metric_date, sum(credits.credit_amount) as credited
    from {{ ref('fct_credit_notes') }} as credits
    inner join days on days.organization_id = credits.organization_id and days.metric_date = credits.issued_date
    where credits.is_effective
    group by credits.organization_id, credits.issued_date

),

collected as (

    select installments.organization_id, installments.payment_date as metric_date,
        sum(installments.amount_paid) as cash_collected
    from {{ ref('fct_invoice_installments') }} as installments
    inner join days
        on days.organization_id = installments.organization_id
        and days.metric_date = installments.payment_date
    where installments.amount_paid > 0
    group by installments.organization_id, installments.payment_date

),

new_customers as (

    select customers.organization_id, customers.became_customer_date as metric_date, count(*) as new_customers
    from {{ ref('dim_customers') }} as customers
    inner join days
        on days.organization_id = customers.organization_id
        and days.metric_date = customers.became_customer_date
    group by customers.organization_id, customers.became_customer_date

),

receivables as (

    select organization_id, metric_date,
        outstanding_amount as receivables_outstanding,
        overdue_amount as receivables_overdue
    from {{ daily_levels(ref('fct_receivable_balance_periods'), ['outstanding_amount', 'overdue_amount']) }}
        as levels

),

final as (

    select
        days.organization_id::bigint as organization_id,
        days.metric_date::date as metric_date,
        organizations.reporting_currency::varchar(3) as currency,
        coalesce(booked.orders, 0)::integer as orders,
        coalesce(booked.booked_value, 0)::numeric(18, 2) as booked_value,
        round(booked.booked_value / nullif(booked.orders, 0), 2)::numeric(18, 2) as average_order_value,
        coalesce(new_customers.new_customers, 0)::integer as new_customers,
        coalesce(invoiced.invoices_issued, 0)::integer as invoices_issued,
        coalesce(invoiced.invoiced_revenue, 0)::numeric(18, 2) as invoiced_revenue,
        coalesce(credited.credited, 0)::numeric(18, 2) as credit_notes_amount,
        (coalesce(invoiced.invoiced_revenue, 0) - coalesce(credited.credited, 0))::numeric(18, 2) as revenue,
        coalesce(invoiced.cost_of_goods_sold, 0)::numeric(18, 2) as cost_of_goods_sold,
        (
            coalesce(invoiced.invoiced_revenue, 0) - coalesce(credited.credited, 0)
            - coalesce(invoiced.cost_of_goods_sold, 0)
        )::numeric(18, 2) as gross_margin,
        coalesce(paid.invoices_paid, 0)::integer as invoices_paid,
        coalesce(collected.cash_collected, 0)::numeric(18, 2) as cash_collected,
        coalesce(receivables.receivables_outstanding, 0)::numeric(18, 2) as receivables_outstanding,
        coalesce(receivables.receivables_overdue, 0)::numeric(18, 2) as receivables_overdue

    from days
    inner join organizations on organizations.organization_id = days.organization_id
    left join booked on booked.organization_id = days.organization_id and booked.metric_date = days.metric_date
    left join invoiced on invoiced.organization_id = days.organization_id and invoiced.metric_date = days.metric_date
    left join paid on paid.organization_id = days.organization_id and paid.metric_date = days.metric_date
    left join credited on credited.organization_id = days.organization_id and credited.metric_date = days.metric_date
    left join collected
        on collected.organization_id = days.organization_id and collected.metric_date = days.metric_date
    left join new_customers
        on new_customers.organization_id = days.organization_id and new_customers.metric_date = days.metric_date
    left join receivables
        on receivables.organization_id = days.organization_id and receivables.metric_date = days.metric_date

)

select * from final
