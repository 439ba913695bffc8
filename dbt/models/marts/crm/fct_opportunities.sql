{#- One row per live opportunity: its current stage and outcome, with local business dates, the stage it closed
    from, and the days it took to close. -#}
{% set changes %}{% raw %}
    select organization_id, id from {{ changed_rows('opportunities') }} as changed
    union all
    select organization_id, opportunity_id from {{ changed_rows('opportunity_activities') }} as changed
{% endraw %}{% endset %}
{{ config(**keyed_incremental_config(['organization_id', 'opportunity_id'], ['organization_id', 'opportunity_id'], changes,
    extra_indexes=metric_day_indexes(['created_date', 'closed_date']))) }}

with

opportunities as (

    select * from {{ ref('stg_app__opportunities') }} as opportunities where {{ key_filter('opportunities') }}

),

organizations as (

    select organization_id, timezone from {{ ref('dim_organizations') }}

),

periods as (

    select organization_id, opportunity_id,
        min(stage) filter (where is_initial) as initial_stage,
        min(stage) filter (where is_last_open) as last_open_stage
    from {{ ref('int_opportunity_stage_periods') }} as stage_periods
    where {{ key_filter('stage_periods') }}
    group by organization_id, opportunity_id

)

select
    opportunities.organization_id,
    opportunities.opportunity_id,
    opportunities.opportunity_number,
    opportunities.opportunity_name,
    opportunities.customer_id,
    opportunities.owner_user_id,
    opportunities.campaign_id,
    opportunities.opportunity_source,
    opportunities.stage,
    opportunities.opportunity_status,
    opportunities.opportunity_status = 'open' as is_open,
    opportunities.amount,
    opportunities.probability,
    round(opportunities.amount * opportunities.probability / 100, 2) as weighted_amount,
    opportunities.currency,
    opportunities.expected_close_date,
    opportunities.win_loss_reason_id,
    opportunities.competitor,
    coalesce(
        periods.initial_stage,
        case when opportunities.opportunity_status = 'open' then opportunities.stage else 'lead' end
    ) as initial_stage,
    coalesce(
        periods.last_open_stage,
        periods.initial_stage,
        case when opportunities.opportunity_status = 'open' then opportunities.stage else 'lead' end
    ) as last_open_stage,
    opportunities.created_at,
    opportunities.closed_at,
    opportunities.won_at,
    opportunities.lost_at,
    {{ local_date('opportunities.created_at', 'organizations.timezone') }} as created_date,
    {{ local_date('opportunities.closed_at', 'organizations.timezone') }} as closed_date,
    {{ local_date('opportunities.closed_at', 'organizations.timezone') }}
        - {{ local_date('opportunities.created_at', 'organizations.timezone') }} as days_to_close,
    opportunities.updated_at

from opportunities
inner join organizations on organizations.organization_id = opportunities.organization_id
left join periods
    on periods.organization_id = opportunities.organization_id
    and periods.opportunity_id = opportunities.opportunity_id
