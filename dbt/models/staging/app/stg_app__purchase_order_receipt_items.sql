with

source as (

    select * from {{ source('app', 'purchase_order_receipt_items') }}

),

renamed as (

    select
        organization_id,
        id as purchase_order_receipt_item_id,
        purchase_order_receipt_id,
        purchase_order_item_id,
        warehouse_location_id,
        quantity_received,
        quantity_rejected,
        created_at,
        updated_at

    from source

)

select * from renamed
