"""What a refresh runs (orchestration/defs/warehouse/changes.py), on a small manifest of the real project's shape:
two sources, staging views, a table, an incremental table, a calendar that reads the clock, a daily relation on top,
a view on the table, and tests."""

from __future__ import annotations

import copy

import pytest

from orchestration.defs.warehouse import changes

SOURCES = {"orders": "10/0/0/2026-11-01T00:00:00", "customers": "5/0/0/2026-11-01T00:00:00"}
DATES = "2026-11-24"


def _model(name: str, materialized: str, parents: list[str], sql: str = "select 1", macros: list[str] = ()) -> dict:
    return {
        "resource_type": "model",
        "name": name,
        "schema": "marts",
        "alias": name,
        "fqn": ["p", "marts", name],
        "raw_code": sql,
        "checksum": {"checksum": sql},
        "config": {"materialized": materialized},
        "depends_on": {"nodes": parents, "macros": list(macros)},
    }


def _test(name: str, parents: list[str]) -> dict:
    return {
        "resource_type": "test",
        "name": name,
        "schema": "dbt_test__audit",
        "fqn": ["p", name],
        "raw_code": "{{ test_not_null(**_dbt_generic_test_kwargs) }}",
        "config": {"severity": "error"},
        "test_metadata": {"name": "not_null", "kwargs": {"column_name": "id"}},
        "attached_node": parents[0],
        "depends_on": {"nodes": parents, "macros": []},
    }


def project() -> dict:
    nodes = {
        "model.p.stg_orders": _model("stg_orders", "view", ["source.p.app.orders"]),
        "model.p.stg_customers": _model("stg_customers", "view", ["source.p.app.customers"]),
        "model.p.fct_orders": _model("fct_orders", "table", ["model.p.stg_orders"]),
        "model.p.dim_customers": _model("dim_customers", "incremental", ["model.p.stg_customers"]),
        "model.p.dim_dates": _model("dim_dates", "table", [], macros=["macro.p.calendar"]),
        "model.p.spine": _model("spine", "table", [], sql="select current_date"),
        "model.p.int_orders_view": _model("int_orders_view", "view", ["model.p.fct_orders"]),
        "model.p.mv_daily": _model(
            "mv_daily", "incremental", ["model.p.int_orders_view", "model.p.dim_customers", "model.p.dim_dates"]
        ),
        "test.p.not_null_fct_orders_id": _test("not_null_fct_orders_id", ["model.p.fct_orders"]),
        "test.p.not_null_stg_orders_id": _test("not_null_stg_orders_id", ["model.p.stg_orders"]),
        "test.p.not_null_stg_customers_id": _test("not_null_stg_customers_id", ["model.p.stg_customers"]),
        "test.p.relationships_mv_daily": _test("relationships_mv_daily", ["model.p.mv_daily", "model.p.dim_customers"]),
    }
    return {
        "metadata": {"project_name": "p", "dbt_version": "1.11.0"},
        "macros": {
            "macro.p.as_of_date": _macro("as_of_date", []),
            "macro.p.calendar": _macro("calendar", ["macro.p.as_of_date"]),
            "macro.p.keyed": _macro("keyed", [], sql="{% macro keyed() %} now() {% endmacro %}"),
        },
        "sources": {
            f"source.p.app.{name}": {"resource_type": "source", "name": name, "schema": "app"} for name in SOURCES
        },
        "nodes": nodes,
        "parent_map": {uid: node["depends_on"]["nodes"] for uid, node in nodes.items()},
    }


def _macro(name: str, calls: list[str], sql: str = "") -> dict:
    return {"name": name, "package_name": "p", "macro_sql": sql or name, "depends_on": {"macros": calls}}


def relations(manifest: dict) -> set[tuple[str, str]]:
    return {(node["schema"], node["alias"]) for node in manifest["nodes"].values() if node["resource_type"] == "model"}


def built_from_everything(manifest: dict, inputs: changes.Inputs) -> dict[str, str]:
    """What every node records after a refresh that built them all (and every test passed)."""
    return changes.built_fingerprints(manifest, inputs, {}, set(manifest["nodes"]))


@pytest.fixture
def manifest() -> dict:
    return project()


def test_a_first_refresh_runs_every_node_and_test(manifest):
    plan = changes.plan(manifest, changes.Inputs(SOURCES, DATES), {}, set())
    assert plan.run == {uid for uid in manifest["nodes"] if uid.startswith("model.")}
    assert plan.tests == {uid for uid in manifest["nodes"] if uid.startswith("test.")}


def test_nothing_runs_when_nothing_changed(manifest):
    inputs = changes.Inputs(SOURCES, DATES)
    plan = changes.plan(manifest, inputs, built_from_everything(manifest, inputs), relations(manifest))
    assert plan.empty and not plan.run and not plan.tests


def test_a_changed_source_runs_the_tables_downstream_and_the_tests_of_every_node_whose_data_moved(manifest):
    before = changes.Inputs(SOURCES, DATES)
    built = built_from_everything(manifest, before)
    plan = changes.plan(manifest, changes.Inputs({**SOURCES, "orders": "11/0/0/x"}, DATES), built, relations(manifest))
    # the staging view's data follows its source without a run; the view on a rebuilt table is dropped with it
    assert plan.run == {"model.p.fct_orders", "model.p.int_orders_view", "model.p.mv_daily"}
    assert plan.tests == {
        "test.p.not_null_stg_orders_id",
        "test.p.not_null_fct_orders_id",
        "test.p.relationships_mv_daily",
    }


def test_a_new_business_date_runs_what_reads_the_clock_and_what_is_built_on_it(manifest):
    inputs = changes.Inputs(SOURCES, DATES)
    built = built_from_everything(manifest, inputs)
    assert changes.clock_readers(manifest) == {"model.p.dim_dates", "model.p.spine"}
    plan = changes.plan(manifest, changes.Inputs(SOURCES, "2026-11-25"), built, relations(manifest))
    assert plan.run == {"model.p.dim_dates", "model.p.spine", "model.p.mv_daily"}
    assert plan.tests == {"test.p.relationships_mv_daily"}


def test_a_changed_definition_runs_the_node_and_what_reads_it(manifest):
    inputs = changes.Inputs(SOURCES, DATES)
    built = built_from_everything(manifest, inputs)
    edited = copy.deepcopy(manifest)
    edited["nodes"]["model.p.stg_customers"]["raw_code"] = "select 2"
    plan = changes.plan(edited, inputs, built, relations(edited))
    assert plan.run == {"model.p.stg_customers", "model.p.dim_customers", "model.p.mv_daily"}
    # a project macro can be called by name at run time: a change to any of them changes every node
    edited = copy.deepcopy(manifest)
    edited["macros"]["macro.p.keyed"]["macro_sql"] = "{% macro keyed() %} clock_timestamp() {% endmacro %}"
    assert changes.plan(edited, inputs, built, relations(edited)).run == changes.plan(edited, inputs, {}, set()).run


def test_a_missing_relation_is_built_again(manifest):
    inputs = changes.Inputs(SOURCES, DATES)
    built = built_from_everything(manifest, inputs)
    plan = changes.plan(manifest, inputs, built, relations(manifest) - {("marts", "stg_orders")})
    assert plan.run == {"model.p.stg_orders"}


def test_a_node_that_failed_or_read_a_table_its_run_did_not_rebuild_runs_again(manifest):
    before = changes.Inputs(SOURCES, DATES)
    built = built_from_everything(manifest, before)
    after = changes.Inputs({**SOURCES, "orders": "11/0/0/x"}, DATES)
    # the refresh built fct_orders, then the orders changed again before mv_daily was built in a later step: it is
    # recorded as built from the fct_orders that was there, not from the one the new orders will give
    built.update(changes.built_fingerprints(manifest, after, built, {"model.p.fct_orders", "model.p.int_orders_view"}))
    later = changes.Inputs({**SOURCES, "orders": "12/0/0/y"}, DATES)
    built.update(changes.built_fingerprints(manifest, later, built, {"model.p.mv_daily"}))
    plan = changes.plan(manifest, later, built, relations(manifest))
    assert {"model.p.fct_orders", "model.p.mv_daily"} <= plan.run
    # and a test that failed (not recorded) runs again although nothing changed since
    inputs = changes.Inputs(SOURCES, DATES)
    built = changes.built_fingerprints(manifest, inputs, {}, set(manifest["nodes"]) - {"test.p.not_null_fct_orders_id"})
    plan = changes.plan(manifest, inputs, built, relations(manifest))
    assert not plan.run and plan.tests == {"test.p.not_null_fct_orders_id"}


def test_a_check_outside_dbt_passes_again_only_on_the_same_tables_and_rules():
    inputs = changes.Inputs(SOURCES, DATES)
    same = changes.check_fingerprint("suite v1", ["orders"], inputs)
    assert same == changes.check_fingerprint("suite v1", ["orders"], changes.Inputs(SOURCES, "2027-01-01"))
    assert same != changes.check_fingerprint("suite v2", ["orders"], inputs)
    moved = changes.Inputs({**SOURCES, "orders": "11/0/0/x"}, DATES)
    assert same != changes.check_fingerprint("suite v1", ["orders"], moved)
    assert changes.check_fingerprint("suite v1", ["customers"], inputs) == changes.check_fingerprint(
        "suite v1", ["customers"], moved
    )


def test_the_tables_a_node_reads_include_those_of_the_nodes_it_reads(manifest):
    assert changes.source_tables(manifest, ["model.p.mv_daily"]) == {"orders", "customers"}
    assert changes.source_tables(manifest, ["model.p.dim_dates"]) == set()
