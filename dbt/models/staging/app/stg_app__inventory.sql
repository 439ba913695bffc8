with

source as (

    select * from {{ source('app', 'inventory') }}

),

renamed as (

    select
        organization_id,
        id as inventory_id,
        product_id,
        location_id,
        warehouse_location_id,
        quantity_on_hand,
        quantity_reserved,
        average_cost,
        reorder_point,
        reorder_quantity,
        last_movement_at,
        last_counted_at,
        created_at,
        updated_at

    from source

)

select * from renamed
