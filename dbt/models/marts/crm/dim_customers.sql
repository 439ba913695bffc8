{#- One row per live customer (or lead) with its location, local acquisition dates and order history. Refreshed by
    customer (macros/incremental_keys.sql): its row, its addresses (and the one that located it, wherever that went)
    and its orders (fct_orders logs the customers of the rows it removed and added, so an order moved to another
    customer refreshes both). -#}
{% set changes %}{% raw %}
    select organization_id, id from {{ changed_rows('customers') }} as changed
    union all
    -- a changed address: the customer it belongs to, and the one it located (which it may have left)
    select changed.organization_id, customers.customer_id
    from {{ changed_rows('addresses') }} as changed
    left join {{ this }} as built
        on built.organization_id = changed.organization_id and built.location_address_id = changed.id
    cross join lateral (values (changed.customer_id), (built.customer_id)) as customers (customer_id)
    where customers.customer_id is not null
    union all
    {{ upstream_changes('fct_orders', 'customer_id') }}
    union all
    {{ hard_deleted_rows('customers', 'customer_id', 'customer_id') }}
{% endraw %}{% endset %}
{%- set keyed = keyed_incremental_config(['organization_id', 'customer_id'], ['organization_id', 'customer_id'],
    changes, extra_indexes=[['organization_id', 'location_address_id']] + metric_day_indexes(['became_customer_date'])) %}
{#- location_address_id came with keyed refreshes: a dim_customers built before (a table rebuilt whole) gets the
    column first, and its first keyed refresh (no watermark yet) recomputes every customer. -#}
{%- do keyed.update({'pre_hook': ["{{ add_missing_columns({'location_address_id': 'bigint'}) }}"]
    + keyed['pre_hook']}) %}
{{ config(**keyed) }}

with

customers as (

    select * from {{ ref('stg_app__customers') }} as customers where {{ key_filter('customers') }}

),

organizations as (

    select organization_id, timezone from {{ ref('dim_organizations') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

addresses as (

    -- the customer's default service address (else its default billing address) locates it
    select distinct on (organization_id, customer_id) organization_id, customer_id, address_id, city, region, country
    from {{ ref('stg_app__addresses') }} as addresses
    where is_default and {{ key_filter('addresses') }}
    order by organization_id, customer_id, (address_type = 'service') desc, (address_type = 'billing') desc, address_id

),

order_history as (

    select
        organization_id,
        customer_id,
        min(order_date) filter (where is_booked) as first_order_date,
        max(order_date) filter (where is_booked) as last_order_date,
        count(*) filter (where is_booked) as booked_orders,
        coalesce(sum(net_revenue) filter (where is_invoiced), 0) as invoiced_revenue,
        coalesce(sum(credited_amount), 0) as credited_amount

    from orders
    where {{ key_filter('orders') }}
    group by organization_id, customer_id

)

select
    customers.organization_id,
    customers.customer_id,
    customers.customer_number,
    customers.customer_name,
    customers.customer_type,
    customers.customer_status,
    customers.acquisition_source,
    customers.industry,
    customers.owner_user_id,
    addresses.city,
    addresses.region,
    addresses.country,
    customers.tax_exempt,
    customers.credit_limit,
    customers.payment_terms_days,
    customers.acquired_at,
    customers.became_customer_at,
    customers.churned_at,
    {{ local_date('customers.acquired_at', 'organizations.timezone') }} as acquired_date,
    {{ local_date('customers.became_customer_at', 'organizations.timezone') }} as became_customer_date,
    {{ local_date('customers.churned_at', 'organizations.timezone') }} as churned_date,
    order_history.first_order_date,
    order_history.last_order_date,
    coalesce(order_history.booked_orders, 0) as booked_orders,
    coalesce(order_history.invoiced_revenue, 0) - coalesce(order_history.credited_amount, 0) as lifetime_revenue,
    customers.created_at,
    customers.updated_at,
    addresses.address_id as location_address_id

from customers
inner join organizations on organizations.organization_id = customers.organization_id
left join addresses
    on addresses.organization_id = customers.organization_id
    and addresses.customer_id = customers.customer_id
left join order_history
    on order_history.organization_id = customers.organization_id
    and order_history.customer_id = customers.customer_id
