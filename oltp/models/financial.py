"""Financial: credit notes, invoice payment schedules, dunning reminders, statements, revenue recognition."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from oltp.models import columns as col
from oltp.models.base import TIMESTAMPTZ, SoftDeleteMixin, TenantBase

REMINDER_CHANNELS = ("email", "sms", "letter")


class CreditNote(SoftDeleteMixin, TenantBase):
    """A credit note that reduces what a customer owes on an invoiced order."""

    __tablename__ = "credit_notes"
    __table_args__ = (
        UniqueConstraint("organization_id", "credit_note_number"),
        CheckConstraint("total_amount = amount + tax_amount", name="total_adds_up"),
        CheckConstraint("status = 'draft' or issued_date is not null", name="issued_has_issued_date"),
        Index(None, "organization_id", "customer_id"),
        Index(None, "organization_id", "order_id"),
        Index(None, "organization_id", "issued_date"),
        {"comment": "Credit notes issued against invoiced orders."},
    )

    credit_note_number: Mapped[str] = mapped_column(String(40), comment="Human number, unique per organization.")
    customer_id: Mapped[int] = col.fk("customers", nullable=False)
    order_id: Mapped[int | None] = col.fk("orders", "The invoiced order being credited.")
    return_authorization_id: Mapped[int | None] = col.fk("return_authorizations", "RMA that led to the credit.")
    created_by_user_id: Mapped[int | None] = col.fk("users")
    reason: Mapped[str] = col.one_of(
        ("return", "pricing_error", "damaged_goods", "service_issue", "goodwill", "cancellation", "other"),
        "Why the credit was given.",
        default="other",
    )
    status: Mapped[str] = col.one_of(("draft", "issued", "applied", "void"), "Credit note state.", default="draft")
    issued_date: Mapped[date | None] = mapped_column(comment="Date the credit note was issued; NULL while draft.")
    applied_at: Mapped[datetime | None] = col.timestamp("When the credit was applied to the customer's balance.")
    amount: Mapped[Decimal] = col.money("Credit before tax.")
    tax_amount: Mapped[Decimal] = col.money("Tax credited.")
    total_amount: Mapped[Decimal] = col.money("amount + tax_amount.")
    currency: Mapped[str] = col.currency()
    notes: Mapped[str | None] = mapped_column(Text)


class PaymentSchedule(TenantBase):
    """One installment of an order's invoice: what is due when, and what has been paid."""

    __tablename__ = "payment_schedules"
    __table_args__ = (
        UniqueConstraint("organization_id", "order_id", "installment_number"),
        CheckConstraint("amount_paid <= amount_due", name="paid_within_due"),
        CheckConstraint("status <> 'paid' or paid_at is not null", name="paid_has_paid_at"),
        Index(None, "organization_id", "due_date"),
        {"comment": "Installments of order invoices, for cash-flow forecasting and collections."},
    )

    order_id: Mapped[int] = col.fk("orders", nullable=False, ondelete="CASCADE")
    installment_number: Mapped[int] = col.count("1-based position of the installment.", default=None)
    due_date: Mapped[date] = mapped_column(comment="Date the installment is due.")
    amount_due: Mapped[Decimal] = col.money("Amount of the installment.")
    amount_paid: Mapped[Decimal] = col.money("Amount received against the installment.")
    paid_at: Mapped[datetime | None] = col.timestamp("When the installment became fully paid.")
    status: Mapped[str] = col.one_of(
        ("scheduled", "paid", "partially_paid", "overdue", "cancelled"), "Installment state.", default="scheduled"
    )
    currency: Mapped[str] = col.currency()


class ReminderTemplate(SoftDeleteMixin, TenantBase):
    """A payment reminder sent a number of days before or after an invoice falls due."""

    __tablename__ = "reminder_templates"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        {"comment": "Payment reminder (dunning) templates and when they fire relative to the due date."},
    )

    name: Mapped[str] = mapped_column(String(120))
    days_relative_to_due: Mapped[int] = mapped_column(
        Integer,
        server_default="0",
        comment="Days from the due date when the reminder is sent: negative = before, positive = after.",
    )
    channel: Mapped[str] = col.one_of(REMINDER_CHANNELS, "How the reminder is sent.", default="email")
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, comment="Message body with merge fields.")
    is_active: Mapped[bool] = mapped_column(server_default="true")


class ReminderHistory(TenantBase):
    """A payment reminder that was sent (or attempted) for an order's invoice."""

    __tablename__ = "reminder_history"
    __table_args__ = (
        Index(None, "organization_id", "order_id"),
        Index(None, "organization_id", "sent_at"),
        {"comment": "Payment reminders sent for invoices, for collections analytics."},
    )

    order_id: Mapped[int] = col.fk("orders", "Invoiced order reminded about.", nullable=False)
    payment_schedule_id: Mapped[int | None] = col.fk("payment_schedules", "Installment reminded about, if any.")
    reminder_template_id: Mapped[int | None] = col.fk("reminder_templates", "Template used; NULL for ad-hoc.")
    email_history_id: Mapped[int | None] = col.fk("email_history", "The e-mail sent, for email reminders.")
    sent_by_user_id: Mapped[int | None] = col.fk("users", "Who sent it; NULL when sent automatically.")
    channel: Mapped[str] = col.one_of(REMINDER_CHANNELS, "How the reminder was sent.", default="email")
    recipient: Mapped[str | None] = mapped_column(String(320), comment="E-mail address, phone or postal name.")
    status: Mapped[str] = col.one_of(("sent", "failed", "bounced"), "Delivery outcome.", default="sent")
    sent_at: Mapped[datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())


class StatementHistory(TenantBase):
    """An account statement sent to a customer for a period."""

    __tablename__ = "statement_history"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_end_after_start"),
        Index(None, "organization_id", "customer_id"),
        Index(None, "organization_id", "statement_date"),
        {"comment": "Customer account statements sent, with opening and closing balances."},
    )

    customer_id: Mapped[int] = col.fk("customers", nullable=False)
    statement_date: Mapped[date] = mapped_column(comment="Date of the statement.")
    period_start: Mapped[date] = mapped_column(comment="First day covered.")
    period_end: Mapped[date] = mapped_column(comment="Last day covered.")
    opening_balance: Mapped[Decimal] = col.money(
        "Balance owed at period start; signed because a customer in credit has a negative balance.", signed=True
    )
    closing_balance: Mapped[Decimal] = col.money(
        "Balance owed at period end; signed because a customer in credit has a negative balance.", signed=True
    )
    currency: Mapped[str] = col.currency()
    delivery_channel: Mapped[str] = col.one_of(
        ("email", "post", "portal"), "How the statement was delivered.", default="email"
    )
    sent_at: Mapped[datetime | None] = col.timestamp("When it was sent; NULL if generated but not sent.")
    storage_ref: Mapped[str | None] = mapped_column(String(500), comment="Object-storage key of the PDF.")


class RevenueRecognition(TenantBase):
    """An amount of revenue recognized on a date for an order (line)."""

    __tablename__ = "revenue_recognition"
    __table_args__ = (
        Index(None, "organization_id", "order_id"),
        Index(None, "organization_id", "recognized_on"),
        {"comment": "Revenue recognition entries: what revenue was recognized when, per order line."},
    )

    order_id: Mapped[int] = col.fk("orders", nullable=False)
    order_line_item_id: Mapped[int | None] = col.fk("order_line_items", "Line recognized; NULL for whole order.")
    deferred_revenue_id: Mapped[int | None] = col.fk(
        "deferred_revenue", "Deferral this entry releases, for ratable/milestone recognition."
    )
    recognized_on: Mapped[date] = mapped_column(comment="Accounting date the revenue is recognized on.")
    amount: Mapped[Decimal] = col.money("Revenue recognized.")
    currency: Mapped[str] = col.currency()
    recognition_method: Mapped[str] = col.one_of(
        ("point_in_time", "ratably", "milestone"), "How the revenue is recognized.", default="point_in_time"
    )


class DeferredRevenue(TenantBase):
    """Revenue invoiced but not yet earned (e.g. service contracts, extended warranties), released over time."""

    __tablename__ = "deferred_revenue"
    __table_args__ = (
        CheckConstraint("recognized_to_date <= total_deferred", name="recognized_within_total"),
        CheckConstraint(
            "period_end is null or period_start is null or period_end >= period_start", name="period_end_after_start"
        ),
        CheckConstraint(
            "status <> 'fully_recognized' or recognized_to_date = total_deferred", name="fully_recognized_is_full"
        ),
        Index(None, "organization_id", "order_id"),
        {"comment": "Deferred revenue balances; remaining balance = total_deferred - recognized_to_date."},
    )

    order_id: Mapped[int] = col.fk("orders", nullable=False)
    order_line_item_id: Mapped[int | None] = col.fk("order_line_items", "Line deferred; NULL for whole order.")
    warranty_id: Mapped[int | None] = col.fk("warranties", "Extended warranty the revenue is for, if any.")
    total_deferred: Mapped[Decimal] = col.money("Amount deferred at invoicing.")
    recognized_to_date: Mapped[Decimal] = col.money("Amount released to revenue so far.")
    currency: Mapped[str] = col.currency()
    period_start: Mapped[date | None] = mapped_column(comment="Start of the ratable recognition period.")
    period_end: Mapped[date | None] = mapped_column(comment="End of the ratable recognition period.")
    status: Mapped[str] = col.one_of(
        ("deferred", "partially_recognized", "fully_recognized"), "Recognition progress.", default="deferred"
    )
