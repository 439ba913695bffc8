{#- Materials consumed on live jobs, at cost: quantity × unit cost, rounded to the cent per line. -#}
{% set changes %}{% raw %}
    select organization_id, job_id from {{ changed_rows('job_materials') }} as changed
    union all
    select organization_id, id from {{ changed_rows('jobs') }} as changed
    union all
    {{ hard_deleted_rows('job_materials', 'job_material_id', 'job_id') }}
{% endraw %}{% endset %}
{{ config(**keyed_incremental_config(['organization_id', 'job_id'], ['organization_id', 'job_material_id'], changes)) }}
with

materials as (

    select * from {{ ref('stg_app__job_materials') }} as materials where {{ key_filter('materials') }}

),

jobs as (

    select organization_id, job_id from {{ ref('stg_app__jobs') }}

),

organizations as (

    select organization_id, timezone from {{ ref('dim_organizations') }}

)

select
    materials.organization_id,
    materials.job_material_id,
    materials.job_id,
    materials.product_id,
    materials.location_id,
    materials.used_at,
    {{ local_date('materials.used_at', 'organizations.timezone') }} as used_date,
    materials.quantity,
    materials.unit_cost,
    materials.unit_price,
    round(materials.quantity * materials.unit_cost, 2) as material_cost,
    materials.billable,
    materials.created_at,
    materials.updated_at

from materials
inner join jobs on jobs.organization_id = materials.organization_id and jobs.job_id = materials.job_id
inner join organizations on organizations.organization_id = materials.organization_id
