"""Communications: e-mail templates and signatures, campaigns and their recipients, the e-mail log, and
scheduled e-mails and calls."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Index, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from oltp.models import columns as col
from oltp.models.base import SoftDeleteMixin, TenantBase


class EmailTemplate(SoftDeleteMixin, TenantBase):
    """A reusable e-mail with placeholders, used for campaigns and transactional mail."""

    __tablename__ = "email_templates"
    __table_args__ = (UniqueConstraint("organization_id", "name"), {"comment": "Reusable e-mail templates."})

    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = col.one_of(
        ("marketing", "quote", "order", "invoice", "reminder", "support", "general"),
        "What the template is used for.",
        default="general",
    )
    subject: Mapped[str] = mapped_column(String(300), comment="Subject line; may contain placeholders.")
    body_html: Mapped[str | None] = mapped_column(Text)
    body_text: Mapped[str | None] = mapped_column(Text, comment="Plain-text alternative.")
    variables: Mapped[list[Any]] = mapped_column(
        JSONB, server_default="[]", comment="Placeholder names the template uses."
    )
    is_active: Mapped[bool] = mapped_column(server_default="true", comment="False hides it from pickers.")
    created_by_user_id: Mapped[int | None] = col.fk("users", "Author of the template.")


class EmailSignature(TenantBase):
    """A signature appended to outgoing e-mails, per user or organization-wide."""

    __tablename__ = "email_signatures"
    __table_args__ = (
        Index(
            "uq_email_signatures_default_per_user",
            "organization_id",
            "user_id",
            unique=True,
            postgresql_where=text("is_default"),
        ),
        {"comment": "E-mail signatures of users (or organization-wide when user_id is NULL)."},
    )

    user_id: Mapped[int | None] = col.fk("users", "Owner; NULL for an organization-wide signature.", ondelete="CASCADE")
    name: Mapped[str] = mapped_column(String(120))
    content_html: Mapped[str] = mapped_column(Text)
    is_default: Mapped[bool] = mapped_column(
        server_default="false", comment="Used by default for the user's outgoing mail; at most one per user."
    )


class EmailCampaign(SoftDeleteMixin, TenantBase):
    """A marketing campaign sent to a list of recipients.

    Sent, opened and clicked counts are derived from campaign_recipients and deliberately not stored.
    """

    __tablename__ = "email_campaigns"
    __table_args__ = (
        CheckConstraint("ends_at is null or starts_at is null or ends_at >= starts_at", name="ends_after_start"),
        CheckConstraint("status in ('draft', 'scheduled') or starts_at is not null", name="started_has_starts_at"),
        {"comment": "Marketing campaigns with schedule, channel and budget."},
    )

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = col.one_of(
        ("draft", "scheduled", "running", "paused", "completed", "cancelled"), "Campaign state.", default="draft"
    )
    channel: Mapped[str] = col.one_of(
        ("email", "sms", "phone", "direct_mail", "social", "event"), "Channel the campaign uses.", default="email"
    )
    campaign_type: Mapped[str] = col.one_of(
        ("newsletter", "promotion", "nurture", "announcement", "follow_up", "reactivation"),
        "Purpose of the campaign.",
        default="promotion",
    )
    template_id: Mapped[int | None] = col.fk("email_templates", "Template the messages are rendered from.")
    subject: Mapped[str | None] = mapped_column(String(300), comment="Subject line of e-mail campaigns.")
    owner_user_id: Mapped[int | None] = col.fk("users", "Marketer responsible for the campaign.")
    audience_filter: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default="{}", comment="Segment definition used to pick the recipients."
    )
    starts_at: Mapped[datetime | None] = col.timestamp("When sending starts (scheduled or actual).")
    ends_at: Mapped[datetime | None] = col.timestamp("When the campaign ends.")
    budget: Mapped[Decimal | None] = col.money(
        "Planned spend in the organization's currency.", nullable=True, default=None
    )


class CampaignRecipient(TenantBase):
    """One recipient of a campaign and how far the message got with them."""

    __tablename__ = "campaign_recipients"
    __table_args__ = (
        UniqueConstraint("organization_id", "campaign_id", "email_address"),
        CheckConstraint("status = 'pending' or sent_at is not null", name="sent_has_sent_at"),
        CheckConstraint(
            "delivered_at is null or (sent_at is not null and delivered_at >= sent_at)", name="delivered_after_sent"
        ),
        CheckConstraint(
            "opened_at is null or (sent_at is not null and opened_at >= sent_at)", name="opened_after_sent"
        ),
        CheckConstraint(
            "clicked_at is null or (sent_at is not null and clicked_at >= sent_at)", name="clicked_after_sent"
        ),
        CheckConstraint(
            "bounced_at is null or (sent_at is not null and bounced_at >= sent_at)", name="bounced_after_sent"
        ),
        CheckConstraint(
            "unsubscribed_at is null or (sent_at is not null and unsubscribed_at >= sent_at)",
            name="unsubscribed_after_sent",
        ),
        CheckConstraint(
            "case status when 'delivered' then delivered_at is not null when 'opened' then opened_at is not null"
            " when 'clicked' then clicked_at is not null when 'bounced' then bounced_at is not null"
            " when 'unsubscribed' then unsubscribed_at is not null else true end",
            name="status_has_timestamp",
        ),
        Index(None, "organization_id", "customer_id"),
        {"comment": "Recipients of campaigns with delivery, open and click tracking."},
    )

    campaign_id: Mapped[int] = col.fk("email_campaigns", "The campaign.", nullable=False, ondelete="CASCADE")
    customer_id: Mapped[int | None] = col.fk("customers", "Customer reached, if known.")
    contact_id: Mapped[int | None] = col.fk("contacts", "Contact reached, if known.")
    email_address: Mapped[str] = mapped_column(String(320), comment="Address (or phone for SMS) the message went to.")
    status: Mapped[str] = col.one_of(
        ("pending", "sent", "delivered", "opened", "clicked", "bounced", "unsubscribed"),
        "Furthest state the message reached with this recipient.",
        default="pending",
    )
    sent_at: Mapped[datetime | None] = col.timestamp("When the message was sent.")
    delivered_at: Mapped[datetime | None] = col.timestamp("When the provider confirmed delivery.")
    opened_at: Mapped[datetime | None] = col.timestamp("First open.")
    clicked_at: Mapped[datetime | None] = col.timestamp("First click.")
    bounced_at: Mapped[datetime | None] = col.timestamp("When the message bounced.")
    unsubscribed_at: Mapped[datetime | None] = col.timestamp("When the recipient unsubscribed via this campaign.")
    open_count: Mapped[int] = col.count("Number of opens tracked.")
    click_count: Mapped[int] = col.count("Number of clicks tracked.")


class EmailHistory(TenantBase):
    """One e-mail sent or received, linked to the business records it concerns."""

    __tablename__ = "email_history"
    __table_args__ = (
        CheckConstraint(
            "opened_at is null or (sent_at is not null and opened_at >= sent_at)", name="opened_after_sent"
        ),
        CheckConstraint(
            "clicked_at is null or (sent_at is not null and clicked_at >= sent_at)", name="clicked_after_sent"
        ),
        CheckConstraint("status in ('queued', 'failed') or sent_at is not null", name="sent_has_sent_at"),
        CheckConstraint("(direction = 'inbound') = (status = 'received')", name="inbound_iff_received"),
        Index(None, "organization_id", "customer_id"),
        Index(None, "organization_id", "sent_at"),
        {"comment": "Log of e-mails sent to and received from customers."},
    )

    direction: Mapped[str] = col.one_of(("inbound", "outbound"), "Sent by us or received.", default="outbound")
    status: Mapped[str] = col.one_of(
        ("queued", "sent", "delivered", "opened", "clicked", "bounced", "failed", "received"),
        "Delivery state; 'received' for inbound mail.",
        default="queued",
    )
    customer_id: Mapped[int | None] = col.fk("customers", "Customer the e-mail concerns.")
    contact_id: Mapped[int | None] = col.fk("contacts", "Contact the e-mail was exchanged with.")
    opportunity_id: Mapped[int | None] = col.fk("opportunities", "Opportunity the e-mail concerns.")
    quote_id: Mapped[int | None] = col.fk("quotes", "Quote the e-mail sent or discusses.")
    order_id: Mapped[int | None] = col.fk("orders", "Order the e-mail concerns.")
    issue_id: Mapped[int | None] = col.fk("issues", "Support issue the e-mail concerns.")
    campaign_id: Mapped[int | None] = col.fk("email_campaigns", "Campaign the e-mail belongs to.")
    template_id: Mapped[int | None] = col.fk("email_templates", "Template the e-mail was rendered from.")
    user_id: Mapped[int | None] = col.fk("users", "Staff member who sent it or whose mailbox received it.")
    from_address: Mapped[str] = mapped_column(String(320))
    to_address: Mapped[str] = mapped_column(String(320), comment="Main recipient.")
    cc_addresses: Mapped[list[Any]] = mapped_column(JSONB, server_default="[]", comment="Further recipients.")
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    message_ref: Mapped[str | None] = mapped_column(String(300), comment="Message-ID / provider message identifier.")
    thread_ref: Mapped[str | None] = mapped_column(String(300), comment="Conversation thread identifier.")
    sent_at: Mapped[datetime | None] = col.timestamp("When it was sent (outbound) or received (inbound).")
    delivered_at: Mapped[datetime | None] = col.timestamp()
    opened_at: Mapped[datetime | None] = col.timestamp("First open of an outbound e-mail.")
    clicked_at: Mapped[datetime | None] = col.timestamp("First click in an outbound e-mail.")
    error_message: Mapped[str | None] = mapped_column(Text, comment="Bounce or failure reason.")


class ScheduledEmail(TenantBase):
    """An e-mail queued to be sent at a later time (follow-ups, reminders)."""

    __tablename__ = "scheduled_emails"
    __table_args__ = (
        CheckConstraint("(sent_at is not null) = (status = 'sent')", name="sent_at_iff_sent"),
        CheckConstraint("(cancelled_at is not null) = (status = 'cancelled')", name="cancelled_at_iff_cancelled"),
        CheckConstraint("email_history_id is null or status = 'sent'", name="history_only_when_sent"),
        Index(None, "organization_id", "scheduled_for"),
        {"comment": "E-mails scheduled for later sending, and what became of them."},
    )

    user_id: Mapped[int | None] = col.fk("users", "Who scheduled the e-mail.")
    customer_id: Mapped[int | None] = col.fk("customers", "Customer the e-mail is for.")
    contact_id: Mapped[int | None] = col.fk("contacts", "Contact the e-mail is for.")
    opportunity_id: Mapped[int | None] = col.fk("opportunities", "Opportunity the e-mail concerns.")
    quote_id: Mapped[int | None] = col.fk("quotes", "Quote the e-mail follows up on.")
    template_id: Mapped[int | None] = col.fk("email_templates", "Template to render.")
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    scheduled_for: Mapped[datetime] = col.timestamp("When the e-mail is due to go out.", nullable=False)
    status: Mapped[str] = col.one_of(("pending", "sent", "cancelled", "failed"), "Scheduling state.", default="pending")
    sent_at: Mapped[datetime | None] = col.timestamp()
    cancelled_at: Mapped[datetime | None] = col.timestamp()
    failure_reason: Mapped[str | None] = mapped_column(Text)
    email_history_id: Mapped[int | None] = col.fk("email_history", "The logged e-mail once sent.")


class ScheduledCall(TenantBase):
    """A phone call planned with a customer, and its outcome once made."""

    __tablename__ = "scheduled_calls"
    __table_args__ = (
        CheckConstraint("(completed_at is not null) = (status = 'completed')", name="completed_at_iff_completed"),
        CheckConstraint("outcome is null or status = 'completed'", name="outcome_only_when_completed"),
        CheckConstraint("duration_seconds is null or status = 'completed'", name="duration_only_when_completed"),
        Index(None, "organization_id", "customer_id"),
        Index(None, "organization_id", "user_id"),
        Index(None, "organization_id", "scheduled_for"),
        {"comment": "Planned and completed calls with customers."},
    )

    customer_id: Mapped[int] = col.fk("customers", "Customer to call.", nullable=False)
    contact_id: Mapped[int | None] = col.fk("contacts", "Person to call.")
    user_id: Mapped[int | None] = col.fk("users", "Staff member who makes the call.")
    opportunity_id: Mapped[int | None] = col.fk("opportunities", "Opportunity the call is about.")
    purpose: Mapped[str | None] = mapped_column(String(200))
    scheduled_for: Mapped[datetime] = col.timestamp("When the call is planned.", nullable=False)
    status: Mapped[str] = col.one_of(
        ("scheduled", "completed", "missed", "cancelled"), "Call state.", default="scheduled"
    )
    completed_at: Mapped[datetime | None] = col.timestamp("When the call was made.")
    outcome: Mapped[str | None] = col.one_of(
        ("connected", "voicemail", "no_answer", "busy", "wrong_number"),
        "Result of the call attempt.",
        nullable=True,
    )
    duration_seconds: Mapped[int | None] = col.count("Talk time in seconds.", nullable=True, default=None)
    notes: Mapped[str | None] = mapped_column(Text)
