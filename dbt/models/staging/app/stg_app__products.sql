with

source as (

    select * from {{ source('app', 'products') }}

),

renamed as (

    select
        organization_id,
        id as product_id,
        sku,
        name as product_name,
        category_id,
        product_type,
        unit_of_measure,
        manufacturer,
        manufacturer_part_number,
        barcode,
        list_price,
        standard_cost,
        is_taxable,
        is_serialized,
        is_stocked,
        warranty_policy_id,
        preferred_supplier_id,
        reorder_point,
        reorder_quantity,
        lead_time_days,
        status as product_status,
        discontinued_at,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
