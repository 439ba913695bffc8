{#- Every measure of the semantic layer per organization, day and attributed user (NULL when the measure's
    semantic model attributes nothing to a person): what target_attainment adds up over target periods. The refs
    below are the semantic models' tables (dbt needs them at parse time, before the semantic graph exists); the
    build fails if a semantic model is missing from them. -#}
{#- Custom reports without dimensions or filters read it as the signed-in user (readside/semantic.py), so it gets
    the marts' row-level security and the reader's SELECT. -#}
{#- Refreshed by (table, organization, day): only the days the keyed marts changed, and the tables rebuilt whole
    (macros/metric_daily_values.sql). -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='metric_days',
        on_schema_change='fail',
        indexes=[{'columns': ['organization_id', 'measure_name', 'metric_date']}],
        pre_hook=["{{ capture_metric_days() }}"],
        post_hook=["{{ enable_organization_rls() }}", "{{ record_metric_days() }}"],
    )
}}
-- depends_on: {{ ref('fct_orders') }}, {{ ref('fct_credit_notes') }}, {{ ref('fct_invoice_installments') }}
-- depends_on: {{ ref('fct_revenue_recognition') }}, {{ ref('dim_customers') }}, {{ ref('fct_opportunities') }}
-- depends_on: {{ ref('fct_quotes') }}, {{ ref('fct_jobs') }}, {{ ref('fct_job_time_entries') }}
-- depends_on: {{ ref('fct_warranty_claims') }}, {{ ref('fct_issues') }}, {{ ref('fct_csat_responses') }}
-- depends_on: {{ ref('dim_users') }}, {{ ref('fct_order_lines') }}
-- depends_on: {{ ref('int_refresh_changes') }}, {{ ref('int_refresh_watermarks') }}, {{ ref('dim_organizations') }}

{% if execute %}
    {%- for semantic_model in graph.semantic_models.values() %}
        {%- for node in semantic_model.depends_on.nodes if node not in model.depends_on.nodes %}
            {{ exceptions.raise_compiler_error("int_metric_daily_values must depend on " ~ node) }}
        {%- endfor %}
    {%- endfor %}
    {{- check_metric_day_indexes() }}
{{ metric_daily_values_sql(metric_days_scope_name() if is_incremental() else none) }}
{% else %}
select null::bigint as organization_id, null::date as metric_date, null::bigint as user_id,
    null::text as measure_name, null::numeric as value
{% endif %}
