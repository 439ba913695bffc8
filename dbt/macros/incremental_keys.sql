{#-
    Incremental refresh of the big marts and intermediate tables by key (strategy `keyed`).

    Each such model names a refresh key, e.g. (organization_id, order_id): every row of the model belongs to one
    key, and a key's rows are computed from its inputs only. A refresh (one transaction: dbt opens it before the
    model's SQL and commits after the post-hooks, so readers see the table before or after, never in between):
      1. pre-hook `capture_changed_keys` collects the keys whose inputs changed into a temporary
         table `<model>__keys`: rows of the raw app tables with updated_at at or after the model's watermark minus
         the lookback (var `refresh_lookback`), soft-deleted rows included (staging no longer shows them, which is
         why change capture reads the sources); keys that upstream keyed models rewrote (`upstream_changes`, which
         carries hard deletes of child rows downstream); hard-deleted child rows (`hard_deleted_rows`, an anti-join
         on indexes); and every key of an organization whose calendar settings changed;
      2. the model's SQL, where `key_filter` holds, computes those keys only, from all current data, with the same SQL
         a full build uses, so the result equals a full rebuild;
      3. the `keyed` strategy deletes the rows of those keys that differ from the new ones and inserts the new
         rows that are not already there: a key re-read only because of the lookback rewrites nothing;
      4. post-hook `record_refresh` stores the watermark (the refresh's transaction start) and organization
         fingerprints in `int_refresh_watermarks`, and logs the refreshed keys in `int_refresh_changes` for the
         models downstream, stamped with the time of logging (taken under the model's lock, which the daily
         relations take too: macros/incremental_slices.sql).
    A full refresh builds aside and swaps atomically, and records the watermark.
-#}

{% macro keyed_incremental_config(refresh_key, unique_key, changes, related_keys=[], extra_indexes=[]) %}
    {#- The config every keyed incremental model shares: {{ config(**keyed_incremental_config(...)) }}. `changes` is
        the Jinja text (in a raw block) of a query of the keys whose inputs changed, rendered by the pre-hook.
        `related_keys` names columns holding another model's key (fct_orders.customer_id): for each, the values of
        the rows a refresh removed or added are logged too, as `<model>.<column>`, so a model keyed by them learns
        both the customer an order left and the one it moved to (upstream_changes(model, column)).
        `extra_indexes` (column lists) serve other models' lookups, such as a key filter on another column. -#}
    {%- set indexes = [{'columns': unique_key, 'unique': true}] -%}
    {%- if unique_key[:refresh_key | length] != refresh_key -%}{%- do indexes.append({'columns': refresh_key}) -%}{%- endif -%}
    {%- for columns in extra_indexes -%}{%- do indexes.append({'columns': columns}) -%}{%- endfor -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'keyed',
        'refresh_key': refresh_key,
        'related_keys': related_keys,
        'unique_key': unique_key,
        'on_schema_change': 'fail',
        'indexes': indexes,
        'pre_hook': ["{% call capture_changed_keys() %}" ~ changes ~ "{% endcall %}"],
        'post_hook': ["{{ record_refresh() }}"],
    }) }}
{% endmacro %}


{% macro metric_day_indexes(columns) %}
    {#- The (organization_id, day) indexes int_metric_daily_values reads a keyed mart's changed days by, one per
        time dimension of the mart's semantic models (its build fails when one is missing). -#}
    {%- set found = [] -%}
    {%- for column in columns -%}{%- do found.append(['organization_id', column]) -%}{%- endfor -%}
    {{ return(found) }}
{% endmacro %}


{% macro refresh_key_columns() -%}
    {{ return(config.get('refresh_key')) }}
{%- endmacro %}


{% macro refresh_since(lookback=true) -%}
    {#- The instant changes are read from: the model's last refresh minus the lookback (-infinity before one);
        without the lookback, the start of its last refresh. -#}
    (select coalesce(max(watermarks.refreshed_at), '-infinity'::timestamptz)
        {%- if lookback %} - interval '{{ var("refresh_lookback") }}'{% endif %}
     from {{ ref('int_refresh_watermarks') }} as watermarks
     where watermarks.model_name = '{{ this.identifier }}')
{%- endmacro %}


{% macro changed_rows(source_table) -%}
    {#- Rows of an app table written since the watermark, soft-deleted ones included. -#}
    (select * from {{ source('app', source_table) }} where updated_at >= {{ refresh_since() }})
{%- endmacro %}


{% macro upstream_changes(model_name, related_key=none, via=none) -%}
    {#- Keys an upstream keyed model (same refresh key) rewrote since this model's watermark; with `related_key`, the
        values of that column (one of the upstream model's related_keys) in the rows it removed or added; with `via`
        (an app table and its column holding the upstream key: ('csat_responses', 'job_id')), the ids of that
        table's rows that point to the keys rewritten, for a model keyed by that table's rows. -#}
    {%- set upstream = ref(model_name).identifier -%}
    {%- set logged_as = upstream ~ ('.' ~ related_key if related_key else '') -%}
    {%- if via %}
    select mapped.organization_id, mapped.id
    from {{ ref('int_refresh_changes') }} as changes
    inner join {{ source('app', via[0]) }} as mapped
        on mapped.organization_id = changes.organization_id and mapped.{{ via[1] }} = changes.key_id
    {%- else %}
    select changes.organization_id, changes.key_id
    from {{ ref('int_refresh_changes') }} as changes
    {%- endif %}
    where changes.model_name = '{{ logged_as }}' and changes.refreshed_at >= {{ refresh_since() }}
        and changes.key_id is not null
    union all
    -- the upstream model was built whole since this model's last refresh began (it logged a NULL key; compared
    -- without the lookback, which would recompute every key for an hour after each full build), or the log no
    -- longer reaches back to this model's watermark: every key this model holds
    select built.organization_id, built.{{ refresh_key_columns()[-1] }}
    from {{ this }} as built
    where exists (
            select 1 from {{ ref('int_refresh_changes') }} as changes
            where changes.model_name = '{{ upstream }}' and changes.key_id is null
                and changes.refreshed_at >= {{ refresh_since(lookback=false) }}
        )
        or {{ refresh_since() }} < now() - interval '{{ var("refresh_changes_kept") }}'
{%- endmacro %}


{% macro hard_deleted_rows(source_table, row_column, key_column) -%}
    {#- Keys of this model's rows whose app row was deleted for good since the watermark, from the log the app
        table's trigger writes (oltp migration 0008: app_changes.row_deletions), each looked up by this model's row
        index. When the log does not reach back to the watermark (it began later, or keeps less), an anti-join of
        the whole model with the app table (two index scans) finds them instead. -#}
    select built.organization_id, built.{{ key_column }}
    from {{ row_deletions() }} as deleted
    inner join {{ this }} as built
        on built.organization_id = deleted.organization_id and built.{{ row_column }} = deleted.id
    where deleted.source_table = '{{ source_table }}' and deleted.deleted_at >= {{ refresh_since() }}
    union all
    select built.organization_id, built.{{ key_column }}
    from {{ this }} as built
    where {{ refresh_since() }} < greatest(
            coalesce((select min(deleted_at) from {{ row_deletions() }} where source_table = '*'), 'infinity'),
            now() - interval '{{ var("refresh_changes_kept") }}'
        )
        and not exists (
            select 1 from {{ source('app', source_table) }} as app_rows
            where app_rows.organization_id = built.organization_id and app_rows.id = built.{{ row_column }}
        )
{%- endmacro %}


{% macro row_deletions() -%}
    {#- The app's log of rows deleted for good (not a dbt source: bookkeeping, read by hard_deleted_rows only). -#}
    {{ adapter.quote(target.database) }}."app_changes"."row_deletions"
{%- endmacro %}


{% macro organization_fingerprint(alias) -%}
    {#- The organization settings marts read (time zone, currency, fiscal year): a change rebuilds the organization. -#}
    md5(concat_ws('|', {{ alias }}.timezone, {{ alias }}.reporting_currency, {{ alias }}.fiscal_year_start_month))
{%- endmacro %}


{% macro capture_changed_keys() %}
    {#- Pre-hook of a keyed model (see keyed_incremental_config); the body, the model's query of changed keys, is
        rendered on every run (so dbt sees its refs when parsing) and used only by an incremental refresh. -#}
    {%- set changes = caller() -%}
    {%- set bookkeeping = [ref('int_refresh_watermarks'), ref('int_refresh_changes'), ref('dim_organizations')] -%}
    -- one refresh of this model at a time (and no daily relation reading it meanwhile: they take this lock shared);
    -- released at commit
    select pg_advisory_xact_lock(hashtext('keyed:{{ this }}'));
    {%- if is_incremental() -%}
    {%- set key_columns = refresh_key_columns() -%}
    {%- set keys = this.identifier ~ '__keys' %}
    {{ create_missing_indexes() }}

    drop table if exists "{{ keys }}";
    create temporary table "{{ keys }}" on commit drop as
    with

    organizations_changed as (
        select coalesce(current_settings.organization_id, recorded.organization_id) as organization_id
        from (
            select organization_id, {{ organization_fingerprint('organizations') }} as fingerprint
            from {{ ref('dim_organizations') }} as organizations
        ) as current_settings
        full outer join (
            select organization_id, fingerprint from {{ ref('int_refresh_watermarks') }}
            where model_name = '{{ this.identifier }}'
        ) as recorded
            on recorded.organization_id = current_settings.organization_id
        where current_settings.fingerprint is distinct from recorded.fingerprint
    ),

    changes ({{ key_columns | join(', ') }}) as (
        {{ changes }}
    )

    select {{ key_columns | join(', ') }} from changes
    union
    select {{ key_columns | join(', ') }}
    from {{ this }}
    where organization_id in (select organization_id from organizations_changed);
    analyze "{{ keys }}";
    {%- endif -%}
{% endmacro %}


{% macro create_missing_indexes() -%}
    {#- The configured indexes the table lacks. dbt creates a model's indexes with its table only, so a table built
        before its model was keyed has none, and one built before an index was added lacks that one: every key
        lookup (here, and in the daily relations' refreshes) would scan the table. Compared by column list, because
        dbt names indexes by a hash that includes the time. -#}
    {%- if execute -%}
        {%- set found = run_query(
            "select string_agg(attribute.attname, ',' order by key.position) from pg_index as index"
            ~ " cross join unnest(index.indkey) with ordinality as key (attnum, position)"
            ~ " inner join pg_attribute as attribute"
            ~ "  on attribute.attrelid = index.indrelid and attribute.attnum = key.attnum"
            ~ " where index.indrelid = '" ~ this ~ "'::regclass group by index.indexrelid") -%}
        {%- set present = found.rows | map(attribute=0) | list -%}
        {%- for index in config.get('indexes', []) if index['columns'] | join(',') not in present %}
    {{ get_create_index_sql(this, index) }};
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{% macro add_missing_columns(columns) -%}
    {#- Pre-hook upgrading a table built by an earlier version in place, before dbt compares its columns with the
        model's (on_schema_change: fail): add the model's new columns, named with their types. Append them last in
        the model so a full rebuild has the same column order. -#}
    {%- if is_incremental() -%}
    alter table {{ this }}
        {%- for name, type in columns.items() %} add column if not exists {{ adapter.quote(name) }} {{ type }}
        {{- ',' if not loop.last }}{% endfor %}
    {%- endif -%}
{%- endmacro %}


{% macro key_filter(relation_alias, columns=none) -%}
    {#- Inside a keyed model's SQL, a condition: the row belongs to a key being refreshed (true on a full build, or in
        a unit test, which has no relation). `columns` names the alias's key columns when they differ. -#}
    {%- if this is not none and is_incremental() -%}
    {%- set key_columns = refresh_key_columns() -%}
    ({% for column in (columns or key_columns) %}{{ relation_alias }}.{{ column }}{{ ', ' if not loop.last }}{% endfor %})
        in (select {{ key_columns | join(', ') }} from "{{ this.identifier ~ '__keys' }}")
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}


{% macro metric_day_columns(identifier) %}
    {#- The days a keyed model's rows count on in int_metric_daily_values: the time dimensions of the measures of the
        semantic models built on it (all plain date columns: a dimension with an expression fails the build). -#}
    {%- set found = [] -%}
    {%- for semantic_model in graph.semantic_models.values()
            if semantic_model.node_relation and semantic_model.node_relation.alias == identifier -%}
        {%- for measure in semantic_model.measures -%}
            {%- set name = measure.agg_time_dimension or semantic_model.defaults.agg_time_dimension -%}
            {%- if semantic_dimension_expr(semantic_model, name) != name -%}
                {{ exceptions.raise_compiler_error("time dimension " ~ name ~ " of semantic model "
                    ~ semantic_model.name ~ " must be a column (int_metric_daily_values refreshes it by day)") }}
            {%- endif -%}
            {%- if name not in found -%}{%- do found.append(name) -%}{%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(found | sort) }}
{% endmacro %}


{% macro keyed_related_values(alias) %}
    {#- What a keyed refresh logs of the rows it removed or added, besides their keys, as [name, value] pairs over
        `alias`: each of `related_keys` under its column's name, and each day the rows count on in
        int_metric_daily_values as `metric_day` (days since 1970-01-01), so that model rewrites only those days. -#}
    {%- set found = [] -%}
    {%- for column in config.get('related_keys') or [] -%}
        {%- do found.append([column, alias ~ '.' ~ adapter.quote(column)]) -%}
    {%- endfor -%}
    {%- if execute -%}
        {%- for column in metric_day_columns(this.identifier) -%}
            {%- do found.append(['metric_day', '(' ~ alias ~ '.' ~ adapter.quote(column) ~ " - date '1970-01-01')"]) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{% endmacro %}


{% macro get_incremental_keyed_sql(arg_dict) %}
    {#- Rows of the refreshed keys that differ from the new ones go; new rows not already there come in. -#}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set key_columns = refresh_key_columns() -%}
    {%- set names = arg_dict['dest_columns'] | map(attribute='name') | list -%}
    {%- set columns = get_quoted_csv(names) -%}
    {%- set related = keyed_related_values('changed') -%}
    {%- set related_table = this.identifier ~ '__related' -%}
    {%- set capture_related -%}
    insert into "{{ related_table }}"
    select related.related_key, changed.organization_id, related.key_id
    from changed cross join lateral (values
        {%- for name, value in related %} ('{{ name }}', {{ value }}){{ ',' if not loop.last }}
        {%- endfor %}) as related (related_key, key_id)
    {%- endset -%}
    {%- set new_rows -%}
    select {{ columns }} from {{ source }} as source
    where not exists (
        select 1 from {{ target }} as target
        where {% for column in key_columns %}target.{{ column }} = source.{{ column }} and {% endfor -%}
            ({% for name in names %}target.{{ adapter.quote(name) }}{{ ', ' if not loop.last }}{% endfor %})
            is not distinct from
            ({% for name in names %}source.{{ adapter.quote(name) }}{{ ', ' if not loop.last }}{% endfor %})
    )
    {%- endset -%}
    {%- if related %}
    drop table if exists "{{ related_table }}";
    create temporary table "{{ related_table }}" (related_key text, organization_id bigint, key_id bigint)
        on commit drop;
    with changed as (
    {%- endif %}
    delete from {{ target }} as target
    using "{{ this.identifier ~ '__keys' }}" as keys
    where {% for column in key_columns %}target.{{ column }} = keys.{{ column }} and {% endfor -%}
        not exists (
            select 1 from {{ source }} as source
            where {% for column in key_columns %}source.{{ column }} = target.{{ column }} and {% endfor -%}
                ({% for name in names %}source.{{ adapter.quote(name) }}{{ ', ' if not loop.last }}{% endfor %})
                is not distinct from
                ({% for name in names %}target.{{ adapter.quote(name) }}{{ ', ' if not loop.last }}{% endfor %})
        )
    {%- if related %}
        returning target.*
    )
    {{ capture_related }}
    {%- endif %};

    {%- if related %}
    with changed as ({{ new_rows }})
    {{ capture_related }};
    {%- endif %}

    -- last, so the rows dbt reports for the model are the rows inserted
    insert into {{ target }} ({{ columns }})
    {{ new_rows }};
{% endmacro %}


{% macro record_watermark(fingerprint, refreshed_at) -%}
    {#- This model's watermark in int_refresh_watermarks, one row per organization (alias `organizations`). -#}
    delete from {{ ref('int_refresh_watermarks') }} where model_name = '{{ this.identifier }}';
    insert into {{ ref('int_refresh_watermarks') }} (model_name, organization_id, fingerprint, refreshed_at)
    select '{{ this.identifier }}', organizations.organization_id, {{ fingerprint }}, {{ refreshed_at }}
    from {{ ref('dim_organizations') }} as organizations
{%- endmacro %}


{% macro record_refresh() %}
    {#- Post-hook of a keyed model: its watermark and organization fingerprints, and the keys it refreshed. -#}
    {%- set key_columns = refresh_key_columns() -%}
    {%- if is_incremental() %}
    -- the first keyed refresh of a table built whole before (no watermark yet) tells the models downstream it was
    -- built whole: rows it found equal were never logged, and a model that missed that build would miss them
    insert into {{ ref('int_refresh_changes') }} (model_name, organization_id, key_id, refreshed_at)
    select '{{ this.identifier }}', null, null, clock_timestamp()
    where not exists (select 1 from {{ ref('int_refresh_watermarks') }} where model_name = '{{ this.identifier }}');
    {%- endif %}
    {{ record_watermark(organization_fingerprint('organizations'), 'now()') }};
    {%- if is_incremental() %}
    delete from {{ ref('int_refresh_changes') }}
    where refreshed_at < now() - interval '{{ var("refresh_changes_kept") }}';
    delete from {{ row_deletions() }}
    where deleted_at < now() - interval '{{ var("refresh_changes_kept") }}' and source_table <> '*';
    insert into {{ ref('int_refresh_changes') }} (model_name, organization_id, key_id, refreshed_at)
    select '{{ this.identifier }}', {{ key_columns | join(', ') }}, clock_timestamp()
    from "{{ this.identifier ~ '__keys' }}";
    {%- if keyed_related_values('changed') %}
    insert into {{ ref('int_refresh_changes') }} (model_name, organization_id, key_id, refreshed_at)
    select '{{ this.identifier }}.' || related_key, organization_id, key_id, clock_timestamp()
    from (select distinct related_key, organization_id, key_id from "{{ this.identifier ~ '__related' }}") as related
    where key_id is not null;
    {%- endif %}
    {%- else %}
    -- built whole: a NULL key stands for every key, so this run's tests check every row (macros/refresh_tests.sql)
    insert into {{ ref('int_refresh_changes') }} (model_name, organization_id, key_id, refreshed_at)
    values ('{{ this.identifier }}', null, null, clock_timestamp());
    {%- endif %}
{% endmacro %}
