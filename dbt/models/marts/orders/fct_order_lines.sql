{#- One row per order line of a live order, with its product and the cost of goods it carries. -#}
{% set changes %}{% raw %}
    select organization_id, order_id from {{ changed_rows('order_line_items') }} as changed
    union all
    select organization_id, id from {{ changed_rows('orders') }} as changed
    union all
    select lines.organization_id, lines.order_id
    from {{ changed_rows('products') }} as changed
    inner join {{ source('app', 'order_line_items') }} as lines
        on lines.organization_id = changed.organization_id and lines.product_id = changed.id
    union all
    select lines.organization_id, lines.order_id
    from {{ changed_rows('categories') }} as changed
    inner join {{ source('app', 'products') }} as products
        on products.organization_id = changed.organization_id and products.category_id = changed.id
    inner join {{ source('app', 'order_line_items') }} as lines
        on lines.organization_id = products.organization_id and lines.product_id = products.id
    union all
    {{ hard_deleted_rows('order_line_items', 'order_line_item_id', 'order_id') }}
{% endraw %}{% endset %}
{{ config(**keyed_incremental_config(['organization_id', 'order_id'], ['organization_id', 'order_line_item_id'], changes,
    extra_indexes=metric_day_indexes(['invoice_date']))) }}

with

lines as (

    select order_line_items.*
    from {{ ref('stg_app__order_line_items') }} as order_line_items
    where {{ key_filter('order_line_items') }}

),

orders as (

    select organization_id, order_id, order_date, invoice_date, invoice_number, sales_rep_user_id, customer_id
    from {{ ref('stg_app__orders') }}

),

products as (

    select organization_id, product_id, product_type, category_id from {{ ref('stg_app__products') }}

),

categories as (

    select organization_id, category_id, category_name from {{ ref('stg_app__categories') }}

)

select
    lines.organization_id,
    lines.order_line_item_id,
    lines.order_id,
    lines.line_number,
    orders.order_date,
    orders.invoice_number is not null as is_invoiced,
    orders.invoice_date,
    orders.customer_id,
    orders.sales_rep_user_id,
    lines.product_id,
    products.product_type,
    products.category_id,
    categories.category_name as product_category,
    lines.quantity,
    lines.unit_price,
    lines.unit_cost,
    lines.discount_amount,
    lines.tax_amount,
    lines.line_total,
    -- Cost of goods sold of the line, rounded to the cent; 0 when the unit cost is unknown (counted apart).
    coalesce(round(lines.quantity * lines.unit_cost, 2), 0) as cost_of_goods_sold,
    lines.line_total - coalesce(round(lines.quantity * lines.unit_cost, 2), 0) as gross_margin,
    lines.created_at,
    lines.updated_at

from lines
inner join orders on orders.organization_id = lines.organization_id and orders.order_id = lines.order_id
left join products on products.organization_id = lines.organization_id and products.product_id = lines.product_id
left join categories
    on categories.organization_id = products.organization_id
    and categories.category_id = products.category_id
