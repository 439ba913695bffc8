{#- The date dimension with each organization's business calendar: one row per organization and local date,
    from its first reporting day to a year past the as-of date. Business hours come from the organization's
    default business_hours_config; without one, Monday to Friday are business days with unknown hours. -#}
{{ config(indexes=[{'columns': ['organization_id', 'date_day'], 'unique': true}]) }}

with

organizations as (

    select * from {{ ref('dim_organizations') }}

),

reporting_days as (

    select organization_id, min(metric_date) as first_day
    from {{ ref('int_reporting_days') }}
    group by organization_id

),

default_calendars as (

    select organization_id, business_hours_config_id
    from {{ ref('stg_app__business_hours_config') }}
    where is_default

),

calendar_days as (

    select calendar_days.*
    from {{ ref('int_business_calendar_days') }} as calendar_days
    inner join default_calendars
        on default_calendars.organization_id = calendar_days.organization_id
        and default_calendars.business_hours_config_id = calendar_days.business_hours_config_id

),

org_holidays as (

    select organization_id, holiday_date, min(holiday_name) as holiday_name
    from {{ ref('stg_app__organization_holidays') }}
    where business_hours_config_id is null
    group by organization_id, holiday_date

),

dates as (

    select
        organizations.organization_id,
        organizations.fiscal_year_start_month,
        organizations.as_of_date,
        date_day::date as date_day

    from organizations
    inner join reporting_days on reporting_days.organization_id = organizations.organization_id
    cross join lateral generate_series(
        reporting_days.first_day, organizations.as_of_date + 366, interval '1 day'
    ) as date_day

),

enriched as (

    select
        dates.organization_id,
        dates.date_day,
        extract(isodow from dates.date_day)::int as iso_day_of_week,
        trim(to_char(dates.date_day, 'Day')) as day_name,
        extract(isodow from dates.date_day) in (6, 7) as is_weekend,
        date_trunc('week', dates.date_day)::date as week_start,
        date_trunc('month', dates.date_day)::date as month_start,
        date_trunc('quarter', dates.date_day)::date as quarter_start,
        date_trunc('year', dates.date_day)::date as year_start,
        extract(year from dates.date_day)::int as calendar_year,
        extract(quarter from dates.date_day)::int as calendar_quarter,
        extract(month from dates.date_day)::int as calendar_month,
        -- Fiscal year named after the calendar year it ends in; quarter 1 starts in fiscal_year_start_month.
        extract(year from dates.date_day + make_interval(months => 13 - dates.fiscal_year_start_month))::int
            - case when dates.fiscal_year_start_month = 1 then 1 else 0 end as fiscal_year,
        ((extract(month from dates.date_day)::int - dates.fiscal_year_start_month + 12) % 12) / 3 + 1
            as fiscal_quarter,
        coalesce(calendar_days.holiday_name, org_holidays.holiday_name) as holiday_name,
        coalesce(calendar_days.is_holiday, org_holidays.holiday_name is not null) as is_holiday,
        coalesce(
            calendar_days.is_open,
            extract(isodow from dates.date_day) < 6 and org_holidays.holiday_name is null
        ) as is_business_day,
        calendar_days.opens_at_local as business_opens_at,
        calendar_days.closes_at_local as business_closes_at,
        coalesce(round(extract(epoch from calendar_days.closes_at - calendar_days.opens_at) / 60), 0)::int
            as business_minutes,
        dates.date_day <= dates.as_of_date as is_reported

    from dates
    left join calendar_days
        on calendar_days.organization_id = dates.organization_id
        and calendar_days.calendar_date = dates.date_day
    left join org_holidays
        on org_holidays.organization_id = dates.organization_id
        and org_holidays.holiday_date = dates.date_day

)

select * from enriched
