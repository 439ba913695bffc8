{#- Output schemas are exactly the configured names (staging, marts, reporting, snapshots), never prefixed with
    the target schema: dashboards, emails and the semantic layer address them by these names (oltp/schemas.py). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
