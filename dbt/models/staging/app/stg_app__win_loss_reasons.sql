with

source as (

    select * from {{ source('app', 'win_loss_reasons') }}

),

renamed as (

    select
        organization_id,
        id as win_loss_reason_id,
        outcome,
        name as reason_name,
        is_active,
        created_at,
        updated_at

    from source

)

select * from renamed
