{#- Supplier scorecard per supplier and month of order: purchase orders placed and their value, how many arrived
    in full by the promised date, how much of the ordered quantity arrived (fill rate), how much delivered was
    rejected (defect rate) and the average days from order to full receipt. -#}
with

purchase_orders as (

    select * from {{ ref('fct_purchase_orders') }}
    where is_placed

),

suppliers as (

    select organization_id, supplier_id, supplier_name from {{ ref('stg_app__suppliers') }}

),

monthly as (

    select
        organization_id,
        supplier_id,
        date_trunc('month', order_date)::date as order_month,
        count(*) as purchase_orders,
        sum(total_amount) as order_value,
        count(*) filter (where is_received_on_time is not null) as purchase_orders_due_and_received,
        count(*) filter (where is_received_on_time) as purchase_orders_on_time,
        sum(quantity_ordered) as quantity_ordered,
        sum(quantity_received) as quantity_received,
        sum(quantity_received + quantity_rejected) as quantity_delivered,
        sum(quantity_rejected) as quantity_rejected,
        sum(lead_time_days) as lead_time_days_total,
        count(lead_time_days) as purchase_orders_received

    from purchase_orders
    group by organization_id, supplier_id, date_trunc('month', order_date)

)

select
    monthly.organization_id,
    monthly.supplier_id,
    suppliers.supplier_name,
    monthly.order_month,
    monthly.purchase_orders,
    monthly.order_value,
    monthly.purchase_orders_on_time,
    round(100.0 * monthly.purchase_orders_on_time / nullif(monthly.purchase_orders_due_and_received, 0), 2)
        as on_time_delivery_rate,
    round(100.0 * monthly.quantity_received / nullif(monthly.quantity_ordered, 0), 2) as fill_rate,
    round(100.0 * monthly.quantity_rejected / nullif(monthly.quantity_delivered, 0), 2) as defect_rate,
    round(monthly.lead_time_days_total::numeric / nullif(monthly.purchase_orders_received, 0), 2)
        as average_lead_time_days

from monthly
left join suppliers
    on suppliers.organization_id = monthly.organization_id
    and suppliers.supplier_id = monthly.supplier_id
