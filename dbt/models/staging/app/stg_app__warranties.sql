with

source as (

    select * from {{ source('app', 'warranties') }}

),

renamed as (

    select
        organization_id,
        id as warranty_id,
        warranty_number,
        customer_id,
        product_id,
        order_id,
        order_line_item_id,
        warranty_policy_id,
        job_id,
        serial_number,
        registered_at,
        start_date,
        end_date,
        status as warranty_status,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
