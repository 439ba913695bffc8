"""Dagster resources, configured from the environment through oltp.settings (the same code for every deployment)."""

from __future__ import annotations

import dagster as dg


class WarehouseDatabase(dg.ConfigurableResource):
    """The platform's PostgreSQL: DATABASE_URL, or the embedded server when it is unset."""

    url: str | None = None

    def engine(self):
        from oltp.database import database_url, get_engine

        return get_engine(self.url or database_url())
