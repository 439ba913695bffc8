{#- Staff of each organization (live users), with the teams they belong to, for attributing metrics to people. -#}
with

users as (

    select * from {{ ref('stg_app__users') }}

),

memberships as (

    select members.organization_id, members.user_id, string_agg(groups.group_name, ', ' order by groups.group_name)
        as group_names
    from {{ ref('stg_app__user_group_members') }} as members
    inner join {{ ref('stg_app__user_groups') }} as groups
        on groups.organization_id = members.organization_id and groups.user_group_id = members.user_group_id
    group by members.organization_id, members.user_id

)

select
    users.organization_id,
    users.user_id,
    users.full_name,
    users.email,
    users.job_title,
    users.primary_role,
    users.user_status,
    users.hourly_cost,
    users.manager_id,
    memberships.group_names,
    users.created_at,
    users.updated_at

from users
left join memberships on memberships.organization_id = users.organization_id and memberships.user_id = users.user_id
