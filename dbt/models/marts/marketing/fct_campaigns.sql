{#- One row per live marketing campaign with its reach (from campaign_recipients) and the pipeline it sourced
    (opportunities whose campaign_id is the campaign). -#}
with

campaigns as (

    select * from {{ ref('stg_app__email_campaigns') }}

),

recipients as (

    select
        organization_id,
        campaign_id,
        count(*) as recipients,
        count(sent_at) as sent,
        count(delivered_at) as delivered,
        count(opened_at) as opened,
        count(clicked_at) as clicked,
        count(bounced_at) as bounced,
        count(unsubscribed_at) as unsubscribed

    from {{ ref('stg_app__campaign_recipients') }}
    group by organization_id, campaign_id

),

sourced as (

    select
        organization_id,
        campaign_id,
        count(*) as opportunities,
        count(*) filter (where opportunity_status = 'won') as won_deals,
        coalesce(sum(amount) filter (where opportunity_status = 'won'), 0) as won_value

    from {{ ref('fct_opportunities') }}
    where campaign_id is not null
    group by organization_id, campaign_id

)

select
    campaigns.organization_id,
    campaigns.campaign_id,
    campaigns.campaign_name,
    campaigns.campaign_status,
    campaigns.channel,
    campaigns.campaign_type,
    campaigns.owner_user_id,
    campaigns.starts_at,
    campaigns.ends_at,
    campaigns.budget,
    coalesce(recipients.recipients, 0) as recipients,
    coalesce(recipients.sent, 0) as sent,
    coalesce(recipients.delivered, 0) as delivered,
    coalesce(recipients.opened, 0) as opened,
    coalesce(recipients.clicked, 0) as clicked,
    coalesce(recipients.bounced, 0) as bounced,
    coalesce(recipients.unsubscribed, 0) as unsubscribed,
    round(100.0 * recipients.opened / nullif(recipients.delivered, 0), 2) as open_rate,
    round(100.0 * recipients.clicked / nullif(recipients.delivered, 0), 2) as click_rate,
    coalesce(sourced.opportunities, 0) as opportunities_sourced,
    coalesce(sourced.won_deals, 0) as won_deals,
    coalesce(sourced.won_value, 0) as won_value,
    campaigns.created_at,
    campaigns.updated_at

from campaigns
left join recipients
    on recipients.organization_id = campaigns.organization_id and recipients.campaign_id = campaigns.campaign_id
left join sourced on sourced.organization_id = campaigns.organization_id and sourced.campaign_id = campaigns.campaign_id
