{#- Levels of a step function per organization (and keys) on the days being built: for quantities that hold over
    periods (open balances, deals in a stage, warranties in force), given as rows with valid_from, valid_to (the
    day after the period, NULL while it lasts) and measures. Each period adds its measures on valid_from and takes
    them away on valid_to; the running sum is the level of every day until the next change. Levels are computed
    over the whole history (linear in the number of periods) and read only for the days of `days`, so a refresh
    of a few days never evaluates the cross product of days and periods.
    Returns a subquery with organization_id, keys, metric_date and the measures' levels. -#}
{% macro daily_levels(periods, measures, keys=[], days='days') %}
    {%- set key_list = keys | join(', ') ~ (', ' if keys else '') %}
    (
        with

        changes as (
            select organization_id, {{ key_list }}change_date
                {%- for measure in measures %}, sum({{ measure }}) as {{ measure }}{% endfor %}
            from (
                select organization_id, {{ key_list }}valid_from as change_date
                    {%- for measure in measures %}, {{ measure }}{% endfor %}
                from {{ periods }}
                union all
                select organization_id, {{ key_list }}valid_to
                    {%- for measure in measures %}, -{{ measure }}{% endfor %}
                from {{ periods }}
                where valid_to is not null
            ) as signed_changes
            group by organization_id, {{ key_list }}change_date
        ),

        levels as (
            select
                organization_id,
                {{ key_list }}change_date as valid_from,
                lead(change_date) over by_date as valid_to
                {%- for measure in measures %},
                sum({{ measure }}) over (by_date rows between unbounded preceding and current row) as {{ measure }}
                {%- endfor %}
            from changes
            window by_date as (partition by organization_id{% for key in keys %}, {{ key }}{% endfor %} order by change_date)
        ),

        bounds as (
            select organization_id, min(metric_date) as first_day, max(metric_date) as last_day
            from {{ days }}
            group by organization_id
        )

        select
            levels.organization_id,
            {%- for key in keys %} levels.{{ key }},{% endfor %}
            level_day::date as metric_date
            {%- for measure in measures %}, levels.{{ measure }}{% endfor %}
        from levels
        inner join bounds
            on bounds.organization_id = levels.organization_id
            and levels.valid_from <= bounds.last_day
            and (levels.valid_to is null or levels.valid_to > bounds.first_day)
        cross join lateral generate_series(
            greatest(levels.valid_from, bounds.first_day),
            least(coalesce(levels.valid_to - 1, bounds.last_day), bounds.last_day),
            interval '1 day'
        ) as level_day
    )
{% endmacro %}
