with

source as (

    select * from {{ source('app', 'user_groups') }}

),

renamed as (

    select
        organization_id,
        id as user_group_id,
        name as group_name,
        group_type,
        lead_user_id,
        created_at,
        updated_at

    from source

)

select * from renamed
