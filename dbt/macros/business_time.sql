{#- Business minutes between two instants on a business-hours calendar (int_business_calendar_days): the minutes
    of its opening windows that fall between them, holidays excluded. A NULL calendar means round the clock. -#}
{% macro business_minutes(organization_id, calendar_id, start_at, end_at) -%}
    case
        when {{ start_at }} is null or {{ end_at }} is null then null
        when {{ end_at }} <= {{ start_at }} then 0
        when {{ calendar_id }} is null then extract(epoch from ({{ end_at }}) - ({{ start_at }})) / 60
        else coalesce((
            select sum(extract(epoch from least(calendar_days.closes_at, {{ end_at }})
                - greatest(calendar_days.opens_at, {{ start_at }})) / 60)
            from {{ ref('int_business_calendar_days') }} as calendar_days
            where calendar_days.organization_id = {{ organization_id }}
                and calendar_days.business_hours_config_id = {{ calendar_id }}
                and calendar_days.is_open
                and calendar_days.calendar_date between (({{ start_at }})::date - 2) and (({{ end_at }})::date + 2)
                and calendar_days.opens_at < {{ end_at }}
                and calendar_days.closes_at > {{ start_at }}
        ), 0)
    end
{%- endmacro %}
