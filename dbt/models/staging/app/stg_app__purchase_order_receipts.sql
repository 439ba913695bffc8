with

source as (

    select * from {{ source('app', 'purchase_order_receipts') }}

),

renamed as (

    select
        organization_id,
        id as purchase_order_receipt_id,
        receipt_number,
        purchase_order_id,
        location_id,
        status as receipt_status,
        received_at,
        received_by_user_id,
        carrier,
        carrier_tracking_ref,
        packing_slip_ref,
        created_at,
        updated_at

    from source

)

select * from renamed
