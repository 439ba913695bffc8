with

source as (

    select * from {{ source('app', 'organization_holidays') }}

),

renamed as (

    select
        organization_id,
        id as organization_holiday_id,
        business_hours_config_id,
        holiday_date,
        name as holiday_name,
        created_at,
        updated_at

    from source

)

select * from renamed
