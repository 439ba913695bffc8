{#-
    Incremental refresh of the daily reporting relations by (organization, day) slices.

    Each daily relation has a companion view, `int_<relation>__contributions`: for every source row that feeds the
    relation, the pieces of what it contributes. A piece is a date range of the relation's days (one day for an
    event such as an order placed; an interval for a state such as an open invoice balance) and a fingerprint of
    the values the row contributes on those days. `int_slice_ledger` keeps the pieces each relation was last built
    from, with the relation's, table's and model's names as codes (`slice_code`).

    Each piece also names the keyed incremental model it is read from and that model's refresh key (change_model,
    change_key: macros/incremental_keys.sql), or no model when it is read from a table rebuilt whole.

    A refresh (all inside one transaction: dbt opens it before the pre-hooks and commits after the post-hooks):
      1. pre-hook `capture_slice_changes`: under the refresh locks of the keyed models it reads, it selects the
         pieces that can have changed: those of the keys the keyed models logged in int_refresh_changes since the
         relation's watermark (each key probes its branch's index), plus every piece with no change model or of a
         keyed model built whole since (or every piece, on the first refresh); and the same ledger rows. Pieces in
         the view but not in the ledger, or in the ledger but no longer in the view, are the changes. For each
         source row, the days covered by its changed pieces, minus the days where its old and new pieces carry the
         same fingerprint, are the days whose inputs changed: a payment on an old invoice changes the balance from
         the payment day on, so only those days are rebuilt, while a late change to an old order rebuilds that old
         day. Add the organization-days that entered or left the calendar (int_reporting_days, e.g. a new day) and
         an optional --vars window {start_date, end_date}: the slices to rebuild go to a temporary table
         `<relation>__slices`;
      2. the model SQL, through `slice_filter`, computes those slices only, from all current data, with the same
         SQL a full build uses, so the result equals a full rebuild;
      3. incremental strategy `slices` deletes the relation's rows of those slices and inserts the new ones;
      4. post-hook `record_slice_changes` brings the ledger up to date (only the pieces that changed are written)
         and sets the relation's watermark in int_refresh_watermarks (the time of writing, under the locks, and the
         checksum of the contributions view's definition).
    Readers see the relation before or after the refresh, never in between. A full refresh builds the relation
    aside and swaps it in (dbt's atomic rename) and rewrites the relation's ledger.
-#}

{% macro slice_code(name) -%}
    {#- A name (relation, source table, keyed model) as the ledger keeps it: 4 bytes instead of its text, in each of
        the warehouse's largest table's rows and its index. The names are few and fixed by the project
        (tests/dbt/test_incremental.py checks that no two of them share a code and none is 0). NULL stays NULL.
        hashtext has not changed since PostgreSQL 8.4, but it is not documented as stable: were a major upgrade to
        change it, that test would show it, and the daily relations would need a full refresh. -#}
    hashtext({{ name }})
{%- endmacro %}


{% macro slice_name_code(name) -%}
    {#- The code of a name known when the SQL is compiled (a relation's or keyed model's identifier). -#}
    {{ slice_code("'" ~ name ~ "'") }}
{%- endmacro %}


{% macro slice_piece_codes(alias) -%}
    {#- A contributions view's piece as the ledger keeps it (the columns of `slice_piece_columns`). -#}
    {{ slice_code(alias ~ '.source_table') }} as source_code, {{ slice_code(alias ~ '.change_model') }} as change_code,
    {{ alias }}.organization_id, {{ alias }}.change_key, {{ alias }}.row_id, {{ alias }}.piece_days,
    {{ alias }}.fingerprint
{%- endmacro %}


{% macro slice_piece_columns(alias=none) -%}
    {%- set prefix = alias ~ '.' if alias else '' -%}
    {{ prefix }}source_code, {{ prefix }}change_code, {{ prefix }}organization_id, {{ prefix }}change_key,
    {{ prefix }}row_id, {{ prefix }}piece_days, {{ prefix }}fingerprint
{%- endmacro %}


{% macro slice_temp_name(suffix) -%}
    {{ this.identifier ~ '__' ~ suffix }}
{%- endmacro %}


{% macro changes_of(model_name) -%}
    {#- In a contributions view, the change_model of a branch: the keyed incremental model
        (macros/incremental_keys.sql) the branch reads, whose refreshed keys (int_refresh_changes) tell which of the
        branch's pieces can have changed; the branch's change_key is that model's refresh key (an order or job id).
        none for a branch read from a table rebuilt whole: its pieces are compared on every refresh. -#}
    {%- if model_name is none -%}
    null::text
    {%- else -%}
    {%- if execute -%}
        {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ model_name) -%}
        {%- if node is none or node.config.get('incremental_strategy') != 'keyed' -%}
            {{ exceptions.raise_compiler_error(
                "changes_of('" ~ model_name ~ "'): not a keyed incremental model, so its changes are not logged") }}
        {%- endif -%}
    {%- endif -%}
    '{{ ref(model_name).identifier }}'::text
    {%- endif -%}
{%- endmacro %}


{% macro keyed_inputs(contributions_model) -%}
    {#- The keyed incremental models a contributions view reads, as relations (sorted, so locks are taken in order). -#}
    {%- set found = [] -%}
    {%- if execute -%}
        {%- set view = graph.nodes.get('model.' ~ project_name ~ '.' ~ contributions_model) -%}
        {%- for unique_id in view.depends_on.nodes | sort -%}
            {%- set node = graph.nodes.get(unique_id) -%}
            {%- if node and node.config.get('incremental_strategy') == 'keyed' -%}
                {%- do found.append(api.Relation.create(database=node.database, schema=node.schema,
                    identifier=node.alias)) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}


{% macro lock_keyed_inputs(contributions_model) -%}
    {#- Take the refresh lock of every keyed model the relation reads (the one their pre-hook takes), until commit: a
        refresh of one of them in flight finishes first, and one starting now waits for this refresh. So the keys
        they logged before this relation's watermark (written under these locks) are all visible to it, and those
        logged after it come after the watermark: no lookback is needed. Shared: the relations (and
        int_metric_daily_values) reading the same keyed model do not wait for each other, only for its refresh. -#}
    select 1
    {%- for relation in keyed_inputs(contributions_model) %},
        pg_advisory_xact_lock_shared(hashtext('keyed:{{ relation | string }}'))
    {%- endfor %}
{%- endmacro %}


{% macro contributions_version(contributions_model) -%}
    {#- Checksum of the contributions view's definition, kept with the relation's watermark: when the view changes
        (a branch added, or read from another model), its pieces no longer match the ledger's one for one. -#}
    {%- set view = graph.nodes.get('model.' ~ project_name ~ '.' ~ contributions_model) if execute else none -%}
    {{- view.checksum.checksum if view else '' -}}
{%- endmacro %}


{% macro slice_comparison_scope(contributions_model) %}
    {#- What an incremental refresh compares with the ledger, decided under the keyed models' locks (taken here):
        {'all': true} when the relation has no watermark yet, its contributions view changed since (a new version
        of the project), or int_refresh_changes no longer covers the time since it (older changes are deleted);
        otherwise {'all': false, 'whole': [...], 'by_key': [...]}: the keyed models built whole since then (a NULL
        key), whose branches are compared in full like those read from tables, and the other keyed models read,
        whose logged keys say which pieces to compare. -#}
    {%- do run_query(lock_keyed_inputs(contributions_model)) -%}
    {%- set found = run_query(
        "select since is not null and since >= now() - interval '" ~ var('refresh_changes_kept') ~ "'"
        ~ " and version = '" ~ contributions_version(contributions_model) ~ "',"
        ~ " (select string_agg(distinct changes.model_name, ',' order by changes.model_name)"
        ~ "  from " ~ ref('int_refresh_changes') ~ " as changes"
        ~ "  where changes.key_id is null and changes.refreshed_at >= since)"
        ~ " from (select " ~ slice_refresh_since() ~ " as since,"
        ~ "  (select max(fingerprint) from " ~ ref('int_refresh_watermarks')
        ~ "   where model_name = '" ~ this.identifier ~ "') as version) as mark") -%}
    {%- set row = found.rows[0] -%}
    {%- set whole = (row[1] or '').split(',') | select | list -%}
    {%- set by_key = [] -%}
    {%- for relation in keyed_inputs(contributions_model) if relation.identifier not in whole -%}
        {%- do by_key.append(relation.identifier) -%}
    {%- endfor -%}
    {{ return({'all': not row[0], 'whole': whole, 'by_key': by_key}) }}
{% endmacro %}


{% macro slice_refresh_since() -%}
    {#- The relation's watermark: when its last refresh recorded its pieces (NULL before one). -#}
    (select min(watermarks.refreshed_at)
     from {{ ref('int_refresh_watermarks') }} as watermarks
     where watermarks.model_name = '{{ this.identifier }}')
{%- endmacro %}


{% macro slice_piece_identity(left, right) -%}
    {#- Same piece: same source row, days and fingerprint, read through the same change key (a ledger row written
        before change keys existed has none, so it is replaced once by the same piece with its key). -#}
    {{ right }}.source_code = {{ left }}.source_code
        and coalesce({{ right }}.change_code, 0) = coalesce({{ left }}.change_code, 0)
        and {{ right }}.organization_id = {{ left }}.organization_id
        and {{ right }}.change_key = {{ left }}.change_key
        and {{ right }}.row_id = {{ left }}.row_id
        and {{ right }}.piece_days = {{ left }}.piece_days
        and {{ right }}.fingerprint = {{ left }}.fingerprint
{%- endmacro %}


{% macro capture_slice_changes(contributions_model, date_column='metric_date') %}
    {%- set ledger = ref('int_slice_ledger') -%}
    {%- set contributions = ref(contributions_model) -%}
    {%- set model_name = this.identifier -%}
    {#- read only by an incremental refresh, named here so that dbt sees the refs when it parses -#}
    {%- set bookkeeping = [ref('int_refresh_changes'), ref('int_refresh_watermarks'), ref('dim_organizations')] -%}
    {%- set keys = slice_temp_name('keys') -%}
    {%- set pieces = slice_temp_name('pieces') -%}
    {%- set ledgered = slice_temp_name('ledgered') -%}
    {%- set changes = slice_temp_name('changes') -%}
    {%- set slices = slice_temp_name('slices') -%}
    {%- set model_code = slice_name_code(model_name) %}
    -- one refresh of this relation at a time, and none of the keyed models it reads meanwhile (an incremental
    -- refresh took their locks in slice_comparison_scope, before deciding what to compare); released at commit
    select pg_advisory_xact_lock(hashtext('slices:{{ this }}'));
    {% if not is_incremental() %}{{ lock_keyed_inputs(contributions_model) }};{% endif %}

    drop table if exists "{{ keys }}";
    drop table if exists "{{ pieces }}";
    drop table if exists "{{ ledgered }}";
    drop table if exists "{{ changes }}";
    {% if is_incremental() %}
    {%- set scope = slice_comparison_scope(contributions_model) if execute else {'all': true, 'whole': []} %}
    {%- if scope['all'] %}
    -- no usable watermark: every piece is compared
    create temporary table "{{ pieces }}" on commit drop as
    select {{ slice_piece_codes('contributions') }} from {{ contributions }} as contributions;

    create temporary table "{{ ledgered }}" on commit drop as
    select {{ slice_piece_columns('ledgered') }}, ledgered.ctid as ledger_row
    from {{ ledger }} as ledgered where ledgered.model_code = {{ model_code }};
    {%- else %}
    -- the keys the keyed models refreshed since this relation's last refresh: only their pieces can have changed
    -- (branches read from tables, or from a keyed model built whole since, are compared in full)
    {%- set whole_condition -%}
        contributions.change_model is null
        {%- for whole in scope['whole'] %} or contributions.change_model = '{{ whole }}'{% endfor %}
    {%- endset %}
    {%- set ledger_whole_condition -%}
        ledgered.change_code is null
        {%- for whole in scope['whole'] %} or ledgered.change_code = {{ slice_name_code(whole) }}{% endfor %}
    {%- endset %}
    create temporary table "{{ keys }}" on commit drop as
    select distinct changes.model_name as change_model, {{ slice_code('changes.model_name') }} as change_code,
        changes.organization_id, changes.key_id as change_key
    from {{ ref('int_refresh_changes') }} as changes
    where changes.refreshed_at >= {{ slice_refresh_since() }} and changes.key_id is not null
        and changes.model_name = any(array[
            {%- for name in scope['by_key'] %}'{{ name }}'{{ ', ' if not loop.last }}{% endfor %}]::text[]);
    analyze "{{ keys }}";

    create temporary table "{{ pieces }}" on commit drop as
    select {{ slice_piece_codes('contributions') }}
    from {{ contributions }} as contributions
    where {{ whole_condition }}
    union all
    select {{ slice_piece_codes('contributions') }}
    from "{{ keys }}" as changed_keys
    cross join lateral (
        -- offset 0 keeps this a lateral subquery: each key probes each branch's index (a branch of another keyed
        -- model is skipped by its constant change_model), instead of the view being computed whole and joined
        select * from {{ contributions }} as contributions
        where contributions.change_model = changed_keys.change_model
            and contributions.organization_id = changed_keys.organization_id
            and contributions.change_key = changed_keys.change_key
        offset 0
    ) as contributions;

    create temporary table "{{ ledgered }}" on commit drop as
    select {{ slice_piece_columns('ledgered') }}, ledgered.ctid as ledger_row from {{ ledger }} as ledgered
    where ledgered.model_code = {{ model_code }} and ({{ ledger_whole_condition }})
    union all
    select {{ slice_piece_columns('ledgered') }}, ledgered.ctid
    from "{{ keys }}" as changed_keys
    inner join {{ ledger }} as ledgered
        on ledgered.model_code = {{ model_code }}
        and ledgered.change_code = changed_keys.change_code
        and ledgered.organization_id = changed_keys.organization_id
        and ledgered.change_key = changed_keys.change_key;
    {%- endif %}

    create temporary table "{{ changes }}" on commit drop as
    select
        coalesce(current_pieces.source_code, ledgered.source_code) as source_code,
        coalesce(current_pieces.change_code, ledgered.change_code) as change_code,
        coalesce(current_pieces.organization_id, ledgered.organization_id) as organization_id,
        coalesce(current_pieces.change_key, ledgered.change_key) as change_key,
        coalesce(current_pieces.row_id, ledgered.row_id) as row_id,
        coalesce(current_pieces.fingerprint, ledgered.fingerprint) as fingerprint,
        current_pieces.piece_days as new_days,
        ledgered.piece_days as old_days,
        ledgered.ledger_row
    from "{{ pieces }}" as current_pieces
    full outer join "{{ ledgered }}" as ledgered
        on {{ slice_piece_identity('current_pieces', 'ledgered') }}
    where current_pieces.row_id is null or ledgered.row_id is null;

    drop table if exists "{{ slices }}";
    create temporary table "{{ slices }}" on commit drop as
    with

    touched as (
        select source_code, organization_id, row_id, range_agg(coalesce(new_days, old_days)) as days
        from "{{ changes }}"
        group by source_code, organization_id, row_id
    ),

    unchanged as (
        -- days where a row's old and new pieces carry the same values
        select old_piece.source_code, old_piece.organization_id, old_piece.row_id,
            range_agg(old_piece.old_days * new_piece.new_days) as days
        from "{{ changes }}" as old_piece
        inner join "{{ changes }}" as new_piece
            on new_piece.source_code = old_piece.source_code
            and new_piece.organization_id = old_piece.organization_id
            and new_piece.row_id = old_piece.row_id
            and new_piece.fingerprint = old_piece.fingerprint
            and new_piece.old_days is null
            and old_piece.new_days is null
            and new_piece.new_days && old_piece.old_days
        group by old_piece.source_code, old_piece.organization_id, old_piece.row_id
    ),

    changed_days as (
        select touched.organization_id,
            range_agg(touched.days - coalesce(unchanged.days, '{}'::datemultirange)) as days
        from touched
        left join unchanged
            on unchanged.source_code = touched.source_code
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
    -- full build: the ledger is rewritten from all current pieces, read here, before the relation is built from the
    -- same inputs (an input rebuilt in between then shows as a change at the next refresh), and straight into the
    -- ledger (a temporary copy of them all would take as much disk again as the relation's part of the ledger)
    delete from {{ ledger }} where model_code = {{ model_code }};
    insert into {{ ledger }} ({{ slice_piece_columns() }}, model_code)
    select {{ slice_piece_codes('contributions') }}, {{ model_code }}
    from {{ contributions }} as contributions;
    -- no changes for the post-hook to record
    create temporary table "{{ changes }}" (
        source_code integer, change_code integer, organization_id bigint, change_key bigint, row_id bigint,
        fingerprint uuid, new_days daterange, old_days daterange, ledger_row tid
    ) on commit drop;
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


{% macro record_slice_changes(contributions_model) %}
    {#- Post-hook: the ledger takes the pieces that changed; the relation's watermark becomes now (the keyed models'
        locks are still held) with the checksum of its contributions view. -#}
    {%- set ledger = ref('int_slice_ledger') -%}
    {%- set changes = slice_temp_name('changes') -%}
    {%- set model_code = slice_name_code(this.identifier) %}
    -- the pieces replaced, by the row addresses the pre-hook read them at: this transaction has held the
    -- relation's lock since, and nothing moves a row of a table it reads (VACUUM FULL would wait for it)
    delete from {{ ledger }}
    where ctid = any(array(select ledger_row from "{{ changes }}" where new_days is null))
        and model_code = {{ model_code }};

    insert into {{ ledger }} ({{ slice_piece_columns() }}, model_code)
    select source_code, change_code, organization_id, change_key, row_id, new_days, fingerprint, {{ model_code }}
    from "{{ changes }}"
    where new_days is not null;

    {{ record_watermark("'" ~ contributions_version(contributions_model) ~ "'", 'clock_timestamp()') }};
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
        'post_hook': ["{{ record_slice_changes('" ~ contributions_model ~ "') }}"],
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
    {#- Pre-hook of int_slice_ledger (never rebuilt): a ledger written by an earlier version is rewritten once in
        place, in the current layout, so the relations keep refreshing incrementally without a rebuild. Earlier
        layouts kept the relation's, table's and model's names as text and the pieces' updated_at (never read), and
        the oldest ones also had:
        - fingerprints as md5 hex text ('present' for presence-only pieces), now uuids;
        - no change keys: their pieces are replaced at the relations' next refresh, which compares every piece
          because they have no watermark yet (slice_comparison_scope) and rebuilds no day for them (the same pieces
          come back with their keys);
        - a unique index on the piece identity, which took more room than the rows (pieces are deleted by row
          address now).
        The rewrite drops the old table and its indexes; the new one gets the change-key index and statistics. It
        needs, for a moment, the disk of both ledgers. -#}
    {%- if execute -%}
        {%- set found = run_query(
            "select column_name, data_type from information_schema.columns where table_schema = '" ~ this.schema
            ~ "' and table_name = '" ~ this.identifier ~ "'") -%}
        {%- set types = {} -%}
        {%- for row in found.rows -%}{%- do types.update({row[0]: row[1]}) -%}{%- endfor -%}
        {%- if types and 'model_code' not in types -%}
            {%- set keyed = 'change_key' in types -%}
            {%- set upgraded = adapter.quote(this.schema) ~ '.' ~ adapter.quote(this.identifier ~ '__upgraded') %}
            drop table if exists {{ upgraded }};
            create table {{ upgraded }} as
            select organization_id,
                {{ 'change_key' if keyed else 'null::bigint' }} as change_key,
                row_id,
                {{ slice_code('model_name') }} as model_code,
                {{ slice_code('source_table') }} as source_code,
                {{ slice_code('change_model') if keyed else 'null::integer' }} as change_code,
                {%- if types.get('fingerprint') == 'uuid' %}
                fingerprint,
                {%- else %}
                (case when fingerprint = 'present' then md5('present') else fingerprint end)::uuid as fingerprint,
                {%- endif %}
                piece_days
            from {{ this }};
            drop table {{ this }};
            alter table {{ upgraded }} rename to {{ adapter.quote(this.identifier) }};
            create index {{ adapter.quote(this.identifier ~ '__change_keys') }}
                on {{ this }} (model_code, change_code, organization_id, change_key);
            analyze {{ this }};
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{% macro slice_ledger_statistics() -%}
    {#- Post-hook of int_slice_ledger: how many of a relation's pieces have no change model (read from tables, compared
        on every refresh) depends on the relation; without joint statistics the planner guesses their number from
        the whole ledger and scans all of it instead of the change-key index. -#}
    create statistics if not exists {{ this.schema }}.{{ this.identifier }}__model_change_code (mcv)
        on model_code, change_code from {{ this }}
{%- endmacro %}


{% macro day_piece(date_expression) -%}
    daterange(({{ date_expression }}), ({{ date_expression }}), '[]')
{%- endmacro %}
