with

source as (

    select * from {{ source('app', 'sla_tracking') }}

),

renamed as (

    select
        organization_id,
        id as sla_tracking_id,
        issue_id,
        sla_configuration_id,
        started_at,
        response_due_at,
        response_met_at,
        response_breached,
        resolution_due_at,
        resolution_met_at,
        resolution_breached,
        paused_minutes,
        status as sla_status,
        created_at,
        updated_at

    from source

)

select * from renamed
