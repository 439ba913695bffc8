with

source as (

    select * from {{ source('app', 'job_assignments') }}

),

renamed as (

    select
        organization_id,
        id as job_assignment_id,
        job_id,
        user_id,
        assigned_by_user_id,
        role as assignment_role,
        status as assignment_status,
        assigned_at,
        created_at,
        updated_at

    from source

)

select * from renamed
