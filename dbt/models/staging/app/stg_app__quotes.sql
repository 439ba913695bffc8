with

source as (

    select * from {{ source('app', 'quotes') }}

),

renamed as (

    select
        organization_id,
        id as quote_id,
        quote_number,
        opportunity_id,
        customer_id,
        contact_id,
        owner_user_id,
        status as quote_status,
        title,
        sent_at,
        viewed_at,
        accepted_at,
        rejected_at,
        valid_until,
        subtotal,
        discount_total,
        tax_total,
        total,
        currency,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
