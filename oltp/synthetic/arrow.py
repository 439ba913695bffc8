"""Typed columns for COPY: the generator works in integers (cents, thousandths, microseconds) and this module
turns them into Arrow arrays of the exact PostgreSQL types, then into CSV for `COPY ... FROM STDIN` (the binary
format, which the generator uses, is built from the same arrays in oltp.synthetic.pgbinary).

Money is carried as integer cents from generation to the database, so every total is exact to the cent.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy import Boolean, Date, Integer, Numeric, String, Text, Time
from sqlalchemy.dialects.postgresql import JSONB, TIMESTAMP

US_PER_DAY = 86_400_000_000
US_PER_HOUR = 3_600_000_000
US_PER_MINUTE = 60_000_000
_EPOCH = np.datetime64("1970-01-01", "D")


def int64_array(values: Any) -> pa.Array:
    """Integers (a numpy array, a sequence, or an Arrow array with NULLs) as an Arrow int64 array."""
    ints = values if isinstance(values, pa.Array) else pa.array(np.asarray(values), type=pa.int64(), from_pandas=True)
    return ints.cast(pa.int64())


def _scaled_decimal(values: Any, precision: int, scale: int) -> pa.Array:
    """Integers already multiplied by 10**scale (cents for money) as a decimal array, without float rounding."""
    ints = int64_array(values)
    data = ints.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    words = np.empty((len(data), 2), dtype=np.int64)
    words[:, 0] = data
    words[:, 1] = np.where(data < 0, -1, 0)
    # A fresh bitmap: a slice's own validity buffer starts at the parent's first row, not at the slice's.
    validity = pc.is_valid(ints).buffers()[1] if ints.null_count else None
    return pa.Array.from_buffers(pa.decimal128(precision, scale), len(data), [validity, pa.py_buffer(words)])


def to_arrow(column, values: Any) -> pa.Array:
    """Convert generator values for one SQLAlchemy column into an Arrow array of its type."""
    kind = column.type
    if isinstance(kind, Numeric):
        return _scaled_decimal(values, kind.precision, kind.scale)
    if isinstance(kind, TIMESTAMP):
        array = values if isinstance(values, pa.Array) else pa.array(np.asarray(values), from_pandas=True)
        # Written without a zone (formatting zoned timestamps costs 16x more) and read by a UTC session: Loader.
        return array.cast(pa.int64()).cast(pa.timestamp("us"))
    if isinstance(kind, Date):
        if isinstance(values, pa.Array):
            days = values if pa.types.is_date(values.type) else values.cast(pa.int32())
            return days.cast(pa.date32())
        array = np.asarray(values)
        if array.dtype.kind == "M":
            return pa.array(array.astype("datetime64[D]"), from_pandas=True)
        return pa.array(array.astype(np.int32), type=pa.int32()).cast(pa.date32())
    if isinstance(values, pa.Array):
        return values
    if isinstance(kind, Boolean):
        return pa.array(np.asarray(values, dtype=bool))
    if isinstance(kind, Integer):
        return pa.array(np.asarray(values), type=pa.int64(), from_pandas=True)
    if isinstance(kind, (String, Text, JSONB, Time)):
        return pa.array(values if not isinstance(values, np.ndarray) else values.tolist(), type=pa.string())
    raise TypeError(f"no Arrow conversion for {column.table.name}.{column.name} ({kind})")


def masked(values: np.ndarray, valid: np.ndarray) -> pa.Array:
    """``values`` with NULL where ``valid`` is False (integers and timestamps)."""
    return pa.array(np.asarray(values), mask=~np.asarray(valid, dtype=bool), from_pandas=True)


def null_strings(values: np.ndarray, valid: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(values, dtype=object).tolist(), type=pa.string(), mask=~np.asarray(valid, dtype=bool))


def csv_bytes(table: pa.Table | pa.RecordBatch) -> bytes:
    sink = io.BytesIO()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return sink.getvalue()


def day_number(value) -> int:
    """Days since 1970-01-01 of a date."""
    return int((np.datetime64(value, "D") - _EPOCH).astype(np.int64))
