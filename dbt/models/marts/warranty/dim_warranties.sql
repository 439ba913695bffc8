{#- One row per live warranty with its policy; a warranty covers its product from start_date through end_date
    (extensions included) unless it was voided. -#}
with

warranties as (

    select * from {{ ref('stg_app__warranties') }}

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
