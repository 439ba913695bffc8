{#- Revenue recognised per order (line) and accounting date: at a point in time when goods and services are
    delivered, ratably or by milestone for plans and subscriptions (releasing fct_deferred_revenue). -#}
{% set changes %}{% raw %}
    select organization_id, order_id from {{ changed_rows('revenue_recognition') }} as changed
    union all
    select organization_id, id from {{ changed_rows('orders') }} as changed
    union all
    {{ hard_deleted_rows('revenue_recognition', 'revenue_recognition_id', 'order_id') }}
{% endraw %}{% endset %}
{{ config(**keyed_incremental_config(['organization_id', 'order_id'], ['organization_id', 'revenue_recognition_id'], changes,
    extra_indexes=metric_day_indexes(['recognized_on']))) }}
with

recognition as (

    select * from {{ ref('stg_app__revenue_recognition') }} as recognition where {{ key_filter('recognition') }}

),

orders as (

    select organization_id, order_id, customer_id, sales_rep_user_id
    from {{ ref('stg_app__orders') }} as orders
    where {{ key_filter('orders') }}

)

select
    recognition.organization_id,
    recognition.revenue_recognition_id,
    recognition.order_id,
    recognition.order_line_item_id,
    recognition.deferred_revenue_id,
    orders.customer_id,
    orders.sales_rep_user_id,
    recognition.recognized_on,
    recognition.recognition_method,
    recognition.recognized_amount,
    recognition.currency,
    recognition.created_at,
    recognition.updated_at

from recognition
inner join orders on orders.organization_id = recognition.organization_id and orders.order_id = recognition.order_id
