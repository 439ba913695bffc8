with

source as (

    select * from {{ source('app', 'orders') }}

),

renamed as (

    select
        organization_id,
        id as order_id,
        order_number,
        customer_id,
        contact_id,
        billing_address_id,
        shipping_address_id,
        opportunity_id,
        quote_id,
        order_template_id,
        sales_rep_user_id,
        customer_po_ref,
        status as order_status,
        order_date,
        confirmed_at,
        fulfilled_at,
        completed_at,
        cancelled_at,
        subtotal,
        discount_total,
        tax_total,
        shipping_total,
        total_amount,
        currency,
        invoice_number,
        invoice_issued_at,
        invoice_date,
        invoice_due_date,
        payment_terms_days,
        amount_paid,
        payment_status,
        paid_at,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
