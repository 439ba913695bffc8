with

source as (

    select * from {{ source('app', 'targets') }}

),

renamed as (

    select
        organization_id,
        id as target_id,
        name as target_name,
        metric,
        period_type,
        period_start,
        period_end,
        target_value,
        user_id,
        user_group_id,
        created_at,
        updated_at

    from source

)

select * from renamed
