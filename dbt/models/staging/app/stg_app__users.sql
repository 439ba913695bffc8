with

source as (

    select * from {{ source('app', 'users') }}

),

renamed as (

    select
        organization_id,
        id as user_id,
        email,
        full_name,
        phone,
        job_title,
        primary_role,
        status as user_status,
        auth_provider,
        auth_subject,
        hourly_cost,
        manager_id,
        last_login_at,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
