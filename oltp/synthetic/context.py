"""What every domain generator works with: one organization's window of time, its random streams, id
allocation, and `emit`, which streams a table's rows to PostgreSQL with COPY.

Conventions for values passed to `emit` (see oltp.synthetic.arrow): money in integer cents, quantities in
thousandths, percentages in hundredths, timestamps in integer microseconds since the epoch (UTC), dates in days
since 1970-01-01 (or numpy datetime64), JSON as strings. Use `masked(values, valid)` for NULLs.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import queue
import threading
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
from oltp.synthetic import pgbinary
from oltp.synthetic.arrow import US_PER_DAY, csv_bytes, day_number, to_arrow
from oltp.synthetic.scales import OrgProfile, Scale

COPY_BATCH_ROWS = 50_000
COPY_FORMAT = "binary"  # or "csv": the same rows (a test loads both and compares), binary is cheaper to read
QUEUED_BATCHES = 3  # encoded slices waiting for the writer: enough to keep it busy (8 was no faster)


def _malloc_trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc
        return None


_MALLOC_TRIM = _malloc_trim()


def release_memory() -> None:
    """Hand memory freed by a finished step back to the operating system.

    glibc keeps freed heap memory for reuse, so without this the peak resident size is the sum of what every step
    left behind rather than the largest step's need. Objects that live for the whole run (modules, table metadata)
    are frozen out of the collector first: a full collection over them took 0.13 s per step, holding the GIL the
    writer thread needs.
    """
    gc.freeze()
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


class Loader:
    """Streams rows into `app` tables with COPY and hands out ids from each table's identity sequence.

    With ``background=True`` the COPY runs on a writer thread while the caller encodes the next slice and generates
    the next table, so the server is not left waiting for the encoder. Reading ``conn`` waits for every queued slice
    to be written first, and `reading` for those of the tables read, so queries always see what was emitted before
    them.
    """

    def __init__(self, conn, on_rows: Callable[[str, int, float], None] | None = None, background: bool = False):
        from oltp.models import metadata

        self._conn = conn
        self.metadata = metadata
        self.on_rows = on_rows or (lambda table, rows, seconds: None)
        self.rows: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()
        self._sequences: dict[str, str] = {}
        self._next_id: dict[str, int] = {}
        self._dirty: set[str] = set()
        self._queue: queue.Queue | None = queue.Queue(maxsize=QUEUED_BATCHES) if background else None
        self._queued = 0  # slices queued so far, numbered from 1 in queue order
        self._written = 0  # slices the writer is done with (in queue order: there is one writer)
        self._last_queued: dict[str, int] = {}  # table -> number of its last queued slice
        self._progress = threading.Condition()
        self._error: BaseException | None = None  # set by the writer; queued tables are dropped until reset
        self._error_raised = False
        self._discarding = False  # set by `abandon`: the writer drops queued slices instead of writing them
        # What the caller is making now; a failed queued write reports the organization and step that made it.
        self.organization = ""
        self.step = ""
        self.failed_organization = ""
        self.failed_step = ""
        self.freeze: frozenset[str] = frozenset()  # tables truncated in this transaction: written with COPY FREEZE
        # CSV carries timestamps as UTC wall-clock time without a zone (arrow.to_arrow), so the session reads them as
        # UTC; queries the generator runs then also cast to dates in UTC, whatever the server's time zone.
        conn.execute("set time zone 'UTC'")
        if self._queue is not None:
            threading.Thread(target=self._write_forever, name="copy-writer", daemon=True).start()
        self._read_sequences()

    @property
    def conn(self):
        """The connection, once everything queued so far is in the database."""
        self.flush()
        return self._conn

    def reading(self, *tables: str):
        """The connection, once every slice queued so far for ``tables`` is in the database, to read them back.

        Slices of other tables may still be queued: the writer goes on with them after the caller's query (the
        connection's lock makes the two take turns), so the server is not left idle while the queue drains and
        the caller is not kept waiting for tables it does not read, as with `conn`.
        """
        unknown = [table for table in tables if f"{APP_SCHEMA}.{table}" not in self.metadata.tables]
        if unknown:
            raise KeyError(f"reading back unknown table(s) {unknown}")
        if not tables:
            return self.conn
        if self._queue is not None:
            target = max(self._last_queued.get(table, 0) for table in tables)
            with self._progress:
                self._progress.wait_for(lambda: self._written >= target)
        self._raise_pending()
        return self._conn

    def abandon(self) -> None:
        """Drop every queued slice unwritten and wait until the writer has: the transaction they belong to is being
        rolled back, and written after it they would land in a transaction of their own."""
        if self._queue is None:
            return
        self._discarding = True
        try:
            self._queue.join()
        finally:
            self._discarding = False

    def _read_sequences(self) -> None:
        self._next_id.clear()
        for table, sequence, last_value, start_value in self._conn.execute(
            """select t.relname, t.seq, s.last_value, s.start_value
               from (select c.relname,
                            pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), 'id') as seq
                     from pg_class c join pg_namespace n on n.oid = c.relnamespace
                     where n.nspname = %s and c.relkind = 'r') t
               join pg_sequences s on quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename) = t.seq""",
            (APP_SCHEMA,),
        ):
            self._sequences[table] = sequence
            self._next_id[table] = start_value if last_value is None else last_value + 1

    def allocate(self, table: str, count: int) -> np.ndarray:
        """``count`` new ids for ``table``, consecutive; the sequence is advanced past them on `sync`."""
        first = self._next_id[table]
        self._next_id[table] = first + count
        if count:
            self._dirty.add(table)
        return np.arange(first, first + count, dtype=np.int64)

    def sync_sequences(self) -> None:
        conn = self.conn
        for table in sorted(self._dirty):
            conn.execute("select setval(%s, %s)", (self._sequences[table], self._next_id[table] - 1))
        self._dirty.clear()

    def forget_ids(self) -> None:
        """After a rollback, re-read sequences instead of trusting ids handed out in the failed transaction."""
        self.flush(raise_error=False)
        self._error, self._error_raised, self.failed_step, self.failed_organization = None, False, "", ""
        self._dirty.clear()
        self._read_sequences()

    def copy(self, table_name: str, columns: dict[str, Any]) -> int:
        table = self.metadata.tables[f"{APP_SCHEMA}.{table_name}"]
        unknown = set(columns) - set(table.c.keys())
        if unknown:
            raise KeyError(f"{table_name} has no column(s) {sorted(unknown)}")
        lengths = {name: len(values) for name, values in columns.items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"{table_name}: columns of different lengths {lengths}")
        count = next(iter(lengths.values()), 0)
        # Encode and queue in slices: a table of millions of rows never exists whole as Arrow data or encoded rows,
        # and the queue holds at most a few slices, so memory stays bounded whatever the table's size.
        column_list = ", ".join(f'"{name}"' for name in columns)
        for first in range(0, count, COPY_BATCH_ROWS):
            data = (table_name, column_list, *self._encode(table, columns, first))
            if self._queue is None:
                self._write(*data)
            else:
                self._raise_pending()
                self._queue.put((self.organization, self.step, data))
                self._queued += 1
                self._last_queued[table_name] = self._queued
        return count

    @staticmethod
    def _encode(table, columns: dict[str, Any], first: int) -> tuple[str, int, list]:
        """Rows ``first`` to ``first + COPY_BATCH_ROWS`` of ``columns``: the COPY format, row count and pieces."""
        part = {name: values[first : first + COPY_BATCH_ROWS] for name, values in columns.items()}
        if COPY_FORMAT == "binary":
            return ("binary", *pgbinary.encode([table.c[name] for name in part], list(part.values())))
        batch = pa.record_batch([to_arrow(table.c[name], values) for name, values in part.items()], names=list(part))
        return "csv", batch.num_rows, [csv_bytes(batch)]

    def flush(self, raise_error: bool = True) -> None:
        if self._queue is not None:
            self._queue.join()
        if raise_error:
            self._raise_pending()

    def _raise_pending(self) -> None:
        if self._error is not None and not self._error_raised:
            self._error_raised = True
            raise self._error

    def _write(self, table_name: str, column_list: str, kind: str, rows: int, pieces: list) -> None:
        started = time.perf_counter()
        freeze = ", freeze" if table_name in self.freeze else ""
        statement = f"copy {APP_SCHEMA}.{table_name} ({column_list}) from stdin (format {kind}{freeze})"
        with self._conn.cursor() as cursor, cursor.copy(statement) as copy:
            for piece in pieces:
                copy.write(memoryview(piece))
        elapsed = time.perf_counter() - started
        self.rows[table_name] += rows
        self.seconds[table_name] += elapsed
        self.on_rows(table_name, rows, elapsed)

    def _write_forever(self) -> None:
        while True:
            organization, step, data = self._queue.get()
            try:
                if self._error is None and not self._discarding:  # after a failure, drop the rest of the transaction
                    self._write(*data)
            except BaseException as error:  # handed to the generating thread
                self.failed_organization, self.failed_step = organization, step
                self._error = error  # last: the error is what gets read
            finally:
                with self._progress:
                    self._written += 1
                    self._progress.notify_all()
                self._queue.task_done()


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
