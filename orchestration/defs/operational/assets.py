"""Every table of the operational schema as an observable source asset.

Each observation must stay cheap at tens of millions of rows, since every refresh reads the versions of all 114
tables: the data version is the table's write counters from PostgreSQL's statistics (rows inserted, updated, deleted:
any write moves it, deletes included) and, for the tables with an index on ``updated_at``, ``max(updated_at)`` (an
index lookup), all read in one statement. The row count shown is the statistics' live-row estimate; no table is
scanned. Counters are flushed when a writer's transaction ends (at the latest within seconds), and reset only by a
crash or ``pg_stat_reset()``, which at worst reports a change that did not happen.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import dagster as dg
from sqlalchemy import text

from oltp.models import metadata
from oltp.models.change_capture import CHANGE_CAPTURE_TABLES
from oltp.schemas import APP_SCHEMA
from orchestration.resources import WarehouseDatabase, failure_unless_transient

OPERATIONAL_GROUP = "operational"
OPERATIONAL_TABLES = tuple(table.name for table in metadata.sorted_tables)


def source_key(table_name: str) -> dg.AssetKey:
    return dg.AssetKey([APP_SCHEMA, table_name])


@dataclass(frozen=True)
class SourceState:
    """What one observation of a table records: its data version, estimated rows and, when indexed, last change."""

    rows: int
    version: str
    max_updated_at: datetime | None = None


def data_version(writes: tuple[int, int, int], changed) -> str:
    """The data version of a table: its insert/update/delete counters and, when indexed, when it last changed."""
    return "/".join([*(str(count) for count in writes), changed.isoformat() if changed else "-"])


def _states_sql() -> str:
    latest = " union all ".join(
        f"select '{name}' as relname, (select max(updated_at) from {APP_SCHEMA}.\"{name}\") as max_updated_at"
        for name in CHANGE_CAPTURE_TABLES
    )
    return (
        "select stats.relname, stats.n_live_tup, stats.n_tup_ins, stats.n_tup_upd, stats.n_tup_del,"
        " latest.max_updated_at"
        " from pg_stat_user_tables as stats"
        f" left join ({latest}) as latest on latest.relname = stats.relname"
        " where stats.schemaname = :schema"
    )


def source_states(conn) -> dict[str, SourceState]:
    """Every operational table's state, from one statement (statistics and the indexed ``max(updated_at)``)."""
    states = {}
    for name, rows, inserted, updated, deleted, changed in conn.execute(text(_states_sql()), {"schema": APP_SCHEMA}):
        states[name] = SourceState(int(rows), data_version((inserted, updated, deleted), changed), changed)
    return states


def observe_result(key: dg.AssetKey, state: SourceState | None) -> dg.ObserveResult:
    name = key.path[-1]
    state = state or SourceState(0, data_version((0, 0, 0), None))
    metadata = {"dagster/row_count": dg.MetadataValue.int(state.rows)}
    if name in CHANGE_CAPTURE_TABLES:
        metadata["max_updated_at"] = state.max_updated_at.isoformat() if state.max_updated_at else "empty"
    return dg.ObserveResult(asset_key=key, data_version=dg.DataVersion(state.version), metadata=metadata)


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
            states = source_states(conn)
    except Exception as error:
        raise failure_unless_transient(error, "observing the operational tables failed") from error
    for key in sorted(context.selected_asset_keys):
        yield observe_result(key, states.get(key.path[-1]))
