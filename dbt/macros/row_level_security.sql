{#- What the read side (the `warehouse_reader` role: dashboards, custom reports, drill-downs, emails) may read, and
    how much of it. Every marts and reporting relation with an `organization_id` column gets, in the transaction
    that builds it:
    - forced row-level security with the policy `organization_isolation`: a row is visible when its organization
      is the one the server set for the transaction (`set_config('app.organization_id', ..., true)`), and no row is
      visible when none is set;
    - `owner_access` for the role that builds it (forced, the policies bind the owner too), so builds, tests and
      checks still see every row;
    - SELECT for the reader (USAGE on the schemas comes from `grant_reader_schemas`, once per invocation).
    A relation without `organization_id` (calendars) is not granted: the reader cannot read it at all. Only DDL
    that is missing runs, so a refresh of an incremental relation takes no lock that would block readers; a table
    rebuilt whole gets it before it is swapped in. tests/dbt/test_row_level_security.py lists every relation the
    reader can reach and fails on one without forced RLS and a policy. -#}
{% macro enable_organization_rls(relation=this) %}
    {%- set reader = var('reader_role', 'warehouse_reader') -%}
    do $rls$
    declare
        rel oid := '{{ relation }}'::regclass;
    begin
        if not exists (
            select 1 from pg_attribute where attrelid = rel and attname = 'organization_id' and not attisdropped
        ) or (select relkind from pg_class where oid = rel) not in ('r', 'p') then
            return;
        end if;
        if not (select relrowsecurity from pg_class where oid = rel) then
            alter table {{ relation }} enable row level security;
        end if;
        if not (select relforcerowsecurity from pg_class where oid = rel) then
            alter table {{ relation }} force row level security;
        end if;
        if not exists (
            select 1 from pg_policy where polrelid = rel and polname = 'organization_isolation'
        ) then
            create policy organization_isolation on {{ relation }}
                for select
                using (organization_id = nullif(current_setting('app.organization_id', true), '')::bigint);
        end if;
        if not exists (select 1 from pg_policy where polrelid = rel and polname = 'owner_access') then
            create policy owner_access on {{ relation }} to current_user using (true) with check (true);
        end if;
        if not has_table_privilege('{{ reader }}', rel, 'select') then
            grant select on {{ relation }} to {{ reader }};
        end if;
    end
    $rls$;
{% endmacro %}


{#- USAGE on the readable schemas for the reader (on-run-start: once, not from parallel model threads, which
    would update the schema's privileges concurrently). -#}
{% macro grant_reader_schemas() %}
    {%- set reader = var('reader_role', 'warehouse_reader') -%}
    do $grant$
    declare
        readable text;
    begin
        foreach readable in array array['{{ generate_schema_name('marts') }}', '{{ generate_schema_name('reporting') }}'] loop
            if exists (select 1 from pg_namespace where nspname = readable)
                and not has_schema_privilege('{{ reader }}', readable, 'usage') then
                execute format('grant usage on schema %I to {{ reader }}', readable);
            end if;
        end loop;
    end
    $grant$;
{% endmacro %}
