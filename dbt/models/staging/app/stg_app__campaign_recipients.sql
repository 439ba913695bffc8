with

source as (

    select * from {{ source('app', 'campaign_recipients') }}

),

renamed as (

    select
        organization_id,
        id as campaign_recipient_id,
        campaign_id,
        customer_id,
        contact_id,
        email_address,
        status as recipient_status,
        sent_at,
        delivered_at,
        opened_at,
        clicked_at,
        bounced_at,
        unsubscribed_at,
        open_count,
        click_count,
        created_at,
        updated_at

    from source

)

select * from renamed
