{#- Current stock per product and location (live products and locations): on hand, reserved, available, value at
    moving average cost (rounded to the cent per position) and whether it is at or below its reorder point (the
    location's override, else the product's default; a reorder point of 0 means the item is not replenished). -#}
with

inventory as (

    select * from {{ ref('stg_app__inventory') }}

),

products as (

    select * from {{ ref('stg_app__products') }}

),

locations as (

    select * from {{ ref('stg_app__locations') }}

)

select
    inventory.organization_id,
    inventory.inventory_id,
    inventory.product_id,
    inventory.location_id,
    locations.location_name,
    locations.location_type,
    products.sku,
    products.product_status,
    inventory.quantity_on_hand,
    inventory.quantity_reserved,
    inventory.quantity_on_hand - inventory.quantity_reserved as quantity_available,
    inventory.average_cost,
    round(inventory.quantity_on_hand * inventory.average_cost, 2) as stock_value,
    coalesce(inventory.reorder_point, products.reorder_point) as reorder_point,
    coalesce(inventory.reorder_quantity, products.reorder_quantity) as reorder_quantity,
    coalesce(inventory.reorder_point, products.reorder_point) > 0
        and inventory.quantity_on_hand <= coalesce(inventory.reorder_point, products.reorder_point)
        as is_below_reorder_point,
    inventory.last_movement_at,
    inventory.last_counted_at,
    inventory.updated_at

from inventory
inner join products on products.organization_id = inventory.organization_id and products.product_id = inventory.product_id
inner join locations
    on locations.organization_id = inventory.organization_id
    and locations.location_id = inventory.location_id
