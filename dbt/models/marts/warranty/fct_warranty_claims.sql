{#- One row per live warranty claim: its decision timeline as local business dates, its cost (parts and labour of
    the repair) and the days it took to resolve. Refreshed by claim (macros/incremental_keys.sql). -#}
{% set changes %}{% raw %}
    select organization_id, id from {{ changed_rows('warranty_claims') }} as changed
    union all
    {{ hard_deleted_rows('warranty_claims', 'warranty_claim_id', 'warranty_claim_id') }}
{% endraw %}{% endset %}
{{ config(**keyed_incremental_config(['organization_id', 'warranty_claim_id'], ['organization_id', 'warranty_claim_id'],
    changes, extra_indexes=metric_day_indexes(['submitted_date', 'resolved_date']))) }}
with

claims as (

    select * from {{ ref('stg_app__warranty_claims') }} as claims where {{ key_filter('claims') }}

),

organizations as (

    select organization_id, timezone from {{ ref('dim_organizations') }}

)

select
    claims.organization_id,
    claims.warranty_claim_id,
    claims.claim_number,
    claims.warranty_id,
    claims.customer_id,
    claims.issue_id,
    claims.job_id,
    claims.claim_status,
    claims.failure_type,
    claims.claim_date,
    claims.submitted_at,
    claims.approved_at,
    claims.rejected_at,
    claims.resolved_at,
    {{ local_date('claims.submitted_at', 'organizations.timezone') }} as submitted_date,
    {{ local_date('claims.approved_at', 'organizations.timezone') }} as approved_date,
    {{ local_date('claims.rejected_at', 'organizations.timezone') }} as rejected_date,
    {{ local_date('claims.resolved_at', 'organizations.timezone') }} as resolved_date,
    {{ local_date('claims.resolved_at', 'organizations.timezone') }}
        - {{ local_date('claims.submitted_at', 'organizations.timezone') }} as days_to_resolve,
    claims.claimed_amount,
    claims.approved_amount,
    claims.parts_cost,
    claims.labour_cost,
    claims.parts_cost + claims.labour_cost as claim_cost,
    claims.created_at,
    claims.updated_at

from claims
inner join organizations on organizations.organization_id = claims.organization_id
