"""Alembic environment: the URL comes from oltp.database, the models from oltp.models."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool, text

from oltp.database import database_url
from oltp.migrate import include_object
from oltp.models import metadata
from oltp.schemas import APP_SCHEMA

config = context.config


def run_migrations_online() -> None:
    url = config.attributes.get("url") or database_url()
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


def _run(connection) -> None:
    connection.execute(text(f"create schema if not exists {APP_SCHEMA}"))
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_schemas=True,
        include_object=include_object,
        compare_type=True,
        compare_server_default=True,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run `warehouse migrate`")
run_migrations_online()
