"""Scheduled reports by email (issue #18): what a schedule sends (filters, format, skip when empty), when (cron as
well as daily, weekly, monthly), how long it waits for fresh data, an optional alert condition, the delivery ledger
`report_deliveries` (one row per schedule, occurrence and recipient, unique), and a trigger that refuses a
recipient who is neither a user of the organization nor at one of its allowed email domains.

The reader may read the ledger of its organization (forced row-level security, as 0006 does for the app tables it
changes) and add a pending test send to it; only the scheduler (the owner) sends and marks deliveries.

Downgrade: cron schedules become paused daily ones and `both` becomes `html`, since 0006 allows neither.

Revision ID: 0007_scheduled_report_deliveries
Revises: 0006_read_side
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007_scheduled_report_deliveries"
down_revision: str | None = "0006_read_side"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (not imported) so this migration means the same thing forever.
READER = "warehouse_reader"
ORGANIZATION = "app.current_organization_id()"
TIMESTAMPTZ = postgresql.TIMESTAMP(timezone=True)
JSONB = postgresql.JSONB(astext_type=sa.Text())
NEW_CHECKS = {
    "ck_scheduled_reports_cron_has_expression": "(frequency = 'cron') = (cron_expression is not null)",
    "ck_scheduled_reports_filters_is_object": "jsonb_typeof(filters) = 'object'",
    "ck_scheduled_reports_alert_condition_is_object": "alert_condition is null or jsonb_typeof(alert_condition) = 'object'",
    "ck_scheduled_reports_grace_minutes_non_negative": "grace_minutes >= 0",
}
ALLOWED = {
    # column -> (values before, values after)
    "frequency": (("daily", "weekly", "monthly"), ("daily", "weekly", "monthly", "cron")),
    "format": (("html", "csv", "pdf"), ("html", "csv", "both", "pdf")),
}
COMMENTS = {
    # column -> (comment before, comment after)
    "frequency": (
        "How often it is sent. One of: daily, weekly, monthly.",
        "How often it is sent; cron uses cron_expression. One of: daily, weekly, monthly, cron.",
    ),
    "format": (
        "Attachment or body format. One of: html, csv, pdf.",
        "html: summary with chart inline; csv: CSV attachment; both. One of: html, csv, both, pdf.",
    ),
    "recipients": (
        'E-mail addresses, e.g. ["ops@example.com"].',
        'E-mail addresses, e.g. ["ops@example.com"]: users of the organization, or at a domain listed in '
        "organizations.settings.allowed_email_domains (trigger check_recipients).",
    ),
    "is_active": (None, "False while paused."),
    "created_by_user_id": ("Who set up the schedule.", "Who set up the schedule (its owner)."),
}
TABLE_COMMENTS = (
    "Reports sent by e-mail on a daily, weekly or monthly schedule.",
    "Reports sent by e-mail on a daily, weekly, monthly or cron schedule in a time zone.",
)


def _allowed(column: str, values: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{value}'" for value in values)
    op.execute(f"alter table app.scheduled_reports drop constraint ck_scheduled_reports_{column}_allowed")
    op.execute(
        f"alter table app.scheduled_reports add constraint ck_scheduled_reports_{column}_allowed "
        f"check ({column} in ({listed}))"
    )


def _comments(index: int) -> None:
    for column, comments in COMMENTS.items():
        comment = "null" if comments[index] is None else "'" + comments[index].replace("'", "''") + "'"
        op.execute(f"comment on column app.scheduled_reports.{column} is {comment}")
    op.execute(f"comment on table app.scheduled_reports is '{TABLE_COMMENTS[index]}'")


def upgrade() -> None:
    add = lambda column: op.add_column("scheduled_reports", column, schema="app")  # noqa: E731
    add(
        sa.Column(
            "filters",
            JSONB,
            server_default="{}",
            nullable=False,
            comment='The view sent: {"range": {"last": 7, "unit": "day"}, "grain": "day", "compare": "previous"}; the range is whole units before the local send date.',
        )
    )
    add(
        sa.Column(
            "cron_expression",
            sa.String(length=120),
            nullable=True,
            comment="Five-field cron expression in local time of timezone, when frequency is cron.",
        )
    )
    add(
        sa.Column(
            "skip_when_empty",
            sa.Boolean(),
            server_default="true",
            nullable=False,
            comment="Send nothing (and record why) when the period has no data.",
        )
    )
    add(
        sa.Column(
            "grace_minutes",
            sa.Integer(),
            server_default="120",
            nullable=False,
            comment="How long a due report waits for its period's data and passing checks before it is sent stamped as late.",
        )
    )
    add(
        sa.Column(
            "alert_condition",
            JSONB,
            nullable=True,
            comment='Send only when it turns true: {"metric": "receivables_overdue", "op": "above", "threshold": 5000}.',
        )
    )
    add(
        sa.Column(
            "alert_active",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="Whether alert_condition held at the last check; an email goes out only when it turns true.",
        )
    )
    for column, (_, after) in ALLOWED.items():
        _allowed(column, after)
    for name, check in NEW_CHECKS.items():
        op.execute(f"alter table app.scheduled_reports add constraint {name} check ({check})")
    _comments(1)
    # The scheduler scans every organization's due schedules; listing one organization's uses the primary key.
    op.drop_index("ix_scheduled_reports_next_run_at", table_name="scheduled_reports", schema="app")
    op.create_index(
        "ix_scheduled_reports_next_run_at",
        "scheduled_reports",
        ["next_run_at"],
        schema="app",
        postgresql_where=sa.text("is_active and deleted_at is null"),
    )

    op.create_table(
        "report_deliveries",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("scheduled_report_id", sa.BigInteger(), nullable=False, comment="The schedule sent."),
        sa.Column(
            "kind",
            sa.String(length=40),
            server_default="scheduled",
            nullable=False,
            comment="A scheduled send, or a test sent by hand. One of: scheduled, test.",
        ),
        sa.Column(
            "scheduled_for",
            TIMESTAMPTZ,
            nullable=False,
            comment="The occurrence it is for (a test: when it was asked for).",
        ),
        sa.Column("period_start", sa.Date(), nullable=False, comment="First day of the data the email reports."),
        sa.Column("period_end", sa.Date(), nullable=False, comment="Last day of the data the email reports."),
        sa.Column("recipient", sa.String(length=320), nullable=False, comment="E-mail address, lower case."),
        sa.Column(
            "recipient_user_id",
            sa.BigInteger(),
            nullable=True,
            comment="The recipient's user; NULL for an outside address.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="pending",
            nullable=False,
            comment="Where the delivery stands. One of: pending, claimed, held, sent, failed, skipped.",
        ),
        sa.Column("reason", sa.Text(), nullable=True, comment="Why it was skipped, held or failed (the SMTP reply)."),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False, comment="SMTP attempts made."),
        sa.Column(
            "next_attempt_at",
            TIMESTAMPTZ,
            nullable=False,
            comment="When it may next be picked up: its occurrence, or a held report's next check.",
        ),
        sa.Column(
            "claimed_at",
            TIMESTAMPTZ,
            nullable=True,
            comment="When a scheduler claimed it; older than the lease: taken over.",
        ),
        sa.Column("claim_token", sa.String(length=36), nullable=True, comment="Which scheduler's claim holds it."),
        sa.Column(
            "message_id_header",
            sa.String(length=255),
            nullable=False,
            comment="Message-ID derived from the delivery's key: a resend after a crash carries the same one.",
        ),
        sa.Column("sent_at", TIMESTAMPTZ, nullable=True, comment="When the SMTP server accepted it."),
        sa.Column(
            "smtp_response", sa.Text(), nullable=True, comment="The server's reply when it accepted the message."
        ),
        sa.Column(
            "data_as_of", TIMESTAMPTZ, nullable=True, comment="Data-as-of time of the numbers the email carried."
        ),
        sa.Column("checks", sa.Text(), nullable=True, comment="Check status of the refresh the email carried."),
        sa.Column(
            "late",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="Sent past the grace time without its period's data or with failed checks.",
        ),
        sa.Column(
            "owner_notified_at",
            TIMESTAMPTZ,
            nullable=True,
            comment="When the owner was told it failed or went out late.",
        ),
        sa.Column(
            "created_at",
            TIMESTAMPTZ,
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            TIMESTAMPTZ,
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "(status = 'claimed') = (claim_token is not null)", name="ck_report_deliveries_claim_has_token"
        ),
        sa.CheckConstraint("(status = 'sent') = (sent_at is not null)", name="ck_report_deliveries_sent_has_time"),
        sa.CheckConstraint("kind in ('scheduled', 'test')", name="ck_report_deliveries_kind_allowed"),
        sa.CheckConstraint(
            "status in ('pending', 'claimed', 'held', 'sent', 'failed', 'skipped')",
            name="ck_report_deliveries_status_allowed",
        ),
        sa.CheckConstraint("attempts >= 0", name="ck_report_deliveries_attempts_non_negative"),
        sa.CheckConstraint("period_end >= period_start", name="ck_report_deliveries_period_end_after_start"),
        sa.CheckConstraint("recipient = lower(recipient)", name="ck_report_deliveries_recipient_lower_case"),
        sa.ForeignKeyConstraint(
            ["organization_id", "recipient_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name="fk_report_deliveries_recipient_user_id",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "scheduled_report_id"],
            ["app.scheduled_reports.organization_id", "app.scheduled_reports.id"],
            name="fk_report_deliveries_scheduled_report_id",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name="fk_report_deliveries_organization_id",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name="pk_report_deliveries"),
        sa.UniqueConstraint(
            "organization_id",
            "scheduled_report_id",
            "kind",
            "scheduled_for",
            "recipient",
            name="uq_report_deliveries_once",
        ),
        schema="app",
        comment="Scheduled report emails, one per schedule, occurrence and recipient: the exactly-once ledger.",
    )
    op.create_index(
        "ix_report_deliveries_open",
        "report_deliveries",
        ["next_attempt_at"],
        schema="app",
        postgresql_where=sa.text("status = 'pending' or status = 'claimed' or status = 'held'"),
    )
    op.execute(
        f"""
        create trigger set_updated_at before update on app.report_deliveries
            for each row execute function app.set_updated_at();

        -- The reader reads its organization's ledger and may ask for a test send (a pending 'test' row, sent by the
        -- scheduler); it changes nothing else there.
        grant select, insert on app.report_deliveries to {READER};
        alter table app.report_deliveries enable row level security;
        alter table app.report_deliveries force row level security;
        create policy owner_access on app.report_deliveries to current_user using (true) with check (true);
        create policy reader_select on app.report_deliveries for select to {READER}
            using (organization_id = {ORGANIZATION});
        create policy reader_insert on app.report_deliveries for insert to {READER}
            with check (organization_id = {ORGANIZATION} and kind = 'test' and status = 'pending' and attempts = 0
                        and claim_token is null and sent_at is null and owner_notified_at is null and not late);

        -- Every writer (the dashboards as the reader, the CLI, the generator) gets the same answer; the function
        -- reads users and the organization's settings, which the reader may not, and nobody may call it directly.
        create function app.check_schedule_recipients() returns trigger
            language plpgsql security definer
            set search_path = pg_catalog, app
            as $$
            declare
                address text;
                domains jsonb;
                organization text;
            begin
                select case when jsonb_typeof(o.settings -> 'allowed_email_domains') = 'array'
                            then o.settings -> 'allowed_email_domains' else '[]' end, o.name
                    into domains, organization
                from app.organizations o where o.id = new.organization_id;
                for address in select jsonb_array_elements_text(new.recipients) loop
                    if address !~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' then
                        raise exception using errcode = 'check_violation', constraint = 'check_recipients',
                            message = format('recipient %s is not an email address', address);
                    end if;
                    if not exists (select 1 from app.users u
                                   where u.organization_id = new.organization_id and u.deleted_at is null
                                     and lower(u.email) = lower(address))
                       and not domains ? lower(split_part(address, '@', 2)) then
                        raise exception using errcode = 'check_violation', constraint = 'check_recipients',
                            message = format(
                                'recipient %s is not a user of %s, and %s is not one of its allowed email domains (%s)',
                                address, organization, lower(split_part(address, '@', 2)),
                                coalesce(nullif((select string_agg(d, ', ') from jsonb_array_elements_text(domains) d),
                                                ''), 'none')),
                            hint = 'add the domain to the organization''s allowed_email_domains setting, or invite the person as a user';
                    end if;
                end loop;
                return new;
            end
            $$;
        revoke all on function app.check_schedule_recipients() from public;
        comment on function app.check_schedule_recipients() is
            'Refuses a schedule recipient who is neither a user of the organization nor at one of its allowed email domains (organizations.settings.allowed_email_domains).';
        create trigger check_recipients before insert or update of recipients on app.scheduled_reports
            for each row execute function app.check_schedule_recipients();
        """
    )


def downgrade() -> None:
    op.execute(
        """
        drop trigger check_recipients on app.scheduled_reports;
        drop function app.check_schedule_recipients();
        """
    )
    op.drop_table("report_deliveries", schema="app")
    op.drop_index("ix_scheduled_reports_next_run_at", table_name="scheduled_reports", schema="app")
    op.create_index(
        "ix_scheduled_reports_next_run_at", "scheduled_reports", ["organization_id", "next_run_at"], schema="app"
    )
    _comments(0)
    for name in NEW_CHECKS:
        op.execute(f"alter table app.scheduled_reports drop constraint {name}")
    op.execute(
        """
        update app.scheduled_reports set frequency = 'daily', is_active = false, next_run_at = null
        where frequency = 'cron';
        update app.scheduled_reports set format = 'html' where format = 'both';
        """
    )
    for column, (before, _) in ALLOWED.items():
        _allowed(column, before)
    for column in ("alert_active", "alert_condition", "grace_minutes", "skip_when_empty", "cron_expression", "filters"):
        op.drop_column("scheduled_reports", column, schema="app")
