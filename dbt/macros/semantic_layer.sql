{#-
    The semantic layer's metric definitions (semantic_models and metrics in models/**/_*__models.yml), compiled to
    SQL for target_attainment, so targets are measured with exactly the definitions custom reports and MetricFlow
    use. oltp/semantic.py compiles the same YAML for custom reports.
-#}

{% macro semantic_models_by_name() %}
    {%- set found = {} -%}
    {%- for node in graph.semantic_models.values() -%}
        {%- do found.update({node.name: node}) -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}


{% macro metrics_by_name() %}
    {%- set found = {} -%}
    {%- for node in graph.metrics.values() -%}
        {%- do found.update({node.name: node}) -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}


{% macro semantic_entity_expr(semantic_model, entity_name) %}
    {%- for entity in semantic_model.entities -%}
        {%- if entity.name == entity_name -%}
            {{ return(entity.expr or entity.name) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{% endmacro %}


{% macro semantic_dimension_expr(semantic_model, dimension_name) %}
    {%- for dimension in semantic_model.dimensions -%}
        {%- if dimension.name == dimension_name -%}
            {{ return(dimension.expr or dimension.name) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("semantic model " ~ semantic_model.name ~ " has no dimension " ~ dimension_name) }}
{% endmacro %}


{% macro metric_daily_values_groups() %}
    {#- The groups int_metric_daily_values sums in one scan each: per semantic model and time dimension, the model's
        table (`table`: its identifier; `relation`; `keyed`: refreshed by key, so it logs the days of the rows it
        changes), the time dimension's SQL, the user entity's SQL (none when the semantic model attributes nothing
        to a person) and the measures. Sorted, so the SQL compiled from them does not change from run to run. -#}
    {%- set groups = [] -%}
    {%- for name, semantic_model in semantic_models_by_name() | dictsort -%}
        {%- set node = graph.nodes.get(semantic_model.depends_on.nodes[0]) -%}
        {%- set by_time = {} -%}
        {%- for measure in semantic_model.measures -%}
            {%- if measure.agg != 'sum' -%}
                {{ exceptions.raise_compiler_error("measure " ~ measure.name ~ " must aggregate with sum") }}
            {%- endif -%}
            {%- set time_dimension = measure.agg_time_dimension or semantic_model.defaults.agg_time_dimension -%}
            {%- do by_time.setdefault(time_dimension, []).append(measure) -%}
        {%- endfor -%}
        {%- for time_dimension, measures in by_time | dictsort -%}
            {%- do groups.append({
                'table': node.alias,
                'relation': semantic_model.node_relation.relation_name,
                'keyed': node.config.get('incremental_strategy') == 'keyed',
                'time': semantic_dimension_expr(semantic_model, time_dimension),
                'user': semantic_entity_expr(semantic_model, 'user'),
                'measures': measures,
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(groups) }}
{% endmacro %}


{% macro metric_daily_values_sql(scope=none) %}
    {#- Every measure per organization, day (the measure's agg_time_dimension), the user the measure is attributed
        to (the semantic model's `user` entity; NULL when it has none) and the day's value. The measures of one
        semantic model that share a time dimension are summed in one scan of its table, then unpivoted: one row per
        group and measure, exactly as one aggregate per measure would give.
        With `scope` (a table of table, organization_id, metric_date: macros/metric_daily_values.sql), only the
        scope's organization-days of each keyed table (read by its (organization_id, day) index), and every day of
        a table the scope names with a NULL organization (a table rebuilt whole always is). -#}
    {%- set selects = [] -%}
    {%- for group in metric_daily_values_groups() -%}
        {%- set sums = [] -%}
        {%- set pairs = [] -%}
        {%- for measure in group.measures -%}
            {%- do sums.append("sum(" ~ (measure.expr or measure.name) ~ ")::numeric as measure_" ~ loop.index) -%}
            {%- do pairs.append("('" ~ measure.name ~ "'::text, grouped.measure_" ~ loop.index ~ ")") -%}
        {%- endfor -%}
        {%- set aggregate -%}
            select facts.organization_id, ({{ group.time }})::date as metric_date,
                {{ "(" ~ group.user ~ ")::bigint" if group.user else "null::bigint" }} as user_id,
                {{ sums | join(", ") }}
            from {{ group.relation }} as facts
        {%- endset -%}
        {%- set whole -%}
            exists (select 1 from "{{ scope }}" as whole where whole.table_name = '{{ group.table }}'
                and whole.organization_id is null)
        {%- endset -%}
        {%- set grouped -%}
            {%- if scope is none %}
            {{ aggregate }}
            where ({{ group.time }}) is not null
            group by 1, 2, 3
            {%- else %}
            {{ aggregate }}
            where ({{ group.time }}) is not null and {{ whole }}
            group by 1, 2, 3
            {%- if group.keyed %}
            union all
            {{ aggregate }}
            inner join (
                select distinct organization_id as scope_organization_id, metric_date as scope_date from "{{ scope }}"
                where table_name = '{{ group.table }}' and organization_id is not null
            ) as days on days.scope_organization_id = facts.organization_id and days.scope_date = facts.{{ group.time }}
            where not {{ whole }}
            group by 1, 2, 3
            {%- endif %}
            {%- endif %}
        {%- endset -%}
        {%- do selects.append(
            "select grouped.organization_id, grouped.metric_date, grouped.user_id, measures.measure_name, "
            ~ "measures.value from (" ~ grouped ~ ") as grouped "
            ~ "cross join lateral (values " ~ pairs | join(", ") ~ ") as measures (measure_name, value)"
        ) -%}
    {%- endfor -%}
    {{ return(selects | join('\nunion all\n')) }}
{% endmacro %}


{% macro metric_measures(metric_name) %}
    {#- The measures a metric is computed from, following ratio and derived metrics down to simple ones. -#}
    {%- set metric = metrics_by_name()[metric_name] -%}
    {%- set found = [] -%}
    {%- if metric.type == 'simple' -%}
        {%- do found.append(metric.type_params.measure.name) -%}
    {%- elif metric.type == 'ratio' -%}
        {%- do found.extend(metric_measures(metric.type_params.numerator.name)) -%}
        {%- do found.extend(metric_measures(metric.type_params.denominator.name)) -%}
    {%- else -%}
        {%- for input in metric.type_params.metrics -%}
            {%- do found.extend(metric_measures(input.name)) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found | unique | list) }}
{% endmacro %}


{% macro metric_sql(metric_name, measure_column) %}
    {#- The SQL of a metric over columns holding its measures' totals; measure_column(name) names the column. -#}
    {%- set metric = metrics_by_name()[metric_name] -%}
    {%- if metric.type == 'simple' -%}
        {{ return("coalesce(" ~ measure_column ~ "__" ~ metric.type_params.measure.name ~ ", 0)") }}
    {%- elif metric.type == 'ratio' -%}
        {{ return("(" ~ metric_sql(metric.type_params.numerator.name, measure_column) ~ ") / nullif("
            ~ metric_sql(metric.type_params.denominator.name, measure_column) ~ ", 0)") }}
    {%- else -%}
        {%- set expression = namespace(sql=metric.type_params.expr) -%}
        {%- for input in metric.type_params.metrics -%}
            {%- set expression.sql = modules.re.sub(
                '\\b' ~ input.name ~ '\\b', '(' ~ metric_sql(input.name, measure_column) ~ ')', expression.sql
            ) -%}
        {%- endfor -%}
        {{ return("(" ~ expression.sql ~ ")") }}
    {%- endif -%}
{% endmacro %}


{% macro metric_is_additive(metric_name) %}
    {#- Additive over time: a simple metric, or a derived one that only adds and subtracts additive metrics. -#}
    {%- set metric = metrics_by_name()[metric_name] -%}
    {%- if metric.type == 'simple' -%}
        {{ return(true) }}
    {%- elif metric.type == 'ratio' or '/' in metric.type_params.expr or '*' in metric.type_params.expr -%}
        {{ return(false) }}
    {%- else -%}
        {%- for input in metric.type_params.metrics -%}
            {%- if not metric_is_additive(input.name) -%}
                {{ return(false) }}
            {%- endif -%}
        {%- endfor -%}
        {{ return(true) }}
    {%- endif -%}
{% endmacro %}


{% macro metric_is_attributable(metric_name) %}
    {#- Attributable to a person: every semantic model it draws on has a `user` entity. -#}
    {%- set measures = metric_measures(metric_name) -%}
    {%- for semantic_model in semantic_models_by_name().values() -%}
        {%- for measure in semantic_model.measures -%}
            {%- if measure.name in measures and not semantic_entity_expr(semantic_model, 'user') -%}
                {{ return(false) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(true) }}
{% endmacro %}


{% macro metric_lower_is_better(metric_name) %}
    {#- Metrics whose target is a ceiling (costs, claims): meta direction lower_is_better. -#}
    {%- set metric = metrics_by_name()[metric_name] -%}
    {%- set meta = metric.config.meta if metric.config and metric.config.meta else metric.meta -%}
    {{ return((meta or {}).get('direction') == 'lower_is_better') }}
{% endmacro %}
