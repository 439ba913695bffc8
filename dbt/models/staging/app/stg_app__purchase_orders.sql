with

source as (

    select * from {{ source('app', 'purchase_orders') }}

),

renamed as (

    select
        organization_id,
        id as purchase_order_id,
        po_number,
        supplier_id,
        location_id,
        status as purchase_order_status,
        order_date,
        expected_delivery_date,
        currency,
        subtotal,
        discount_amount,
        tax_amount,
        shipping_amount,
        total_amount,
        payment_terms_days,
        supplier_order_ref,
        created_by_user_id,
        approved_by_user_id,
        approved_at,
        sent_at,
        received_at,
        closed_at,
        cancelled_at,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
