with

source as (

    select * from {{ source('app', 'email_campaigns') }}

),

renamed as (

    select
        organization_id,
        id as campaign_id,
        name as campaign_name,
        status as campaign_status,
        channel,
        campaign_type,
        template_id,
        subject,
        owner_user_id,
        starts_at,
        ends_at,
        budget,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
