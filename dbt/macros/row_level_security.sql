{#- Per-organization row-level security on a reporting relation. Dashboards connect as a role that is not the
    owner and set `app.organization_id` per session (set_config('app.organization_id', '42', false)); they then see
    that organization's rows only, and no rows when it is unset. The owner (dbt) is not subject to the policy
    (no FORCE ROW LEVEL SECURITY), so builds and tests see every row. Only DDL that is missing is run, so a
    refresh takes no lock that would block readers. -#}
{% macro enable_organization_rls(relation=this) %}
    do $rls$
    begin
        if not (select relrowsecurity from pg_class where oid = '{{ relation }}'::regclass) then
            alter table {{ relation }} enable row level security;
        end if;
        if not exists (
            select 1 from pg_policies
            where schemaname = '{{ relation.schema }}' and tablename = '{{ relation.identifier }}'
                and policyname = 'organization_isolation'
        ) then
            create policy organization_isolation on {{ relation }}
                for select
                using (organization_id = nullif(current_setting('app.organization_id', true), '')::bigint);
        end if;
    end
    $rls$;
{% endmacro %}
