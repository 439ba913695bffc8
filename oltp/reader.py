"""The read side's database role, `warehouse_reader`: what dashboards and emailed reports connect as.

It owns nothing, cannot create objects or change role, and sees rows only through forced row-level security, for
the organization (and user) that the server sets per transaction. Its password is generated once and kept like the
embedded server's (`$WAREHOUSE_HOME/reader-password`, mode 600) unless `WAREHOUSE_READER_PASSWORD` gives one.
"""

from __future__ import annotations

from oltp.settings import Settings, get_settings, home_secret

READER_ROLE = "warehouse_reader"
# The app tables users change from the dashboards (and the emailed reports' delivery log), with the privileges the
# reader has on each. audit_logs is append-only for it; in report_deliveries it may only add a pending test send.
READER_WRITABLE_TABLES: dict[str, tuple[str, ...]] = {
    "custom_reports": ("select", "insert", "update", "delete"),
    "report_favorites": ("select", "insert", "update", "delete"),
    "dashboard_layouts": ("select", "insert", "update", "delete"),
    "scheduled_reports": ("select", "insert", "update", "delete"),
    "audit_logs": ("insert",),
    "report_deliveries": ("select", "insert"),
}
# The settings the server sets per transaction (set_config(..., true)); unset means no rows.
ORGANIZATION_SETTING = "app.organization_id"
USER_SETTING = "app.user_id"


def reader_password(settings: Settings | None = None) -> str:
    """The reader's password: WAREHOUSE_READER_PASSWORD, else the one stored under WAREHOUSE_HOME (made on first
    use)."""
    settings = settings or get_settings()
    return settings.reader_password or home_secret(settings, "reader-password")


def reader_url(url: str, settings: Settings | None = None) -> str:
    """``url`` (the platform's, psycopg driver) with the reader role and its password instead of the owner's."""
    from oltp.database import parse_database_url

    parsed = parse_database_url(url).set(username=READER_ROLE, password=reader_password(settings))
    return parsed.render_as_string(hide_password=False)


def sync_reader_role(conn, settings: Settings | None = None) -> None:
    """Create the reader role if the cluster lacks it, and (re)state what it is: a login that cannot create,
    bypass row-level security, replicate or change role, with the current password. ``conn`` is a SQLAlchemy
    connection of a role that may manage roles (the migrating one)."""
    from sqlalchemy import text

    password = reader_password(settings).replace("'", "''")
    conn.execute(
        text(
            f"""
            do $reader$
            begin
                if not exists (select 1 from pg_roles where rolname = '{READER_ROLE}') then
                    create role {READER_ROLE};
                end if;
            end
            $reader$
            """
        )
    )
    # Not through text(): a password may hold a colon, which text() would take for a bind parameter.
    conn.exec_driver_sql(
        f"alter role {READER_ROLE} login nosuperuser nocreatedb nocreaterole noinherit noreplication "
        f"nobypassrls password '{password}'"
    )
