with

source as (

    select * from {{ source('app', 'payment_schedules') }}

),

renamed as (

    select
        organization_id,
        id as payment_schedule_id,
        order_id,
        installment_number,
        due_date,
        amount_due,
        amount_paid,
        paid_at,
        status as installment_status,
        currency,
        created_at,
        updated_at

    from source

)

select * from renamed
