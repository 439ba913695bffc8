"""The read side's only way into the database: the `warehouse_reader` role, one transaction at a time, scoped to
an organization and a user that the server took from the signed-in identity (or an email's recipient).

Row-level security does the isolation: the scope is set with `set_config(..., true)`, so it ends with the
transaction and a pooled connection never carries it to the next one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from oltp.reader import ORGANIZATION_SETTING, USER_SETTING


@dataclass(frozen=True)
class Scope:
    """Whose rows a transaction may see: one organization, and within it one user's own rows."""

    organization_id: int
    user_id: int | None = None

    def __post_init__(self) -> None:
        for name in ("organization_id", "user_id"):
            value = getattr(self, name)
            if value is None and name == "user_id":
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"Scope.{name} must be a whole number, got {value!r}")


@cache
def _engine(url: str):
    from sqlalchemy import create_engine, event

    engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)

    @event.listens_for(engine, "reset")
    def _forget_settings(dbapi_connection, record, reset_state) -> None:
        # Defence in depth: the scope is set per transaction, but a connection back in the pool also drops any
        # setting made for its whole session, so no checkout can inherit one.
        dbapi_connection.execute("reset all")
        dbapi_connection.commit()

    return engine


def reader_engine(owner_url: str | None = None):
    """The reader's engine (one per database per process): READER_DATABASE_URL when it is set (the dashboards'
    server gets only that one), else the platform's database as warehouse_reader, or ``owner_url``'s."""
    from oltp.database import database_url, parse_database_url
    from oltp.reader import reader_url
    from oltp.settings import get_settings

    configured = get_settings().reader_database_url
    if owner_url is None and configured:
        return _engine(parse_database_url(configured).render_as_string(hide_password=False))
    return _engine(reader_url(owner_url or database_url()))


@contextmanager
def scoped(scope: Scope, engine=None) -> Iterator:
    """A transaction of the reader that sees ``scope``'s rows only; committed when the block ends cleanly."""
    engine = engine if engine is not None else reader_engine()
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(
            text("select set_config(:org_setting, :org, true), set_config(:user_setting, :user, true)"),
            {
                "org_setting": ORGANIZATION_SETTING,
                "org": str(scope.organization_id),
                "user_setting": USER_SETTING,
                "user": "" if scope.user_id is None else str(scope.user_id),
            },
        )
        yield conn


@contextmanager
def unscoped(engine=None) -> Iterator:
    """A transaction of the reader with no organization set: it sees no rows; sign-in uses it to call the one
    lookup the reader may make (app.reader_identity)."""
    engine = engine if engine is not None else reader_engine()
    with engine.begin() as conn:
        yield conn
