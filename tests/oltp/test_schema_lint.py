"""Catalog-driven lint of the operational schema: every standardization rule, for every table in `app`.

It reads PostgreSQL's catalog, not the models, so a future table that breaks a rule fails the build however it
was created. Exceptions are listed here, each with its reason, so that adding one is a reviewed decision.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from tests.conftest import REPO_ROOT

REFERENCE_TABLES = {"roles", "permissions", "role_permissions"}
TENANT_ROOT = "organizations"
REQUIRED_ADDITIONS = {"audit_logs", "roles", "permissions", "role_permissions", "user_roles", "jobs"}

# Entities users delete from lists while history and analytics keep them.
SOFT_DELETABLE = {
    "organizations", "users", "customers", "contacts", "addresses", "opportunities", "quotes", "products",
    "categories", "locations", "orders", "jobs", "suppliers", "purchase_orders", "issues", "kb_articles",
    "warranty_policies", "email_templates", "custom_reports",
}  # fmt: skip

# Columns whose names look like statuses or types; each must be constrained by a CHECK.
STATUS_NAME = re.compile(r"^(status|.*_status|type|.*_type|stage|.*_stage|priority|kind|channel|direction)$")

# Amounts and quantities that may legitimately be negative (no ">= 0" CHECK), with the reason.
SIGNED = {
    ("inventory_movements", "quantity"): "stock leaving a location is negative",
    ("order_amendments", "amount_change"): "an amendment can lower the order value",
    ("purchase_order_amendments", "amount_change"): "an amendment can lower the purchase order value",
    ("statement_history", "opening_balance"): "a customer in credit has a negative balance",
    ("statement_history", "closing_balance"): "a customer in credit has a negative balance",
    ("product_attribute_values", "value_number"): "a numeric attribute can be negative (a temperature)",
}

ALLOWED_NUMERIC = {(14, 2): "money", (14, 3): "quantity", (5, 2): "percent"}
# Integers that are neither counts nor ranges: a signed day offset is the one kind allowed.
SIGNED_INTEGERS = {("reminder_templates", "days_relative_to_due"): "negative means before the due date"}


def seed_table_names() -> set[str]:
    """Every table the target schema document names (its materialized views are the warehouse's, not app's)."""
    text = (REPO_ROOT / "docs" / "target-schema.md").read_text()
    core = text.split("## Core Entities", 1)[1].split("## Required Additions", 1)[0]
    return {name for name in re.findall(r"`([a-z_]+)`", core) if not name.startswith("mv_")}


@pytest.fixture(scope="module")
def catalog(migrated_url):
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(migrated_url, row_factory=dict_row) as conn:

        def rows(sql: str) -> list[dict]:
            return conn.execute(sql).fetchall()

        tables = {
            r["relname"]: r
            for r in rows(
                """select c.oid, c.relname, obj_description(c.oid, 'pg_class') as comment
                   from pg_class c where c.relnamespace = 'app'::regnamespace and c.relkind = 'r'"""
            )
        }
        columns = rows(
            """select c.relname as table_name, a.attname as column_name, a.attnum, a.attnotnull,
                      format_type(a.atttypid, a.atttypmod) as data_type, t.typname,
                      information_schema._pg_numeric_precision(a.atttypid, a.atttypmod) as precision,
                      information_schema._pg_numeric_scale(a.atttypid, a.atttypmod) as scale,
                      pg_get_expr(d.adbin, d.adrelid) as default_expr,
                      col_description(c.oid, a.attnum) as comment
               from pg_attribute a
               join pg_class c on c.oid = a.attrelid
               join pg_type t on t.oid = a.atttypid
               left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
               where c.relnamespace = 'app'::regnamespace and c.relkind = 'r' and a.attnum > 0
                 and not a.attisdropped"""
        )
        constraints = rows(
            """select c.relname as table_name, k.conname, k.contype, pg_get_constraintdef(k.oid) as definition,
                      array(select a.attname from unnest(k.conkey) with ordinality u(n, i)
                            join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.i)::text[]
                        as columns,
                      f.relname as referenced_table,
                      array(select a.attname from unnest(k.confkey) with ordinality u(n, i)
                            join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.i)::text[]
                        as referenced_columns
               from pg_constraint k
               join pg_class c on c.oid = k.conrelid
               left join pg_class f on f.oid = k.confrelid
               where c.relnamespace = 'app'::regnamespace"""
        )
        unique_indexes = rows(
            """select c.relname as table_name, i.relname as index_name,
                      array(select a.attname from unnest(x.indkey) with ordinality u(n, o)
                            join pg_attribute a on a.attrelid = x.indrelid and a.attnum = u.n order by u.o)::text[]
                        as columns
               from pg_index x join pg_class c on c.oid = x.indrelid join pg_class i on i.oid = x.indexrelid
               where c.relnamespace = 'app'::regnamespace and x.indisunique"""
        )
        triggers = rows(
            """select c.relname as table_name, t.tgname, pg_get_triggerdef(t.oid) as definition
               from pg_trigger t join pg_class c on c.oid = t.tgrelid
               where c.relnamespace = 'app'::regnamespace and not t.tgisinternal"""
        )
    by_table: dict[str, dict] = defaultdict(lambda: {"columns": {}, "constraints": [], "unique": [], "triggers": []})
    for column in columns:
        by_table[column["table_name"]]["columns"][column["column_name"]] = column
    for constraint in constraints:
        by_table[constraint["table_name"]]["constraints"].append(constraint)
    for index in unique_indexes:
        by_table[index["table_name"]]["unique"].append(index)
    for trigger in triggers:
        by_table[trigger["table_name"]]["triggers"].append(trigger)
    return {"tables": tables, "by_table": dict(by_table)}


def tenant_tables(catalog) -> list[str]:
    return sorted(set(catalog["tables"]) - REFERENCE_TABLES - {TENANT_ROOT})


def checks_on(table: dict, column: str) -> list[str]:
    pattern = re.compile(rf"\b{re.escape(column)}\b")
    return [c["definition"] for c in table["constraints"] if c["contype"] == "c" and pattern.search(c["definition"])]


def test_every_table_the_target_schema_names_exists(catalog):
    expected = seed_table_names()
    assert len(expected) == 108
    missing = sorted((expected | REQUIRED_ADDITIONS) - set(catalog["tables"]))
    assert missing == []


def test_every_tenant_table_has_a_non_null_organization_id_leading_its_primary_key(catalog):
    problems = []
    for name in tenant_tables(catalog):
        table = catalog["by_table"][name]
        column = table["columns"].get("organization_id")
        if column is None or not column["attnotnull"] or column["typname"] != "int8":
            problems.append(f"{name}: organization_id missing, nullable or not bigint")
            continue
        pk = next(c for c in table["constraints"] if c["contype"] == "p")
        if pk["columns"][0] != "organization_id":
            problems.append(f"{name}: primary key {pk['columns']} does not lead with organization_id")
        if not any(
            c["contype"] == "f" and c["columns"] == ["organization_id"] and c["referenced_table"] == TENANT_ROOT
            for c in table["constraints"]
        ):
            problems.append(f"{name}: organization_id does not reference organizations")
    assert problems == []


def test_every_unique_key_of_a_tenant_table_includes_organization_id_first(catalog):
    problems = [
        f"{name}.{index['index_name']} on {index['columns']}"
        for name in tenant_tables(catalog)
        for index in catalog["by_table"][name]["unique"]
        if index["columns"][:1] != ["organization_id"]
    ]
    assert problems == []


def test_references_between_tenant_tables_include_organization_id(catalog):
    problems = []
    for name in tenant_tables(catalog):
        for fk in (c for c in catalog["by_table"][name]["constraints"] if c["contype"] == "f"):
            if fk["referenced_table"] in REFERENCE_TABLES or fk["columns"] == ["organization_id"]:
                continue
            if fk["columns"][0] != "organization_id" or fk["referenced_columns"] != ["organization_id", "id"]:
                problems.append(f"{name}: {fk['definition']}")
    assert problems == []


def test_every_id_column_is_a_foreign_key(catalog):
    problems = []
    for name, table in catalog["by_table"].items():
        covered = {col for c in table["constraints"] if c["contype"] == "f" for col in c["columns"]}
        problems += [f"{name}.{col}" for col in table["columns"] if col.endswith("_id") and col not in covered]
    assert problems == []


def test_numbers_use_the_standard_types_and_amounts_are_checked(catalog):
    problems = []
    for name, table in catalog["by_table"].items():
        for col, column in table["columns"].items():
            kind = column["typname"]
            if kind in ("float4", "float8", "money", "int2"):
                problems.append(f"{name}.{col}: {column['data_type']} is not allowed")
            elif kind == "numeric":
                shape = (column["precision"], column["scale"])
                if shape not in ALLOWED_NUMERIC:
                    problems.append(f"{name}.{col}: numeric{shape} is none of {sorted(ALLOWED_NUMERIC)}")
                elif ALLOWED_NUMERIC[shape] == "percent":
                    if not any("100" in check for check in checks_on(table, col)):
                        problems.append(f"{name}.{col}: percentage without a 0-100 CHECK")
                elif (name, col) not in SIGNED and not checks_on(table, col):
                    problems.append(f"{name}.{col}: {ALLOWED_NUMERIC[shape]} without a CHECK (>= 0)")
            elif kind == "int4" and (name, col) not in SIGNED_INTEGERS and not checks_on(table, col):
                problems.append(f"{name}.{col}: integer (a count) without a CHECK")
    assert problems == []


def test_signed_exceptions_are_real_columns(catalog):
    for name, col in [*SIGNED, *SIGNED_INTEGERS]:
        assert col in catalog["by_table"].get(name, {"columns": {}})["columns"], f"stale exception {name}.{col}"


def test_timestamps_are_timestamptz_and_updated_at_is_kept_by_trigger(catalog):
    problems = []
    for name, table in catalog["by_table"].items():
        for col, column in table["columns"].items():
            # Local wall-clock times (business hours) are `time`; points in time are always timestamptz.
            if column["typname"] in ("timestamp", "timetz"):
                problems.append(f"{name}.{col}: {column['data_type']} (use timestamptz)")
        for col in ("created_at", "updated_at"):
            column = table["columns"].get(col)
            if column is None or column["typname"] != "timestamptz" or not column["attnotnull"]:
                problems.append(f"{name}.{col}: missing, nullable or not timestamptz")
            elif column["default_expr"] != "now()":
                problems.append(f"{name}.{col}: default is {column['default_expr']}, not now()")
        if not any(
            "BEFORE UPDATE" in t["definition"] and "app.set_updated_at()" in t["definition"] for t in table["triggers"]
        ):
            problems.append(f"{name}: no BEFORE UPDATE trigger calling app.set_updated_at()")
    assert problems == []


def test_soft_deletable_entities_have_deleted_at(catalog):
    problems = []
    for name in SOFT_DELETABLE:
        column = catalog["by_table"][name]["columns"].get("deleted_at")
        if column is None or column["typname"] != "timestamptz" or column["attnotnull"]:
            problems.append(f"{name}: deleted_at missing or not a nullable timestamptz")
    assert problems == []


def test_statuses_and_types_are_constrained_and_documented(catalog):
    problems = []
    for name, table in catalog["by_table"].items():
        for col, column in table["columns"].items():
            if not STATUS_NAME.match(col):
                continue
            if column["typname"] not in ("bool",) and not checks_on(table, col):
                problems.append(f"{name}.{col}: no CHECK list")
            if not column["comment"]:
                problems.append(f"{name}.{col}: no comment listing its values")
    assert problems == []


def test_currency_codes_are_checked(catalog):
    problems = [
        f"{name}.{col}"
        for name, table in catalog["by_table"].items()
        for col in table["columns"]
        if (col == "currency" or col.endswith("_currency")) and not checks_on(table, col)
    ]
    assert problems == []


def test_every_table_has_a_comment(catalog):
    assert sorted(name for name, table in catalog["tables"].items() if not table["comment"]) == []


def test_reference_tables_are_tenant_less(catalog):
    for name in REFERENCE_TABLES:
        assert "organization_id" not in catalog["by_table"][name]["columns"]
