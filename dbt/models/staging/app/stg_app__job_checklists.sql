with

source as (

    select * from {{ source('app', 'job_checklists') }}

),

renamed as (

    select
        organization_id,
        id as job_checklist_id,
        job_id,
        checklist_template_id,
        name as checklist_name,
        status as checklist_status,
        completed_at,
        completed_by_user_id,
        created_at,
        updated_at

    from source

)

select * from renamed
