"""Every table of the operational schema as an observable source asset.

Each observation records the table's row count and ``max(updated_at)``; the latter is the data version, so Dagster
sees when a source changed.
"""

from __future__ import annotations

import dagster as dg
from sqlalchemy import text

from oltp.models import metadata
from oltp.schemas import APP_SCHEMA
from orchestration.resources import WarehouseDatabase


def _observable(table_name: str, comment: str | None) -> dg.SourceAsset:
    @dg.observable_source_asset(
        key=dg.AssetKey([APP_SCHEMA, table_name]),
        group_name="operational",
        description=comment,
    )
    def observe(database: WarehouseDatabase) -> dg.ObserveResult:
        with database.engine().connect() as conn:
            rows, changed = conn.execute(
                text(f'select count(*), max(updated_at) from {APP_SCHEMA}."{table_name}"')
            ).one()
        version = changed.isoformat() if changed else "empty"
        return dg.ObserveResult(
            data_version=dg.DataVersion(f"{version}/{rows}"),
            metadata={"row_count": dg.MetadataValue.int(rows), "max_updated_at": version},
        )

    return observe


operational_tables = [_observable(table.name, table.comment) for table in metadata.sorted_tables]


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=operational_tables, resources={"database": WarehouseDatabase()})
