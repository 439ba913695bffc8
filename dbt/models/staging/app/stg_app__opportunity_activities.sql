with

source as (

    select * from {{ source('app', 'opportunity_activities') }}

),

renamed as (

    select
        organization_id,
        id as opportunity_activity_id,
        opportunity_id,
        user_id,
        contact_id,
        activity_type,
        from_stage,
        to_stage,
        subject,
        occurred_at,
        created_at,
        updated_at

    from source

)

select * from renamed
