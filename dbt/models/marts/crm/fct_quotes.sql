{#- One row per live quote with its status timeline as local business dates. -#}
{% set changes %}{% raw %}
    select organization_id, id from {{ changed_rows('quotes') }} as changed
{% endraw %}{% endset %}
{{ config(**keyed_incremental_config(['organization_id', 'quote_id'], ['organization_id', 'quote_id'], changes,
    extra_indexes=metric_day_indexes(['sent_date']))) }}

with

quotes as (

    select * from {{ ref('stg_app__quotes') }} as quotes where {{ key_filter('quotes') }}

),

organizations as (

    select organization_id, timezone from {{ ref('dim_organizations') }}

)

select
    quotes.organization_id,
    quotes.quote_id,
    quotes.quote_number,
    quotes.opportunity_id,
    quotes.customer_id,
    quotes.owner_user_id,
    quotes.quote_status,
    quotes.sent_at is not null as is_sent,
    quotes.sent_at,
    {{ local_date('quotes.sent_at', 'organizations.timezone') }} as sent_date,
    {{ local_date('quotes.accepted_at', 'organizations.timezone') }} as accepted_date,
    {{ local_date('quotes.rejected_at', 'organizations.timezone') }} as rejected_date,
    quotes.valid_until,
    quotes.subtotal,
    quotes.discount_total,
    quotes.tax_total,
    quotes.total,
    quotes.total - quotes.tax_total as net_total,
    quotes.currency,
    quotes.created_at,
    quotes.updated_at

from quotes
inner join organizations on organizations.organization_id = quotes.organization_id
