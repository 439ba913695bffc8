{#- One row per credit note; issued and applied notes are effective (they reduce revenue on their issue date and
    the customer's balance); drafts and voided notes are not. -#}
{#- A note changes with its order's sales rep: the notes of the orders written since the watermark too. -#}
{% set changes %}{% raw %}
    select organization_id, id from {{ changed_rows('credit_notes') }} as changed
    union all
    select notes.organization_id, notes.id
    from {{ changed_rows('orders') }} as changed
    inner join {{ source('app', 'credit_notes') }} as notes
        on notes.organization_id = changed.organization_id and notes.order_id = changed.id
{% endraw %}{% endset %}
{{ config(**keyed_incremental_config(['organization_id', 'credit_note_id'], ['organization_id', 'credit_note_id'],
    changes, extra_indexes=metric_day_indexes(['issued_date']))) }}

with

credit_notes as (

    select * from {{ ref('stg_app__credit_notes') }} as credit_notes where {{ key_filter('credit_notes') }}

),

orders as (

    select organization_id, order_id, sales_rep_user_id from {{ ref('stg_app__orders') }}

)

select
    credit_notes.organization_id,
    credit_notes.credit_note_id,
    credit_notes.credit_note_number,
    credit_notes.customer_id,
    credit_notes.order_id,
    orders.sales_rep_user_id,
    credit_notes.return_authorization_id,
    credit_notes.credit_reason,
    credit_notes.credit_note_status,
    credit_notes.credit_note_status in ('issued', 'applied') as is_effective,
    credit_notes.issued_date,
    credit_notes.applied_at,
    credit_notes.currency,
    credit_notes.amount as credit_amount,
    credit_notes.tax_amount as credit_tax,
    credit_notes.total_amount as credit_total,
    credit_notes.created_at,
    credit_notes.updated_at

from credit_notes
left join orders
    on orders.organization_id = credit_notes.organization_id
    and orders.order_id = credit_notes.order_id
