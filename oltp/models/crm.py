"""CRM Core: customers with their contacts, addresses, tags, health and priority history, and the sales pipeline
(opportunities, quotes and their versions, pipeline activities, win/loss reasons)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Index, String, Text, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from oltp.models import columns as col
from oltp.models.base import TIMESTAMPTZ, SoftDeleteMixin, TenantBase

ACQUISITION_SOURCES = (
    "referral",
    "website",
    "phone_inbound",
    "walk_in",
    "advertising",
    "campaign",
    "trade_show",
    "partner",
    "outbound",
    "other",
)
OPPORTUNITY_STAGES = ("lead", "qualified", "proposal", "negotiation", "won", "lost")


class Customer(SoftDeleteMixin, TenantBase):
    """A residential or commercial customer, from first capture as a lead through churn.

    First order date and lifetime value are derived from orders in the warehouse and deliberately not stored.
    """

    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("organization_id", "customer_number"),
        CheckConstraint(
            "became_customer_at is null or became_customer_at >= acquired_at", name="became_customer_after_acquired"
        ),
        CheckConstraint(
            "churned_at is null or churned_at >= coalesce(became_customer_at, acquired_at)",
            name="churned_after_became_customer",
        ),
        CheckConstraint("status <> 'churned' or churned_at is not null", name="churned_has_churned_at"),
        Index(None, "organization_id", "owner_user_id"),
        {"comment": "Customers and leads: residential households and commercial accounts."},
    )

    customer_number: Mapped[str] = mapped_column(String(40), comment="Human customer number, unique per org.")
    name: Mapped[str] = mapped_column(String(200), comment="Display name: household or company name.")
    legal_name: Mapped[str | None] = mapped_column(String(200), comment="Registered company name, if different.")
    customer_type: Mapped[str] = col.one_of(
        ("residential", "commercial"), "Household or business customer.", default="residential"
    )
    status: Mapped[str] = col.one_of(("lead", "active", "inactive", "churned"), "Customer lifecycle.", default="lead")
    owner_user_id: Mapped[int | None] = col.fk("users", "Account owner (salesperson) responsible for the customer.")
    source: Mapped[str | None] = col.one_of(ACQUISITION_SOURCES, "How the customer was acquired.", nullable=True)
    industry: Mapped[str | None] = mapped_column(String(80), comment="Industry of a commercial customer.")
    email: Mapped[str | None] = mapped_column(String(320), comment="Main e-mail address of the account.")
    phone: Mapped[str | None] = mapped_column(String(40), comment="Main phone number of the account.")
    website: Mapped[str | None] = mapped_column(String(300))
    tax_number: Mapped[str | None] = mapped_column(String(40), comment="VAT / tax registration number.")
    tax_exempt: Mapped[bool] = mapped_column(server_default="false", comment="True when sales are not taxed.")
    acquired_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the business first captured the customer or lead."
    )
    became_customer_at: Mapped[datetime | None] = col.timestamp(
        "When the lead converted to a paying customer; NULL while still a lead."
    )
    churned_at: Mapped[datetime | None] = col.timestamp("When the customer was marked churned.")
    credit_limit: Mapped[Decimal | None] = col.money(
        "Maximum open receivable allowed; NULL means no limit.", nullable=True, default=None
    )
    payment_terms_days: Mapped[int] = col.count("Days after invoice until payment is due.", default=30)
    external_ref: Mapped[str | None] = mapped_column(
        String(100), comment="Identifier in an external system (accounting, legacy CRM)."
    )
    notes: Mapped[str | None] = mapped_column(Text)
    custom_fields: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default="{}", comment="Organization-defined extra fields."
    )


class Contact(SoftDeleteMixin, TenantBase):
    """A person at a customer: the homeowner, a facility manager, an accounts-payable clerk."""

    __tablename__ = "contacts"
    __table_args__ = (
        Index(None, "organization_id", "customer_id"),
        Index(
            "uq_contacts_primary_per_customer",
            "organization_id",
            "customer_id",
            unique=True,
            postgresql_where=text("is_primary and deleted_at is null"),
        ),
        {"comment": "People at customers that the business talks to."},
    )

    customer_id: Mapped[int] = col.fk(
        "customers", "Customer the person belongs to.", nullable=False, ondelete="CASCADE"
    )
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    mobile: Mapped[str | None] = mapped_column(String(40))
    job_title: Mapped[str | None] = mapped_column(String(120))
    is_primary: Mapped[bool] = mapped_column(
        server_default="false", comment="Main contact of the customer; at most one live primary per customer."
    )
    preferred_channel: Mapped[str | None] = col.one_of(
        ("email", "phone", "sms"), "How the contact prefers to be reached.", nullable=True
    )
    marketing_opt_in: Mapped[bool] = mapped_column(
        server_default="false", comment="True when the contact agreed to receive marketing campaigns."
    )
    notes: Mapped[str | None] = mapped_column(Text)


class Address(SoftDeleteMixin, TenantBase):
    """A postal address of a customer: billing, shipping, or an installation / service site."""

    __tablename__ = "addresses"
    __table_args__ = (
        Index(None, "organization_id", "customer_id"),
        Index(
            "uq_addresses_default_per_customer_type",
            "organization_id",
            "customer_id",
            "address_type",
            unique=True,
            postgresql_where=text("is_default and deleted_at is null"),
        ),
        {"comment": "Customer addresses: billing, shipping and service sites."},
    )

    customer_id: Mapped[int] = col.fk(
        "customers", "Customer the address belongs to.", nullable=False, ondelete="CASCADE"
    )
    address_type: Mapped[str] = col.one_of(
        ("billing", "shipping", "service", "mailing"), "Use of the address.", default="service"
    )
    label: Mapped[str | None] = mapped_column(String(120), comment="Short name, e.g. 'Main office', 'Lake house'.")
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(120), comment="State, province or county.")
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2), server_default="US", comment="ISO 3166-1 alpha-2 country code.")
    is_default: Mapped[bool] = mapped_column(
        server_default="false", comment="Default address of its type for the customer; at most one live per type."
    )
    access_notes: Mapped[str | None] = mapped_column(Text, comment="Site access instructions for technicians.")


class CustomerActivity(TenantBase):
    """Something that happened with a customer: a call, a meeting, a note, a status change."""

    __tablename__ = "customer_activities"
    __table_args__ = (
        CheckConstraint("completed_at is null or completed_at >= occurred_at", name="completed_after_occurred"),
        Index(None, "organization_id", "customer_id"),
        Index(None, "organization_id", "occurred_at"),
        {"comment": "Timeline of interactions and events per customer."},
    )

    customer_id: Mapped[int] = col.fk("customers", "Customer the activity is about.", nullable=False)
    contact_id: Mapped[int | None] = col.fk("contacts", "Contact involved, if any.")
    user_id: Mapped[int | None] = col.fk("users", "Staff member who performed or logged the activity.")
    activity_type: Mapped[str] = col.one_of(
        ("call", "email", "meeting", "note", "site_visit", "task", "status_change"),
        "Kind of activity.",
        default="note",
    )
    subject: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the activity happened (or is due, for tasks)."
    )
    completed_at: Mapped[datetime | None] = col.timestamp("When a task-like activity was completed.")
    duration_seconds: Mapped[int | None] = col.count(
        "Length of a call or meeting in seconds.", nullable=True, default=None
    )


class CustomerTag(TenantBase):
    """A label that segments customers, e.g. 'VIP', 'Solar prospect'."""

    __tablename__ = "customer_tags"
    __table_args__ = (UniqueConstraint("organization_id", "name"), {"comment": "Tags for segmenting customers."})

    name: Mapped[str] = mapped_column(String(80))
    color: Mapped[str | None] = mapped_column(String(7), comment="Hex colour shown in the UI, e.g. #1E88E5.")
    description: Mapped[str | None] = mapped_column(Text)


class CustomerTagAssignment(TenantBase):
    """A tag put on a customer."""

    __tablename__ = "customer_tag_assignments"
    __table_args__ = (
        UniqueConstraint("organization_id", "customer_id", "tag_id"),
        Index(None, "organization_id", "tag_id"),
        {"comment": "Which tags are on which customers."},
    )

    customer_id: Mapped[int] = col.fk("customers", nullable=False, ondelete="CASCADE")
    tag_id: Mapped[int] = col.fk("customer_tags", "The tag.", nullable=False, ondelete="CASCADE")
    assigned_by_user_id: Mapped[int | None] = col.fk("users", "Who put the tag on the customer.")


class CustomerHealthMetric(TenantBase):
    """A customer's health as measured on one day: score, NPS and risk level."""

    __tablename__ = "customer_health_metrics"
    __table_args__ = (
        UniqueConstraint("organization_id", "customer_id", "metric_date"),
        CheckConstraint("nps_score between 0 and 10", name="nps_score_scale"),
        Index(None, "organization_id", "metric_date"),
        {"comment": "Daily customer health measurements, one row per customer per measured day."},
    )

    customer_id: Mapped[int] = col.fk("customers", "Customer measured.", nullable=False)
    metric_date: Mapped[date] = mapped_column(comment="Business day the measurement applies to.")
    health_score: Mapped[Decimal] = col.percent("Overall health score, 0 (at risk) to 100 (healthy).", default=None)
    engagement_score: Mapped[Decimal | None] = col.percent(
        "Engagement component of the health score.", nullable=True, default=None
    )
    payment_score: Mapped[Decimal | None] = col.percent(
        "Payment behaviour component of the health score.", nullable=True, default=None
    )
    support_score: Mapped[Decimal | None] = col.percent(
        "Support experience component of the health score.", nullable=True, default=None
    )
    nps_score: Mapped[int | None] = col.count(
        "Latest Net Promoter answer of the customer on the 0-10 scale; NULL if never asked.",
        nullable=True,
        default=None,
    )
    risk_level: Mapped[str] = col.one_of(
        ("low", "medium", "high", "critical"), "Churn risk assessed on that day.", default="low"
    )
    open_issue_count: Mapped[int] = col.count("Support issues open at the end of the day.")


class CustomerPriority(TenantBase):
    """A customer's service priority and tier over a validity period (history kept, one row per period)."""

    __tablename__ = "customer_priorities"
    __table_args__ = (
        UniqueConstraint("organization_id", "customer_id", "valid_from"),
        CheckConstraint("valid_to is null or valid_to >= valid_from", name="valid_to_after_valid_from"),
        {"comment": "Priority level and service tier per customer, valid from/to dates."},
    )

    customer_id: Mapped[int] = col.fk("customers", "Customer prioritized.", nullable=False)
    priority: Mapped[str] = col.one_of(("low", "normal", "high", "urgent"), "Service priority level.", default="normal")
    tier: Mapped[str] = col.one_of(
        ("standard", "silver", "gold", "platinum"), "Service tier (SLA level).", default="standard"
    )
    reason: Mapped[str | None] = mapped_column(Text, comment="Why the priority was set.")
    set_by_user_id: Mapped[int | None] = col.fk("users", "Who set the priority.")
    valid_from: Mapped[date] = mapped_column(comment="First day the priority applies.")
    valid_to: Mapped[date | None] = mapped_column(comment="Last day the priority applies; NULL while current.")


class CustomerMergeAudit(TenantBase):
    """Record of one duplicate customer merged into a surviving customer."""

    __tablename__ = "customer_merge_audit"
    __table_args__ = (
        CheckConstraint("surviving_customer_id <> merged_customer_id", name="merge_distinct_customers"),
        Index(None, "organization_id", "merged_customer_id"),
        {"comment": "Audit of customer merges: which duplicate went into which survivor, with a snapshot."},
    )

    surviving_customer_id: Mapped[int] = col.fk("customers", "Customer that remains after the merge.", nullable=False)
    merged_customer_id: Mapped[int] = col.fk(
        "customers", "Duplicate customer absorbed by the merge (soft-deleted afterwards).", nullable=False
    )
    merged_by_user_id: Mapped[int | None] = col.fk("users", "Who performed the merge.")
    merged_at: Mapped[datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now(), comment="When it merged.")
    reason: Mapped[str | None] = mapped_column(Text)
    snapshot: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default="{}", comment="Merged customer's row and moved child ids, as they were before the merge."
    )


class WinLossReason(TenantBase):
    """A reason an opportunity was won or lost, e.g. 'Price', 'Lead time', 'Chose competitor'."""

    __tablename__ = "win_loss_reasons"
    __table_args__ = (
        UniqueConstraint("organization_id", "outcome", "name"),
        {"comment": "Picklist of reasons for won and lost opportunities."},
    )

    outcome: Mapped[str] = col.one_of(("won", "lost"), "Outcome the reason explains.")
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(server_default="true", comment="False hides it from the picklist.")


class Opportunity(SoftDeleteMixin, TenantBase):
    """A potential sale to a customer moving through the pipeline stages."""

    __tablename__ = "opportunities"
    __table_args__ = (
        UniqueConstraint("organization_id", "opportunity_number"),
        CheckConstraint(
            "status = case when stage in ('won', 'lost') then stage else 'open' end", name="status_matches_stage"
        ),
        CheckConstraint("(won_at is not null) = (status = 'won')", name="won_at_iff_won"),
        CheckConstraint("(lost_at is not null) = (status = 'lost')", name="lost_at_iff_lost"),
        CheckConstraint("(closed_at is not null) = (status <> 'open')", name="closed_at_iff_closed"),
        CheckConstraint("win_loss_reason_id is null or status <> 'open'", name="reason_only_when_closed"),
        Index(None, "organization_id", "customer_id"),
        Index(None, "organization_id", "owner_user_id"),
        Index(None, "organization_id", "expected_close_date"),
        {"comment": "Sales pipeline: potential deals per customer with stage, amount and outcome."},
    )

    opportunity_number: Mapped[str] = mapped_column(String(40), comment="Human opportunity number, unique per org.")
    name: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[int] = col.fk("customers", "Customer (or lead) the deal is with.", nullable=False)
    contact_id: Mapped[int | None] = col.fk("contacts", "Main contact for the deal.")
    owner_user_id: Mapped[int | None] = col.fk("users", "Salesperson who owns the deal.")
    stage: Mapped[str] = col.one_of(OPPORTUNITY_STAGES, "Pipeline stage.", default="lead")
    status: Mapped[str] = col.one_of(
        ("open", "won", "lost"), "Outcome; won/lost exactly when the stage is won/lost.", default="open"
    )
    amount: Mapped[Decimal] = col.money("Expected deal value, in the opportunity's currency.")
    currency: Mapped[str] = col.currency()
    probability: Mapped[Decimal] = col.percent("Estimated chance to win, 0-100.")
    expected_close_date: Mapped[date | None] = mapped_column(comment="Date the deal is expected to close.")
    stage_entered_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the opportunity entered its current stage."
    )
    closed_at: Mapped[datetime | None] = col.timestamp("When the deal was won or lost; NULL while open.")
    won_at: Mapped[datetime | None] = col.timestamp("When the deal was won.")
    lost_at: Mapped[datetime | None] = col.timestamp("When the deal was lost.")
    win_loss_reason_id: Mapped[int | None] = col.fk("win_loss_reasons", "Main reason for the outcome.")
    competitor: Mapped[str | None] = mapped_column(String(120), comment="Competitor the deal was lost to, if known.")
    source: Mapped[str | None] = col.one_of(ACQUISITION_SOURCES, "Where the opportunity came from.", nullable=True)
    campaign_id: Mapped[int | None] = col.fk("email_campaigns", "Marketing campaign the lead came from.")
    description: Mapped[str | None] = mapped_column(Text)


class Quote(SoftDeleteMixin, TenantBase):
    """A priced offer sent to a customer, usually within an opportunity; its content lives in quote_versions."""

    __tablename__ = "quotes"
    __table_args__ = (
        UniqueConstraint("organization_id", "quote_number"),
        CheckConstraint("discount_total <= subtotal", name="discount_within_subtotal"),
        CheckConstraint("total = subtotal - discount_total + tax_total", name="total_adds_up"),
        CheckConstraint("status in ('draft', 'expired') or sent_at is not null", name="sent_has_sent_at"),
        CheckConstraint("sent_at is null or sent_at >= created_at", name="sent_after_created"),
        CheckConstraint(
            "viewed_at is null or (sent_at is not null and viewed_at >= sent_at)", name="viewed_after_sent"
        ),
        CheckConstraint(
            "accepted_at is null or (sent_at is not null and accepted_at >= sent_at)", name="accepted_after_sent"
        ),
        CheckConstraint(
            "rejected_at is null or (sent_at is not null and rejected_at >= sent_at)", name="rejected_after_sent"
        ),
        CheckConstraint("(accepted_at is not null) = (status = 'accepted')", name="accepted_at_iff_accepted"),
        CheckConstraint("(rejected_at is not null) = (status = 'rejected')", name="rejected_at_iff_rejected"),
        CheckConstraint("status <> 'viewed' or viewed_at is not null", name="viewed_has_viewed_at"),
        Index(None, "organization_id", "customer_id"),
        Index(None, "organization_id", "opportunity_id"),
        {"comment": "Quotes (offers) to customers with status timeline and current totals."},
    )

    quote_number: Mapped[str] = mapped_column(String(40), comment="Human quote number, unique per org.")
    opportunity_id: Mapped[int | None] = col.fk("opportunities", "Opportunity the quote belongs to, if any.")
    customer_id: Mapped[int] = col.fk("customers", "Customer the quote is addressed to.", nullable=False)
    contact_id: Mapped[int | None] = col.fk("contacts", "Recipient contact.")
    owner_user_id: Mapped[int | None] = col.fk("users", "Salesperson responsible for the quote.")
    status: Mapped[str] = col.one_of(
        ("draft", "sent", "viewed", "accepted", "rejected", "expired"), "Quote state.", default="draft"
    )
    title: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = col.timestamp("When the quote was first sent to the customer.")
    viewed_at: Mapped[datetime | None] = col.timestamp("When the customer first opened the quote.")
    accepted_at: Mapped[datetime | None] = col.timestamp("When the customer accepted.")
    rejected_at: Mapped[datetime | None] = col.timestamp("When the customer rejected.")
    valid_until: Mapped[date | None] = mapped_column(comment="Last day the offer can be accepted.")
    subtotal: Mapped[Decimal] = col.money("Sum of line amounts before discount and tax (current version).")
    discount_total: Mapped[Decimal] = col.money("Total discount (current version).")
    tax_total: Mapped[Decimal] = col.money("Total tax (current version).")
    total: Mapped[Decimal] = col.money("Amount payable: subtotal - discount_total + tax_total.")
    currency: Mapped[str] = col.currency()
    terms: Mapped[str | None] = mapped_column(Text, comment="Terms and conditions printed on the quote.")
    notes: Mapped[str | None] = mapped_column(Text)


class QuoteVersion(TenantBase):
    """One saved revision of a quote: its lines (snapshotted prices) and totals."""

    __tablename__ = "quote_versions"
    __table_args__ = (
        UniqueConstraint("organization_id", "quote_id", "version_number"),
        CheckConstraint("version_number >= 1", name="version_number_positive"),
        CheckConstraint("discount_total <= subtotal", name="discount_within_subtotal"),
        CheckConstraint("total = subtotal - discount_total + tax_total", name="total_adds_up"),
        {"comment": "Revisions of quotes with snapshotted line items and totals."},
    )

    quote_id: Mapped[int] = col.fk("quotes", "Quote this is a revision of.", nullable=False, ondelete="CASCADE")
    version_number: Mapped[int] = col.count("Revision number, 1 for the first version.", default=1)
    line_items: Mapped[list[Any]] = mapped_column(
        JSONB,
        server_default="[]",
        comment="Lines as quoted: product_id, description, quantity, unit_price, discount, tax (price snapshot).",
    )
    subtotal: Mapped[Decimal] = col.money("Sum of line amounts before discount and tax.")
    discount_total: Mapped[Decimal] = col.money("Total discount.")
    tax_total: Mapped[Decimal] = col.money("Total tax.")
    total: Mapped[Decimal] = col.money("Amount payable: subtotal - discount_total + tax_total.")
    created_by_user_id: Mapped[int | None] = col.fk("users", "Who saved the version.")
    change_summary: Mapped[str | None] = mapped_column(Text, comment="What changed compared with the prior version.")


class OpportunityActivity(TenantBase):
    """An event on an opportunity: a call, e-mail, meeting, note, task or stage change."""

    __tablename__ = "opportunity_activities"
    __table_args__ = (
        CheckConstraint("(to_stage is not null) = (activity_type = 'stage_change')", name="to_stage_iff_stage_change"),
        CheckConstraint("from_stage is null or activity_type = 'stage_change'", name="from_stage_only_stage_change"),
        CheckConstraint("from_stage is null or from_stage <> to_stage", name="stage_change_changes_stage"),
        Index(None, "organization_id", "opportunity_id"),
        Index(None, "organization_id", "occurred_at"),
        {"comment": "Pipeline activity log per opportunity, including stage changes."},
    )

    opportunity_id: Mapped[int] = col.fk("opportunities", "Opportunity the activity is about.", nullable=False)
    user_id: Mapped[int | None] = col.fk("users", "Staff member who performed the activity.")
    contact_id: Mapped[int | None] = col.fk("contacts", "Contact involved, if any.")
    activity_type: Mapped[str] = col.one_of(
        ("call", "email", "meeting", "note", "stage_change", "task"), "Kind of activity.", default="note"
    )
    from_stage: Mapped[str | None] = col.one_of(
        OPPORTUNITY_STAGES, "Stage before a stage change; NULL for the first stage.", nullable=True
    )
    to_stage: Mapped[str | None] = col.one_of(
        OPPORTUNITY_STAGES, "Stage after a stage change; set exactly for stage changes.", nullable=True
    )
    subject: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the activity happened."
    )
