{#- Open receivables as of the as-of date, one row per installment still owed, with its ageing bucket by days
    past due: current (due today or later), 0-30 (1 to 30 days past due), 31-60, 61-90, 91-120, 120+. Effective
    credit notes are applied to an invoice's latest installments first. Written-off invoices are excluded. The
    open amounts add up to the invoice balances of fct_receivable_balance_periods on the as-of date. -#}
with

invoices as (

    select orders.organization_id, orders.order_id, orders.invoice_number, orders.invoice_date, orders.customer_id,
        orders.sales_rep_user_id, organizations.as_of_date
    from {{ ref('stg_app__orders') }} as orders
    inner join {{ ref('dim_organizations') }} as organizations
        on organizations.organization_id = orders.organization_id
    where orders.invoice_number is not null
        and orders.invoice_date is not null
        and orders.payment_status <> 'written_off'
        and orders.invoice_date <= organizations.as_of_date

),

installments as (

    select
        installments.organization_id,
        installments.order_id,
        installments.installment_number,
        installments.due_date,
        installments.amount_due,
        installments.amount_due
            - case when installments.payment_date <= invoices.as_of_date then installments.amount_paid else 0 end
            as unpaid_amount

    from {{ ref('fct_invoice_installments') }} as installments
    inner join invoices
        on invoices.organization_id = installments.organization_id
        and invoices.order_id = installments.order_id

),

credits as (

    select credits.organization_id, credits.order_id, sum(credits.credit_total) as credited
    from {{ ref('fct_credit_notes') }} as credits
    inner join invoices
        on invoices.organization_id = credits.organization_id
        and invoices.order_id = credits.order_id
    where credits.is_effective and credits.issued_date <= invoices.as_of_date
    group by credits.organization_id, credits.order_id

),

allocated as (

    select
        installments.*,
        coalesce(credits.credited, 0) as invoice_credited,
        coalesce(sum(installments.unpaid_amount) over (
            partition by installments.organization_id, installments.order_id
            order by installments.installment_number desc
            rows between unbounded preceding and 1 preceding
        ), 0) as unpaid_in_later_installments

    from installments
    left join credits
        on credits.organization_id = installments.organization_id
        and credits.order_id = installments.order_id

),

open_installments as (

    select
        allocated.*,
        greatest(
            0, allocated.unpaid_amount - greatest(0, allocated.invoice_credited - allocated.unpaid_in_later_installments)
        ) as open_amount

    from allocated

)

select
    open_installments.organization_id,
    open_installments.order_id,
    open_installments.installment_number,
    invoices.invoice_number,
    invoices.invoice_date,
    invoices.customer_id,
    invoices.sales_rep_user_id,
    open_installments.due_date,
    open_installments.amount_due,
    open_installments.unpaid_amount,
    open_installments.open_amount,
    invoices.as_of_date,
    invoices.as_of_date - open_installments.due_date as days_past_due,
    case
        when invoices.as_of_date - open_installments.due_date <= 0 then 'current'
        when invoices.as_of_date - open_installments.due_date <= 30 then '0-30'
        when invoices.as_of_date - open_installments.due_date <= 60 then '31-60'
        when invoices.as_of_date - open_installments.due_date <= 90 then '61-90'
        when invoices.as_of_date - open_installments.due_date <= 120 then '91-120'
        else '120+'
    end as ageing_bucket

from open_installments
inner join invoices
    on invoices.organization_id = open_installments.organization_id
    and invoices.order_id = open_installments.order_id
where open_installments.open_amount > 0
