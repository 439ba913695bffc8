{#- Customer satisfaction answers (1 to 5) after tickets and jobs, attributed to the agent of the ticket or, for a
    job, its lead technician. -#}
with

responses as (

    select * from {{ ref('stg_app__csat_responses') }}

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
