with

source as (

    select * from {{ source('app', 'organizations') }}

),

renamed as (

    select
        id as organization_id,
        name as organization_name,
        slug as organization_slug,
        industry,
        timezone,
        currency as reporting_currency,
        country,
        plan,
        fiscal_year_start_month,
        status as organization_status,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
