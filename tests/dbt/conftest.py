"""The dbt tests write dbt's target/ and logs/ under the session's folder; the `tiny` warehouse they reconcile and
query is tests/conftest.py's `tiny_warehouse`, shared with the other folders."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _dbt_writes_under_the_session(dbt_scratch_paths) -> None:
    """Every dbt test, not only those on the tiny warehouse."""
