{#- What each opportunity contributes to reporting.mv_daily_pipeline (see macros/incremental_slices.sql). -#}
{{ config(materialized='view') }}

with

opportunities as not materialized (

    select * from {{ ref('fct_opportunities') }}

),

pieces as (

    select 'organizations'::text as source_table, {{ changes_of(none) }} as change_model, organization_id,
        organization_id as change_key, organization_id as row_id,
        daterange(null, null) as piece_days, {{ piece_fingerprint(['timezone']) }} as fingerprint, updated_at
    from {{ ref('dim_organizations') }}

    union all

    select 'opportunities.stage'::text, {{ changes_of('int_opportunity_stage_periods') }}, organization_id,
        opportunity_id, opportunity_id, stage_days,
        {{ piece_fingerprint(['stage', 'amount', 'probability']) }}, updated_at
    from {{ ref('int_opportunity_stage_periods') }}
    where not isempty(stage_days)

    union all

    select 'opportunities.created'::text, {{ changes_of('fct_opportunities') }}, organization_id, opportunity_id,
        opportunity_id, {{ day_piece('created_date') }},
        {{ piece_fingerprint(['initial_stage', 'amount']) }}, updated_at
    from opportunities

    union all

    select 'opportunities.closed'::text, {{ changes_of('fct_opportunities') }}, organization_id, opportunity_id,
        opportunity_id, {{ day_piece('closed_date') }},
        {{ piece_fingerprint(['opportunity_status', 'last_open_stage', 'amount', 'days_to_close']) }}, updated_at
    from opportunities
    where closed_date is not null

)

select * from pieces
