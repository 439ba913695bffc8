"""Every table of the operational schema as an observable source asset.

Each observation must stay cheap at tens of millions of rows, since every refresh observes all 114 tables: the data
version is the table's write counters from PostgreSQL's statistics (rows inserted, updated, deleted: any write moves
it, deletes included) and, for the tables with an index on ``updated_at``, ``max(updated_at)`` (an index lookup).
The row count shown is the statistics' live-row estimate; no table is scanned. Counters are flushed when a writer's
transaction ends (at the latest within seconds), and reset only by a crash or ``pg_stat_reset()``, which at worst
reports a change that did not happen.
"""

from collections.abc import Iterator

import dagster as dg
from sqlalchemy import text

from oltp.models import metadata
from oltp.models.change_capture import CHANGE_CAPTURE_TABLES
from oltp.schemas import APP_SCHEMA
from orchestration.resources import WarehouseDatabase, failure_unless_transient

OPERATIONAL_GROUP = "operational"


def source_key(table_name: str) -> dg.AssetKey:
    return dg.AssetKey([APP_SCHEMA, table_name])


STATISTICS = text(
    "select relname, n_live_tup, n_tup_ins, n_tup_upd, n_tup_del from pg_stat_user_tables where schemaname = :schema"
)


def data_version(writes: tuple[int, int, int], changed) -> str:
    """The data version of a table: its insert/update/delete counters and, when indexed, when it last changed."""
    return "/".join([*(str(count) for count in writes), changed.isoformat() if changed else "-"])


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
            statistics = {row[0]: row[1:] for row in conn.execute(STATISTICS, {"schema": APP_SCHEMA})}
            selected = {key.path[-1] for key in context.selected_asset_keys}
            latest = {
                name: conn.execute(text(f'select max(updated_at) from {APP_SCHEMA}."{name}"')).scalar()
                for name in CHANGE_CAPTURE_TABLES
                if name in selected
            }
    except Exception as error:
        raise failure_unless_transient(error, "observing the operational tables failed") from error
    for key in sorted(context.selected_asset_keys):
        name = key.path[-1]
        rows, *writes = statistics.get(name, (0, 0, 0, 0))
        changed = latest.get(name)
        metadata = {"dagster/row_count": dg.MetadataValue.int(int(rows))}
        if name in latest:
            metadata["max_updated_at"] = changed.isoformat() if changed else "empty"
        yield dg.ObserveResult(
            asset_key=key, data_version=dg.DataVersion(data_version(tuple(writes), changed)), metadata=metadata
        )
