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


class ScheduledReport(SoftDeleteMixin, TenantBase):
    """A report e-mailed to recipients on a schedule."""

    __tablename__ = "scheduled_reports"
    __table_args__ = (
        CheckConstraint("(report_type = 'custom') = (custom_report_id is not null)", name="custom_has_report"),
        CheckConstraint("day_of_week between 1 and 7", name="day_of_week_range"),
        CheckConstraint("day_of_month between 1 and 31", name="day_of_month_range"),
        CheckConstraint("frequency <> 'weekly' or day_of_week is not null", name="weekly_has_day"),
        CheckConstraint("frequency <> 'monthly' or day_of_month is not null", name="monthly_has_day"),
        CheckConstraint("jsonb_typeof(recipients) = 'array'", name="recipients_is_array"),
        Index(None, "organization_id", "next_run_at"),
        {"comment": "Reports sent by e-mail on a daily, weekly or monthly schedule."},
    )

    name: Mapped[str] = mapped_column(String(200))
    report_type: Mapped[str] = col.one_of(
        ("daily_metrics", "pipeline", "warranty", "jobs", "current_state", "targets", "custom"),
        "Which report is sent; custom uses custom_report_id.",
    )
    custom_report_id: Mapped[int | None] = col.fk("custom_reports", "The custom report, when report_type is custom.")
    frequency: Mapped[str] = col.one_of(("daily", "weekly", "monthly"), "How often it is sent.", default="weekly")
    send_at_local_time: Mapped[time] = mapped_column(Time, comment="Time of day to send, in timezone.")
    day_of_week: Mapped[int | None] = col.count(
        "ISO weekday to send on for weekly reports: 1 = Monday ... 7 = Sunday.", nullable=True, default=None
    )
    day_of_month: Mapped[int | None] = col.count(
        "Day of month to send on for monthly reports (1-31; the last day in shorter months).",
        nullable=True,
        default=None,
    )
    timezone: Mapped[str] = mapped_column(String(64), server_default="UTC", comment="IANA time zone of the schedule.")
    recipients: Mapped[list[Any]] = mapped_column(
        JSONB, server_default="[]", comment='E-mail addresses, e.g. ["ops@example.com"].'
    )
    format: Mapped[str] = col.one_of(("html", "csv", "pdf"), "Attachment or body format.", default="html")
    is_active: Mapped[bool] = mapped_column(server_default="true")
    last_sent_at: Mapped[datetime | None] = col.timestamp("When the report was last sent.")
    next_run_at: Mapped[datetime | None] = col.timestamp("When it is next due; NULL when inactive.")
    created_by_user_id: Mapped[int | None] = col.fk("users", "Who set up the schedule.")


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
