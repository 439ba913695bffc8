{#- One row per sales order (soft-deleted orders are gone), with its invoice and payment state, local business
    dates, cost of goods from its lines and the credit notes issued against it. -#}
{% set changes %}{% raw %}
    select organization_id, id from {{ changed_rows('orders') }} as changed
    union all
    {{ upstream_changes('fct_order_lines') }}
    union all
    select organization_id, order_id from {{ changed_rows('credit_notes') }} as changed where order_id is not null
{% endraw %}{% endset %}
{{ config(**keyed_incremental_config(['organization_id', 'order_id'], ['organization_id', 'order_id'], changes,
    related_keys=['customer_id'], extra_indexes=[['organization_id', 'customer_id']] + metric_day_indexes(['order_date', 'invoice_date', 'paid_date']))) }}

with

orders as (

    select orders.*
    from {{ ref('stg_app__orders') }} as orders
    where {{ key_filter('orders') }}

),

organizations as (

    select organization_id, timezone from {{ ref('dim_organizations') }}

),

lines as (

    select
        organization_id,
        order_id,
        count(*) as line_count,
        sum(cost_of_goods_sold) as cost_of_goods_sold,
        count(*) filter (where unit_cost is null) as lines_without_cost,
        max(updated_at) as lines_updated_at

    from {{ ref('fct_order_lines') }} as order_lines
    where {{ key_filter('order_lines') }}
    group by organization_id, order_id

),

credits as (

    select
        organization_id,
        order_id,
        sum(credit_amount) as credited_amount,
        sum(credit_total) as credited_total

    from {{ ref('fct_credit_notes') }} as credit_notes
    where {{ key_filter('credit_notes') }} and is_effective and order_id is not null
    group by organization_id, order_id

)

select
    orders.organization_id,
    orders.order_id,
    orders.order_number,
    orders.customer_id,
    orders.sales_rep_user_id,
    orders.opportunity_id,
    orders.quote_id,
    orders.order_status,
    orders.order_status not in ('draft', 'cancelled') as is_booked,
    orders.order_status in ('confirmed', 'in_progress', 'fulfilled') as is_open,
    orders.order_date,
    {{ local_date('orders.confirmed_at', 'organizations.timezone') }} as confirmed_date,
    {{ local_date('orders.fulfilled_at', 'organizations.timezone') }} as fulfilled_date,
    {{ local_date('orders.completed_at', 'organizations.timezone') }} as completed_date,
    {{ local_date('orders.cancelled_at', 'organizations.timezone') }} as cancelled_date,
    orders.currency,
    orders.subtotal,
    orders.discount_total,
    orders.tax_total,
    orders.shipping_total,
    orders.total_amount,
    -- Revenue excludes the tax collected for the authorities: goods and services after discount, plus shipping.
    orders.total_amount - orders.tax_total as net_revenue,
    orders.invoice_number is not null as is_invoiced,
    orders.invoice_number,
    orders.invoice_issued_at,
    orders.invoice_date,
    orders.invoice_due_date,
    orders.payment_terms_days,
    orders.amount_paid,
    orders.payment_status,
    orders.paid_at,
    case when orders.payment_status = 'paid'
        then {{ local_date('orders.paid_at', 'organizations.timezone') }}
    end as paid_date,
    coalesce(lines.line_count, 0) as line_count,
    coalesce(lines.cost_of_goods_sold, 0) as cost_of_goods_sold,
    coalesce(lines.lines_without_cost, 0) as lines_without_cost,
    orders.total_amount - orders.tax_total - coalesce(lines.cost_of_goods_sold, 0) as gross_margin,
    coalesce(credits.credited_amount, 0) as credited_amount,
    coalesce(credits.credited_total, 0) as credited_total,
    orders.created_at,
    greatest(orders.updated_at, lines.lines_updated_at) as updated_at

from orders
inner join organizations on organizations.organization_id = orders.organization_id
left join lines on lines.organization_id = orders.organization_id and lines.order_id = orders.order_id
left join credits on credits.organization_id = orders.organization_id and credits.order_id = orders.order_id
