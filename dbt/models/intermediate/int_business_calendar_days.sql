{#- One row per business-hours calendar and local date: whether it is open, and the opening window as instants
    (opening hours are local to the calendar's time zone, so daylight-saving days are right). Holidays of the
    calendar, or organization-wide (business_hours_config_id NULL), close the day. Covers each organization's
    reporting days and its support history, a year back and a year ahead for due dates. -#}
{{ config(materialized='table', indexes=[{'columns': ['organization_id', 'business_hours_config_id', 'calendar_date'], 'unique': true}]) }}

with

calendars as (

    select * from {{ ref('stg_app__business_hours_config') }}

),

holidays as (

    select * from {{ ref('stg_app__organization_holidays') }}

),

organizations as (

    select * from {{ ref('dim_organizations') }}

),

first_days as (

    select organization_id, min(metric_date) as first_day
    from {{ ref('int_reporting_days') }}
    group by organization_id

),

first_issues as (

    select issues.organization_id, min({{ local_date('issues.opened_at', 'organizations.timezone') }}) as first_day
    from {{ ref('stg_app__issues') }} as issues
    inner join organizations on organizations.organization_id = issues.organization_id
    group by issues.organization_id

),

bounds as (

    select
        organizations.organization_id,
        least(
            coalesce(first_days.first_day, organizations.as_of_date),
            coalesce(first_issues.first_day, organizations.as_of_date)
        ) - 366 as first_day,
        organizations.as_of_date + 366 as last_day

    from organizations
    left join first_days on first_days.organization_id = organizations.organization_id
    left join first_issues on first_issues.organization_id = organizations.organization_id

),

calendar_dates as (

    select
        calendars.organization_id,
        calendars.business_hours_config_id,
        calendars.calendar_timezone,
        calendar_day::date as calendar_date,
        extract(isodow from calendar_day)::int as iso_weekday,
        case extract(isodow from calendar_day)::int
            when 1 then calendars.mon_open when 2 then calendars.tue_open when 3 then calendars.wed_open
            when 4 then calendars.thu_open when 5 then calendars.fri_open when 6 then calendars.sat_open
            else calendars.sun_open
        end as opens_at_local,
        case extract(isodow from calendar_day)::int
            when 1 then calendars.mon_close when 2 then calendars.tue_close when 3 then calendars.wed_close
            when 4 then calendars.thu_close when 5 then calendars.fri_close when 6 then calendars.sat_close
            else calendars.sun_close
        end as closes_at_local

    from calendars
    inner join bounds on bounds.organization_id = calendars.organization_id
    cross join lateral generate_series(bounds.first_day, bounds.last_day, interval '1 day') as calendar_day

),

holiday_names as (

    -- the holidays closing each calendar date: the calendar's own and the organization-wide ones
    select
        calendar_dates.organization_id,
        calendar_dates.business_hours_config_id,
        calendar_dates.calendar_date,
        min(holidays.holiday_name) as holiday_name

    from calendar_dates
    inner join holidays
        on holidays.organization_id = calendar_dates.organization_id
        and holidays.holiday_date = calendar_dates.calendar_date
        and (
            holidays.business_hours_config_id is null
            or holidays.business_hours_config_id = calendar_dates.business_hours_config_id
        )
    group by calendar_dates.organization_id, calendar_dates.business_hours_config_id, calendar_dates.calendar_date

),

with_holidays as (

    select calendar_dates.*, holiday_names.holiday_name
    from calendar_dates
    left join holiday_names
        on holiday_names.organization_id = calendar_dates.organization_id
        and holiday_names.business_hours_config_id = calendar_dates.business_hours_config_id
        and holiday_names.calendar_date = calendar_dates.calendar_date

)

select
    organization_id,
    business_hours_config_id,
    calendar_date,
    iso_weekday,
    holiday_name,
    holiday_name is not null as is_holiday,
    opens_at_local is not null and holiday_name is null as is_open,
    case when holiday_name is null then opens_at_local end as opens_at_local,
    case when holiday_name is null then closes_at_local end as closes_at_local,
    case when holiday_name is null and opens_at_local is not null
        then (calendar_date + opens_at_local) at time zone calendar_timezone
    end as opens_at,
    case when holiday_name is null and closes_at_local is not null
        then (calendar_date + closes_at_local) at time zone calendar_timezone
    end as closes_at

from with_holidays
