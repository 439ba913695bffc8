"""Analytics & Reporting: targets, saved and scheduled reports, dashboard layouts and favourites."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Index, String, Text, Time, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from oltp.models import columns as col
from oltp.models.base import SoftDeleteMixin, TenantBase

# Metric names the warehouse computes (reporting layer); targets and reports refer to them by these names.
TARGET_METRICS = (
    "revenue",
    "orders",
    "average_order_value",
    "new_customers",
    "gross_margin",
    "cash_collected",
    "quotes_sent",
    "pipeline_value",
    "won_deals",
    "won_value",
    "jobs_completed",
    "first_time_fix_rate",
    "issues_resolved",
    "sla_compliance_rate",
    "csat_average",
    "warranty_claims",
    "warranty_claim_cost",
)


class Target(TenantBase):
    """A goal for one metric over one period, for the organization, a team or a person."""

    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint(
            "organization_id",
            "metric",
            "period_type",
            "period_start",
            "user_id",
            "user_group_id",
            name="uq_targets_metric_period_owner",
            postgresql_nulls_not_distinct=True,
        ),
        CheckConstraint("period_end > period_start", name="period_end_after_start"),
        CheckConstraint("num_nonnulls(user_id, user_group_id) <= 1", name="user_or_group"),
        Index(None, "organization_id", "period_start"),
        {"comment": "Targets per metric and period, organization-wide or for a team or a person."},
    )

    name: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = col.one_of(TARGET_METRICS, "Warehouse metric the target is set on.")
    period_type: Mapped[str] = col.one_of(("month", "quarter", "year"), "Length of the period.", default="month")
    period_start: Mapped[date] = mapped_column(comment="First day of the period.")
    period_end: Mapped[date] = mapped_column(comment="Last day of the period.")
    target_value: Mapped[Decimal] = col.quantity(
        "Target in the metric's unit: money in the organization's currency, a count, or a percent (0-100)."
    )
    user_id: Mapped[int | None] = col.fk("users", "Person the target is for; NULL with user_group_id NULL = whole org.")
    user_group_id: Mapped[int | None] = col.fk("user_groups", "Team the target is for.")
    notes: Mapped[str | None] = mapped_column(Text)


class CustomReport(SoftDeleteMixin, TenantBase):
    """A report a user built: metrics, dimensions, time grain, filters and how to chart it."""

    __tablename__ = "custom_reports"
    __table_args__ = (
        CheckConstraint("jsonb_typeof(definition) = 'object'", name="definition_is_object"),
        Index(None, "organization_id", "owner_user_id"),
        {"comment": "User-defined reports over warehouse metrics."},
    )

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    definition: Mapped[dict[str, Any]] = mapped_column(
        JSONB,
        server_default="{}",
        comment="Report spec: {metrics: [...], dimensions: [...], time_grain, filters: {...}, date_range: {...}}.",
    )
    owner_user_id: Mapped[int | None] = col.fk("users", "Who owns the report.")
    is_shared: Mapped[bool] = mapped_column(server_default="false", comment="Visible to the whole organization.")
    visualization: Mapped[str] = col.one_of(("table", "line", "bar", "area"), "How it is shown.", default="table")


# How a scheduled report is sent. pdf: written by schedules made before #18 (and the synthetic data), sent as both.
REPORT_FORMATS = ("html", "csv", "both", "pdf")
# A delivery's life (readside/delivery.py): pending -> claimed -> sent | failed | skipped | held; held -> claimed
# again on a later check; a claim older than the lease is taken over by the next run.
DELIVERY_STATUSES = ("pending", "claimed", "held", "sent", "failed", "skipped")


class ScheduledReport(SoftDeleteMixin, TenantBase):
    """A report e-mailed to recipients on a schedule, each email read as its recipient (readside/delivery.py)."""

    __tablename__ = "scheduled_reports"
    __table_args__ = (
        CheckConstraint("(report_type = 'custom') = (custom_report_id is not null)", name="custom_has_report"),
        CheckConstraint("day_of_week between 1 and 7", name="day_of_week_range"),
        CheckConstraint("day_of_month between 1 and 31", name="day_of_month_range"),
        CheckConstraint("frequency <> 'weekly' or day_of_week is not null", name="weekly_has_day"),
        CheckConstraint("frequency <> 'monthly' or day_of_month is not null", name="monthly_has_day"),
        CheckConstraint("(frequency = 'cron') = (cron_expression is not null)", name="cron_has_expression"),
        CheckConstraint("jsonb_typeof(recipients) = 'array'", name="recipients_is_array"),
        CheckConstraint("jsonb_typeof(filters) = 'object'", name="filters_is_object"),
        CheckConstraint(
            "alert_condition is null or jsonb_typeof(alert_condition) = 'object'", name="alert_condition_is_object"
        ),
        # The scheduler's scan: every organization's active schedules that are due.
        Index(None, "next_run_at", postgresql_where=text("is_active and deleted_at is null")),
        {"comment": "Reports sent by e-mail on a daily, weekly, monthly or cron schedule in a time zone."},
    )

    name: Mapped[str] = mapped_column(String(200))
    report_type: Mapped[str] = col.one_of(
        ("daily_metrics", "pipeline", "warranty", "jobs", "current_state", "targets", "custom"),
        "Which report is sent; custom uses custom_report_id.",
    )
    custom_report_id: Mapped[int | None] = col.fk("custom_reports", "The custom report, when report_type is custom.")
    filters: Mapped[dict[str, Any]] = mapped_column(
        JSONB,
        server_default="{}",
        comment='The view sent: {"range": {"last": 7, "unit": "day"}, "grain": "day", "compare": "previous"}; '
        "the range is whole units before the local send date.",
    )
    frequency: Mapped[str] = col.one_of(
        ("daily", "weekly", "monthly", "cron"), "How often it is sent; cron uses cron_expression.", default="weekly"
    )
    send_at_local_time: Mapped[time] = mapped_column(Time, comment="Time of day to send, in timezone.")
    day_of_week: Mapped[int | None] = col.count(
        "ISO weekday to send on for weekly reports: 1 = Monday ... 7 = Sunday.", nullable=True, default=None
    )
    day_of_month: Mapped[int | None] = col.count(
        "Day of month to send on for monthly reports (1-31; the last day in shorter months).",
        nullable=True,
        default=None,
    )
    cron_expression: Mapped[str | None] = mapped_column(
        String(120), comment="Five-field cron expression in local time of timezone, when frequency is cron."
    )
    timezone: Mapped[str] = mapped_column(String(64), server_default="UTC", comment="IANA time zone of the schedule.")
    recipients: Mapped[list[Any]] = mapped_column(
        JSONB,
        server_default="[]",
        comment='E-mail addresses, e.g. ["ops@example.com"]: users of the organization, or at a domain listed in '
        "organizations.settings.allowed_email_domains (trigger check_recipients).",
    )
    format: Mapped[str] = col.one_of(
        REPORT_FORMATS, "html: summary with chart inline; csv: CSV attachment; both.", default="html"
    )
    skip_when_empty: Mapped[bool] = mapped_column(
        server_default="true", comment="Send nothing (and record why) when the period has no data."
    )
    grace_minutes: Mapped[int] = col.count(
        "How long a due report waits for its period's data and passing checks before it is sent stamped as late.",
        default=120,
    )
    alert_condition: Mapped[dict[str, Any] | None] = mapped_column(
        JSONB,
        comment='Send only when it turns true: {"metric": "receivables_overdue", "op": "above", "threshold": 5000}.',
    )
    alert_active: Mapped[bool] = mapped_column(
        server_default="false",
        comment="Whether alert_condition held at the last check; an email goes out only when it turns true.",
    )
    is_active: Mapped[bool] = mapped_column(server_default="true", comment="False while paused.")
    last_sent_at: Mapped[datetime | None] = col.timestamp("When the report was last sent.")
    next_run_at: Mapped[datetime | None] = col.timestamp("When it is next due; NULL when inactive.")
    created_by_user_id: Mapped[int | None] = col.fk("users", "Who set up the schedule (its owner).")


class ReportDelivery(TenantBase):
    """One email of a scheduled report to one recipient for one occurrence: recorded before it is sent, claimed by
    one scheduler, marked after the SMTP server answered."""

    __tablename__ = "report_deliveries"
    __table_args__ = (
        UniqueConstraint(
            "organization_id",
            "scheduled_report_id",
            "kind",
            "scheduled_for",
            "recipient",
            name="uq_report_deliveries_once",
        ),
        CheckConstraint("recipient = lower(recipient)", name="recipient_lower_case"),
        CheckConstraint("(status = 'claimed') = (claim_token is not null)", name="claim_has_token"),
        CheckConstraint("(status = 'sent') = (sent_at is not null)", name="sent_has_time"),
        CheckConstraint("period_end >= period_start", name="period_end_after_start"),
        # What the scheduler picks up next.
        Index(
            "ix_report_deliveries_open",
            "next_attempt_at",
            postgresql_where=text("status = 'pending' or status = 'claimed' or status = 'held'"),
        ),
        {"comment": "Scheduled report emails, one per schedule, occurrence and recipient: the exactly-once ledger."},
    )

    scheduled_report_id: Mapped[int] = col.fk(
        "scheduled_reports", "The schedule sent.", nullable=False, ondelete="CASCADE"
    )
    kind: Mapped[str] = col.one_of(
        ("scheduled", "test"), "A scheduled send, or a test sent by hand.", default="scheduled"
    )
    scheduled_for: Mapped[datetime] = col.timestamp(
        "The occurrence it is for (a test: when it was asked for).", nullable=False
    )
    period_start: Mapped[date] = mapped_column(comment="First day of the data the email reports.")
    period_end: Mapped[date] = mapped_column(comment="Last day of the data the email reports.")
    recipient: Mapped[str] = mapped_column(String(320), comment="E-mail address, lower case.")
    recipient_user_id: Mapped[int | None] = col.fk("users", "The recipient's user; NULL for an outside address.")
    status: Mapped[str] = col.one_of(DELIVERY_STATUSES, "Where the delivery stands.", default="pending")
    reason: Mapped[str | None] = mapped_column(Text, comment="Why it was skipped, held or failed (the SMTP reply).")
    attempts: Mapped[int] = col.count("SMTP attempts made.")
    next_attempt_at: Mapped[datetime] = col.timestamp(
        "When it may next be picked up: its occurrence, or a held report's next check.", nullable=False
    )
    claimed_at: Mapped[datetime | None] = col.timestamp(
        "When a scheduler claimed it; older than the lease: taken over."
    )
    claim_token: Mapped[str | None] = mapped_column(String(36), comment="Which scheduler's claim holds it.")
    message_id_header: Mapped[str] = mapped_column(
        String(255), comment="Message-ID derived from the delivery's key: a resend after a crash carries the same one."
    )
    sent_at: Mapped[datetime | None] = col.timestamp("When the SMTP server accepted it.")
    smtp_response: Mapped[str | None] = mapped_column(Text, comment="The server's reply when it accepted the message.")
    data_as_of: Mapped[datetime | None] = col.timestamp("Data-as-of time of the numbers the email carried.")
    checks: Mapped[str | None] = mapped_column(Text, comment="Check status of the refresh the email carried.")
    late: Mapped[bool] = mapped_column(
        server_default="false", comment="Sent past the grace time without its period's data or with failed checks."
    )
    owner_notified_at: Mapped[datetime | None] = col.timestamp("When the owner was told it failed or went out late.")


class DashboardLayout(TenantBase):
    """A user's arrangement of the widgets on one dashboard."""

    __tablename__ = "dashboard_layouts"
    __table_args__ = (
        UniqueConstraint("organization_id", "user_id", "dashboard_key"),
        Index(
            "uq_dashboard_layouts_one_default",
            "organization_id",
            "user_id",
            unique=True,
            postgresql_where=text("is_default"),
        ),
        {"comment": "Per-user dashboard layouts (widget positions and sizes)."},
    )

    user_id: Mapped[int] = col.fk("users", "Whose layout it is.", nullable=False, ondelete="CASCADE")
    dashboard_key: Mapped[str] = mapped_column(String(80), comment="Which dashboard, e.g. executive, pipeline.")
    layout: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default="{}", comment="Widgets with their positions, sizes and settings."
    )
    is_default: Mapped[bool] = mapped_column(
        server_default="false", comment="The dashboard the user lands on; at most one per user."
    )


class ReportFavorite(TenantBase):
    """A report a user starred: a custom report or a built-in report."""

    __tablename__ = "report_favorites"
    __table_args__ = (
        UniqueConstraint("organization_id", "user_id", "custom_report_id"),
        UniqueConstraint("organization_id", "user_id", "report_key"),
        CheckConstraint("num_nonnulls(custom_report_id, report_key) = 1", name="custom_or_builtin"),
        {"comment": "Reports users marked as favourite."},
    )

    user_id: Mapped[int] = col.fk("users", "Who starred the report.", nullable=False, ondelete="CASCADE")
    custom_report_id: Mapped[int | None] = col.fk("custom_reports", "Starred custom report.", ondelete="CASCADE")
    report_key: Mapped[str | None] = mapped_column(String(80), comment="Starred built-in report, e.g. pipeline.")
