with

source as (

    select * from {{ source('app', 'business_hours_config') }}

),

renamed as (

    select
        organization_id,
        id as business_hours_config_id,
        name as calendar_name,
        timezone as calendar_timezone,
        is_default,
        mon_open,
        mon_close,
        tue_open,
        tue_close,
        wed_open,
        wed_close,
        thu_open,
        thu_close,
        fri_open,
        fri_close,
        sat_open,
        sat_close,
        sun_open,
        sun_close,
        created_at,
        updated_at

    from source

)

select * from renamed
