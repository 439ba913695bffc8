with

source as (

    select * from {{ source('app', 'job_materials') }}

),

renamed as (

    select
        organization_id,
        id as job_material_id,
        job_id,
        product_id,
        location_id,
        quantity,
        unit_cost,
        unit_price,
        billable,
        used_at,
        created_at,
        updated_at

    from source

)

select * from renamed
