"""The read side: the `warehouse_reader` role, forced row-level security on the app tables it may change, the
sign-in lookup it may call, and audit actions for shares and emailed reports.

The reader sees a row only when the row's organization (and, for a user's own rows, its user) equals what the
server set for the transaction: `set_config('app.organization_id', ..., true)` and `app.user_id`. Unset: no rows.
The warehouse relations get the same policy and their grants from the dbt build (dbt/macros/row_level_security.sql).

Revision ID: 0006_read_side
Revises: 0005_addresses_updated_at
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from oltp.reader import sync_reader_role

revision: str = "0006_read_side"
down_revision: str | None = "0005_addresses_updated_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (not imported) so this migration means the same thing forever.
READER = "warehouse_reader"
ORGANIZATION = "app.current_organization_id()"
USER = "app.current_user_id()"
# table -> (privileges, policy per command: command -> (using, with check))
TABLES: dict[str, tuple[str, dict[str, tuple[str | None, str | None]]]] = {
    # Shared reports are seen by the whole organization; only the owner changes or deletes one.
    "custom_reports": (
        "select, insert, update, delete",
        {
            "select": (f"organization_id = {ORGANIZATION} and (is_shared or owner_user_id = {USER})", None),
            "insert": (None, f"organization_id = {ORGANIZATION} and owner_user_id = {USER}"),
            "update": (
                f"organization_id = {ORGANIZATION} and owner_user_id = {USER}",
                f"organization_id = {ORGANIZATION} and owner_user_id = {USER}",
            ),
            "delete": (f"organization_id = {ORGANIZATION} and owner_user_id = {USER}", None),
        },
    ),
    "report_favorites": (
        "select, insert, update, delete",
        {"all": (f"organization_id = {ORGANIZATION} and user_id = {USER}",) * 2},
    ),
    "dashboard_layouts": (
        "select, insert, update, delete",
        {"all": (f"organization_id = {ORGANIZATION} and user_id = {USER}",) * 2},
    ),
    "scheduled_reports": ("select, insert, update, delete", {"all": (f"organization_id = {ORGANIZATION}",) * 2}),
    "audit_logs": (
        "insert",
        {"insert": (None, f"organization_id = {ORGANIZATION} and (user_id is null or user_id = {USER})")},
    ),
}
# What the read side decides by (readside/access.py): finance figures, CSV export and scheduling emails are not for
# every role; dashboards (reports.read) and building custom reports (reports.write) already are permissions.
PERMISSIONS = {
    "finance.read": ("Read finance figures: revenue, margin, cash collected, receivables.", ("finance", "analyst")),
    "exports.read": ("Export tables and drill-downs as CSV.", ("finance", "analyst")),
    "schedules.write": ("Create, change and pause scheduled email reports.", ("finance", "analyst")),
}
ACTIONS_BEFORE = (
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
)
ACTIONS = (*ACTIONS_BEFORE, "share", "email_sent")


def _actions_check(actions: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{action}'" for action in actions)
    op.execute("alter table app.audit_logs drop constraint ck_audit_logs_action_allowed")
    op.execute(f"alter table app.audit_logs add constraint ck_audit_logs_action_allowed check (action in ({listed}))")
    op.execute(f"comment on column app.audit_logs.action is 'What was done. One of: {', '.join(actions)}.'")


def upgrade() -> None:
    sync_reader_role(op.get_bind())
    op.execute(
        f"""
        create function app.current_organization_id() returns bigint
            language sql stable parallel safe
            as $$ select nullif(current_setting('app.organization_id', true), '')::bigint $$;
        create function app.current_user_id() returns bigint
            language sql stable parallel safe
            as $$ select nullif(current_setting('app.user_id', true), '')::bigint $$;
        comment on function app.current_organization_id() is
            'The organization the read side set for this transaction; NULL (no rows) when unset.';
        comment on function app.current_user_id() is
            'The signed-in user (or email recipient) the read side set for this transaction.';

        -- Sign-in: the reader may look up one email's accounts, never list users.
        create function app.reader_identity(signed_in_email text)
            returns table (
                user_id bigint, organization_id bigint, full_name text, user_status text, user_deleted boolean,
                organization_name text, organization_status text, organization_deleted boolean, currency text,
                timezone text, roles text[], permissions text[]
            )
            language sql stable security definer
            set search_path = pg_catalog, app
            as $$
                select u.id, u.organization_id, u.full_name::text, u.status::text, u.deleted_at is not null,
                       o.name::text, o.status::text, o.deleted_at is not null, o.currency::text, o.timezone::text,
                       coalesce(array(
                           select r.name::text from app.user_roles ur join app.roles r on r.id = ur.role_id
                           where ur.organization_id = u.organization_id and ur.user_id = u.id order by r.name
                       ), '{{}}'),
                       coalesce(array(
                           select distinct p.code::text
                           from app.user_roles ur
                           join app.role_permissions rp on rp.role_id = ur.role_id
                           join app.permissions p on p.id = rp.permission_id
                           where ur.organization_id = u.organization_id and ur.user_id = u.id
                           order by 1
                       ), '{{}}')
                from app.users u join app.organizations o on o.id = u.organization_id
                where lower(u.email) = lower(signed_in_email)
                order by u.organization_id
            $$;
        revoke all on function app.reader_identity(text) from public;
        grant execute on function app.reader_identity(text) to {READER};
        create index ix_users_lower_email on app.users (lower(email));

        -- It creates nothing: no temporary tables, no objects in public.
        revoke temporary on database "{op.get_bind().engine.url.database}" from public;
        revoke create on schema public from public;
        grant connect on database "{op.get_bind().engine.url.database}" to {READER};
        grant usage on schema app to {READER};
        """
    )
    for table, (privileges, policies) in TABLES.items():
        op.execute(f"grant {privileges} on app.{table} to {READER}")
        op.execute(f"alter table app.{table} enable row level security")
        op.execute(f"alter table app.{table} force row level security")
        # Forced, the policies bind the owner too: it keeps every row (the generator, the simulator, Dagster).
        op.execute(f"create policy owner_access on app.{table} to current_user using (true) with check (true)")
        for command, (using, check) in policies.items():
            clauses = (f" using ({using})" if using else "") + (f" with check ({check})" if check else "")
            op.execute(f"create policy reader_{command} on app.{table} for {command} to {READER}{clauses}")
    _actions_check(ACTIONS)
    for code, (description, roles) in PERMISSIONS.items():
        op.execute(
            sa.text("insert into app.permissions (code, description) values (:code, :description)").bindparams(
                code=code, description=description
            )
        )
        op.execute(
            sa.text(
                """insert into app.role_permissions (role_id, permission_id)
                   select r.id, p.id from app.roles r, app.permissions p
                   where p.code = :code and r.name = any(:roles)"""
            ).bindparams(code=code, roles=["owner", "admin", *roles])
        )


def downgrade() -> None:
    op.execute(
        sa.text(
            "delete from app.role_permissions where permission_id in "
            "(select id from app.permissions where code = any(:codes))"
        ).bindparams(codes=list(PERMISSIONS))
    )
    op.execute(sa.text("delete from app.permissions where code = any(:codes)").bindparams(codes=list(PERMISSIONS)))
    op.execute("delete from app.audit_logs where action in ('share', 'email_sent')")
    _actions_check(ACTIONS_BEFORE)
    for table, (_, policies) in TABLES.items():
        for command in policies:
            op.execute(f"drop policy reader_{command} on app.{table}")
        op.execute(f"drop policy owner_access on app.{table}")
        op.execute(f"alter table app.{table} no force row level security")
        op.execute(f"alter table app.{table} disable row level security")
        op.execute(f"revoke all on app.{table} from {READER}")
    database = op.get_bind().engine.url.database
    op.execute(
        f"""
        revoke usage on schema app from {READER};
        revoke connect on database "{database}" from {READER};
        grant temporary on database "{database}" to public;
        drop index app.ix_users_lower_email;
        drop function app.reader_identity(text);
        drop function app.current_user_id();
        drop function app.current_organization_id();
        """
    )
