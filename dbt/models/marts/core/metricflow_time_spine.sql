{#- One row per calendar day, the time spine MetricFlow needs to fill and truncate metric_time. -#}
with

bounds as (

    select min(date_day) as first_day, max(date_day) as last_day from {{ ref('dim_dates') }}

)

select calendar_day::date as date_day
from bounds
cross join lateral generate_series(
    coalesce(bounds.first_day, current_date), coalesce(bounds.last_day, current_date), interval '1 day'
) as calendar_day
