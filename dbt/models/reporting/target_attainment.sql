{#- Every target with its actual for the period so far, attainment and pace. Actuals come from the semantic
    layer's metric definitions (macros/semantic_layer.sql over int_metric_daily_values), so a target reads the
    same number as a custom report of its metric. Rebuilt in full on every refresh: each running target's pace
    moves with the date. -#}
{{
    config(
        materialized='table',
        indexes=[{'columns': ['organization_id', 'target_id'], 'unique': true}],
    )
}}

{%- set target_metrics = [
    'revenue', 'orders', 'average_order_value', 'new_customers', 'gross_margin', 'cash_collected', 'quotes_sent',
    'pipeline_value', 'won_deals', 'won_value', 'jobs_completed', 'first_time_fix_rate', 'issues_resolved',
    'sla_compliance_rate', 'csat_average', 'warranty_claims', 'warranty_claim_cost'] %}

with

targets as (

    select
        targets.*,
        organizations.as_of_date,
        organizations.reporting_currency,
        targets.period_end - targets.period_start + 1 as period_days,
        greatest(0, least(organizations.as_of_date, targets.period_end) - targets.period_start + 1) as elapsed_days,
        case
            when targets.user_id is not null then 'user'
            when targets.user_group_id is not null then 'group'
            else 'organization'
        end as owner_scope

    from {{ ref('stg_app__targets') }} as targets
    inner join {{ ref('dim_organizations') }} as organizations
        on organizations.organization_id = targets.organization_id

),

owners as (

    -- the people whose records count for a person's or a team's target (a team: its current members)
    select targets.organization_id, targets.target_id, targets.user_id
    from targets
    where targets.owner_scope = 'user'
    union all
    select targets.organization_id, targets.target_id, members.user_id
    from targets
    inner join {{ ref('stg_app__user_group_members') }} as members
        on members.organization_id = targets.organization_id
        and members.user_group_id = targets.user_group_id
    where targets.owner_scope = 'group'

),

{%- set pairs = [] %}
{%- if execute %}
    {%- for metric in target_metrics %}
        {%- for measure in metric_measures(metric) %}
            {%- do pairs.append("('" ~ metric ~ "', '" ~ measure ~ "')") %}
        {%- endfor %}
    {%- endfor %}
{%- endif %}

measures_of_metrics (metric, measure_name) as (

    values {{ pairs | join(', ') if pairs else '(null, null)' }}

),

measure_totals as (

    -- each target's measures summed over its period so far, over the people it counts for or the whole
    -- organization: one index range scan of int_metric_daily_values per target and measure
    select targets.organization_id, targets.target_id, measures_of_metrics.measure_name, totals.value
    from targets
    inner join measures_of_metrics on measures_of_metrics.metric = targets.metric
    cross join lateral (
        select sum(daily.value) as value
        from {{ ref('int_metric_daily_values') }} as daily
        where daily.organization_id = targets.organization_id
            and daily.measure_name = measures_of_metrics.measure_name
            and daily.metric_date between targets.period_start and least(targets.period_end, targets.as_of_date)
            and (
                targets.owner_scope = 'organization'
                or daily.user_id in (
                    select owners.user_id from owners
                    where owners.organization_id = targets.organization_id and owners.target_id = targets.target_id
                )
            )
    ) as totals

),

{%- set measures = [] %}
{%- if execute %}
    {%- for metric in target_metrics %}
        {%- do measures.extend(metric_measures(metric)) %}
    {%- endfor %}
{%- endif %}

pivoted as (

    select
        organization_id,
        target_id
        {%- for measure in measures | unique %},
        sum(value) filter (where measure_name = '{{ measure }}') as m__{{ measure }}
        {%- endfor %}

    from measure_totals
    group by organization_id, target_id

),

actuals as (

    select
        targets.*,
        case targets.metric
        {%- if execute %}
            {%- for metric in target_metrics %}
            when '{{ metric }}' then
                {%- if metric_is_attributable(metric) %} {{ metric_sql(metric, 'm') }}
                {%- else %} case when targets.owner_scope = 'organization' then {{ metric_sql(metric, 'm') }} end
                {%- endif %}
            {%- endfor %}
        {%- endif %}
        end as actual_raw,
        targets.metric in (
            {%- if execute %}
            {%- for metric in target_metrics if metric_is_additive(metric) %}'{{ metric }}'{{ ', ' if not loop.last }}{% endfor %}
            {%- else %}''{% endif %}
        ) as is_additive,
        targets.metric in (
            {%- if execute %}
            {%- for metric in target_metrics if metric_lower_is_better(metric) %}'{{ metric }}'{{ ', ' if not loop.last }}{% endfor %}
            {%- else %}''{% endif %}
        ) as lower_is_better

    from targets
    left join pivoted on pivoted.organization_id = targets.organization_id and pivoted.target_id = targets.target_id

),

final as (

    select
        organization_id::bigint as organization_id,
        target_id::bigint as target_id,
        target_name::text as target_name,
        metric::varchar(40) as metric,
        owner_scope::varchar(12) as owner_scope,
        user_id::bigint as user_id,
        user_group_id::bigint as user_group_id,
        period_type::varchar(10) as period_type,
        period_start::date as period_start,
        period_end::date as period_end,
        reporting_currency::varchar(3) as currency,
        target_value::numeric(14, 3) as target_value,
        as_of_date::date as as_of_date,
        period_days::integer as period_days,
        elapsed_days::integer as elapsed_days,
        round(actual_raw, 2)::numeric(18, 2) as actual_value,
        round(100 * actual_raw / nullif(target_value, 0), 2)::numeric(10, 2) as attainment_percent,
        round(
            case
                when elapsed_days = 0 then 0
                when is_additive then target_value * elapsed_days / period_days
                else target_value
            end, 2
        )::numeric(18, 2) as expected_to_date,
        round(
            100 * actual_raw / nullif(
                case when is_additive then target_value * elapsed_days / period_days else target_value end, 0
            ), 2
        )::numeric(10, 2) as pace_percent,
        (case
            when elapsed_days = 0 then 'not_started'
            when actual_raw is null then 'no_data'
            when as_of_date > period_end then
                case when (actual_raw >= target_value) <> lower_is_better or actual_raw = target_value
                    then 'achieved' else 'missed' end
            when (
                actual_raw >= case when is_additive then target_value * elapsed_days / period_days else target_value end
            ) <> lower_is_better
                then 'on_track'
            else 'behind'
        end)::varchar(12) as pace_status

    from actuals

)

select * from final
