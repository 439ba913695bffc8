{#- The keys each keyed incremental model refreshed, and when: the models downstream with the same refresh key read
    them (upstream_changes), which is how a hard-deleted child row reaches its parent's aggregates. Written by the
    models' post-hook (macros/incremental_keys.sql), kept for var refresh_changes_kept; never rebuilt by dbt. -#}
{{
    config(
        materialized='incremental',
        full_refresh=false,
        indexes=[{'columns': ['model_name', 'refreshed_at']}],
    )
}}

select
    cast(null as text) as model_name,
    cast(null as bigint) as organization_id,
    cast(null as bigint) as key_id,
    cast(null as timestamptz) as refreshed_at
where false
