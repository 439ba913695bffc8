{#- Every row satisfies a boolean SQL expression over its own columns (e.g. a total that must add up). -#}
{% test expression_is_true(model, expression, where=none) %}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
    {%- if where %} and ({{ where }}){% endif %}
{% endtest %}
