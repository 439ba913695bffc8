with

source as (

    select * from {{ source('app', 'opportunities') }}

),

renamed as (

    select
        organization_id,
        id as opportunity_id,
        opportunity_number,
        name as opportunity_name,
        customer_id,
        contact_id,
        owner_user_id,
        stage,
        status as opportunity_status,
        amount,
        currency,
        probability,
        expected_close_date,
        stage_entered_at,
        closed_at,
        won_at,
        lost_at,
        win_loss_reason_id,
        competitor,
        source as opportunity_source,
        campaign_id,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
