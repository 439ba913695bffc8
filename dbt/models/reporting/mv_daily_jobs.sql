{{ config(**daily_relation_config('int_mv_daily_jobs__contributions', ['organization_id', 'metric_date'])) }}
-- depends_on: {{ ref('int_slice_ledger') }}
-- depends_on: {{ ref('int_mv_daily_jobs__contributions') }}

with

days as (

    select reporting_days.organization_id, reporting_days.metric_date
    from {{ ref('int_reporting_days') }} as reporting_days
    {{ slice_filter('reporting_days') }}

),

organizations as (

    select organization_id, reporting_currency from {{ ref('dim_organizations') }}

),

jobs as (

    select * from {{ ref('fct_jobs') }}

),

scheduled as (

    select jobs.organization_id, jobs.scheduled_date as metric_date, count(*) as jobs_scheduled
    from jobs
    inner join days on days.organization_id = jobs.organization_id and days.metric_date = jobs.scheduled_date
    where jobs.job_status <> 'cancelled'
    group by jobs.organization_id, jobs.scheduled_date

),

completed as (

    select jobs.organization_id, jobs.completed_date as metric_date,
        count(*) as jobs_completed,
        count(*) filter (where jobs.is_on_time is not null) as jobs_with_scheduled_end,
        count(*) filter (where jobs.is_on_time) as jobs_on_time,
        count(*) filter (where jobs.is_first_time_fix) as first_time_fixes,
        sum(jobs.checklist_items) as checklist_items,
        sum(jobs.checklist_items_checked) as checklist_items_checked
    from jobs
    inner join days on days.organization_id = jobs.organization_id and days.metric_date = jobs.completed_date
    group by jobs.organization_id, jobs.completed_date

),

time_logged as (

    select entries.organization_id, entries.work_date as metric_date,
        sum(entries.hours) as hours_logged, sum(entries.labour_cost) as labour_cost
    from {{ ref('fct_job_time_entries') }} as entries
    inner join days on days.organization_id = entries.organization_id and days.metric_date = entries.work_date
    group by entries.organization_id, entries.work_date

),

materials as (

    select materials.organization_id, materials.used_date as metric_date, sum(materials.material_cost) as material_cost
    from {{ ref('fct_job_materials') }} as materials
    inner join days on days.organization_id = materials.organization_id and days.metric_date = materials.used_date
    group by materials.organization_id, materials.used_date

),

final as (

    select
        days.organization_id::bigint as organization_id,
        days.metric_date::date as metric_date,
        organizations.reporting_currency::varchar(3) as currency,
        coalesce(scheduled.jobs_scheduled, 0)::integer as jobs_scheduled,
        coalesce(completed.jobs_completed, 0)::integer as jobs_completed,
        coalesce(completed.jobs_with_scheduled_end, 0)::integer as jobs_with_scheduled_end,
        coalesce(completed.jobs_on_time, 0)::integer as jobs_on_time,
        round(100.0 * completed.jobs_on_time / nullif(completed.jobs_with_scheduled_end, 0), 2)::numeric(5, 2)
            as on_time_rate,
        coalesce(time_logged.hours_logged, 0)::numeric(14, 3) as hours_logged,
        coalesce(time_logged.labour_cost, 0)::numeric(18, 2) as labour_cost,
        coalesce(materials.material_cost, 0)::numeric(18, 2) as material_cost,
        coalesce(completed.first_time_fixes, 0)::integer as first_time_fixes,
        round(100.0 * completed.first_time_fixes / nullif(completed.jobs_completed, 0), 2)::numeric(5, 2)
            as first_time_fix_rate,
        coalesce(completed.checklist_items, 0)::integer as checklist_items,
        coalesce(completed.checklist_items_checked, 0)::integer as checklist_items_checked,
        round(100.0 * completed.checklist_items_checked / nullif(completed.checklist_items, 0), 2)::numeric(5, 2)
            as checklist_completion_rate

    from days
    inner join organizations on organizations.organization_id = days.organization_id
    left join scheduled on scheduled.organization_id = days.organization_id and scheduled.metric_date = days.metric_date
    left join completed on completed.organization_id = days.organization_id and completed.metric_date = days.metric_date
    left join time_logged
        on time_logged.organization_id = days.organization_id and time_logged.metric_date = days.metric_date
    left join materials on materials.organization_id = days.organization_id and materials.metric_date = days.metric_date

)

select * from final
