with

source as (

    select * from {{ source('app', 'csat_responses') }}

),

renamed as (

    select
        organization_id,
        id as csat_response_id,
        issue_id,
        job_id,
        customer_id,
        contact_id,
        score,
        responded_at,
        created_at,
        updated_at

    from source

)

select * from renamed
