{#- Tenant-safe reference: every non-null (organization_id, column_name) exists as (organization_id, field) in
    `to`; a row can never point at another organization's row. -#}
{% test relationships_in_organization(model, column_name, to, field) %}
    select child.organization_id, child.{{ column_name }}
    from (select * from {{ model }}) as child
    where child.{{ column_name }} is not null
        and not exists (
            select 1
            from {{ to }} as parent
            where parent.organization_id = child.organization_id
                and parent.{{ field }} = child.{{ column_name }}
        )
{% endtest %}
