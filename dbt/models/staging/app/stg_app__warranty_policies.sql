with

source as (

    select * from {{ source('app', 'warranty_policies') }}

),

renamed as (

    select
        organization_id,
        id as warranty_policy_id,
        name as policy_name,
        coverage_type,
        duration_months,
        max_claim_amount,
        is_active,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
