"""Orders & Fulfillment: sales orders (which also carry their invoice), shipments, order templates, field jobs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Index, String, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from oltp.models import columns as col
from oltp.models.base import TIMESTAMPTZ, SoftDeleteMixin, TenantBase

ORDER_STATUSES = ("draft", "confirmed", "in_progress", "fulfilled", "completed", "cancelled")
PAYMENT_STATUSES = ("not_invoiced", "unpaid", "partially_paid", "paid", "written_off")
JOB_TYPES = ("installation", "repair", "maintenance", "inspection", "warranty_service")
JOB_STATUSES = ("scheduled", "dispatched", "in_progress", "on_hold", "completed", "cancelled")
PRIORITIES = ("low", "normal", "high", "urgent")


class Order(SoftDeleteMixin, TenantBase):
    """A sales order; once invoiced it also carries the invoice (number, dates, amount paid, payment status)."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("organization_id", "order_number"),
        UniqueConstraint("organization_id", "invoice_number"),
        CheckConstraint("total_amount = subtotal - discount_total + tax_total + shipping_total", name="total_adds_up"),
        CheckConstraint("discount_total <= subtotal", name="discount_within_subtotal"),
        CheckConstraint("amount_paid <= total_amount", name="paid_within_total"),
        CheckConstraint(
            "invoice_due_date is null or invoice_date is null or invoice_due_date >= invoice_date",
            name="invoice_due_after_invoice_date",
        ),
        CheckConstraint("(payment_status = 'not_invoiced') = (invoice_number is null)", name="invoiced_has_number"),
        CheckConstraint(
            "payment_status = 'not_invoiced' or invoice_date is not null", name="invoiced_has_invoice_date"
        ),
        CheckConstraint("payment_status <> 'paid' or paid_at is not null", name="paid_has_paid_at"),
        CheckConstraint("status <> 'cancelled' or cancelled_at is not null", name="cancelled_has_cancelled_at"),
        Index(None, "organization_id", "customer_id"),
        Index(None, "organization_id", "order_date"),
        Index(None, "organization_id", "invoice_date"),
        Index(None, "organization_id", "sales_rep_user_id"),
        {"comment": "Sales orders with their invoicing and payment state (there is no separate invoices table)."},
    )

    order_number: Mapped[str] = mapped_column(String(40), comment="Human order number, unique per organization.")
    customer_id: Mapped[int] = col.fk("customers", "Customer who placed the order.", nullable=False)
    contact_id: Mapped[int | None] = col.fk("contacts", "Customer contact for the order.")
    billing_address_id: Mapped[int | None] = col.fk("addresses", "Address the invoice goes to.")
    shipping_address_id: Mapped[int | None] = col.fk("addresses", "Address goods ship to / work is done at.")
    opportunity_id: Mapped[int | None] = col.fk("opportunities", "Opportunity the order was won from.")
    quote_id: Mapped[int | None] = col.fk("quotes", "Accepted quote the order was created from.")
    order_template_id: Mapped[int | None] = col.fk("order_templates", "Template the order was created from.")
    sales_rep_user_id: Mapped[int | None] = col.fk("users", "Sales rep credited with the order.")
    customer_po_ref: Mapped[str | None] = mapped_column(
        String(80), comment="The customer's own purchase-order number, quoted on the invoice."
    )
    status: Mapped[str] = col.one_of(ORDER_STATUSES, "Order lifecycle.", default="draft")
    order_date: Mapped[date] = mapped_column(
        server_default=func.current_date(), comment="Business date of the order (bookings are counted on it)."
    )
    confirmed_at: Mapped[datetime | None] = col.timestamp("When the order was confirmed (booked).")
    fulfilled_at: Mapped[datetime | None] = col.timestamp("When all goods were shipped / work delivered.")
    completed_at: Mapped[datetime | None] = col.timestamp("When the order was closed as complete.")
    cancelled_at: Mapped[datetime | None] = col.timestamp("When the order was cancelled.")
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    subtotal: Mapped[Decimal] = col.money("Sum of line amounts before order-level discount, tax and shipping.")
    discount_total: Mapped[Decimal] = col.money("Total discount on the order.")
    tax_total: Mapped[Decimal] = col.money("Total tax on the order.")
    shipping_total: Mapped[Decimal] = col.money("Shipping charged to the customer.")
    total_amount: Mapped[Decimal] = col.money("subtotal - discount_total + tax_total + shipping_total.")
    currency: Mapped[str] = col.currency()
    invoice_number: Mapped[str | None] = mapped_column(
        String(40), comment="Human invoice number once invoiced, unique per organization; NULL before."
    )
    invoice_issued_at: Mapped[datetime | None] = col.timestamp("When the invoice was issued (sent).")
    invoice_date: Mapped[date | None] = mapped_column(comment="Invoice date (revenue/AR date); NULL until invoiced.")
    invoice_due_date: Mapped[date | None] = mapped_column(comment="Date payment is due; on or after invoice_date.")
    payment_terms_days: Mapped[int] = col.count("Payment terms in days (net N).", default=30)
    amount_paid: Mapped[Decimal] = col.money("Amount received against the invoice so far.")
    payment_status: Mapped[str] = col.one_of(PAYMENT_STATUSES, "Invoice payment state.", default="not_invoiced")
    paid_at: Mapped[datetime | None] = col.timestamp("When the invoice became fully paid.")
    notes: Mapped[str | None] = mapped_column(Text)


class OrderLineItem(TenantBase):
    """One line of an order: a product or service, its quantity, price, cost, discount and tax."""

    __tablename__ = "order_line_items"
    __table_args__ = (
        UniqueConstraint("organization_id", "order_id", "line_number"),
        CheckConstraint("discount_amount <= quantity * unit_price", name="discount_within_gross"),
        # line_total is rounded to cents by the writer; allow the rounding difference so the rule does not depend
        # on the rounding mode (Python's half-even vs PostgreSQL's half-away-from-zero).
        CheckConstraint(
            "abs(line_total - (quantity * unit_price - discount_amount)) <= 0.005", name="line_total_adds_up"
        ),
        Index(None, "organization_id", "order_id"),
        Index(None, "organization_id", "product_id"),
        {"comment": "Lines of sales orders: product, quantity, price, cost, discount and tax."},
    )

    order_id: Mapped[int] = col.fk("orders", nullable=False, ondelete="CASCADE")
    line_number: Mapped[int] = col.count("Position of the line on the order, from 1.", default=None)
    product_id: Mapped[int | None] = col.fk("products", "Product or service sold; NULL for free-text lines.")
    description: Mapped[str] = mapped_column(Text, comment="Line text as shown on the order and invoice.")
    quantity: Mapped[Decimal] = col.quantity("Quantity sold.", default=1)
    unit_price: Mapped[Decimal] = col.money("Price per unit before discount, excluding tax.")
    unit_cost: Mapped[Decimal | None] = col.money(
        "Cost per unit at the time of sale, for gross margin; NULL when unknown.", nullable=True, default=None
    )
    discount_amount: Mapped[Decimal] = col.money("Discount on the whole line.")
    tax_amount: Mapped[Decimal] = col.money("Tax on the line (not included in line_total).")
    line_total: Mapped[Decimal] = col.money("quantity * unit_price - discount_amount, rounded to cents, before tax.")


class OrderAmendment(TenantBase):
    """A change made to an order after confirmation, with its effect on the order value."""

    __tablename__ = "order_amendments"
    __table_args__ = (
        Index(None, "organization_id", "order_id"),
        {"comment": "Audit of changes to confirmed orders and their effect on order value."},
    )

    order_id: Mapped[int] = col.fk("orders", nullable=False, ondelete="CASCADE")
    order_line_item_id: Mapped[int | None] = col.fk("order_line_items", "Line affected, when one line changed.")
    amended_by_user_id: Mapped[int | None] = col.fk("users", "Who made the change.")
    amendment_type: Mapped[str] = col.one_of(
        ("add_line", "remove_line", "change_quantity", "change_price", "cancel", "other"), "Kind of change."
    )
    amount_change: Mapped[Decimal] = col.money(
        "Change of the order total; signed because amendments can lower or raise it.", signed=True
    )
    reason: Mapped[str | None] = mapped_column(Text)
    amended_at: Mapped[datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())
    before_state: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default="{}", comment="Changed fields before the amendment."
    )
    after_state: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default="{}", comment="Changed fields after the amendment."
    )


class OrderShipment(TenantBase):
    """A shipment of goods of an order from one stock location."""

    __tablename__ = "order_shipments"
    __table_args__ = (
        UniqueConstraint("organization_id", "shipment_number"),
        CheckConstraint(
            "delivered_at is null or shipped_at is null or delivered_at >= shipped_at", name="delivered_after_shipped"
        ),
        Index(None, "organization_id", "order_id"),
        Index(None, "organization_id", "shipped_at"),
        {"comment": "Shipments of order goods, with carrier tracking and delivery times."},
    )

    order_id: Mapped[int] = col.fk("orders", nullable=False)
    shipment_number: Mapped[str] = mapped_column(String(40), comment="Human shipment number, unique per org.")
    from_location_id: Mapped[int | None] = col.fk("locations", "Stock location the goods ship from.")
    carrier: Mapped[str | None] = mapped_column(String(80), comment="Carrier name, e.g. UPS, own van.")
    carrier_tracking_ref: Mapped[str | None] = mapped_column(String(120), comment="Carrier's tracking number.")
    status: Mapped[str] = col.one_of(
        ("pending", "shipped", "in_transit", "delivered", "returned"), "Shipment state.", default="pending"
    )
    shipped_at: Mapped[datetime | None] = col.timestamp("When the shipment left.")
    delivered_at: Mapped[datetime | None] = col.timestamp("When the shipment was delivered.")
    freight_cost: Mapped[Decimal | None] = col.money(
        "What the carrier charged us, for fulfilment cost.", nullable=True, default=None
    )
    notes: Mapped[str | None] = mapped_column(Text)


class ShipmentItem(TenantBase):
    """How much of one order line a shipment carries."""

    __tablename__ = "shipment_items"
    __table_args__ = (
        UniqueConstraint("organization_id", "shipment_id", "order_line_item_id"),
        Index(None, "organization_id", "order_line_item_id"),
        {"comment": "Order lines and quantities contained in each shipment."},
    )

    shipment_id: Mapped[int] = col.fk("order_shipments", nullable=False, ondelete="CASCADE")
    order_line_item_id: Mapped[int] = col.fk("order_line_items", nullable=False)
    quantity: Mapped[Decimal] = col.quantity("Quantity of the line shipped.")


class OrderTemplate(SoftDeleteMixin, TenantBase):
    """A reusable order (e.g. a recurring customer order or a standard package) to create orders from."""

    __tablename__ = "order_templates"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        {"comment": "Reusable orders that new orders are created from."},
    )

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    customer_id: Mapped[int | None] = col.fk("customers", "Customer the template is for; NULL for any customer.")
    created_by_user_id: Mapped[int | None] = col.fk("users")
    is_active: Mapped[bool] = mapped_column(server_default="true")


class OrderTemplateItem(TenantBase):
    """One line of an order template."""

    __tablename__ = "order_template_items"
    __table_args__ = (
        UniqueConstraint("organization_id", "order_template_id", "line_number"),
        {"comment": "Lines of order templates."},
    )

    order_template_id: Mapped[int] = col.fk("order_templates", nullable=False, ondelete="CASCADE")
    line_number: Mapped[int] = col.count("Position of the line in the template, from 1.", default=None)
    product_id: Mapped[int | None] = col.fk("products", "Product or service; NULL for free-text lines.")
    description: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[Decimal] = col.quantity("Default quantity.", default=1)
    unit_price: Mapped[Decimal | None] = col.money(
        "Fixed price per unit; NULL to use the product's price when the order is created.",
        nullable=True,
        default=None,
    )


class Job(SoftDeleteMixin, TenantBase):
    """A field job (installation, repair, maintenance...) done at a customer site, possibly for an order."""

    __tablename__ = "jobs"
    __table_args__ = (
        UniqueConstraint("organization_id", "job_number"),
        CheckConstraint(
            "scheduled_end is null or scheduled_start is null or scheduled_end >= scheduled_start",
            name="scheduled_end_after_start",
        ),
        CheckConstraint(
            "actual_end is null or actual_start is null or actual_end >= actual_start", name="actual_end_after_start"
        ),
        CheckConstraint("status <> 'completed' or actual_end is not null", name="completed_has_actual_end"),
        CheckConstraint("follow_up_of_job_id is null or follow_up_of_job_id <> id", name="not_own_follow_up"),
        Index(None, "organization_id", "customer_id"),
        Index(None, "organization_id", "order_id"),
        Index(None, "organization_id", "scheduled_start"),
        {"comment": "Field jobs: installations, repairs, maintenance, inspections, warranty service visits."},
    )

    job_number: Mapped[str] = mapped_column(String(40), comment="Human job number, unique per organization.")
    customer_id: Mapped[int] = col.fk("customers", "Customer the job is for.", nullable=False)
    contact_id: Mapped[int | None] = col.fk("contacts", "On-site contact.")
    order_id: Mapped[int | None] = col.fk("orders", "Order the job fulfils; NULL for unsold work (e.g. warranty).")
    address_id: Mapped[int | None] = col.fk("addresses", "Job site.")
    job_template_id: Mapped[int | None] = col.fk("job_templates", "Template the job was created from.")
    issue_id: Mapped[int | None] = col.fk("issues", "Support issue the job resolves.", deferred=True)
    warranty_claim_id: Mapped[int | None] = col.fk("warranty_claims", "Warranty claim the job services.", deferred=True)
    follow_up_of_job_id: Mapped[int | None] = col.fk(
        "jobs", "Earlier job this visit follows up; a job with follow-ups was not a first-time fix."
    )
    job_type: Mapped[str] = col.one_of(JOB_TYPES, "Kind of work.")
    status: Mapped[str] = col.one_of(JOB_STATUSES, "Job lifecycle.", default="scheduled")
    priority: Mapped[str] = col.one_of(PRIORITIES, "Urgency.", default="normal")
    title: Mapped[str | None] = mapped_column(String(200), comment="Short description shown on the schedule.")
    description: Mapped[str | None] = mapped_column(Text)
    scheduled_start: Mapped[datetime | None] = col.timestamp("Planned start of the visit.")
    scheduled_end: Mapped[datetime | None] = col.timestamp("Planned end of the visit.")
    actual_start: Mapped[datetime | None] = col.timestamp("When work actually started.")
    actual_end: Mapped[datetime | None] = col.timestamp("When work actually ended (job completion time).")
    due_date: Mapped[date | None] = mapped_column(comment="Date by which the job must be done (SLA / promise).")
    estimated_hours: Mapped[Decimal | None] = col.quantity(
        "Planned labour hours, for estimate-vs-actual analysis.", nullable=True, default=None
    )
    cancelled_at: Mapped[datetime | None] = col.timestamp()
    requires_follow_up: Mapped[bool] = mapped_column(
        server_default="false", comment="Technician flagged that another visit is needed."
    )
    completion_notes: Mapped[str | None] = mapped_column(Text)
    customer_signature_captured: Mapped[bool] = mapped_column(
        server_default="false", comment="Customer signed off the work on site."
    )


class JobAssignment(TenantBase):
    """A technician assigned to a job."""

    __tablename__ = "job_assignments"
    __table_args__ = (
        UniqueConstraint("organization_id", "job_id", "user_id"),
        Index(None, "organization_id", "user_id"),
        {"comment": "Technicians assigned to jobs and their role on the job."},
    )

    job_id: Mapped[int] = col.fk("jobs", nullable=False, ondelete="CASCADE")
    user_id: Mapped[int] = col.fk("users", "Assigned technician.", nullable=False)
    assigned_by_user_id: Mapped[int | None] = col.fk("users", "Dispatcher who made the assignment.")
    role: Mapped[str] = col.one_of(("lead", "assistant"), "Role on the job.", default="lead")
    status: Mapped[str] = col.one_of(
        ("assigned", "accepted", "declined", "removed"), "Assignment state.", default="assigned"
    )
    assigned_at: Mapped[datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())


class JobTask(TenantBase):
    """A step of work within a job."""

    __tablename__ = "job_tasks"
    __table_args__ = (
        CheckConstraint("status <> 'done' or completed_at is not null", name="done_has_completed_at"),
        Index(None, "organization_id", "job_id"),
        {"comment": "Steps of work within jobs."},
    )

    job_id: Mapped[int] = col.fk("jobs", nullable=False, ondelete="CASCADE")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = col.one_of(("todo", "in_progress", "done", "skipped"), "Task state.", default="todo")
    sequence: Mapped[int] = col.count("Order of the task within the job.")
    completed_at: Mapped[datetime | None] = col.timestamp()
    completed_by_user_id: Mapped[int | None] = col.fk("users")


class JobMaterial(TenantBase):
    """A product used on a job, taken from a stock location, with cost and (if billable) price."""

    __tablename__ = "job_materials"
    __table_args__ = (
        Index(None, "organization_id", "job_id"),
        Index(None, "organization_id", "product_id"),
        {"comment": "Materials consumed on jobs, for job costing and billing."},
    )

    job_id: Mapped[int] = col.fk("jobs", nullable=False, ondelete="CASCADE")
    product_id: Mapped[int] = col.fk("products", "Material used.", nullable=False)
    location_id: Mapped[int | None] = col.fk("locations", "Stock location (warehouse, van) it was taken from.")
    quantity: Mapped[Decimal] = col.quantity("Quantity used.")
    unit_cost: Mapped[Decimal] = col.money("Cost per unit, for job costing.")
    unit_price: Mapped[Decimal] = col.money("Price per unit charged when billable.")
    billable: Mapped[bool] = mapped_column(server_default="true", comment="Charged to the customer.")
    used_at: Mapped[datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())


class JobTimeEntry(TenantBase):
    """Time a technician spent on a job (travel, labour or break)."""

    __tablename__ = "job_time_entries"
    __table_args__ = (
        CheckConstraint("ended_at is null or ended_at > started_at", name="ended_after_started"),
        Index(None, "organization_id", "job_id"),
        Index(None, "organization_id", "user_id"),
        Index(None, "organization_id", "started_at"),
        {"comment": "Technician time on jobs, for labour cost, utilisation and billing."},
    )

    job_id: Mapped[int] = col.fk("jobs", nullable=False, ondelete="CASCADE")
    user_id: Mapped[int] = col.fk("users", "Technician whose time this is.", nullable=False)
    entry_type: Mapped[str] = col.one_of(("travel", "labour", "break"), "Kind of time.", default="labour")
    started_at: Mapped[datetime] = col.timestamp(nullable=False)
    ended_at: Mapped[datetime | None] = col.timestamp("NULL while the timer runs.")
    hours: Mapped[Decimal] = col.quantity("Hours worked (ended_at - started_at, or entered manually).")
    hourly_cost: Mapped[Decimal | None] = col.money(
        "Technician's loaded hourly cost at the time, copied from users.hourly_cost.", nullable=True, default=None
    )
    billable: Mapped[bool] = mapped_column(server_default="true", comment="Charged to the customer.")
    notes: Mapped[str | None] = mapped_column(Text)


class JobPhoto(TenantBase):
    """A photo taken on a job, optionally for one task."""

    __tablename__ = "job_photos"
    __table_args__ = (Index(None, "organization_id", "job_id"), {"comment": "Photos taken on jobs."})

    job_id: Mapped[int] = col.fk("jobs", nullable=False, ondelete="CASCADE")
    job_task_id: Mapped[int | None] = col.fk("job_tasks", "Task the photo documents.")
    storage_ref: Mapped[str] = mapped_column(String(500), comment="Object-storage key or URL of the image.")
    caption: Mapped[str | None] = mapped_column(Text)
    taken_at: Mapped[datetime | None] = col.timestamp()
    taken_by_user_id: Mapped[int | None] = col.fk("users")


class ChecklistTemplate(SoftDeleteMixin, TenantBase):
    """A reusable checklist (e.g. a safety or commissioning checklist) copied onto jobs."""

    __tablename__ = "checklist_templates"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        {"comment": "Reusable checklists that job checklists are created from."},
    )

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    job_type: Mapped[str | None] = col.one_of(JOB_TYPES, "Job type the checklist is for; NULL for any.", nullable=True)
    items: Mapped[list[Any]] = mapped_column(
        JSONB,
        server_default="[]",
        comment="Item definitions copied into job_checklist_items: [{label, is_required}] in order.",
    )
    is_active: Mapped[bool] = mapped_column(server_default="true")


class JobChecklist(TenantBase):
    """A checklist attached to a job."""

    __tablename__ = "job_checklists"
    __table_args__ = (
        CheckConstraint("status <> 'completed' or completed_at is not null", name="completed_has_completed_at"),
        Index(None, "organization_id", "job_id"),
        {"comment": "Checklists attached to jobs."},
    )

    job_id: Mapped[int] = col.fk("jobs", nullable=False, ondelete="CASCADE")
    checklist_template_id: Mapped[int | None] = col.fk("checklist_templates", "Template it was created from.")
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = col.one_of(("pending", "in_progress", "completed"), "Checklist state.", default="pending")
    completed_at: Mapped[datetime | None] = col.timestamp()
    completed_by_user_id: Mapped[int | None] = col.fk("users")


class JobChecklistItem(TenantBase):
    """One item of a job checklist."""

    __tablename__ = "job_checklist_items"
    __table_args__ = (
        CheckConstraint("not is_checked or checked_at is not null", name="checked_has_checked_at"),
        Index(None, "organization_id", "job_checklist_id"),
        {"comment": "Items of job checklists and whether they were checked."},
    )

    job_checklist_id: Mapped[int] = col.fk("job_checklists", nullable=False, ondelete="CASCADE")
    sequence: Mapped[int] = col.count("Order of the item within the checklist.")
    label: Mapped[str] = mapped_column(Text)
    is_required: Mapped[bool] = mapped_column(server_default="false", comment="Must be checked to complete.")
    is_checked: Mapped[bool] = mapped_column(server_default="false")
    checked_at: Mapped[datetime | None] = col.timestamp()
    checked_by_user_id: Mapped[int | None] = col.fk("users")
    notes: Mapped[str | None] = mapped_column(Text)


class JobTemplate(SoftDeleteMixin, TenantBase):
    """A standard job (e.g. 'boiler service') with default duration, checklist and price."""

    __tablename__ = "job_templates"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        {"comment": "Standard jobs that new jobs are created from."},
    )

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    job_type: Mapped[str] = col.one_of(JOB_TYPES, "Kind of work.")
    estimated_hours: Mapped[Decimal | None] = col.quantity("Typical labour hours.", nullable=True, default=None)
    default_checklist_template_id: Mapped[int | None] = col.fk(
        "checklist_templates", "Checklist attached to jobs created from the template."
    )
    default_price: Mapped[Decimal | None] = col.money("Standard price of the job.", nullable=True, default=None)
    is_active: Mapped[bool] = mapped_column(server_default="true")
