with

source as (

    select * from {{ source('app', 'addresses') }}

),

renamed as (

    select
        organization_id,
        id as address_id,
        customer_id,
        address_type,
        label,
        line1,
        line2,
        city,
        region,
        postal_code,
        country,
        is_default,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
