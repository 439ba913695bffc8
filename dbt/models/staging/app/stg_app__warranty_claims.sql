with

source as (

    select * from {{ source('app', 'warranty_claims') }}

),

renamed as (

    select
        organization_id,
        id as warranty_claim_id,
        claim_number,
        warranty_id,
        customer_id,
        issue_id,
        job_id,
        status as claim_status,
        claim_date,
        submitted_at,
        approved_at,
        rejected_at,
        resolved_at,
        claimed_amount,
        approved_amount,
        parts_cost,
        labour_cost,
        failure_type,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
