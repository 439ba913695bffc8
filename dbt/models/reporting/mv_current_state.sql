{#- The current KPIs of each organization on one row, rebuilt in full on every refresh (one row per organization:
    there are no days to slice) and swapped in atomically. -#}
{{
    config(
        materialized='table',
        indexes=[{'columns': ['organization_id'], 'unique': true}],
    )
}}

with

organizations as (

    select organization_id, reporting_currency, as_of_date, as_of_at from {{ ref('dim_organizations') }}

),

open_orders as (

    select organization_id, count(*) as open_orders, sum(net_revenue) as open_orders_value
    from {{ ref('fct_orders') }}
    where is_open
    group by organization_id

),

receivables as (

    select balances.organization_id,
        sum(balances.outstanding_amount) as receivables_outstanding,
        sum(balances.overdue_amount) as receivables_overdue
    from {{ ref('fct_receivable_balance_periods') }} as balances
    inner join organizations
        on organizations.organization_id = balances.organization_id
        and balances.valid_from <= organizations.as_of_date
        and (balances.valid_to is null or balances.valid_to > organizations.as_of_date)
    group by balances.organization_id

),

inventory as (

    select organization_id,
        sum(stock_value) as inventory_value,
        count(distinct product_id) filter (where is_below_reorder_point and product_status = 'active')
            as skus_below_reorder_point
    from {{ ref('fct_inventory_positions') }}
    group by organization_id

),

issues as (

    select organization_id,
        count(*) filter (where is_open) as open_issues,
        count(*) filter (where is_open and (is_response_breached or is_resolution_breached)) as open_sla_breaches
    from {{ ref('fct_issues') }}
    group by organization_id

),

pipeline as (

    select organization_id, count(*) as open_opportunities, sum(amount) as open_pipeline_value
    from {{ ref('fct_opportunities') }}
    where is_open
    group by organization_id

),

jobs as (

    select organization_id, count(*) as active_jobs
    from {{ ref('fct_jobs') }}
    where is_active
    group by organization_id

),

warranties as (

    select warranties.organization_id, count(*) as active_warranties
    from {{ ref('dim_warranties') }} as warranties
    inner join organizations
        on organizations.organization_id = warranties.organization_id
        and warranties.start_date <= organizations.as_of_date
        and warranties.end_date >= organizations.as_of_date
    where warranties.is_in_force
    group by warranties.organization_id

),

final as (

    select
        organizations.organization_id::bigint as organization_id,
        organizations.as_of_date::date as as_of_date,
        organizations.as_of_at::timestamptz as as_of_at,
        organizations.reporting_currency::varchar(3) as currency,
        coalesce(open_orders.open_orders, 0)::integer as open_orders,
        coalesce(open_orders.open_orders_value, 0)::numeric(18, 2) as open_orders_value,
        coalesce(receivables.receivables_outstanding, 0)::numeric(18, 2) as receivables_outstanding,
        coalesce(receivables.receivables_overdue, 0)::numeric(18, 2) as receivables_overdue,
        coalesce(inventory.inventory_value, 0)::numeric(18, 2) as inventory_value,
        coalesce(inventory.skus_below_reorder_point, 0)::integer as skus_below_reorder_point,
        coalesce(issues.open_issues, 0)::integer as open_issues,
        coalesce(issues.open_sla_breaches, 0)::integer as open_sla_breaches,
        coalesce(pipeline.open_opportunities, 0)::integer as open_opportunities,
        coalesce(pipeline.open_pipeline_value, 0)::numeric(18, 2) as open_pipeline_value,
        coalesce(jobs.active_jobs, 0)::integer as active_jobs,
        coalesce(warranties.active_warranties, 0)::integer as active_warranties

    from organizations
    left join open_orders on open_orders.organization_id = organizations.organization_id
    left join receivables on receivables.organization_id = organizations.organization_id
    left join inventory on inventory.organization_id = organizations.organization_id
    left join issues on issues.organization_id = organizations.organization_id
    left join pipeline on pipeline.organization_id = organizations.organization_id
    left join jobs on jobs.organization_id = organizations.organization_id
    left join warranties on warranties.organization_id = organizations.organization_id

)

select * from final
