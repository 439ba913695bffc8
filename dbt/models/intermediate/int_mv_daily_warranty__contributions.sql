{#- What each warranty and claim contributes to reporting.mv_daily_warranty (see macros/incremental_slices.sql). -#}
{{ config(materialized='view') }}

with

claims as not materialized (

    select * from {{ ref('fct_warranty_claims') }}

),

pieces as (

    select 'organizations'::text as source_table, {{ changes_of(none) }} as change_model, organization_id,
        organization_id as change_key, organization_id as row_id,
        daterange(null, null) as piece_days, {{ piece_fingerprint(['timezone']) }} as fingerprint, updated_at
    from {{ ref('dim_organizations') }}

    union all

    select 'warranties.cover'::text, {{ changes_of('dim_warranties') }}, organization_id, warranty_id,
        warranty_id, daterange(start_date, end_date, '[]'),
        {{ piece_fingerprint(['end_date']) }}, updated_at
    from {{ ref('dim_warranties') }}
    where is_in_force

    union all

    select 'warranties.registered'::text, {{ changes_of('dim_warranties') }}, organization_id, warranty_id,
        warranty_id, {{ day_piece('registered_date') }},
        {{ piece_fingerprint([]) }}, updated_at
    from {{ ref('dim_warranties') }}
    where registered_date is not null

    union all

    select 'warranty_claims.opened'::text, {{ changes_of('fct_warranty_claims') }}, organization_id,
        warranty_claim_id, warranty_claim_id, {{ day_piece('submitted_date') }},
        {{ piece_fingerprint([]) }}, updated_at
    from claims

    union all

    select 'warranty_claims.approved'::text, {{ changes_of('fct_warranty_claims') }}, organization_id,
        warranty_claim_id, warranty_claim_id, {{ day_piece('approved_date') }},
        {{ piece_fingerprint([]) }}, updated_at
    from claims
    where approved_date is not null

    union all

    select 'warranty_claims.rejected'::text, {{ changes_of('fct_warranty_claims') }}, organization_id,
        warranty_claim_id, warranty_claim_id, {{ day_piece('rejected_date') }},
        {{ piece_fingerprint([]) }}, updated_at
    from claims
    where rejected_date is not null

    union all

    select 'warranty_claims.resolved'::text, {{ changes_of('fct_warranty_claims') }}, organization_id,
        warranty_claim_id, warranty_claim_id, {{ day_piece('resolved_date') }},
        {{ piece_fingerprint(['claim_cost', 'days_to_resolve']) }}, updated_at
    from claims
    where resolved_date is not null

)

select * from pieces
