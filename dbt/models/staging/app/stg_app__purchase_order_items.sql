with

source as (

    select * from {{ source('app', 'purchase_order_items') }}

),

renamed as (

    select
        organization_id,
        id as purchase_order_item_id,
        purchase_order_id,
        line_number,
        product_id,
        supplier_sku,
        quantity_ordered,
        quantity_received,
        unit_cost,
        discount_amount,
        line_total,
        expected_delivery_date,
        created_at,
        updated_at

    from source

)

select * from renamed
