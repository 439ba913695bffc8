{#-
    Incremental refresh of int_metric_daily_values (every measure's daily sums) by (table, organization, day).

    Each keyed mart a semantic model is built on logs, with its refreshed keys, the days its removed and added rows
    count on (`metric_day` in int_refresh_changes: macros/incremental_keys.sql, keyed_related_values). A refresh (one
    transaction: readers see the table before or after it, never in between):
      1. pre-hook `capture_metric_days`, under the keyed marts' refresh locks (as the daily relations take them),
         writes the scope to a temporary table `int_metric_daily_values__scope`: the organization-days each keyed
         mart logged since this table's watermark, and with a NULL organization every table to recompute whole: the
         tables rebuilt whole by dbt, a keyed mart built whole since (it logs a NULL key), and all of them when this
         table has no watermark, its definition (the semantic layer's measures) changed, or the log no longer reaches
         back to the watermark;
      2. the model's SQL (metric_daily_values_sql with the scope) sums those days from the tables' (organization_id,
         day) indexes, and every day of the tables recomputed whole, with the same SQL a full build uses;
      3. strategy `metric_days` deletes the scope's rows that differ from the new ones and inserts the new rows that
         are not there yet, so an unchanged day writes nothing;
      4. post-hook `record_metric_days` sets the watermark: the time of writing, under the locks, and the checksum of
         the definition.
-#}

{% macro metric_days_scope_name() -%}
    {{ this.identifier ~ '__scope' }}
{%- endmacro %}


{% macro metric_days_version() -%}
    {#- The definition the table was built with: a new measure, time dimension or semantic model recomputes it. -#}
    {{- local_md5(metric_daily_values_sql()) if execute else '' -}}
{%- endmacro %}


{% macro metric_days_tables() %}
    {#- {table identifier: {'relation': ..., 'keyed': bool}} of every table the measures are summed from. -#}
    {%- set found = {} -%}
    {%- for group in metric_daily_values_groups() -%}
        {%- do found.update({group.table: {'relation': group.relation, 'keyed': group.keyed}}) -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}


{% macro check_metric_day_indexes() %}
    {#- A keyed table's days are read by its (organization_id, day) index: one missing would scan the table. -#}
    {%- for group in metric_daily_values_groups() if group.keyed -%}
        {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ group.table) -%}
        {%- set indexed = node.config.get('indexes', []) | map(attribute='columns') | map('join', ',') | list -%}
        {%- if 'organization_id,' ~ group.time not in indexed -%}
            {{ exceptions.raise_compiler_error(group.table ~ " needs an index on (organization_id, " ~ group.time
                ~ "): int_metric_daily_values reads its changed days by it (extra_indexes)") }}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}


{% macro capture_metric_days() %}
    {#- Pre-hook: the scope of an incremental refresh (see the top of this file). -#}
    {%- if execute -%}
    {%- set tables = metric_days_tables() -%}
    {%- set changes = ref('int_refresh_changes') -%}
    -- one refresh of this table at a time (two would insert the same new rows twice), then the keyed marts'
    -- refresh locks, until commit (a full build takes them too, for its watermark); shared, as the daily relations
    -- take them (lock_keyed_inputs): readers do not wait for each other
    select pg_advisory_xact_lock(hashtext('metric_days:{{ this }}'));
    select 1
    {%- for table, found in tables | dictsort if found.keyed %},
        pg_advisory_xact_lock_shared(hashtext('keyed:{{ found.relation }}'))
    {%- endfor %};
    {%- endif -%}
    {%- if execute and is_incremental() %}
    drop table if exists "{{ metric_days_scope_name() }}";
    create temporary table "{{ metric_days_scope_name() }}" on commit drop as
    with

    mark as (
        select min(refreshed_at) as since, max(fingerprint) as version
        from {{ ref('int_refresh_watermarks') }}
        where model_name = '{{ this.identifier }}'
    ),

    everything as (
        select 1 from mark
        where since is null or version is distinct from '{{ metric_days_version() }}'
            or since < now() - interval '{{ var("refresh_changes_kept") }}'
    ),

    tables (table_name, keyed) as (
        values {% for table, found in tables | dictsort %}('{{ table }}', {{ found.keyed }}){{ ', ' if not loop.last }}
        {%- endfor %}
    )

    -- everything recomputed: the rows of measures no longer defined go too (table `*`)
    select '*' as table_name, null::bigint as organization_id, null::date as metric_date from everything
    union
    select tables.table_name, null::bigint, null::date
    from tables
    where not tables.keyed
        or exists (select 1 from everything)
        or exists (
            select 1 from {{ changes }} as changes, mark
            where changes.model_name = tables.table_name and changes.key_id is null
                and changes.refreshed_at >= mark.since
        )
    union
    select split_part(changes.model_name, '.', 1), changes.organization_id,
        date '1970-01-01' + changes.key_id::integer
    from {{ changes }} as changes, mark
    where changes.model_name in (
            {%- for table, found in tables | dictsort if found.keyed %}'{{ table }}.metric_day'{{ ', ' if not loop.last }}
            {%- endfor %})
        and changes.refreshed_at >= mark.since and changes.key_id is not null;
    analyze "{{ metric_days_scope_name() }}";
    {%- endif -%}
{% endmacro %}


{% macro get_incremental_metric_days_sql(arg_dict) %}
    {#- The scope's rows that differ from the new ones go; new rows not already there come in. -#}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set scope = '"' ~ metric_days_scope_name() ~ '"' -%}
    {%- set same -%}
        (source.organization_id, source.measure_name, source.metric_date, source.user_id, source.value)
        is not distinct from
        (target.organization_id, target.measure_name, target.metric_date, target.user_id, target.value)
    {%- endset -%}
    {%- set measures -%}
    (values
        {%- for group in metric_daily_values_groups() %}{% set outer = loop %}{% for measure in group.measures %}
        ('{{ measure.name }}', '{{ group.table }}'){{ ',' if not (outer.last and loop.last) }}
        {%- endfor %}{% endfor %}
    ) as measures (measure_name, table_name)
    {%- endset -%}
    analyze {{ source }};

    -- recomputing everything: the rows of measures the definition no longer has
    delete from {{ target }} as target
    where exists (select 1 from {{ scope }} where table_name = '*')
        and target.measure_name not in (select measure_name from {{ measures }});

    -- the measures of the tables recomputed whole
    delete from {{ target }} as target
    using {{ measures }}
    where target.measure_name = measures.measure_name
        and measures.table_name in (select table_name from {{ scope }} where organization_id is null)
        and not exists (
            select 1 from {{ source }} as source
            where source.organization_id = target.organization_id and source.measure_name = target.measure_name
                and source.metric_date = target.metric_date and {{ same }}
        );

    -- the days the keyed tables changed, by the table's index
    delete from {{ target }} as target
    using (
        select distinct days.organization_id, measures.measure_name, days.metric_date
        from {{ scope }} as days
        inner join {{ measures }} on measures.table_name = days.table_name
        where days.organization_id is not null
            and days.table_name not in (select table_name from {{ scope }} where organization_id is null)
    ) as slices
    where target.organization_id = slices.organization_id and target.measure_name = slices.measure_name
        and target.metric_date = slices.metric_date
        and not exists (
            select 1 from {{ source }} as source
            where source.organization_id = target.organization_id and source.measure_name = target.measure_name
                and source.metric_date = target.metric_date and {{ same }}
        );

    -- last, so the rows dbt reports for the model are the rows inserted
    insert into {{ target }} (organization_id, metric_date, user_id, measure_name, value)
    select source.organization_id, source.metric_date, source.user_id, source.measure_name, source.value
    from {{ source }} as source
    where not exists (
        select 1 from {{ target }} as target
        where target.organization_id = source.organization_id and target.measure_name = source.measure_name
            and target.metric_date = source.metric_date and {{ same }}
    );
{% endmacro %}


{% macro record_metric_days() %}
    {#- Post-hook: the watermark (under the keyed marts' locks, so what they log later comes after it) and the
        definition it was built with. -#}
    {{ record_watermark("'" ~ metric_days_version() ~ "'", 'clock_timestamp()') }}
{% endmacro %}
