"""Support & Warranty: support tickets, returns, satisfaction surveys, knowledge base, warranties and claims."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from oltp.models import columns as col
from oltp.models.base import TIMESTAMPTZ, SoftDeleteMixin, TenantBase

ISSUE_PRIORITIES = ("low", "normal", "high", "urgent")
ISSUE_CATEGORIES = (
    "product_defect",
    "installation",
    "service_request",
    "warranty",
    "billing",
    "delivery",
    "return",
    "question",
    "complaint",
    "other",
)
ISSUE_CHANNELS = ("email", "phone", "portal", "on_site")


class IssueTemplate(SoftDeleteMixin, TenantBase):
    """A reusable starting point for a support ticket: category, priority and prefilled text."""

    __tablename__ = "issue_templates"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        {"comment": "Reusable templates that prefill new support tickets."},
    )

    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = col.one_of(ISSUE_CATEGORIES, "Category given to tickets created from it.", default="other")
    priority: Mapped[str] = col.one_of(ISSUE_PRIORITIES, "Priority given to tickets created from it.", default="normal")
    subject_template: Mapped[str | None] = mapped_column(String(300), comment="Prefilled ticket subject.")
    description_template: Mapped[str | None] = mapped_column(Text, comment="Prefilled ticket description.")
    is_active: Mapped[bool] = mapped_column(server_default="true", comment="Offered when creating tickets.")


class Issue(SoftDeleteMixin, TenantBase):
    """A support ticket raised by or for a customer, from first contact to closure."""

    __tablename__ = "issues"
    __table_args__ = (
        UniqueConstraint("organization_id", "issue_number"),
        CheckConstraint(
            "first_response_at is null or first_response_at >= opened_at", name="first_response_after_open"
        ),
        CheckConstraint("resolved_at is null or resolved_at >= opened_at", name="resolved_after_open"),
        CheckConstraint("closed_at is null or closed_at >= opened_at", name="closed_after_open"),
        CheckConstraint("status <> 'resolved' or resolved_at is not null", name="resolved_has_resolved_at"),
        CheckConstraint("status <> 'closed' or closed_at is not null", name="closed_has_closed_at"),
        Index(None, "organization_id", "opened_at"),
        Index(None, "organization_id", "customer_id"),
        Index(None, "organization_id", "assigned_user_id"),
        {"comment": "Support tickets: what went wrong, for whom, and how fast it was answered and resolved."},
    )

    issue_number: Mapped[str] = mapped_column(String(40), comment="Human ticket number, unique per organization.")
    customer_id: Mapped[int] = col.fk("customers", "Customer the ticket is for.", nullable=False)
    contact_id: Mapped[int | None] = col.fk("contacts", "Contact person who raised the ticket.")
    order_id: Mapped[int | None] = col.fk("orders", "Order the ticket is about, if any.")
    product_id: Mapped[int | None] = col.fk("products", "Product the ticket is about, if any.")
    job_id: Mapped[int | None] = col.fk("jobs", "Field job the ticket is about, if any.")
    warranty_id: Mapped[int | None] = col.fk("warranties", "Warranty the ticket falls under, if any.")
    assigned_user_id: Mapped[int | None] = col.fk("users", "Support agent currently owning the ticket.")
    issue_template_id: Mapped[int | None] = col.fk("issue_templates", "Template the ticket was created from.")
    sla_configuration_id: Mapped[int | None] = col.fk(
        "sla_configurations", "SLA that applies; the clock itself is in sla_tracking."
    )
    channel: Mapped[str] = col.one_of(ISSUE_CHANNELS, "How the ticket came in.", default="email")
    category: Mapped[str] = col.one_of(ISSUE_CATEGORIES, "What the ticket is about.", default="other")
    priority: Mapped[str] = col.one_of(ISSUE_PRIORITIES, "Urgency; selects the SLA.", default="normal")
    status: Mapped[str] = col.one_of(
        ("new", "open", "pending_customer", "in_progress", "resolved", "closed", "reopened"),
        "Ticket lifecycle.",
        default="new",
    )
    opened_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the ticket was raised; the SLA clock starts here."
    )
    first_response_at: Mapped[datetime | None] = col.timestamp("First reply by staff to the customer.")
    resolved_at: Mapped[datetime | None] = col.timestamp("Latest resolution; cleared when reopened.")
    closed_at: Mapped[datetime | None] = col.timestamp("When the ticket was closed; cleared when reopened.")
    reopened_count: Mapped[int] = col.count("How many times the ticket was reopened after resolution.")
    subject: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)


class ReturnAuthorization(SoftDeleteMixin, TenantBase):
    """A return merchandise authorization (RMA): permission for a customer to send goods back."""

    __tablename__ = "return_authorizations"
    __table_args__ = (
        UniqueConstraint("organization_id", "rma_number"),
        CheckConstraint("approved_at is null or approved_at >= requested_at", name="approved_after_request"),
        CheckConstraint("received_at is null or received_at >= requested_at", name="received_after_request"),
        Index(None, "organization_id", "requested_at"),
        Index(None, "organization_id", "customer_id"),
        {"comment": "Return merchandise authorizations (RMAs): returns requested, received, refunded or replaced."},
    )

    rma_number: Mapped[str] = mapped_column(String(40), comment="Human RMA number, unique per organization.")
    customer_id: Mapped[int] = col.fk("customers", "Customer returning the goods.", nullable=False)
    order_id: Mapped[int | None] = col.fk("orders", "Order the goods were bought on.")
    issue_id: Mapped[int | None] = col.fk("issues", "Support ticket that led to the return, if any.")
    status: Mapped[str] = col.one_of(
        ("requested", "approved", "received", "refunded", "replaced", "rejected"), "RMA lifecycle.", default="requested"
    )
    requested_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the customer asked to return goods."
    )
    approved_at: Mapped[datetime | None] = col.timestamp("When the return was approved.")
    received_at: Mapped[datetime | None] = col.timestamp("When the returned goods arrived.")
    refund_amount: Mapped[Decimal] = col.money("Amount refunded to the customer; 0 for replacements and rejections.")
    currency: Mapped[str] = col.currency()
    notes: Mapped[str | None] = mapped_column(Text)


class RmaLineItem(TenantBase):
    """One product line being returned on an RMA."""

    __tablename__ = "rma_line_items"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index(None, "organization_id", "rma_id"),
        {"comment": "Lines of an RMA: which products, how many, why, and in what condition."},
    )

    rma_id: Mapped[int] = col.fk("return_authorizations", "The RMA.", nullable=False, ondelete="CASCADE")
    order_line_item_id: Mapped[int | None] = col.fk("order_line_items", "Order line the goods were sold on.")
    product_id: Mapped[int] = col.fk("products", "Product returned.", nullable=False)
    quantity: Mapped[Decimal] = col.quantity("Quantity returned, in the product's unit.")
    reason: Mapped[str] = col.one_of(
        ("defective", "damaged_in_transit", "wrong_item", "not_as_described", "no_longer_needed", "other"),
        "Why the goods come back.",
        default="other",
    )
    condition: Mapped[str | None] = col.one_of(
        ("new", "opened", "used", "damaged", "defective"),
        "Condition found on receipt; NULL until received.",
        nullable=True,
    )
    reason_notes: Mapped[str | None] = mapped_column(Text, comment="Customer's own words about the return.")


class CsatResponse(TenantBase):
    """A customer satisfaction survey answer after a support ticket or a field job."""

    __tablename__ = "csat_responses"
    __table_args__ = (
        CheckConstraint("score between 1 and 5", name="score_range"),
        CheckConstraint("num_nonnulls(issue_id, job_id) >= 1", name="issue_or_job"),
        Index(None, "organization_id", "responded_at"),
        {"comment": "Customer satisfaction (CSAT) survey answers, scored 1-5, per ticket or job."},
    )

    issue_id: Mapped[int | None] = col.fk("issues", "Ticket the survey was about.")
    job_id: Mapped[int | None] = col.fk("jobs", "Field job the survey was about.")
    customer_id: Mapped[int] = col.fk("customers", "Customer who answered.", nullable=False)
    contact_id: Mapped[int | None] = col.fk("contacts", "Contact person who answered.")
    score: Mapped[int] = mapped_column(Integer, comment="Satisfaction score from 1 (very unhappy) to 5 (very happy).")
    comment: Mapped[str | None] = mapped_column(Text, comment="Free-text feedback.")
    responded_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the survey was answered."
    )


class KbCategory(SoftDeleteMixin, TenantBase):
    """A folder of knowledge-base articles; categories nest."""

    __tablename__ = "kb_categories"
    __table_args__ = (
        UniqueConstraint("organization_id", "slug"),
        CheckConstraint("parent_id is null or parent_id <> id", name="not_own_parent"),
        {"comment": "Knowledge-base categories, nested through parent_id."},
    )

    parent_id: Mapped[int | None] = col.fk("kb_categories", "Parent category; NULL for a top-level category.")
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(120), comment="URL-safe handle, unique per organization.")
    description: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = col.count("Display position among siblings.")


class KbArticle(SoftDeleteMixin, TenantBase):
    """A knowledge-base article for customers or staff."""

    __tablename__ = "kb_articles"
    __table_args__ = (
        UniqueConstraint("organization_id", "slug"),
        CheckConstraint("status <> 'published' or published_at is not null", name="published_has_date"),
        {"comment": "Knowledge-base articles with their readership and helpfulness counters."},
    )

    category_id: Mapped[int | None] = col.fk("kb_categories", "Category the article is filed under.")
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(200), comment="URL-safe handle, unique per organization.")
    body: Mapped[str] = mapped_column(Text, comment="Article content (Markdown).")
    status: Mapped[str] = col.one_of(("draft", "published", "archived"), "Publication state.", default="draft")
    author_user_id: Mapped[int | None] = col.fk("users", "Who wrote the article.")
    published_at: Mapped[datetime | None] = col.timestamp("When the article was (first) published.")
    view_count: Mapped[int] = col.count("How many times the article was viewed.")
    helpful_count: Mapped[int] = col.count("How many readers marked it helpful.")
    not_helpful_count: Mapped[int] = col.count("How many readers marked it not helpful.")


class WarrantyPolicy(SoftDeleteMixin, TenantBase):
    """A kind of warranty the organization gives: what it covers and for how long."""

    __tablename__ = "warranty_policies"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        CheckConstraint("duration_months > 0", name="duration_positive"),
        {"comment": "Warranty policies: coverage, duration and claim limit of each warranty offered."},
    )

    name: Mapped[str] = mapped_column(String(120))
    coverage_type: Mapped[str] = col.one_of(
        ("parts", "labour", "parts_and_labour", "extended"), "What the warranty pays for.", default="parts_and_labour"
    )
    duration_months: Mapped[int] = col.count("Length of cover from the warranty start date.", default=None)
    max_claim_amount: Mapped[Decimal | None] = col.money(
        "Most that one claim may pay; NULL for no limit.", nullable=True, default=None
    )
    terms: Mapped[str | None] = mapped_column(Text, comment="Terms and exclusions shown to the customer.")
    is_active: Mapped[bool] = mapped_column(server_default="true", comment="Offered on new sales.")


class Warranty(SoftDeleteMixin, TenantBase):
    """The warranty on one sold or installed product for one customer."""

    __tablename__ = "warranties"
    __table_args__ = (
        UniqueConstraint("organization_id", "warranty_number"),
        CheckConstraint("end_date >= start_date", name="end_after_start"),
        Index(None, "organization_id", "customer_id"),
        Index(None, "organization_id", "product_id"),
        Index(None, "organization_id", "start_date"),
        Index(None, "organization_id", "end_date"),
        {"comment": "Warranties on sold or installed products: who is covered, for what, from when to when."},
    )

    warranty_number: Mapped[str] = mapped_column(String(40), comment="Human warranty number, unique per organization.")
    customer_id: Mapped[int] = col.fk("customers", "Covered customer (current holder).", nullable=False)
    product_id: Mapped[int] = col.fk("products", "Covered product.", nullable=False)
    order_id: Mapped[int | None] = col.fk("orders", "Order the product was sold on.")
    order_line_item_id: Mapped[int | None] = col.fk("order_line_items", "Order line the product was sold on.")
    warranty_policy_id: Mapped[int] = col.fk("warranty_policies", "Policy that defines the cover.", nullable=False)
    job_id: Mapped[int | None] = col.fk("jobs", "Installation job, if the product was installed by us.")
    serial_number: Mapped[str | None] = mapped_column(String(120), comment="Serial number of the covered unit.")
    registered_at: Mapped[datetime | None] = col.timestamp("When the warranty was registered.")
    start_date: Mapped[date] = mapped_column(comment="First day of cover.")
    end_date: Mapped[date] = mapped_column(comment="Last day of cover, including any purchased extensions.")
    status: Mapped[str] = col.one_of(("active", "expired", "void", "transferred"), "Warranty state.", default="active")


class WarrantyClaim(SoftDeleteMixin, TenantBase):
    """A claim against a warranty: the failure, the decision and what the repair cost."""

    __tablename__ = "warranty_claims"
    __table_args__ = (
        UniqueConstraint("organization_id", "claim_number"),
        CheckConstraint("approved_at is null or approved_at >= submitted_at", name="approved_after_submit"),
        CheckConstraint("rejected_at is null or rejected_at >= submitted_at", name="rejected_after_submit"),
        CheckConstraint("resolved_at is null or resolved_at >= submitted_at", name="resolved_after_submit"),
        CheckConstraint("num_nonnulls(approved_at, rejected_at) <= 1", name="approved_or_rejected"),
        CheckConstraint("status <> 'rejected' or rejected_at is not null", name="rejected_has_date"),
        CheckConstraint("status <> 'approved' or approved_at is not null", name="approved_has_date"),
        CheckConstraint("approved_amount is null or approved_amount <= claimed_amount", name="approved_within_claimed"),
        Index(None, "organization_id", "warranty_id"),
        Index(None, "organization_id", "claim_date"),
        {"comment": "Warranty claims: failures reported under a warranty, decisions and repair costs."},
    )

    claim_number: Mapped[str] = mapped_column(String(40), comment="Human claim number, unique per organization.")
    warranty_id: Mapped[int] = col.fk("warranties", "Warranty claimed against.", nullable=False)
    customer_id: Mapped[int] = col.fk("customers", "Customer making the claim.", nullable=False)
    issue_id: Mapped[int | None] = col.fk("issues", "Support ticket that led to the claim, if any.")
    job_id: Mapped[int | None] = col.fk("jobs", "Service job that carried out the repair, if any.")
    status: Mapped[str] = col.one_of(
        ("submitted", "under_review", "approved", "rejected", "resolved", "cancelled"),
        "Claim lifecycle.",
        default="submitted",
    )
    claim_date: Mapped[date] = mapped_column(
        comment="Date the failure was reported; must fall inside the warranty period (checked by data tests)."
    )
    submitted_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the claim was submitted."
    )
    approved_at: Mapped[datetime | None] = col.timestamp("When the claim was approved.")
    rejected_at: Mapped[datetime | None] = col.timestamp("When the claim was rejected.")
    resolved_at: Mapped[datetime | None] = col.timestamp("When the repair or replacement was completed.")
    claimed_amount: Mapped[Decimal] = col.money("Amount the customer or technician claimed.")
    approved_amount: Mapped[Decimal | None] = col.money(
        "Amount approved for payment; NULL until decided.", nullable=True, default=None
    )
    parts_cost: Mapped[Decimal] = col.money("Cost of parts used for the warranty repair.")
    labour_cost: Mapped[Decimal] = col.money("Cost of labour spent on the warranty repair.")
    failure_type: Mapped[str | None] = col.one_of(
        (
            "manufacturing_defect",
            "component_failure",
            "installation_error",
            "wear_and_tear",
            "accidental_damage",
            "software",
            "no_fault_found",
            "other",
        ),
        "Diagnosed kind of failure; NULL until diagnosed.",
        nullable=True,
    )
    rejection_reason: Mapped[str | None] = mapped_column(Text, comment="Why the claim was rejected.")


class WarrantyExtension(TenantBase):
    """A purchased extension of a warranty's end date."""

    __tablename__ = "warranty_extensions"
    __table_args__ = (
        CheckConstraint("extension_months > 0", name="extension_months_positive"),
        CheckConstraint("new_end_date > previous_end_date", name="new_end_after_previous"),
        Index(None, "organization_id", "warranty_id"),
        {"comment": "Warranty extensions bought by customers: months added, new end date and price."},
    )

    warranty_id: Mapped[int] = col.fk("warranties", "Warranty extended.", nullable=False)
    extension_months: Mapped[int] = col.count("Months of cover added.", default=None)
    previous_end_date: Mapped[date] = mapped_column(comment="Warranty end date before this extension.")
    new_end_date: Mapped[date] = mapped_column(comment="Warranty end date after this extension.")
    price: Mapped[Decimal] = col.money("Price the customer paid for the extension.")
    currency: Mapped[str] = col.currency()
    purchased_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the extension was bought."
    )
    order_id: Mapped[int | None] = col.fk("orders", "Order the extension was sold on, if any.")
