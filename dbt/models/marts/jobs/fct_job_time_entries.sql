{#- Technician time on live jobs. Hours logged are travel and labour (breaks excluded); labour cost is hours ×
    the technician's loaded hourly cost copied onto the entry, rounded to the cent per entry (0 when unknown). -#}
{% set changes %}{% raw %}
    select organization_id, job_id from {{ changed_rows('job_time_entries') }} as changed
    union all
    select organization_id, id from {{ changed_rows('jobs') }} as changed
    union all
    {{ hard_deleted_rows('job_time_entries', 'job_time_entry_id', 'job_id') }}
{% endraw %}{% endset %}
{{ config(**keyed_incremental_config(['organization_id', 'job_id'], ['organization_id', 'job_time_entry_id'], changes,
    extra_indexes=metric_day_indexes(['work_date']))) }}
with

entries as (

    select * from {{ ref('stg_app__job_time_entries') }} as entries where {{ key_filter('entries') }}

),

jobs as (

    select organization_id, job_id, updated_at from {{ ref('stg_app__jobs') }}

),

organizations as (

    select organization_id, timezone from {{ ref('dim_organizations') }}

)

select
    entries.organization_id,
    entries.job_time_entry_id,
    entries.job_id,
    entries.user_id,
    entries.entry_type,
    entries.started_at,
    entries.ended_at,
    {{ local_date('entries.started_at', 'organizations.timezone') }} as work_date,
    entries.hours,
    entries.hourly_cost,
    coalesce(round(entries.hours * entries.hourly_cost, 2), 0) as labour_cost,
    entries.billable,
    entries.created_at,
    entries.updated_at

from entries
inner join jobs on jobs.organization_id = entries.organization_id and jobs.job_id = entries.job_id
inner join organizations on organizations.organization_id = entries.organization_id
where entries.entry_type <> 'break'
