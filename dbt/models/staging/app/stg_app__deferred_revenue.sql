with

source as (

    select * from {{ source('app', 'deferred_revenue') }}

),

renamed as (

    select
        organization_id,
        id as deferred_revenue_id,
        order_id,
        order_line_item_id,
        warranty_id,
        total_deferred,
        recognized_to_date,
        currency,
        period_start,
        period_end,
        status as deferral_status,
        created_at,
        updated_at

    from source

)

select * from renamed
