with

source as (

    select * from {{ source('app', 'revenue_recognition') }}

),

renamed as (

    select
        organization_id,
        id as revenue_recognition_id,
        order_id,
        order_line_item_id,
        deferred_revenue_id,
        recognized_on,
        amount as recognized_amount,
        currency,
        recognition_method,
        created_at,
        updated_at

    from source

)

select * from renamed
