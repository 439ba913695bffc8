{#- What each job, time entry and material line contributes to reporting.mv_daily_jobs
    (see macros/incremental_slices.sql). -#}
{{ config(materialized='view') }}

with

jobs as not materialized (

    select * from {{ ref('fct_jobs') }}

),

pieces as (

    select 'organizations'::text as source_table, {{ changes_of(none) }} as change_model, organization_id,
        organization_id as change_key, organization_id as row_id,
        daterange(null, null) as piece_days, {{ piece_fingerprint(['timezone']) }} as fingerprint, updated_at
    from {{ ref('dim_organizations') }}

    union all

    select 'jobs.scheduled'::text, {{ changes_of('fct_jobs') }}, organization_id, job_id,
        job_id, {{ day_piece('scheduled_date') }},
        {{ piece_fingerprint([]) }}, updated_at
    from jobs
    where scheduled_date is not null and job_status <> 'cancelled'

    union all

    select 'jobs.completed'::text, {{ changes_of('fct_jobs') }}, organization_id, job_id,
        job_id, {{ day_piece('completed_date') }},
        {{ piece_fingerprint(['is_on_time', 'is_first_time_fix', 'checklist_items', 'checklist_items_checked']) }},
        updated_at
    from jobs
    where completed_date is not null

    union all

    select 'job_time_entries'::text, {{ changes_of('fct_job_time_entries') }}, organization_id, job_id,
        job_time_entry_id, {{ day_piece('work_date') }},
        {{ piece_fingerprint(['hours', 'labour_cost']) }}, updated_at
    from {{ ref('fct_job_time_entries') }}

    union all

    select 'job_materials'::text, {{ changes_of('fct_job_materials') }}, organization_id, job_id,
        job_material_id, {{ day_piece('used_date') }},
        {{ piece_fingerprint(['material_cost']) }}, updated_at
    from {{ ref('fct_job_materials') }}

)

select * from pieces
