with

source as (

    select * from {{ source('app', 'issues') }}

),

renamed as (

    select
        organization_id,
        id as issue_id,
        issue_number,
        customer_id,
        contact_id,
        order_id,
        product_id,
        job_id,
        warranty_id,
        assigned_user_id,
        issue_template_id,
        sla_configuration_id,
        channel,
        category,
        priority,
        status as issue_status,
        opened_at,
        first_response_at,
        resolved_at,
        closed_at,
        reopened_count,
        subject,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
