"""Shared Infrastructure: activity timeline, SLAs and escalations, business hours and holidays, audit log."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Index, String, Text, Time, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from oltp.models import columns as col
from oltp.models.base import TIMESTAMPTZ, TenantBase
from oltp.models.support import ISSUE_PRIORITIES

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

ACTIVITY_PARENTS = (
    "customer_id",
    "contact_id",
    "opportunity_id",
    "quote_id",
    "order_id",
    "job_id",
    "issue_id",
    "warranty_claim_id",
    "purchase_order_id",
    "supplier_id",
)


class Activity(TenantBase):
    """One entry of the cross-domain activity timeline: a call, note, e-mail, status change, ..."""

    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint(f"num_nonnulls({', '.join(ACTIVITY_PARENTS)}) >= 1", name="has_parent"),
        Index(None, "organization_id", "occurred_at"),
        Index(None, "organization_id", "customer_id"),
        Index(None, "organization_id", "user_id"),
        {"comment": "Cross-domain activity timeline: what happened, by whom, on which records."},
    )

    activity_type: Mapped[str] = col.one_of(
        (
            "note",
            "call",
            "email",
            "meeting",
            "task",
            "visit",
            "status_change",
            "assignment",
            "created",
            "updated",
            "system",
        ),
        "What kind of activity.",
        default="note",
    )
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text, comment="Details of the activity.")
    user_id: Mapped[int | None] = col.fk("users", "Who performed the activity; NULL for system activity.")
    occurred_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the activity happened."
    )
    details: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default="{}", comment="Structured extras, e.g. call duration or old/new status."
    )
    customer_id: Mapped[int | None] = col.fk("customers", "Customer the activity concerns.")
    contact_id: Mapped[int | None] = col.fk("contacts", "Contact the activity concerns.")
    opportunity_id: Mapped[int | None] = col.fk("opportunities", "Opportunity the activity concerns.")
    quote_id: Mapped[int | None] = col.fk("quotes", "Quote the activity concerns.")
    order_id: Mapped[int | None] = col.fk("orders", "Order the activity concerns.")
    job_id: Mapped[int | None] = col.fk("jobs", "Field job the activity concerns.")
    issue_id: Mapped[int | None] = col.fk("issues", "Support ticket the activity concerns.")
    warranty_claim_id: Mapped[int | None] = col.fk("warranty_claims", "Warranty claim the activity concerns.")
    purchase_order_id: Mapped[int | None] = col.fk("purchase_orders", "Purchase order the activity concerns.")
    supplier_id: Mapped[int | None] = col.fk("suppliers", "Supplier the activity concerns.")


def _opens(day: str) -> Any:
    return mapped_column(Time, comment=f"Opening time on {day} (local to timezone); NULL when closed all day.")


def _closes(day: str) -> Any:
    return mapped_column(Time, comment=f"Closing time on {day} (local); NULL when closed; 24:00 for until midnight.")


def _day_hours_check(day: str) -> CheckConstraint:
    """Open and close are both set or both NULL, and close is after open (no overnight shifts)."""
    return CheckConstraint(
        f"({day}_open is null) = ({day}_close is null) and ({day}_open is null or {day}_close > {day}_open)",
        name=f"{day}_hours",
    )


class BusinessHoursConfig(TenantBase):
    """A weekly opening-hours calendar in one time zone, used to count SLA business minutes.

    One open/close pair per ISO weekday (both NULL = closed that day), so SQL can pick the hours of a local date
    with ``case extract(isodow from d) when 1 then mon_open ... end`` and subtract holidays by a join on
    organization_holidays.
    """

    __tablename__ = "business_hours_config"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        *(_day_hours_check(day) for day in WEEKDAYS),
        Index(
            "uq_business_hours_config_one_default", "organization_id", unique=True, postgresql_where=text("is_default")
        ),
        {"comment": "Business-hours calendars: opening and closing time per weekday in one time zone."},
    )

    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(
        String(64), server_default="UTC", comment="IANA time zone the opening hours are expressed in."
    )
    is_default: Mapped[bool] = mapped_column(
        server_default="false", comment="The organization's default calendar; at most one per organization."
    )
    mon_open: Mapped[time | None] = _opens("mon")
    mon_close: Mapped[time | None] = _closes("mon")
    tue_open: Mapped[time | None] = _opens("tue")
    tue_close: Mapped[time | None] = _closes("tue")
    wed_open: Mapped[time | None] = _opens("wed")
    wed_close: Mapped[time | None] = _closes("wed")
    thu_open: Mapped[time | None] = _opens("thu")
    thu_close: Mapped[time | None] = _closes("thu")
    fri_open: Mapped[time | None] = _opens("fri")
    fri_close: Mapped[time | None] = _closes("fri")
    sat_open: Mapped[time | None] = _opens("sat")
    sat_close: Mapped[time | None] = _closes("sat")
    sun_open: Mapped[time | None] = _opens("sun")
    sun_close: Mapped[time | None] = _closes("sun")


class OrganizationHoliday(TenantBase):
    """A day on which a business-hours calendar (or the whole organization) is closed."""

    __tablename__ = "organization_holidays"
    __table_args__ = (
        UniqueConstraint(
            "organization_id", "business_hours_config_id", "holiday_date", postgresql_nulls_not_distinct=True
        ),
        {"comment": "Closed days that do not count as business time, per calendar or organization-wide."},
    )

    business_hours_config_id: Mapped[int | None] = col.fk(
        "business_hours_config", "Calendar the holiday belongs to; NULL for every calendar.", ondelete="CASCADE"
    )
    holiday_date: Mapped[date] = mapped_column(comment="The closed day (local date of the calendar).")
    name: Mapped[str] = mapped_column(String(120))


class SlaConfiguration(TenantBase):
    """Response and resolution targets for support tickets of one priority."""

    __tablename__ = "sla_configurations"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        CheckConstraint("first_response_minutes > 0", name="first_response_positive"),
        CheckConstraint("resolution_minutes >= first_response_minutes", name="resolution_after_response"),
        Index("uq_sla_configurations_one_default", "organization_id", unique=True, postgresql_where=text("is_default")),
        {"comment": "SLA targets per ticket priority, in business minutes of a business-hours calendar."},
    )

    name: Mapped[str] = mapped_column(String(120))
    priority: Mapped[str] = col.one_of(ISSUE_PRIORITIES, "Ticket priority the SLA applies to.", default="normal")
    first_response_minutes: Mapped[int] = col.count("Business minutes allowed until the first response.", default=None)
    resolution_minutes: Mapped[int] = col.count("Business minutes allowed until resolution.", default=None)
    business_hours_config_id: Mapped[int | None] = col.fk(
        "business_hours_config", "Calendar the minutes count in; NULL for round-the-clock (24x7)."
    )
    is_default: Mapped[bool] = mapped_column(
        server_default="false", comment="Used when no SLA matches the ticket; at most one per organization."
    )
    is_active: Mapped[bool] = mapped_column(server_default="true")


class SlaTracking(TenantBase):
    """The SLA clock of one support ticket: due times, when they were met, and whether they were breached."""

    __tablename__ = "sla_tracking"
    __table_args__ = (
        UniqueConstraint("organization_id", "issue_id"),
        CheckConstraint("response_met_at is null or response_met_at >= started_at", name="response_met_after_start"),
        CheckConstraint(
            "resolution_met_at is null or resolution_met_at >= started_at", name="resolution_met_after_start"
        ),
        CheckConstraint("response_due_at >= started_at", name="response_due_after_start"),
        CheckConstraint("resolution_due_at >= response_due_at", name="resolution_due_after_response_due"),
        CheckConstraint("status <> 'breached' or response_breached or resolution_breached", name="breached_has_breach"),
        Index(None, "organization_id", "sla_configuration_id"),
        {"comment": "One row per ticket: SLA due times, met times, breaches and paused time."},
    )

    issue_id: Mapped[int] = col.fk(
        "issues", "The ticket; one tracking row per ticket.", nullable=False, ondelete="CASCADE"
    )
    sla_configuration_id: Mapped[int] = col.fk("sla_configurations", "SLA being tracked.", nullable=False)
    started_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the SLA clock started (normally issues.opened_at)."
    )
    response_due_at: Mapped[datetime] = col.timestamp(
        "Deadline for the first response, pauses included.", nullable=False
    )
    response_met_at: Mapped[datetime | None] = col.timestamp("When the first response was given.")
    response_breached: Mapped[bool] = mapped_column(server_default="false", comment="First response came too late.")
    resolution_due_at: Mapped[datetime] = col.timestamp("Deadline for resolution, pauses included.", nullable=False)
    resolution_met_at: Mapped[datetime | None] = col.timestamp("When the ticket was resolved.")
    resolution_breached: Mapped[bool] = mapped_column(server_default="false", comment="Resolution came too late.")
    paused_minutes: Mapped[int] = col.count("Total minutes the clock was paused (e.g. waiting on the customer).")
    status: Mapped[str] = col.one_of(("active", "paused", "met", "breached"), "Clock state.", default="active")


class SlaEvent(TenantBase):
    """One change of an SLA clock: started, paused, resumed, met, breached, reset."""

    __tablename__ = "sla_events"
    __table_args__ = (
        Index(None, "organization_id", "sla_tracking_id"),
        {"comment": "History of SLA clock changes per ticket."},
    )

    sla_tracking_id: Mapped[int] = col.fk("sla_tracking", "The SLA clock.", nullable=False, ondelete="CASCADE")
    event_type: Mapped[str] = col.one_of(
        ("started", "paused", "resumed", "response_met", "resolution_met", "breached", "reset"), "What happened."
    )
    occurred_at: Mapped[datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now(), comment="When it happened.")
    user_id: Mapped[int | None] = col.fk("users", "Who caused the change; NULL when automatic.")


class EscalationRule(TenantBase):
    """When and to whom a support ticket is escalated."""

    __tablename__ = "escalation_rules"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        CheckConstraint("num_nonnulls(escalate_to_user_id, escalate_to_group_id) >= 1", name="has_target"),
        {"comment": "Escalation rules: trigger, threshold and escalation target."},
    )

    name: Mapped[str] = mapped_column(String(120))
    trigger_type: Mapped[str] = col.one_of(
        ("response_breach", "resolution_breach", "priority", "reopened"), "What triggers the escalation."
    )
    priority: Mapped[str | None] = col.one_of(
        ISSUE_PRIORITIES, "Ticket priority the rule is limited to; NULL for any priority.", nullable=True
    )
    threshold_minutes: Mapped[int] = col.count("Minutes after the trigger before escalating (0 = immediately).")
    escalate_to_user_id: Mapped[int | None] = col.fk("users", "User the ticket is escalated to.")
    escalate_to_group_id: Mapped[int | None] = col.fk("user_groups", "Team the ticket is escalated to.")
    is_active: Mapped[bool] = mapped_column(server_default="true")


class EscalationHistory(TenantBase):
    """One escalation of a support ticket, automatic or manual."""

    __tablename__ = "escalation_history"
    __table_args__ = (
        CheckConstraint("level >= 1", name="level_positive"),
        Index(None, "organization_id", "issue_id"),
        Index(None, "organization_id", "escalated_at"),
        {"comment": "Escalations of tickets: when, why, from whom to whom, at which level."},
    )

    issue_id: Mapped[int] = col.fk("issues", "Escalated ticket.", nullable=False)
    escalation_rule_id: Mapped[int | None] = col.fk("escalation_rules", "Rule that fired; NULL for manual escalation.")
    escalated_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the ticket was escalated."
    )
    from_user_id: Mapped[int | None] = col.fk("users", "Owner before the escalation.")
    to_user_id: Mapped[int | None] = col.fk("users", "Owner after the escalation.")
    to_group_id: Mapped[int | None] = col.fk("user_groups", "Team escalated to, if a team.")
    level: Mapped[int] = col.count("Escalation level: 1 for the first escalation, 2 for the next, ...", default=1)
    reason: Mapped[str | None] = mapped_column(Text)


class AuditLog(TenantBase):
    """One audited action: a row change, a sign-in, an export."""

    __tablename__ = "audit_logs"
    __table_args__ = (
        CheckConstraint(
            "action not in ('insert', 'update', 'delete', 'soft_delete', 'restore')"
            " or (table_name is not null and row_pk is not null)",
            name="row_change_has_row",
        ),
        Index(None, "organization_id", "occurred_at"),
        {"comment": "Audit trail of data changes and security-relevant actions."},
    )

    user_id: Mapped[int | None] = col.fk("users", "User who acted; NULL for API tokens and the system.")
    api_token_id: Mapped[int | None] = col.fk("api_tokens", "API token that acted, for integrations.")
    action: Mapped[str] = col.one_of(
        (
            "insert",
            "update",
            "delete",
            "soft_delete",
            "restore",
            "login",
            "logout",
            "login_failed",
            "export",
            "import",
            "permission_change",
            "share",
            "email_sent",
        ),
        "What was done.",
    )
    table_name: Mapped[str | None] = mapped_column(String(63), comment="Table of the changed row, for row changes.")
    row_pk: Mapped[int | None] = mapped_column(
        BigInteger,
        comment="Primary key value (id) of the changed row: NOT a foreign key, it spans every table.",
    )
    old_values: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default="{}", comment="Changed columns before the action; {} for inserts."
    )
    new_values: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default="{}", comment="Changed columns after the action; {} for deletes."
    )
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the action happened."
    )
