{#- One row per live field job: schedule and actual times as local business dates, whether it finished on time,
    whether it was a first-time fix, and its labour, material and checklist totals. -#}
{% set changes %}{% raw %}
    select organization_id, id from {{ changed_rows('jobs') }} as changed
    union all
    select organization_id, follow_up_of_job_id from {{ changed_rows('jobs') }} as changed
    where follow_up_of_job_id is not null
    union all
    select organization_id, job_id from {{ changed_rows('job_assignments') }} as changed
    union all
    select organization_id, job_id from {{ changed_rows('job_checklists') }} as changed
    union all
    select checklists.organization_id, checklists.job_id
    from {{ changed_rows('job_checklist_items') }} as changed
    inner join {{ source('app', 'job_checklists') }} as checklists
        on checklists.organization_id = changed.organization_id and checklists.id = changed.job_checklist_id
    union all
    {{ upstream_changes('fct_job_time_entries') }}
    union all
    {{ upstream_changes('fct_job_materials') }}
{% endraw %}{% endset %}
{{ config(**keyed_incremental_config(['organization_id', 'job_id'], ['organization_id', 'job_id'], changes,
    extra_indexes=metric_day_indexes(['completed_date', 'scheduled_date']))) }}

with

jobs as (

    select * from {{ ref('stg_app__jobs') }} as jobs where {{ key_filter('jobs') }}

),

organizations as (

    select organization_id, timezone from {{ ref('dim_organizations') }}

),

follow_ups as (

    select organization_id, follow_up_of_job_id as job_id, count(*) as follow_up_jobs, max(updated_at) as updated_at
    from {{ ref('stg_app__jobs') }} as follow_up_jobs
    where follow_up_of_job_id is not null
        and {{ key_filter('follow_up_jobs', ['organization_id', 'follow_up_of_job_id']) }}
    group by organization_id, follow_up_of_job_id

),

lead_technicians as (

    select distinct on (organization_id, job_id) organization_id, job_id, user_id
    from {{ ref('stg_app__job_assignments') }} as assignments
    where {{ key_filter('assignments') }} and assignment_status not in ('declined', 'removed')
    order by organization_id, job_id, (assignment_role = 'lead') desc, assigned_at, job_assignment_id

),

assignment_updates as (

    select organization_id, job_id, max(updated_at) as updated_at
    from {{ ref('stg_app__job_assignments') }} as assignments
    where {{ key_filter('assignments') }}
    group by organization_id, job_id

),

time_totals as (

    select organization_id, job_id, sum(hours) as hours_logged, sum(labour_cost) as labour_cost
    from {{ ref('fct_job_time_entries') }} as time_entries
    where {{ key_filter('time_entries') }}
    group by organization_id, job_id

),

material_totals as (

    select organization_id, job_id, sum(material_cost) as material_cost
    from {{ ref('fct_job_materials') }} as materials
    where {{ key_filter('materials') }}
    group by organization_id, job_id

),

checklist_totals as (

    select
        checklists.organization_id,
        checklists.job_id,
        count(items.job_checklist_item_id) as checklist_items,
        count(items.job_checklist_item_id) filter (where items.is_checked) as checklist_items_checked,
        greatest(max(checklists.updated_at), max(items.updated_at)) as updated_at

    from {{ ref('stg_app__job_checklists') }} as checklists
    left join {{ ref('stg_app__job_checklist_items') }} as items
        on items.organization_id = checklists.organization_id
        and items.job_checklist_id = checklists.job_checklist_id
    where {{ key_filter('checklists') }}
    group by checklists.organization_id, checklists.job_id

),

enriched as (

    select
        jobs.*,
        organizations.timezone,
        coalesce(follow_ups.follow_up_jobs, 0) as follow_up_jobs,
        lead_technicians.user_id as lead_technician_user_id,
        coalesce(time_totals.hours_logged, 0) as hours_logged,
        coalesce(time_totals.labour_cost, 0) as labour_cost,
        coalesce(material_totals.material_cost, 0) as material_cost,
        coalesce(checklist_totals.checklist_items, 0) as checklist_items,
        coalesce(checklist_totals.checklist_items_checked, 0) as checklist_items_checked,
        greatest(
            jobs.updated_at, follow_ups.updated_at, checklist_totals.updated_at, assignment_updates.updated_at
        ) as inputs_updated_at

    from jobs
    inner join organizations on organizations.organization_id = jobs.organization_id
    left join follow_ups on follow_ups.organization_id = jobs.organization_id and follow_ups.job_id = jobs.job_id
    left join lead_technicians
        on lead_technicians.organization_id = jobs.organization_id and lead_technicians.job_id = jobs.job_id
    left join assignment_updates
        on assignment_updates.organization_id = jobs.organization_id and assignment_updates.job_id = jobs.job_id
    left join time_totals on time_totals.organization_id = jobs.organization_id and time_totals.job_id = jobs.job_id
    left join material_totals
        on material_totals.organization_id = jobs.organization_id and material_totals.job_id = jobs.job_id
    left join checklist_totals
        on checklist_totals.organization_id = jobs.organization_id and checklist_totals.job_id = jobs.job_id

)

select
    organization_id,
    job_id,
    job_number,
    customer_id,
    order_id,
    issue_id,
    warranty_claim_id,
    follow_up_of_job_id,
    lead_technician_user_id,
    job_type,
    job_status,
    priority,
    job_status = 'completed' as is_completed,
    job_status in ('scheduled', 'dispatched', 'in_progress', 'on_hold') as is_active,
    scheduled_start,
    scheduled_end,
    actual_start,
    actual_end,
    due_date,
    {{ local_date('scheduled_start', 'timezone') }} as scheduled_date,
    case when job_status = 'completed' then {{ local_date('actual_end', 'timezone') }} end as completed_date,
    {{ local_date('cancelled_at', 'timezone') }} as cancelled_date,
    -- On time: finished no later than its scheduled end (jobs without a scheduled end are not judged).
    case when job_status = 'completed' and scheduled_end is not null then actual_end <= scheduled_end end
        as is_on_time,
    follow_up_of_job_id is not null as is_follow_up,
    requires_follow_up,
    follow_up_jobs,
    -- First-time fix: completed, not flagged for another visit, and no later job follows it up.
    case when job_status = 'completed' then not requires_follow_up and follow_up_jobs = 0 end
        as is_first_time_fix,
    estimated_hours,
    hours_logged,
    labour_cost,
    material_cost,
    labour_cost + material_cost as job_cost,
    checklist_items,
    checklist_items_checked,
    customer_signature_captured,
    created_at,
    inputs_updated_at as updated_at

from enriched
