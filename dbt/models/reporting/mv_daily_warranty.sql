{{ config(**daily_relation_config('int_mv_daily_warranty__contributions', ['organization_id', 'metric_date'])) }}
-- depends_on: {{ ref('int_slice_ledger') }}
-- depends_on: {{ ref('int_mv_daily_warranty__contributions') }}

with

days as (

    select reporting_days.organization_id, reporting_days.metric_date
    from {{ ref('int_reporting_days') }} as reporting_days
    {{ slice_filter('reporting_days') }}

),

organizations as (

    select organization_id, reporting_currency from {{ ref('dim_organizations') }}

),

warranties as (

    select * from {{ ref('dim_warranties') }}

),

claims as (

    select * from {{ ref('fct_warranty_claims') }}

),

cover_periods as (

    -- in force from start_date through end_date; expiring within 30 days from 30 days before end_date
    select organization_id, start_date as valid_from, end_date + 1 as valid_to, 1 as active_warranties,
        0 as expiring_within_30_days
    from warranties
    where is_in_force
    union all
    select organization_id, greatest(start_date, end_date - 30), end_date + 1, 0, 1
    from warranties
    where is_in_force

),

cover as (

    select * from {{ daily_levels('cover_periods', ['active_warranties', 'expiring_within_30_days']) }} as levels

),

registered as (

    select warranties.organization_id, warranties.registered_date as metric_date, count(*) as warranties_registered
    from warranties
    inner join days
        on days.organization_id = warranties.organization_id and days.metric_date = warranties.registered_date
    group by warranties.organization_id, warranties.registered_date

),

{% for event in ['submitted', 'approved', 'rejected'] %}
claims_{{ event }} as (

    select claims.organization_id, claims.{{ event }}_date as metric_date, count(*) as claims
    from claims
    inner join days on days.organization_id = claims.organization_id and days.metric_date = claims.{{ event }}_date
    group by claims.organization_id, claims.{{ event }}_date

),
{% endfor %}

claims_resolved as (

    select claims.organization_id, claims.resolved_date as metric_date,
        count(*) as claims,
        sum(claims.claim_cost) as claim_cost,
        sum(claims.days_to_resolve) as days_to_resolve
    from claims
    inner join days on days.organization_id = claims.organization_id and days.metric_date = claims.resolved_date
    group by claims.organization_id, claims.resolved_date

),

final as (

    select
        days.organization_id::bigint as organization_id,
        days.metric_date::date as metric_date,
        organizations.reporting_currency::varchar(3) as currency,
        coalesce(cover.active_warranties, 0)::integer as active_warranties,
        coalesce(registered.warranties_registered, 0)::integer as warranties_registered,
        coalesce(cover.expiring_within_30_days, 0)::integer as expiring_within_30_days,
        coalesce(claims_submitted.claims, 0)::integer as claims_opened,
        coalesce(claims_approved.claims, 0)::integer as claims_approved,
        coalesce(claims_rejected.claims, 0)::integer as claims_rejected,
        coalesce(claims_resolved.claims, 0)::integer as claims_resolved,
        coalesce(claims_resolved.claim_cost, 0)::numeric(18, 2) as claim_cost,
        coalesce(claims_resolved.days_to_resolve, 0)::integer as days_to_resolve_total,
        round(claims_resolved.days_to_resolve::numeric / nullif(claims_resolved.claims, 0), 2)::numeric(10, 2)
            as average_days_to_resolve

    from days
    inner join organizations on organizations.organization_id = days.organization_id
    left join cover on cover.organization_id = days.organization_id and cover.metric_date = days.metric_date
    left join registered
        on registered.organization_id = days.organization_id and registered.metric_date = days.metric_date
    {%- for event in ['submitted', 'approved', 'rejected', 'resolved'] %}
    left join claims_{{ event }}
        on claims_{{ event }}.organization_id = days.organization_id
        and claims_{{ event }}.metric_date = days.metric_date
    {%- endfor %}

)

select * from final
