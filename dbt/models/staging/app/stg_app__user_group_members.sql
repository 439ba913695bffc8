with

source as (

    select * from {{ source('app', 'user_group_members') }}

),

renamed as (

    select
        organization_id,
        id as user_group_member_id,
        group_id as user_group_id,
        user_id,
        member_role,
        created_at,
        updated_at

    from source

)

select * from renamed
