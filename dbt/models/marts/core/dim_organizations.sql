with

organizations as (

    select * from {{ ref('stg_app__organizations') }}

)

select
    organization_id,
    organization_name,
    organization_slug,
    industry,
    timezone,
    reporting_currency,
    country,
    plan,
    organization_status,
    fiscal_year_start_month,
    {{ local_date('created_at', 'timezone') }} as created_date,
    -- The as-of date and instant of this build: every model reads them from here, so one build uses one date.
    {{ as_of_date('timezone') }} as as_of_date,
    {{ as_of_timestamp('timezone') }} as as_of_at,
    created_at,
    updated_at

from organizations
