"""A database migrated to head once per session, for tests that read the schema or write a few rows."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from oltp import migrate


@pytest.fixture(scope="session")
def migrated_url(pg_server, admin_url) -> Iterator[str]:
    name = "schema_at_head"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')
    url = pg_server.url().rsplit("/", 1)[0] + "/" + name
    migrate.upgrade(url)
    yield url


@pytest.fixture
def conn(migrated_url) -> Iterator[psycopg.Connection]:
    """A connection whose work is rolled back after the test."""
    with psycopg.connect(migrated_url) as connection:
        yield connection
        connection.rollback()
