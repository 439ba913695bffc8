{#- Deferred revenue balances: invoiced but not yet earned (service contracts, extended warranties), with what has
    been released to revenue so far and what remains deferred. -#}
with

deferred as (

    select * from {{ ref('stg_app__deferred_revenue') }}

),

orders as (

    select organization_id, order_id, customer_id from {{ ref('stg_app__orders') }}

)

select
    deferred.organization_id,
    deferred.deferred_revenue_id,
    deferred.order_id,
    deferred.order_line_item_id,
    deferred.warranty_id,
    orders.customer_id,
    deferred.deferral_status,
    deferred.period_start,
    deferred.period_end,
    deferred.total_deferred,
    deferred.recognized_to_date,
    deferred.total_deferred - deferred.recognized_to_date as remaining_deferred,
    deferred.currency,
    deferred.created_at,
    deferred.updated_at

from deferred
inner join orders on orders.organization_id = deferred.organization_id and orders.order_id = deferred.order_id
