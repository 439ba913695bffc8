{#- Per keyed incremental model and organization: when the model was last refreshed (its watermark: the refresh's
    transaction start) and a fingerprint of the organization settings it was built with. Written by the models'
    post-hook (macros/incremental_keys.sql); never rebuilt by dbt (full_refresh false). -#}
{{
    config(
        materialized='incremental',
        full_refresh=false,
        indexes=[{'columns': ['model_name', 'organization_id'], 'unique': true}],
    )
}}

select
    cast(null as text) as model_name,
    cast(null as bigint) as organization_id,
    cast(null as text) as fingerprint,
    cast(null as timestamptz) as refreshed_at
where false
