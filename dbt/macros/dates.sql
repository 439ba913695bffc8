{#- Business dates. Each organization's business day is its local calendar day (organizations.timezone). -#}

{% macro local_date(timestamp_expression, timezone_expression) -%}
    (({{ timestamp_expression }}) at time zone {{ timezone_expression }})::date
{%- endmacro %}


{% macro as_of_date(timezone_expression) -%}
    {#- The last business date the warehouse reports on: --vars as_of_date, else today in the organization's
        time zone (the start of the running transaction, so one build uses one date). -#}
    {%- if var('as_of_date', none) -%}
        {{ sql_date_literal(var('as_of_date'), 'infinity') }}
    {%- else -%}
        {{ local_date('now()', timezone_expression) }}
    {%- endif -%}
{%- endmacro %}


{% macro local_day_end(date_expression, timezone_expression) -%}
    {#- The instant a local business day ends (midnight after it, in the organization's time zone). -#}
    ((({{ date_expression }}) + 1)::timestamp at time zone {{ timezone_expression }})
{%- endmacro %}


{% macro as_of_timestamp(timezone_expression) -%}
    {#- The instant "current" state is taken at: the end of --vars as_of_date, else now(). -#}
    {%- if var('as_of_date', none) -%}
        {{ local_day_end(sql_date_literal(var('as_of_date'), 'infinity'), timezone_expression) }}
    {%- else -%}
        now()
    {%- endif -%}
{%- endmacro %}
