with

source as (

    select * from {{ source('app', 'job_time_entries') }}

),

renamed as (

    select
        organization_id,
        id as job_time_entry_id,
        job_id,
        user_id,
        entry_type,
        started_at,
        ended_at,
        hours,
        hourly_cost,
        billable,
        created_at,
        updated_at

    from source

)

select * from renamed
