{#- One row per live support ticket with its SLA outcome. Response time runs from opened_at to the first response,
    resolution time from opened_at to resolved_at, both in business minutes of the SLA's business-hours calendar
    (business_hours_config, minus organization_holidays; round the clock when the SLA has no calendar). The SLA
    is the ticket's own, else the one its SLA clock tracks, else the organization's active SLA for the ticket's
    priority, else its default SLA. A target is met when the business minutes do not exceed it; an open ticket
    breaches once more business minutes have passed (up to the as-of instant) than its target allows. -#}
{{ config(indexes=[{'columns': ['organization_id', 'issue_id'], 'unique': true}]) }}

with

issues as (

    select * from {{ ref('stg_app__issues') }}

),

organizations as (

    select organization_id, timezone, as_of_at from {{ ref('dim_organizations') }}

),

tracking as (

    select * from {{ ref('stg_app__sla_tracking') }}

),

slas as (

    select * from {{ ref('stg_app__sla_configurations') }}

),

priority_slas as (

    select distinct on (organization_id, priority) organization_id, priority, sla_configuration_id
    from slas
    where is_active
    order by organization_id, priority, is_default desc, sla_configuration_id

),

default_slas as (

    select organization_id, sla_configuration_id from slas where is_default

),

resolved_sla as (

    select
        issues.*,
        organizations.timezone,
        organizations.as_of_at,
        coalesce(
            issues.sla_configuration_id,
            tracking.sla_configuration_id,
            priority_slas.sla_configuration_id,
            default_slas.sla_configuration_id
        ) as applied_sla_configuration_id,
        tracking.updated_at as tracking_updated_at

    from issues
    inner join organizations on organizations.organization_id = issues.organization_id
    left join tracking on tracking.organization_id = issues.organization_id and tracking.issue_id = issues.issue_id
    left join priority_slas
        on priority_slas.organization_id = issues.organization_id and priority_slas.priority = issues.priority
    left join default_slas on default_slas.organization_id = issues.organization_id

),

measured as (

    select
        resolved_sla.*,
        slas.first_response_minutes as response_target_minutes,
        slas.resolution_minutes as resolution_target_minutes,
        slas.business_hours_config_id,
        round({{ business_minutes('resolved_sla.organization_id', 'slas.business_hours_config_id',
            'resolved_sla.opened_at', 'resolved_sla.first_response_at') }}, 2) as response_business_minutes,
        round({{ business_minutes('resolved_sla.organization_id', 'slas.business_hours_config_id',
            'resolved_sla.opened_at', 'resolved_sla.resolved_at') }}, 2) as resolution_business_minutes,
        round({{ business_minutes('resolved_sla.organization_id', 'slas.business_hours_config_id',
            'resolved_sla.opened_at', 'resolved_sla.as_of_at') }}, 2) as open_business_minutes,
        greatest(resolved_sla.updated_at, resolved_sla.tracking_updated_at, slas.updated_at) as inputs_updated_at

    from resolved_sla
    left join slas
        on slas.organization_id = resolved_sla.organization_id
        and slas.sla_configuration_id = resolved_sla.applied_sla_configuration_id

)

select
    organization_id,
    issue_id,
    issue_number,
    customer_id,
    order_id,
    product_id,
    job_id,
    warranty_id,
    assigned_user_id,
    channel,
    category,
    priority,
    issue_status,
    issue_status not in ('resolved', 'closed') as is_open,
    opened_at,
    first_response_at,
    resolved_at,
    closed_at,
    {{ local_date('opened_at', 'timezone') }} as opened_date,
    {{ local_date('first_response_at', 'timezone') }} as first_response_date,
    {{ local_date('resolved_at', 'timezone') }} as resolved_date,
    reopened_count,
    applied_sla_configuration_id as sla_configuration_id,
    business_hours_config_id,
    response_target_minutes,
    resolution_target_minutes,
    response_business_minutes,
    resolution_business_minutes,
    case when first_response_at is not null then response_business_minutes <= response_target_minutes end
        as response_sla_met,
    case when resolved_at is not null then resolution_business_minutes <= resolution_target_minutes end
        as resolution_sla_met,
    case
        when first_response_at is not null then response_business_minutes > response_target_minutes
        else open_business_minutes > response_target_minutes
    end as is_response_breached,
    case
        when resolved_at is not null then resolution_business_minutes > resolution_target_minutes
        when issue_status = 'closed' then false
        else open_business_minutes > resolution_target_minutes
    end as is_resolution_breached,
    case
        when resolved_at is not null
            then response_business_minutes <= response_target_minutes
            and resolution_business_minutes <= resolution_target_minutes
    end as is_sla_compliant,
    as_of_at,
    created_at,
    inputs_updated_at as updated_at

from measured
