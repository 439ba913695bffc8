with

source as (

    select * from {{ source('app', 'locations') }}

),

renamed as (

    select
        organization_id,
        id as location_id,
        name as location_name,
        code as location_code,
        location_type,
        address_line1,
        address_line2,
        city,
        region,
        postal_code,
        country,
        assigned_user_id,
        customer_id,
        is_active,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
