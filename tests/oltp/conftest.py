"""A database migrated to head once per session, for tests that read the schema or write a few rows."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from oltp.synthetic.generate import generate
from tests.conftest import new_database

START = "2025-03-01"
DAYS = 150


@pytest.fixture(scope="session")
def migrated_url(pg_server, admin_url) -> Iterator[str]:
    yield new_database(pg_server, admin_url, "schema_at_head")


@pytest.fixture(scope="session")
def tiny_url(pg_server, admin_url) -> str:
    """`tiny` generated with every foreign key checked row by row."""
    url = new_database(pg_server, admin_url, "synthetic_tiny")
    generate(url, "tiny", seed=7, start=START, days=DAYS, check_keys=True)
    return url


@pytest.fixture
def conn(migrated_url) -> Iterator[psycopg.Connection]:
    """A connection whose work is rolled back after the test."""
    with psycopg.connect(migrated_url) as connection:
        yield connection
        connection.rollback()
