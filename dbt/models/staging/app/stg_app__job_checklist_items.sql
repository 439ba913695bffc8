with

source as (

    select * from {{ source('app', 'job_checklist_items') }}

),

renamed as (

    select
        organization_id,
        id as job_checklist_item_id,
        job_checklist_id,
        sequence,
        label,
        is_required,
        is_checked,
        checked_at,
        checked_by_user_id,
        created_at,
        updated_at

    from source

)

select * from renamed
