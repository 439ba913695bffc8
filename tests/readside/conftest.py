"""The read side's isolation tests run against the session's `tiny` warehouse (tests/conftest.py: seed 7, several
organizations), as the `warehouse_reader` role, next to the owner (the session cluster's superuser)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def reader(tiny_warehouse):
    """The read side's own engine for the warehouse (readside.database.reader_engine), disposed after the module."""
    from readside.database import reader_engine

    engine = reader_engine(tiny_warehouse)
    yield engine
    engine.dispose()
