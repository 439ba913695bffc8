{#- Materials consumed on live jobs, at cost: quantity × unit cost, rounded to the cent per line. -#}
with

materials as (

    select * from {{ ref('stg_app__job_materials') }}

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
