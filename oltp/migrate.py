"""Run and inspect the Alembic migrations of the operational schema."""

from __future__ import annotations

from pathlib import Path

from oltp.schemas import APP_SCHEMA

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_url(url: str) -> str:
    """``url`` on the psycopg 3 driver, whatever form the user gave."""
    from oltp.database import parse_database_url

    return parse_database_url(url).render_as_string(hide_password=False)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Only the operational schema is Alembic's; dbt owns staging, marts and reporting."""
    if type_ == "table":
        return obj.schema == APP_SCHEMA
    return True


def alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = alembic_url(url) if url else url
    return config


def head_revisions() -> tuple[str, ...]:
    from alembic.script import ScriptDirectory

    return tuple(ScriptDirectory.from_config(alembic_config("")).get_heads())


def current_revision(url: str) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine, pool

    engine = create_engine(alembic_url(url), poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def pending_revisions(url: str) -> list[str]:
    """Revisions between the database's current one and head, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(url))
    current = current_revision(url)
    pending = [rev.revision for rev in script.iterate_revisions("heads", current)]
    return list(reversed(pending))


def upgrade(url: str, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(url), revision)
    if revision == "head":
        sync_reader(url)


def sync_reader(url: str) -> None:
    """State the reader role and its password. The password lives outside the database (WAREHOUSE_HOME or the
    environment), so every `warehouse migrate` does this, even with nothing to upgrade: a new home or a changed
    WAREHOUSE_READER_PASSWORD takes effect."""
    from sqlalchemy import create_engine, pool

    from oltp.reader import sync_reader_role

    engine = create_engine(alembic_url(url), poolclass=pool.NullPool)
    try:
        with engine.begin() as conn:
            sync_reader_role(conn)
    finally:
        engine.dispose()


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)
