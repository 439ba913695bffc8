{% macro analyze_rebuilt_table() -%}
    {#- Post-hook of every model: a table rebuilt whole is a new relation without statistics until autovacuum gets to
        it, and the models built on it in the same run are planned blind (dim_dates took 12 s instead of 0.4 s at
        `large` with 5 organizations, joining a fresh calendar row by row). ANALYZE samples it (about 0.1 s). -#}
    {%- if config.get('materialized') == 'table' -%}
    analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
