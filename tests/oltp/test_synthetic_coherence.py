"""Every coherence rule of the synthetic data, as SQL over `tiny` (tests/oltp/sql/coherence.sql)."""

from __future__ import annotations

import re

import psycopg
import pytest

from oltp.models import metadata
from tests.conftest import REPO_ROOT

RULES = [
    (match.group(1), line)
    for line in (REPO_ROOT / "tests/oltp/sql/coherence.sql").read_text().splitlines()
    if (match := re.match(r"select '([^']+)', count\(\*\)", line))
]


@pytest.mark.parametrize(("rule", "sql"), RULES, ids=[rule for rule, _ in RULES])
def test_coherence_rule_holds(tiny_url, rule, sql):
    with psycopg.connect(tiny_url) as conn:
        violations = conn.execute(sql).fetchone()[1]
    assert violations == 0, f"{violations} row(s) break: {rule}"


def test_every_operational_table_is_filled(tiny_url):
    with psycopg.connect(tiny_url) as conn:
        empty = [
            table.name
            for table in metadata.sorted_tables
            if conn.execute(f"select not exists (select 1 from app.{table.name})").fetchone()[0]
        ]
    assert empty == []


def test_no_timestamp_lies_after_the_generated_window(tiny_url):
    """Business times that are plans (due dates, schedules, warranty ends) may lie ahead; records of what
    happened never do."""
    with psycopg.connect(tiny_url) as conn:
        late = []
        for table in metadata.sorted_tables:
            if "organization_id" not in table.c:
                continue
            for column in ("created_at", "updated_at"):
                count = conn.execute(
                    f"""select count(*) from app.{table.name} x join app.organizations g on g.id = x.organization_id
                        where x.{column} >= (g.settings #>> '{{synthetic,through}}')::date + 1"""
                ).fetchone()[0]
                if count:
                    late.append(f"{table.name}.{column}: {count}")
    assert late == []


def _stock_rules() -> list[tuple[str, str]]:
    text = (REPO_ROOT / "tests/oltp/sql/coherence_stock.sql").read_text()
    blocks = text.split("\\echo ")[1:]
    return [(block.partition("\n")[0].strip(), block.partition("\n")[2].strip()) for block in blocks]


STOCK_RULES = _stock_rules()


@pytest.mark.parametrize(("rule", "sql"), STOCK_RULES, ids=[rule.split(" (")[0] for rule, _ in STOCK_RULES])
def test_stock_and_purchasing_rule_holds(tiny_url, rule, sql):
    with psycopg.connect(tiny_url) as conn:
        conn.execute("set search_path = app")
        rows = conn.execute(sql).fetchall()
    numbers = [value for row in rows for value in row if isinstance(value, int | float) or hasattr(value, "is_zero")]
    if "expect no rows" in rule:
        assert rows == [], f"{rule}: {rows[:5]}"
    else:
        assert rows and all(value == 0 for value in numbers), f"{rule}: {rows[:5]}"
