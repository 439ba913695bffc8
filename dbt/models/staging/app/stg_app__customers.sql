with

source as (

    select * from {{ source('app', 'customers') }}

),

renamed as (

    select
        organization_id,
        id as customer_id,
        customer_number,
        name as customer_name,
        legal_name,
        customer_type,
        status as customer_status,
        owner_user_id,
        source as acquisition_source,
        industry,
        email,
        phone,
        website,
        tax_number,
        tax_exempt,
        acquired_at,
        became_customer_at,
        churned_at,
        credit_limit,
        payment_terms_days,
        external_ref,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
