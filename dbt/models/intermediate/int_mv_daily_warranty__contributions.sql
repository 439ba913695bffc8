{#- What each warranty and claim contributes to reporting.mv_daily_warranty (see macros/incremental_slices.sql). -#}
{{ config(materialized='view') }}

with

claims as (

    select * from {{ ref('fct_warranty_claims') }}

),

pieces as (

    select 'organizations' as source_table, organization_id, organization_id as row_id,
        daterange(null, null) as piece_days, {{ piece_fingerprint(['timezone']) }} as fingerprint, updated_at
    from {{ ref('dim_organizations') }}

    union all

    select 'warranties.cover', organization_id, warranty_id, daterange(start_date, end_date, '[]'),
        {{ piece_fingerprint(['end_date']) }}, updated_at
    from {{ ref('dim_warranties') }}
    where is_in_force

    union all

    select 'warranties.registered', organization_id, warranty_id, {{ day_piece('registered_date') }},
        {{ piece_fingerprint([]) }}, updated_at
    from {{ ref('dim_warranties') }}
    where registered_date is not null

    union all

    select 'warranty_claims.opened', organization_id, warranty_claim_id, {{ day_piece('submitted_date') }},
        {{ piece_fingerprint([]) }}, updated_at
    from claims

    union all

    select 'warranty_claims.approved', organization_id, warranty_claim_id, {{ day_piece('approved_date') }},
        {{ piece_fingerprint([]) }}, updated_at
    from claims
    where approved_date is not null

    union all

    select 'warranty_claims.rejected', organization_id, warranty_claim_id, {{ day_piece('rejected_date') }},
        {{ piece_fingerprint([]) }}, updated_at
    from claims
    where rejected_date is not null

    union all

    select 'warranty_claims.resolved', organization_id, warranty_claim_id, {{ day_piece('resolved_date') }},
        {{ piece_fingerprint(['claim_cost', 'days_to_resolve']) }}, updated_at
    from claims
    where resolved_date is not null

)

select * from pieces
