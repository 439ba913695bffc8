{#-
    Incremental refresh of the daily reporting relations by (organization, day) slices.

    Each daily relation has a companion view, `int_<relation>__contributions`: for every source row that feeds the
    relation, the pieces of what it contributes. A piece is a date range of the relation's days (one day for an
    event such as an order placed; an interval for a state such as an open invoice balance) and a fingerprint of
    the values the row contributes on those days, plus the row's effective updated_at (the latest updated_at of
    the rows the piece was derived from). `int_slice_ledger` keeps the pieces each relation was last built from.

    A refresh (all inside one transaction: dbt opens it before the pre-hooks and commits after the post-hooks):
      1. pre-hook `capture_slice_changes`: pieces in the view but not in the ledger, or in the ledger but no longer
         in the view, are the changes. For each source row, the days covered by its changed pieces, minus the days
         where its old and new pieces carry the same fingerprint, are the days whose inputs changed: a payment on
         an old invoice changes the balance from the payment day on, so only those days are rebuilt, while a late
         change to an old order rebuilds that old day. Add the organization-days that entered or left the
         calendar (int_reporting_days, e.g. a new day) and an optional --vars window {start_date, end_date}: the
         slices to rebuild go to a temporary table `<relation>__slices`;
      2. the model SQL, through `slice_filter`, computes those slices only, from all current data, with the same
         SQL a full build uses, so the result equals a full rebuild;
      3. incremental strategy `slices` deletes the relation's rows of those slices and inserts the new ones;
      4. post-hook `record_slice_changes` brings the ledger up to date (only the pieces that changed are written).
    Readers see the relation before or after the refresh, never in between. A full refresh builds the relation
    aside and swaps it in (dbt's atomic rename) and rewrites the relation's ledger.
-#}

{% macro slice_temp_name(suffix) -%}
    {{ this.identifier ~ '__' ~ suffix }}
{%- endmacro %}


{% macro capture_slice_changes(contributions_model, date_column='metric_date') %}
    {%- set ledger = ref('int_slice_ledger') -%}
    {%- set contributions = ref(contributions_model) -%}
    {%- set model_name = this.identifier -%}
    {%- set pieces = slice_temp_name('pieces') -%}
    {%- set changes = slice_temp_name('changes') -%}
    {%- set slices = slice_temp_name('slices') %}
    -- one refresh of this relation at a time; released at commit
    select pg_advisory_xact_lock(hashtext('slices:{{ this }}'));

    drop table if exists "{{ pieces }}";
    create temporary table "{{ pieces }}" on commit drop as
    select source_table, organization_id, row_id, piece_days, fingerprint, updated_at
    from {{ contributions }};

    drop table if exists "{{ changes }}";
    {% if is_incremental() %}
    create temporary table "{{ changes }}" on commit drop as
    select
        coalesce(current_pieces.source_table, ledgered.source_table) as source_table,
        coalesce(current_pieces.organization_id, ledgered.organization_id) as organization_id,
        coalesce(current_pieces.row_id, ledgered.row_id) as row_id,
        coalesce(current_pieces.fingerprint, ledgered.fingerprint) as fingerprint,
        current_pieces.piece_days as new_days,
        ledgered.piece_days as old_days,
        current_pieces.updated_at
    from "{{ pieces }}" as current_pieces
    full outer join (
        select * from {{ ledger }} where model_name = '{{ model_name }}'
    ) as ledgered
        on ledgered.source_table = current_pieces.source_table
        and ledgered.organization_id = current_pieces.organization_id
        and ledgered.row_id = current_pieces.row_id
        and ledgered.piece_days = current_pieces.piece_days
        and ledgered.fingerprint = current_pieces.fingerprint
    where current_pieces.row_id is null or ledgered.row_id is null;

    drop table if exists "{{ slices }}";
    create temporary table "{{ slices }}" on commit drop as
    with

    touched as (
        select source_table, organization_id, row_id, range_agg(coalesce(new_days, old_days)) as days
        from "{{ changes }}"
        group by source_table, organization_id, row_id
    ),

    unchanged as (
        -- days where a row's old and new pieces carry the same values
        select old_piece.source_table, old_piece.organization_id, old_piece.row_id,
            range_agg(old_piece.old_days * new_piece.new_days) as days
        from "{{ changes }}" as old_piece
        inner join "{{ changes }}" as new_piece
            on new_piece.source_table = old_piece.source_table
            and new_piece.organization_id = old_piece.organization_id
            and new_piece.row_id = old_piece.row_id
            and new_piece.fingerprint = old_piece.fingerprint
            and new_piece.old_days is null
            and old_piece.new_days is null
            and new_piece.new_days && old_piece.old_days
        group by old_piece.source_table, old_piece.organization_id, old_piece.row_id
    ),

    changed_days as (
        select touched.organization_id,
            range_agg(touched.days - coalesce(unchanged.days, '{}'::datemultirange)) as days
        from touched
        left join unchanged
            on unchanged.source_table = touched.source_table
            and unchanged.organization_id = touched.organization_id
            and unchanged.row_id = touched.row_id
        group by touched.organization_id
    ),

    calendar as (
        select organization_id, {{ date_column }} from {{ ref('int_reporting_days') }}
    ),

    present as (
        select distinct organization_id, {{ date_column }} from {{ this }}
    )

    select calendar.organization_id, calendar.{{ date_column }}
    from calendar
    inner join changed_days
        on changed_days.organization_id = calendar.organization_id
        and changed_days.days @> calendar.{{ date_column }}
    union
    (select organization_id, {{ date_column }} from calendar
     except
     select organization_id, {{ date_column }} from present)
    union
    (select organization_id, {{ date_column }} from present
     except
     select organization_id, {{ date_column }} from calendar)
    {%- if var('start_date', none) or var('end_date', none) %}
    union
    select organization_id, {{ date_column }}
    from calendar
    where {{ date_column }} between
        {{ sql_date_literal(var('start_date', none), '-infinity') }}
        and {{ sql_date_literal(var('end_date', none), 'infinity') }}
    {%- endif %};
    analyze "{{ slices }}";
    {% else %}
    -- full build: the ledger is rewritten from all current pieces
    delete from {{ ledger }} where model_name = '{{ model_name }}';
    create temporary table "{{ changes }}" on commit drop as
    select source_table, organization_id, row_id, fingerprint, piece_days as new_days,
        null::daterange as old_days, updated_at
    from "{{ pieces }}";
    {% endif %}
{% endmacro %}


{% macro sql_date_literal(value, default) -%}
    {#- A --vars date as a SQL literal; only YYYY-MM-DD is accepted, so no text reaches the SQL unchecked. -#}
    {%- if value is none or value == '' -%}
        date '{{ default }}'
    {%- else -%}
        {%- set text = value | string -%}
        {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', text) -%}
            {{ exceptions.raise_compiler_error("date var must be YYYY-MM-DD, got " ~ text) }}
        {%- endif -%}
        date '{{ text }}'
    {%- endif -%}
{%- endmacro %}


{% macro slice_filter(relation_alias, date_column='metric_date') -%}
    {#- Inside a daily relation's SQL: keep only the slices being rebuilt (nothing to filter on a full build, or in
        a unit test, which has no relation). -#}
    {%- if this is not none and is_incremental() -%}
    inner join "{{ slice_temp_name('slices') }}" as slices_to_build
        on slices_to_build.organization_id = {{ relation_alias }}.organization_id
        and slices_to_build.{{ date_column }} = {{ relation_alias }}.{{ date_column }}
    {%- endif -%}
{%- endmacro %}


{% macro get_incremental_slices_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set date_column = config.get('slice_date_column', 'metric_date') -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }} as target
    using "{{ slice_temp_name('slices') }}" as slices
    where target.organization_id = slices.organization_id
        and target.{{ date_column }} = slices.{{ date_column }};

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }};
{% endmacro %}


{% macro record_slice_changes() %}
    {%- set ledger = ref('int_slice_ledger') -%}
    {%- set changes = slice_temp_name('changes') -%}
    delete from {{ ledger }} as ledger
    using "{{ changes }}" as changed
    where changed.new_days is null
        and ledger.model_name = '{{ this.identifier }}'
        and ledger.source_table = changed.source_table
        and ledger.organization_id = changed.organization_id
        and ledger.row_id = changed.row_id
        and ledger.piece_days = changed.old_days
        and ledger.fingerprint = changed.fingerprint;

    insert into {{ ledger }} (model_name, source_table, organization_id, row_id, piece_days, fingerprint, updated_at)
    select '{{ this.identifier }}', source_table, organization_id, row_id, new_days, fingerprint, updated_at
    from "{{ changes }}"
    where new_days is not null;
{% endmacro %}


{% macro daily_relation_config(contributions_model, unique_columns, date_column='metric_date') %}
    {#- The config every daily reporting relation shares: {{ config(**daily_relation_config(...)) }}. -#}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'slices',
        'slice_date_column': date_column,
        'unique_key': unique_columns,
        'indexes': [{'columns': unique_columns, 'unique': true}],
        'pre_hook': ["{{ capture_slice_changes('" ~ contributions_model ~ "', '" ~ date_column ~ "') }}"],
        'post_hook': ["{{ record_slice_changes() }}", "{{ enable_organization_rls() }}"],
    }) }}
{% endmacro %}


{% macro piece_fingerprint(values) -%}
    {#- Fingerprint of the values a row contributes on a piece of days (NULLs kept apart from empty strings): the
        128-bit md5 kept as a uuid, 16 bytes in the ledger where its hex text took 33. A row that contributes its
        presence only has the constant md5('present'). -#}
    {%- if values | length == 0 -%}
    md5('present')::uuid
    {%- else -%}
    md5(concat_ws('|' {%- for value in values %}, coalesce(({{ value }})::text, '∅'){% endfor %}))::uuid
    {%- endif -%}
{%- endmacro %}


{% macro upgrade_slice_ledger() %}
    {#- Pre-hook of int_slice_ledger (never rebuilt): a ledger written before fingerprints were uuids has them as
        md5 hex text; convert it in place, so the relations keep refreshing incrementally without a rebuild. -#}
    {%- if execute -%}
        {%- set found = run_query(
            "select data_type from information_schema.columns where table_schema = '" ~ this.schema
            ~ "' and table_name = '" ~ this.identifier ~ "' and column_name = 'fingerprint'") -%}
        {%- if found.rows and found.rows[0][0] == 'text' -%}
            alter table {{ this }} alter column fingerprint type uuid using (
                case when fingerprint = 'present' then md5('present') else fingerprint end
            )::uuid
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{% macro day_piece(date_expression) -%}
    daterange(({{ date_expression }}), ({{ date_expression }}), '[]')
{%- endmacro %}
