{#- Customer satisfaction answers (1 to 5) after tickets and jobs, attributed to the agent of the ticket or, for a
    job, its lead technician. -#}
{#- A response changes with its ticket's agent and its job's lead technician: the responses of issues written since
    the watermark, and of the jobs fct_jobs refreshed (every response when fct_jobs was built whole). Responses are
    deleted for good, not soft-deleted: hard_deleted_rows finds them. -#}
{% set changes %}{% raw %}
    select organization_id, id from {{ changed_rows('csat_responses') }} as changed
    union all
    select responses.organization_id, responses.id
    from {{ changed_rows('issues') }} as changed
    inner join {{ source('app', 'csat_responses') }} as responses
        on responses.organization_id = changed.organization_id and responses.issue_id = changed.id
    union all
    {{ upstream_changes('fct_jobs', via=('csat_responses', 'job_id')) }}
    union all
    {{ hard_deleted_rows('csat_responses', 'csat_response_id', 'csat_response_id') }}
{% endraw %}{% endset %}
{{ config(**keyed_incremental_config(['organization_id', 'csat_response_id'], ['organization_id', 'csat_response_id'],
    changes, extra_indexes=metric_day_indexes(['responded_date']))) }}

with

responses as (

    select * from {{ ref('stg_app__csat_responses') }} as responses where {{ key_filter('responses') }}

),

organizations as (

    select organization_id, timezone from {{ ref('dim_organizations') }}

),

issues as (

    select organization_id, issue_id, assigned_user_id from {{ ref('stg_app__issues') }}

),

jobs as (

    select organization_id, job_id, lead_technician_user_id from {{ ref('fct_jobs') }}

)

select
    responses.organization_id,
    responses.csat_response_id,
    responses.issue_id,
    responses.job_id,
    responses.customer_id,
    coalesce(issues.assigned_user_id, jobs.lead_technician_user_id) as responsible_user_id,
    responses.score,
    responses.responded_at,
    {{ local_date('responses.responded_at', 'organizations.timezone') }} as responded_date,
    responses.created_at,
    responses.updated_at

from responses
inner join organizations on organizations.organization_id = responses.organization_id
left join issues on issues.organization_id = responses.organization_id and issues.issue_id = responses.issue_id
left join jobs on jobs.organization_id = responses.organization_id and jobs.job_id = responses.job_id
