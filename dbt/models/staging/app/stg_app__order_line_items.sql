with

source as (

    select * from {{ source('app', 'order_line_items') }}

),

renamed as (

    select
        organization_id,
        id as order_line_item_id,
        order_id,
        line_number,
        product_id,
        quantity,
        unit_price,
        unit_cost,
        discount_amount,
        tax_amount,
        line_total,
        created_at,
        updated_at

    from source

)

select * from renamed
