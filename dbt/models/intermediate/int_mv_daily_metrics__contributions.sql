{#- What each source row contributes to reporting.mv_daily_metrics: pieces of days with a fingerprint of the values
    (see macros/incremental_slices.sql). Every input of a metric must appear in some fingerprint, or a change to
    it would not be rebuilt. -#}
{{ config(materialized='view') }}

with

organizations as (

    select organization_id, timezone, reporting_currency, updated_at from {{ ref('dim_organizations') }}

),

orders as not materialized (

    select * from {{ ref('fct_orders') }}

),

pieces as (

    select 'organizations'::text as source_table, {{ changes_of(none) }} as change_model, organization_id,
        organization_id as change_key, organization_id as row_id,
        daterange(null, null) as piece_days,
        {{ piece_fingerprint(['timezone', 'reporting_currency']) }} as fingerprint, updated_at
    from organizations

    union all

    select 'orders.booked'::text, {{ changes_of('fct_orders') }}, organization_id, order_id,
        order_id, {{ day_piece('order_date') }},
        {{ piece_fingerprint(['net_revenue']) }}, updated_at
    from orders
    where is_booked

    union all

    select 'orders.invoiced'::text, {{ changes_of('fct_orders') }}, organization_id, order_id,
        order_id, {{ day_piece('invoice_date') }},
        {{ piece_fingerprint(['net_revenue', 'cost_of_goods_sold']) }}, updated_at
    from orders
    where is_invoiced

    union all

    select 'orders.paid'::text, {{ changes_of('fct_orders') }}, organization_id, order_id,
        order_id, {{ day_piece('paid_date') }},
        {{ piece_fingerprint([]) }}, updated_at
    from orders
    where paid_date is not null

    union all

    select 'orders.receivable'::text, {{ changes_of('fct_receivable_balance_periods') }}, organization_id, order_id,
        order_id, daterange(valid_from, valid_to, '[)'),
        {{ piece_fingerprint(['outstanding_amount', 'overdue_amount']) }}, updated_at
    from {{ ref('fct_receivable_balance_periods') }}

    union all

    select 'credit_notes'::text, {{ changes_of(none) }}, organization_id, credit_note_id,
        credit_note_id, {{ day_piece('issued_date') }},
        {{ piece_fingerprint(['credit_amount']) }}, updated_at
    from {{ ref('fct_credit_notes') }}
    where is_effective

    union all

    select 'installments.cash'::text, {{ changes_of('fct_invoice_installments') }}, organization_id, order_id,
        coalesce(payment_schedule_id, -order_id),
        {{ day_piece('payment_date') }}, {{ piece_fingerprint(['amount_paid']) }}, updated_at
    from {{ ref('fct_invoice_installments') }}
    where amount_paid > 0

    union all

    select 'customers.new'::text, {{ changes_of('dim_customers') }}, organization_id, customer_id,
        customer_id, {{ day_piece('became_customer_date') }},
        {{ piece_fingerprint([]) }}, updated_at
    from {{ ref('dim_customers') }}
    where became_customer_date is not null

)

select * from pieces
