"""Rows in PostgreSQL's binary `COPY` format, built column by column with numpy and Arrow kernels.

The server reads the binary format about twice as fast as CSV: there is no number, date or timestamp to parse.
Measured on the 30 largest generated tables at `demo` (3.25 M rows, bare tables): 2.9 s against 6.3 s, and 5.7 s
against 9.1 s with their unique indexes.

Each field is its 4-byte big-endian length (-1 for NULL) and its value in the type's binary form; a row is its
field count and its fields; a `COPY` is a header, rows and a trailer. The column types are those of the SQLAlchemy
models, which the migrations create exactly (tests/oltp/test_schema_lint.py).

Values come in the generator's conventions (oltp.synthetic.arrow): money and quantities as integers scaled by
10**scale, timestamps as microseconds since 1970-01-01 UTC, dates as days since then.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import BigInteger, Boolean, Date, Integer, Numeric, SmallInteger, String, Text, Time
from sqlalchemy.dialects.postgresql import JSONB, TIMESTAMP

from oltp.synthetic.arrow import int64_array, to_arrow

HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"
NULL = b"\xff\xff\xff\xff"
# PostgreSQL counts timestamps from 2000-01-01 and dates from the same day.
US_1970_TO_2000 = 946_684_800_000_000
DAYS_1970_TO_2000 = 10_957
NBASE_DIGITS = 4  # a numeric's digits are base 10000: four decimal digits each


def encode(columns: list, values: list[Any]) -> tuple[int, list[pa.Buffer | bytes]]:
    """The rows of ``values`` (one entry per column, all of one length) for `COPY ... (format binary)`: their count
    and the pieces to send, in order (a header, the rows, a trailer)."""
    fields = [_field(column, value) for column, value in zip(columns, values, strict=True)]
    count = len(fields[0])
    field_count = _fixed(np.full(count, len(fields), dtype=">i2").view(np.uint8).reshape(count, 2))
    rows = pc.binary_join_element_wise(field_count, *fields, pa.scalar(b"", pa.large_binary()))
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64, count=count + 1, offset=8 * rows.offset)
    body = rows.buffers()[2][int(offsets[0]) : int(offsets[-1])]
    return count, [HEADER, body, TRAILER]


def _field(column, values: Any) -> pa.Array:
    """One column as each row's whole field: its length, then its value."""
    kind = column.type
    if isinstance(kind, Numeric):
        ints = int64_array(values)
        scaled = _numpy(ints, 0)
        data = _numeric(scaled, kind.precision, kind.scale)
        _check_range(column, scaled, 10**kind.precision, f"numeric({kind.precision},{kind.scale})")
        return _with_nulls(data, np.asarray(ints.is_valid()))
    if isinstance(kind, (String, Text, JSONB)):
        text = to_arrow(column, values)
        if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)):
            text = text.cast(pa.string())  # as CSV would write it
        return _variable(text.cast(pa.large_binary()), prefix=b"\x01" if isinstance(kind, JSONB) else b"")
    if isinstance(kind, Time):
        text = to_arrow(column, values)
        us = _numpy(text.cast(pa.time64("us")).cast(pa.int64()), 0) if pa.types.is_time(text.type) else _time_us(text)
        return _with_nulls(_be(us, ">i8"), np.asarray(text.is_valid()))
    array = to_arrow(column, values)
    valid = np.asarray(array.is_valid())
    if isinstance(kind, TIMESTAMP):
        data = _be(_numpy(array.cast(pa.int64()), 0) - US_1970_TO_2000, ">i8")
    elif isinstance(kind, Date):
        data = _be(_numpy(array.cast(pa.int32()), 0).astype(np.int64) - DAYS_1970_TO_2000, ">i4")
    elif isinstance(kind, Boolean):
        data = _numpy(array, False).astype(np.uint8).reshape(-1, 1)
    elif isinstance(kind, BigInteger):
        data = _be(_numpy(array, 0), ">i8")
    elif isinstance(kind, SmallInteger):
        data = _be(_check_range(column, _numpy(array, 0), 2**15, "smallint"), ">i2")
    elif isinstance(kind, Integer):
        data = _be(_check_range(column, _numpy(array, 0), 2**31, "integer"), ">i4")
    else:
        raise TypeError(f"no binary COPY encoding for {column.table.name}.{column.name} ({kind})")
    return _with_nulls(data, valid)


def _check_range(column, values: np.ndarray, limit: int, kind: str) -> np.ndarray:
    """``values`` if each is within (-limit, limit) (or [-limit, limit) for integers), else a one-line error: the
    binary form would wrap them into other numbers where CSV text would be refused by the server."""
    low = -limit if kind in ("smallint", "integer") else -limit + 1
    bad = (values < low) | (values >= limit)
    if bad.any():
        raise ValueError(f"{column.table.name}.{column.name}: {values[bad][0]} does not fit {kind}")
    return values


def _numpy(array: pa.Array, fill) -> np.ndarray:
    return array.fill_null(fill).to_numpy(zero_copy_only=False)


def _be(values: np.ndarray, dtype: str) -> np.ndarray:
    """Each value's big-endian bytes, one row per value."""
    data = np.asarray(values).astype(dtype)
    return data.view(np.uint8).reshape(len(data), data.itemsize)


def _numeric(scaled: np.ndarray, precision: int | None, scale: int | None) -> np.ndarray:
    """numeric(precision, scale) values from integers scaled by 10**scale, in the binary form: digit count, weight
    (of the first digit, in powers of 10000), sign, display scale, then the digits, most significant first.

    Every value gets the same digits (enough for the precision, leading and trailing zero digits included): the
    server strips the zeros when it stores the value, so the layout can be fixed and built for all rows at once."""
    if precision is None or scale is None or not 0 <= scale <= NBASE_DIGITS or precision > 18:
        raise TypeError(f"no binary COPY encoding for numeric({precision}, {scale})")
    whole_digits = max(1, -(-(precision - scale) // NBASE_DIGITS))
    magnitude = np.abs(scaled.astype(np.int64))
    whole, fraction = np.divmod(magnitude, 10**scale)
    digits = [(whole // 10 ** (NBASE_DIGITS * k)) % 10**NBASE_DIGITS for k in reversed(range(whole_digits))]
    if scale:
        digits.append(fraction * 10 ** (NBASE_DIGITS - scale))
    count = len(scaled)
    head = np.empty((count, 4), dtype=">i2")
    head[:, 0] = len(digits)
    head[:, 1] = whole_digits - 1
    head[:, 2] = np.where(scaled < 0, 0x4000, 0)
    head[:, 3] = scale
    body = np.stack(digits, axis=1).astype(">i2")
    return np.concatenate([head.view(np.uint8), body.view(np.uint8)], axis=1)


def _time_us(text: pa.Array) -> np.ndarray:
    """Microseconds since midnight of times written as HH:MM or HH:MM:SS[.ffffff]."""
    text = text.fill_null("00:00")
    text = pc.if_else(pc.equal(pc.count_substring(text, ":"), 1), pc.binary_join_element_wise(text, ":00", ""), text)
    parts = pc.split_pattern(text, ":")
    hours = _numpy(pc.list_element(parts, 0).cast(pa.int64()), 0)
    minutes = _numpy(pc.list_element(parts, 1).cast(pa.int64()), 0)
    seconds = _numpy(pc.list_element(parts, 2).cast(pa.float64()), 0.0)
    return (hours * 60 + minutes) * 60_000_000 + np.round(seconds * 1e6).astype(np.int64)


def _fixed(data: np.ndarray) -> pa.Array:
    """Rows of a 2-D uint8 array as a large_binary array, one element per row."""
    count, width = data.shape
    offsets = np.arange(0, (count + 1) * width, width, dtype=np.int64)
    return pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), count, [None, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(data))]
    )


def _with_nulls(data: np.ndarray, valid: np.ndarray) -> pa.Array:
    """Fixed-width values as whole fields: their length and bytes, or the NULL length where not ``valid``."""
    count, width = data.shape
    fields = np.empty((count, 4 + width), dtype=np.uint8)
    fields[:, :4] = np.frombuffer(np.array([width], dtype=">i4").tobytes(), dtype=np.uint8)
    fields[:, 4:] = data
    array = _fixed(fields)
    if valid.all():
        return array
    return pc.if_else(pa.array(valid), array, pa.scalar(NULL, pa.large_binary()))


def _variable(data: pa.Array, prefix: bytes) -> pa.Array:
    """Variable-length values (text, or JSON after jsonb's version byte) as whole fields."""
    lengths = _numpy(pc.binary_length(data), 0).astype(np.int64) + len(prefix)
    empty = pa.scalar(b"", pa.large_binary())
    head = _fixed(_be(lengths, ">i4"))
    if prefix:
        head = pc.binary_join_element_wise(head, pa.scalar(prefix, pa.large_binary()), empty)
    fields = pc.binary_join_element_wise(head, data.fill_null(empty), empty)
    if data.null_count == 0:
        return fields
    return pc.if_else(data.is_valid(), fields, pa.scalar(NULL, pa.large_binary()))
