{#- One row per line of a live purchase order with what was delivered, accepted and rejected (from posted
    receipts). -#}
with

lines as (

    select * from {{ ref('stg_app__purchase_order_items') }}

),

purchase_orders as (

    select organization_id, purchase_order_id, supplier_id from {{ ref('stg_app__purchase_orders') }}

),

organizations as (

    select organization_id, timezone from {{ ref('dim_organizations') }}

),

receipts as (

    select
        items.organization_id,
        items.purchase_order_item_id,
        sum(items.quantity_received) as quantity_delivered,
        sum(items.quantity_rejected) as quantity_rejected,
        min({{ local_date('receipts.received_at', 'organizations.timezone') }}) as first_received_date

    from {{ ref('stg_app__purchase_order_receipt_items') }} as items
    inner join {{ ref('stg_app__purchase_order_receipts') }} as receipts
        on receipts.organization_id = items.organization_id
        and receipts.purchase_order_receipt_id = items.purchase_order_receipt_id
    inner join organizations on organizations.organization_id = items.organization_id
    where receipts.receipt_status = 'posted'
    group by items.organization_id, items.purchase_order_item_id

)

select
    lines.organization_id,
    lines.purchase_order_item_id,
    lines.purchase_order_id,
    purchase_orders.supplier_id,
    lines.line_number,
    lines.product_id,
    lines.quantity_ordered,
    lines.quantity_received,
    coalesce(receipts.quantity_delivered, 0) as quantity_delivered,
    coalesce(receipts.quantity_rejected, 0) as quantity_rejected,
    receipts.first_received_date,
    lines.expected_delivery_date,
    lines.unit_cost,
    lines.discount_amount,
    lines.line_total,
    lines.created_at,
    lines.updated_at

from lines
inner join purchase_orders
    on purchase_orders.organization_id = lines.organization_id
    and purchase_orders.purchase_order_id = lines.purchase_order_id
left join receipts
    on receipts.organization_id = lines.organization_id
    and receipts.purchase_order_item_id = lines.purchase_order_item_id
