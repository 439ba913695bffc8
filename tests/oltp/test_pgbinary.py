"""The binary COPY encoder: every column type the schema uses, edge values and NULLs, read back by PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal

import numpy as np
import psycopg
import pyarrow as pa
import pytest
from sqlalchemy import BigInteger, Boolean, Column, Date, Integer, MetaData, Numeric, String, Table, Text, Time
from sqlalchemy.dialects.postgresql import JSONB, TIMESTAMP

from oltp.synthetic import pgbinary
from oltp.synthetic.arrow import masked, null_strings

PROBE = Table(
    "probe",
    MetaData(),
    Column("big", BigInteger),
    Column("small", Integer),
    Column("money", Numeric(14, 2)),
    Column("quantity", Numeric(14, 3)),
    Column("percent", Numeric(5, 2)),
    Column("at", TIMESTAMP(timezone=True)),
    Column("day", Date),
    Column("flag", Boolean),
    Column("name", String(40)),
    Column("body", Text),
    Column("data", JSONB),
    Column("opens", Time),
)
DDL = """create temporary table probe (big bigint, small integer, money numeric(14,2), quantity numeric(14,3),
         percent numeric(5,2), at timestamptz, day date, flag boolean, name varchar(40), body text, data jsonb,
         opens time)"""
US = 1_000_000


def load(conn, values: dict) -> list[tuple]:
    conn.execute(DDL)
    count, pieces = pgbinary.encode([PROBE.c[name] for name in values], list(values.values()))
    columns = ", ".join(values)
    with conn.cursor().copy(f"copy probe ({columns}) from stdin (format binary)") as copy:
        for piece in pieces:
            copy.write(memoryview(piece))
    rows = conn.execute(f"select {columns} from probe").fetchall()
    assert len(rows) == count
    return rows


def test_every_type_round_trips_with_edge_values(conn):
    conn.execute("set time zone 'UTC'")
    rows = load(
        conn,
        {
            "big": np.array([0, -1, 2**62, -(2**62)]),
            "small": np.array([0, -1, 2**31 - 1, -(2**31)]),
            "money": np.array([0, -1, 123_456_789_012_34, -99_999_999_999_999]),  # cents, up to numeric(14,2)'s max
            "quantity": np.array([1, -1_500, 10_000, 99_999_999_999_999]),  # thousandths
            "percent": np.array([0, 10_000, -5, 99_999]),  # hundredths
            "at": np.array([0, -US, 1_764_000_000 * US + 123_456, 946_684_800 * US]),  # around 1970 and 2000
            "day": np.array([0, -1, 10_957, 20_000]),
            "flag": np.array([True, False, True, False]),
            "name": np.array(["", "plain", 'quote " comma , tab \t', "ünïcødé ✓"], dtype=object),
            "body": np.array(["line\nbreak", "back\\slash", "x" * 5_000, "\r\n"], dtype=object),
            "data": np.array(['{"a": 1}', "[]", '{"nested": {"b": [1, 2]}}', '"text"'], dtype=object),
            "opens": np.array(["08:00", "00:00", "23:59:59", "12:30:15.5"], dtype=object),
        },
    )
    assert rows == [
        (0, 0, Decimal("0.00"), Decimal("0.001"), Decimal("0.00"), datetime(1970, 1, 1, tzinfo=UTC),
         date(1970, 1, 1), True, "", "line\nbreak", {"a": 1}, time(8, 0)),
        (-1, -1, Decimal("-0.01"), Decimal("-1.500"), Decimal("100.00"), datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC),
         date(1969, 12, 31), False, "plain", "back\\slash", [], time(0, 0)),
        (2**62, 2**31 - 1, Decimal("123456789012.34"), Decimal("10.000"), Decimal("-0.05"),
         datetime(2025, 11, 24, 16, 0, 0, 123_456, tzinfo=UTC), date(2000, 1, 1), True, 'quote " comma , tab \t',
         "x" * 5_000, {"nested": {"b": [1, 2]}}, time(23, 59, 59)),
        (-(2**62), -(2**31), Decimal("-999999999999.99"), Decimal("99999999999.999"), Decimal("999.99"),
         datetime(2000, 1, 1, tzinfo=UTC), date(2024, 10, 4), False, "ünïcødé ✓", "\r\n", "text",
         time(12, 30, 15, 500_000)),
    ]  # fmt: skip


def test_nulls_in_every_type(conn):
    valid = np.array([True, False, True])
    rows = load(
        conn,
        {
            "big": masked(np.array([1, 2, 3]), valid),
            "small": masked(np.array([1, 2, 3]), ~valid),
            "money": masked(np.array([150, 0, -150]), valid),
            "at": masked(np.array([0, 0, 0]), valid),
            "day": pa.array([1, None, 3], type=pa.int32()).cast(pa.date32()),
            "flag": pa.array([None, True, None], type=pa.bool_()),
            "name": null_strings(np.array(["a", "", "c"]), valid),
            "data": null_strings(np.array(["{}", "[]", "[1]"]), ~valid),
            "opens": null_strings(np.array(["09:00", "", "17:00"]), valid),
        },
    )
    assert rows == [
        (1, None, Decimal("1.50"), datetime(1970, 1, 1, tzinfo=UTC), date(1970, 1, 2), None, "a", None, time(9)),
        (None, 2, None, None, None, True, None, [], None),
        (3, None, Decimal("-1.50"), datetime(1970, 1, 1, tzinfo=UTC), date(1970, 1, 4), None, "c", None, time(17)),
    ]


def test_values_past_the_declared_type_are_refused_by_the_server(conn):
    conn.execute(DDL)
    _, pieces = pgbinary.encode([PROBE.c.name], [np.array(["x" * 41], dtype=object)])
    statement = "copy probe (name) from stdin (format binary)"
    too_long = "value too long for type character varying"
    with pytest.raises(psycopg.errors.StringDataRightTruncation, match=too_long), conn.cursor().copy(statement) as copy:
        for piece in pieces:
            copy.write(memoryview(piece))


def test_a_numeric_without_precision_is_refused_here():
    column = Table("loose", MetaData(), Column("amount", Numeric())).c.amount
    with pytest.raises(TypeError, match=r"no binary COPY encoding for numeric\(None, None\)"):
        pgbinary.encode([column], [np.array([1])])


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("money", 10**14, "probe.money: 100000000000000 does not fit numeric(14,2)"),
        ("money", -(10**14), "probe.money: -100000000000000 does not fit numeric(14,2)"),
        ("percent", 100_000, "probe.percent: 100000 does not fit numeric(5,2)"),
        ("small", 2**31, "probe.small: 2147483648 does not fit integer"),
        ("small", -(2**31) - 1, "probe.small: -2147483649 does not fit integer"),
    ],
)
def test_values_the_binary_form_would_wrap_are_refused_in_one_line(column, value, message):
    # CSV text of these would be refused by the server; their binary form would silently be another number.
    with pytest.raises(ValueError, match=re.escape(message)):
        pgbinary.encode([PROBE.c[column]], [np.array([0, value])])


def test_arrow_dates_and_times_of_other_units_are_converted(conn):
    rows = load(
        conn,
        {
            "day": pa.array([0, 86_400_000 * 20_000], type=pa.date64()),
            "opens": pa.array([8 * 3_600_000, 0], type=pa.time32("ms")),
        },
    )
    assert rows == [(date(1970, 1, 1), time(8)), (date(2024, 10, 4), time(0))]
