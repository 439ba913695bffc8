with

source as (

    select * from {{ source('app', 'jobs') }}

),

renamed as (

    select
        organization_id,
        id as job_id,
        job_number,
        customer_id,
        contact_id,
        order_id,
        address_id,
        job_template_id,
        issue_id,
        warranty_claim_id,
        follow_up_of_job_id,
        job_type,
        status as job_status,
        priority,
        title,
        scheduled_start,
        scheduled_end,
        actual_start,
        actual_end,
        due_date,
        estimated_hours,
        cancelled_at,
        requires_follow_up,
        customer_signature_captured,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
