{{ config(**daily_relation_config('int_mv_daily_pipeline__contributions', ['organization_id', 'metric_date', 'stage'])) }}
-- depends_on: {{ ref('int_slice_ledger') }}
-- depends_on: {{ ref('int_mv_daily_pipeline__contributions') }}

with

days as (

    select reporting_days.organization_id, reporting_days.metric_date
    from {{ ref('int_reporting_days') }} as reporting_days
    {{ slice_filter('reporting_days') }}

),

stages as (

    select stage, stage_order from {{ ref('opportunity_stages') }} where is_open

),

organizations as (

    select organization_id, reporting_currency from {{ ref('dim_organizations') }}

),

opportunities as (

    select * from {{ ref('fct_opportunities') }}

),

stage_periods as (

    select
        organization_id,
        stage,
        lower(stage_days) as valid_from,
        upper(stage_days) as valid_to,
        1 as open_deals,
        amount as open_value,
        round(amount * probability / 100, 2) as weighted_value
    from {{ ref('int_opportunity_stage_periods') }}
    where not isempty(stage_days)

),

open_pipeline as (

    select * from {{ daily_levels('stage_periods', ['open_deals', 'open_value', 'weighted_value'], keys=['stage']) }}
        as levels

),

created as (

    select opportunities.organization_id, opportunities.created_date as metric_date,
        opportunities.initial_stage as stage,
        count(*) as created_deals,
        sum(opportunities.amount) as created_value
    from opportunities
    inner join days
        on days.organization_id = opportunities.organization_id
        and days.metric_date = opportunities.created_date
    group by opportunities.organization_id, opportunities.created_date, opportunities.initial_stage

),

closed as (

    select opportunities.organization_id, opportunities.closed_date as metric_date,
        opportunities.last_open_stage as stage,
        count(*) filter (where opportunities.opportunity_status = 'won') as won_deals,
        coalesce(sum(opportunities.amount) filter (where opportunities.opportunity_status = 'won'), 0) as won_value,
        count(*) filter (where opportunities.opportunity_status = 'lost') as lost_deals,
        coalesce(sum(opportunities.amount) filter (where opportunities.opportunity_status = 'lost'), 0) as lost_value,
        coalesce(sum(opportunities.days_to_close) filter (where opportunities.opportunity_status = 'won'), 0)
            as won_days_to_close
    from opportunities
    inner join days
        on days.organization_id = opportunities.organization_id
        and days.metric_date = opportunities.closed_date
    group by opportunities.organization_id, opportunities.closed_date, opportunities.last_open_stage

),

final as (

    select
        days.organization_id::bigint as organization_id,
        days.metric_date::date as metric_date,
        stages.stage::varchar(20) as stage,
        stages.stage_order::integer as stage_order,
        organizations.reporting_currency::varchar(3) as currency,
        coalesce(open_pipeline.open_deals, 0)::integer as open_deals,
        coalesce(open_pipeline.open_value, 0)::numeric(18, 2) as open_value,
        coalesce(open_pipeline.weighted_value, 0)::numeric(18, 2) as weighted_value,
        coalesce(created.created_deals, 0)::integer as created_deals,
        coalesce(created.created_value, 0)::numeric(18, 2) as created_value,
        coalesce(closed.won_deals, 0)::integer as won_deals,
        coalesce(closed.won_value, 0)::numeric(18, 2) as won_value,
        coalesce(closed.lost_deals, 0)::integer as lost_deals,
        coalesce(closed.lost_value, 0)::numeric(18, 2) as lost_value,
        round(100.0 * closed.won_deals / nullif(closed.won_deals + closed.lost_deals, 0), 2)::numeric(5, 2)
            as win_rate,
        coalesce(closed.won_days_to_close, 0)::integer as won_days_to_close,
        round(closed.won_days_to_close::numeric / nullif(closed.won_deals, 0), 2)::numeric(10, 2)
            as average_days_to_close

    from days
    cross join stages
    inner join organizations on organizations.organization_id = days.organization_id
    left join open_pipeline
        on open_pipeline.organization_id = days.organization_id
        and open_pipeline.metric_date = days.metric_date
        and open_pipeline.stage = stages.stage
    left join created
        on created.organization_id = days.organization_id
        and created.metric_date = days.metric_date
        and created.stage = stages.stage
    left join closed
        on closed.organization_id = days.organization_id
        and closed.metric_date = days.metric_date
        and closed.stage = stages.stage

)

select * from final
