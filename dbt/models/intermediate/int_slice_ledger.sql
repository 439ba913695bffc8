{#- What each daily reporting relation was last built from: per source row, the pieces it contributed (a range of
    days and a fingerprint of the values on them). Written by the relations' hooks (macros/incremental_slices.sql);
    dbt itself never rebuilds it, so a full refresh of one relation leaves the other relations' pieces alone.
    One index, by change key: a refresh reads the pieces of the keys that changed through it, and deletes the pieces
    it replaces by their row address (ctid), read in the same transaction. The ledger is the warehouse's largest
    table, about as many rows as the source rows of the daily relations; a unique index on the piece identity took
    more room than the table itself. Names are kept as codes (macros/incremental_slices.sql, slice_code), and the
    columns are ordered so that no byte is lost to alignment: about 100 bytes a row. -#}
{{
    config(
        materialized='incremental',
        full_refresh=false,
        pre_hook="{{ upgrade_slice_ledger() }}",
        post_hook="{{ slice_ledger_statistics() }}",
        indexes=[{'columns': ['model_code', 'change_code', 'organization_id', 'change_key']}],
    )
}}

select
    cast(null as bigint) as organization_id,
    cast(null as bigint) as change_key,
    cast(null as bigint) as row_id,
    cast(null as integer) as model_code,
    cast(null as integer) as source_code,
    cast(null as integer) as change_code,
    cast(null as uuid) as fingerprint,
    cast(null as daterange) as piece_days
where false
