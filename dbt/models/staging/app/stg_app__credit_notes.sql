with

source as (

    select * from {{ source('app', 'credit_notes') }}

),

renamed as (

    select
        organization_id,
        id as credit_note_id,
        credit_note_number,
        customer_id,
        order_id,
        return_authorization_id,
        created_by_user_id,
        reason as credit_reason,
        status as credit_note_status,
        issued_date,
        applied_at,
        amount,
        tax_amount,
        total_amount,
        currency,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
