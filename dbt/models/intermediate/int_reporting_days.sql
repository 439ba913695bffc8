{#- The organization-days the daily reporting relations have a row for: from the organization's first day
    (the earlier of its sign-up date and its first order date) through the as-of date (today, local). -#}
{{ config(materialized='view') }}

with

organizations as (

    select * from {{ ref('dim_organizations') }}

),

first_orders as (

    select organization_id, min(order_date) as first_order_date
    from {{ ref('stg_app__orders') }}
    group by organization_id

),

bounds as (

    select
        organizations.organization_id,
        least(organizations.created_date, first_orders.first_order_date) as first_day,
        organizations.as_of_date as last_day

    from organizations
    left join first_orders on first_orders.organization_id = organizations.organization_id

)

select
    bounds.organization_id,
    calendar_day::date as metric_date

from bounds
cross join lateral generate_series(bounds.first_day, bounds.last_day, interval '1 day') as calendar_day
