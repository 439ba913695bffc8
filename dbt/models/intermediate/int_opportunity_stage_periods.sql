{#- The open stages each live opportunity went through, replayed from its stage_change activities, as periods of
    business days: the stage a deal is in at the end of a day is its stage on that day. The opportunity row is
    authoritative for the outcome: open periods end when the deal closed (closed_at), whatever the activities say.
    A stage entered and left within one day covers no day. The weighting probability is the deal's own while it
    is still in its current stage, else the stage's default (seed opportunity_stages): past probabilities are not
    kept by the OLTP. -#}
{% set changes %}{% raw %}
    select organization_id, id from {{ changed_rows('opportunities') }} as changed
    union all
    select organization_id, opportunity_id from {{ changed_rows('opportunity_activities') }} as changed
{% endraw %}{% endset %}
{{ config(**keyed_incremental_config(['organization_id', 'opportunity_id'], ['organization_id', 'opportunity_id', 'change_number'], changes)) }}

with

opportunities as (

    select * from {{ ref('stg_app__opportunities') }} as opportunities where {{ key_filter('opportunities') }}

),

organizations as (

    select organization_id, timezone from {{ ref('dim_organizations') }}

),

stages as (

    select * from {{ ref('opportunity_stages') }}

),

changes as (

    select
        activities.organization_id,
        activities.opportunity_id,
        activities.opportunity_activity_id,
        activities.from_stage,
        activities.to_stage,
        activities.occurred_at,
        activities.updated_at,
        row_number() over (
            partition by activities.organization_id, activities.opportunity_id
            order by activities.occurred_at, activities.opportunity_activity_id
        ) as change_number

    from {{ ref('stg_app__opportunity_activities') }} as activities
    inner join opportunities
        on opportunities.organization_id = activities.organization_id
        and opportunities.opportunity_id = activities.opportunity_id
    where activities.activity_type = 'stage_change'

),

history_updates as (

    select organization_id, opportunity_id, max(updated_at) as updated_at
    from changes
    group by organization_id, opportunity_id

),

starts as (

    -- the stage the deal was created in
    select
        opportunities.organization_id,
        opportunities.opportunity_id,
        0::bigint as change_number,
        coalesce(
            first_change.from_stage,
            case when opportunities.opportunity_status = 'open' then opportunities.stage else 'lead' end
        ) as stage,
        opportunities.created_at as started_at

    from opportunities
    left join changes as first_change
        on first_change.organization_id = opportunities.organization_id
        and first_change.opportunity_id = opportunities.opportunity_id
        and first_change.change_number = 1

    union all

    select organization_id, opportunity_id, change_number, to_stage, occurred_at
    from changes

),

raw_periods as (

    select
        starts.*,
        lead(starts.started_at) over (
            partition by starts.organization_id, starts.opportunity_id order by starts.change_number
        ) as ended_at

    from starts

),

open_periods as (

    select
        raw_periods.organization_id,
        raw_periods.opportunity_id,
        raw_periods.change_number,
        raw_periods.stage,
        greatest(raw_periods.started_at, opportunities.created_at) as started_at,
        case
            when opportunities.closed_at is null then raw_periods.ended_at
            when raw_periods.ended_at is null then opportunities.closed_at
            else least(raw_periods.ended_at, opportunities.closed_at)
        end as ended_at

    from raw_periods
    inner join opportunities
        on opportunities.organization_id = raw_periods.organization_id
        and opportunities.opportunity_id = raw_periods.opportunity_id
    inner join stages on stages.stage = raw_periods.stage
    where stages.is_open

),

numbered as (

    select
        open_periods.*,
        row_number() over (
            partition by open_periods.organization_id, open_periods.opportunity_id
            order by open_periods.change_number
        ) = 1 as is_initial,
        row_number() over (
            partition by open_periods.organization_id, open_periods.opportunity_id
            order by open_periods.change_number desc
        ) = 1 as is_last_open

    from open_periods
    where open_periods.ended_at is null or open_periods.ended_at >= open_periods.started_at

)

select
    numbered.organization_id,
    numbered.opportunity_id,
    numbered.change_number,
    numbered.stage,
    numbered.is_initial,
    numbered.is_last_open,
    numbered.started_at,
    numbered.ended_at,
    daterange(
        {{ local_date('numbered.started_at', 'organizations.timezone') }},
        {{ local_date('numbered.ended_at', 'organizations.timezone') }},
        '[)'
    ) as stage_days,
    opportunities.amount,
    case
        when opportunities.opportunity_status = 'open' and numbered.is_last_open
            and numbered.stage = opportunities.stage
            then opportunities.probability
        else stages.default_probability
    end as probability,
    greatest(opportunities.updated_at, history_updates.updated_at) as updated_at

from numbered
inner join opportunities
    on opportunities.organization_id = numbered.organization_id
    and opportunities.opportunity_id = numbered.opportunity_id
inner join organizations on organizations.organization_id = numbered.organization_id
inner join stages on stages.stage = numbered.stage
left join history_updates
    on history_updates.organization_id = numbered.organization_id
    and history_updates.opportunity_id = numbered.opportunity_id
