with

source as (

    select * from {{ source('app', 'suppliers') }}

),

renamed as (

    select
        organization_id,
        id as supplier_id,
        supplier_number,
        name as supplier_name,
        legal_name,
        supplier_type,
        status as supplier_status,
        tax_number,
        email,
        phone,
        website,
        contact_name,
        address_line1,
        address_line2,
        city,
        region,
        postal_code,
        country,
        currency,
        payment_terms_days,
        default_lead_time_days,
        minimum_order_amount,
        account_manager_user_id,
        external_ref,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
