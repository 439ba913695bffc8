{#- One row per live purchase order: supplier, amounts in the order currency, and delivery performance (received
    in full by the promised date). -#}
with

purchase_orders as (

    select * from {{ ref('stg_app__purchase_orders') }}

),

organizations as (

    select organization_id, timezone from {{ ref('dim_organizations') }}

),

lines as (

    select
        organization_id,
        purchase_order_id,
        count(*) as line_count,
        sum(quantity_ordered) as quantity_ordered,
        sum(quantity_received) as quantity_received,
        sum(quantity_rejected) as quantity_rejected

    from {{ ref('fct_purchase_order_lines') }}
    group by organization_id, purchase_order_id

)

select
    purchase_orders.organization_id,
    purchase_orders.purchase_order_id,
    purchase_orders.po_number,
    purchase_orders.supplier_id,
    purchase_orders.location_id,
    purchase_orders.purchase_order_status,
    purchase_orders.purchase_order_status not in ('draft', 'pending_approval', 'cancelled') as is_placed,
    purchase_orders.order_date,
    purchase_orders.expected_delivery_date,
    {{ local_date('purchase_orders.sent_at', 'organizations.timezone') }} as sent_date,
    {{ local_date('purchase_orders.received_at', 'organizations.timezone') }} as received_date,
    purchase_orders.currency,
    purchase_orders.subtotal,
    purchase_orders.discount_amount,
    purchase_orders.tax_amount,
    purchase_orders.shipping_amount,
    purchase_orders.total_amount,
    coalesce(lines.line_count, 0) as line_count,
    coalesce(lines.quantity_ordered, 0) as quantity_ordered,
    coalesce(lines.quantity_received, 0) as quantity_received,
    coalesce(lines.quantity_rejected, 0) as quantity_rejected,
    {{ local_date('purchase_orders.received_at', 'organizations.timezone') }} - purchase_orders.order_date
        as lead_time_days,
    case
        when purchase_orders.received_at is not null and purchase_orders.expected_delivery_date is not null
            then {{ local_date('purchase_orders.received_at', 'organizations.timezone') }}
                <= purchase_orders.expected_delivery_date
    end as is_received_on_time,
    purchase_orders.created_at,
    purchase_orders.updated_at

from purchase_orders
inner join organizations on organizations.organization_id = purchase_orders.organization_id
left join lines
    on lines.organization_id = purchase_orders.organization_id
    and lines.purchase_order_id = purchase_orders.purchase_order_id
