with

source as (

    select * from {{ source('app', 'categories') }}

),

renamed as (

    select
        organization_id,
        id as category_id,
        name as category_name,
        parent_id as parent_category_id,
        sort_order,
        is_active,
        created_at,
        updated_at

    from source
    where deleted_at is null

)

select * from renamed
