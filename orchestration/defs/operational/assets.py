"""Every table of the operational schema as an observable source asset.

Each observation records the table's row count and ``max(updated_at)``; together they are the data version, so
Dagster sees when a source changed. One step observes every selected table over one connection.
"""

from collections.abc import Iterator

import dagster as dg
from sqlalchemy import text

from oltp.models import metadata
from oltp.schemas import APP_SCHEMA
from orchestration.resources import WarehouseDatabase, failure_unless_transient

OPERATIONAL_GROUP = "operational"


def source_key(table_name: str) -> dg.AssetKey:
    return dg.AssetKey([APP_SCHEMA, table_name])


def data_version(rows: int, changed) -> str:
    """The data version of a table: when it last changed and how many rows it holds."""
    return f"{changed.isoformat() if changed else 'empty'}/{rows}"


@dg.multi_observable_source_asset(
    specs=[
        dg.AssetSpec(
            source_key(table.name),
            description=table.comment,
            group_name=OPERATIONAL_GROUP,
            kinds={"postgres"},
            metadata={"dagster/table_name": f"{APP_SCHEMA}.{table.name}"},
        )
        for table in metadata.sorted_tables
    ],
    can_subset=True,
    name="observe_operational_tables",
)
def operational_tables(context: dg.AssetExecutionContext, database: WarehouseDatabase) -> Iterator[dg.ObserveResult]:
    try:
        with database.engine().connect() as conn:
            counted = [
                (key, *conn.execute(text(f'select count(*), max(updated_at) from {APP_SCHEMA}."{key.path[-1]}"')).one())
                for key in sorted(context.selected_asset_keys)
            ]
    except Exception as error:
        raise failure_unless_transient(error, "observing the operational tables failed") from error
    for key, rows, changed in counted:
        yield dg.ObserveResult(
            asset_key=key,
            data_version=dg.DataVersion(data_version(rows, changed)),
            metadata={
                "dagster/row_count": dg.MetadataValue.int(rows),
                "max_updated_at": changed.isoformat() if changed else "empty",
            },
        )
