"""What every domain generator works with: one organization's window of time, its random streams, id
allocation, and `emit`, which streams a table's rows to PostgreSQL with COPY.

Conventions for values passed to `emit` (see oltp.synthetic.arrow): money in integer cents, quantities in
thousandths, percentages in hundredths, timestamps in integer microseconds since the epoch (UTC), dates in days
since 1970-01-01 (or numpy datetime64), JSON as strings. Use `masked(values, valid)` for NULLs.
"""

from __future__ import annotations

import time
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa

from oltp.schemas import APP_SCHEMA
from oltp.synthetic.arrow import US_PER_DAY, csv_bytes, day_number, to_arrow
from oltp.synthetic.scales import OrgProfile, Scale

COPY_CHUNK = 1 << 20


class Loader:
    """Streams rows into `app` tables with COPY and hands out ids from each table's identity sequence."""

    def __init__(self, conn, on_rows: Callable[[str, int, float], None] | None = None) -> None:
        from oltp.models import metadata

        self.conn = conn
        self.metadata = metadata
        self.on_rows = on_rows or (lambda table, rows, seconds: None)
        self.rows: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()
        self._sequences: dict[str, str] = {}
        self._next_id: dict[str, int] = {}
        self._dirty: set[str] = set()
        for table, sequence in conn.execute(
            """select c.relname, pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), 'id')
               from pg_class c join pg_namespace n on n.oid = c.relnamespace
               where n.nspname = %s and c.relkind = 'r'""",
            (APP_SCHEMA,),
        ):
            if sequence:
                self._sequences[table] = sequence

    def allocate(self, table: str, count: int) -> np.ndarray:
        """``count`` new ids for ``table``, consecutive; the sequence is advanced past them on `sync`."""
        if table not in self._next_id:
            last, called = self.conn.execute(f"select last_value, is_called from {self._sequences[table]}").fetchone()
            self._next_id[table] = last + 1 if called else last
        first = self._next_id[table]
        self._next_id[table] = first + count
        if count:
            self._dirty.add(table)
        return np.arange(first, first + count, dtype=np.int64)

    def sync_sequences(self) -> None:
        for table in sorted(self._dirty):
            self.conn.execute("select setval(%s, %s)", (self._sequences[table], self._next_id[table] - 1))
        self._dirty.clear()

    def forget_ids(self) -> None:
        """After a rollback, re-read sequences instead of trusting ids handed out in the failed transaction."""
        self._next_id.clear()
        self._dirty.clear()

    def copy(self, table_name: str, columns: dict[str, Any]) -> int:
        started = time.perf_counter()
        table = self.metadata.tables[f"{APP_SCHEMA}.{table_name}"]
        unknown = set(columns) - set(table.c.keys())
        if unknown:
            raise KeyError(f"{table_name} has no column(s) {sorted(unknown)}")
        arrays = {name: to_arrow(table.c[name], values) for name, values in columns.items()}
        lengths = {name: len(array) for name, array in arrays.items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"{table_name}: columns of different lengths {lengths}")
        count = next(iter(lengths.values()), 0)
        if count == 0:
            return 0
        data = csv_bytes(pa.table(arrays))
        column_list = ", ".join(f'"{name}"' for name in arrays)
        statement = f"copy {APP_SCHEMA}.{table_name} ({column_list}) from stdin (format csv)"
        with self.conn.cursor() as cursor, cursor.copy(statement) as copy:
            for offset in range(0, len(data), COPY_CHUNK):
                copy.write(data[offset : offset + COPY_CHUNK])
        elapsed = time.perf_counter() - started
        self.rows[table_name] += count
        self.seconds[table_name] += elapsed
        self.on_rows(table_name, count, elapsed)
        return count


@dataclass
class OrgContext:
    """One organization being generated (or simulated) over ``days`` days from ``start``."""

    loader: Loader
    profile: OrgProfile
    scale: Scale
    seed: int
    start: date
    days: int
    organizations: int = 1
    org_id: int = 0
    store: dict[str, Any] = field(default_factory=dict)

    @property
    def start_day(self) -> int:
        """Days since 1970-01-01 of the first day."""
        return day_number(self.start)

    @property
    def start_us(self) -> int:
        return self.start_day * US_PER_DAY

    @property
    def end_us(self) -> int:
        """Midnight after the last day: nothing generated happens at or after it."""
        return (self.start_day + self.days) * US_PER_DAY

    def rng(self, name: str) -> np.random.Generator:
        """An independent, reproducible random stream per (seed, organization, purpose)."""
        return np.random.default_rng([self.seed, self.profile.index, zlib.crc32(name.encode())])

    def ids(self, table: str, count: int) -> np.ndarray:
        return self.loader.allocate(table, count)

    def emit(self, table: str, columns: dict[str, Any]) -> int:
        """Write rows of ``table`` for this organization (``organization_id`` is filled in)."""
        lengths = {len(v) for v in columns.values()}
        if not lengths:
            return 0
        count = lengths.pop()
        columns = {"organization_id": np.full(count, self.org_id, dtype=np.int64), **columns}
        return self.loader.copy(table, columns)

    def day_us(self, day_index: np.ndarray | int) -> np.ndarray:
        """Midnight UTC of day ``day_index`` of the window, in microseconds."""
        return (self.start_day + np.asarray(day_index, dtype=np.int64)) * US_PER_DAY

    def clamp_us(self, values: np.ndarray) -> np.ndarray:
        """Keep timestamps inside the window (before its end)."""
        return np.minimum(np.asarray(values, dtype=np.int64), self.end_us - 1)

    def business_time_us(self, day_index: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A time during business hours (13:00-22:00 UTC, roughly 8-17 in the Americas) of each day."""
        day_index = np.asarray(day_index, dtype=np.int64)
        seconds = rng.integers(13 * 3600, 22 * 3600, len(day_index))
        return self.day_us(day_index) + seconds * 1_000_000
