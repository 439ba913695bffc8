{#- One row per live warranty with its policy; a warranty covers its product from start_date through end_date
    (extensions included) unless it was voided. Refreshed by warranty (macros/incremental_keys.sql). -#}
{% set changes %}{% raw %}
    select organization_id, id from {{ changed_rows('warranties') }} as changed
    union all
    select warranties.organization_id, warranties.id
    from {{ changed_rows('warranty_policies') }} as policies
    inner join {{ source('app', 'warranties') }} as warranties
        on warranties.organization_id = policies.organization_id and warranties.warranty_policy_id = policies.id
    union all
    {{ hard_deleted_rows('warranties', 'warranty_id', 'warranty_id') }}
{% endraw %}{% endset %}
{{ config(**keyed_incremental_config(['organization_id', 'warranty_id'], ['organization_id', 'warranty_id'],
    changes)) }}
with

warranties as (

    select * from {{ ref('stg_app__warranties') }} as warranties where {{ key_filter('warranties') }}

),

policies as (

    select * from {{ ref('stg_app__warranty_policies') }}

),

organizations as (

    select organization_id, timezone from {{ ref('dim_organizations') }}

)

select
    warranties.organization_id,
    warranties.warranty_id,
    warranties.warranty_number,
    warranties.customer_id,
    warranties.product_id,
    warranties.order_id,
    warranties.job_id,
    warranties.warranty_policy_id,
    policies.policy_name,
    policies.coverage_type,
    policies.duration_months,
    warranties.warranty_status,
    warranties.warranty_status <> 'void' as is_in_force,
    warranties.serial_number,
    warranties.registered_at,
    {{ local_date('warranties.registered_at', 'organizations.timezone') }} as registered_date,
    warranties.start_date,
    warranties.end_date,
    warranties.created_at,
    greatest(warranties.updated_at, policies.updated_at) as updated_at

from warranties
inner join organizations on organizations.organization_id = warranties.organization_id
left join policies
    on policies.organization_id = warranties.organization_id
    and policies.warranty_policy_id = warranties.warranty_policy_id
