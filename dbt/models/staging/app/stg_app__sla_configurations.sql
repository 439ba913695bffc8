with

source as (

    select * from {{ source('app', 'sla_configurations') }}

),

renamed as (

    select
        organization_id,
        id as sla_configuration_id,
        name as sla_name,
        priority,
        first_response_minutes,
        resolution_minutes,
        business_hours_config_id,
        is_default,
        is_active,
        created_at,
        updated_at

    from source

)

select * from renamed
