{#- The live product and service catalog with its category, prices and replenishment settings. -#}
with

products as (

    select * from {{ ref('stg_app__products') }}

),

categories as (

    select * from {{ ref('stg_app__categories') }}

)

select
    products.organization_id,
    products.product_id,
    products.sku,
    products.product_name,
    products.product_type,
    products.category_id,
    categories.category_name,
    products.unit_of_measure,
    products.manufacturer,
    products.list_price,
    products.standard_cost,
    products.list_price - products.standard_cost as standard_margin,
    products.is_stocked,
    products.is_serialized,
    products.preferred_supplier_id,
    products.reorder_point,
    products.reorder_quantity,
    products.lead_time_days,
    products.product_status,
    products.created_at,
    products.updated_at

from products
left join categories
    on categories.organization_id = products.organization_id
    and categories.category_id = products.category_id
