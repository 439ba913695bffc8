"""A refresh as Dagster sees it: the assets and checks of what changed since the warehouse was built (changes.py).

The selection is decided before the run starts, as Dagster's own automation decides what to materialize, so the run
holds only what it will do: a step whose upstream assets are not selected waits for nothing. It holds the dbt models
and tests of the plan, the source suites (the gate) whose tables changed since they last passed, the reporting
suites of the relations it rebuilds, and the observation of every source these read whose data version moved since
the warehouse last read it. Nothing changed: an empty selection, and no run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import dagster as dg

from oltp.database import get_engine
from orchestration.defs.operational.assets import OPERATIONAL_TABLES, source_key
from orchestration.defs.warehouse import changes
from orchestration.defs.warehouse.project import dbt_keys, load_manifest, warehouse_dbt_project
from orchestration.quality import REPORTING_SUITES, SOURCE_SUITES, passed_fingerprint, passed_node, source_tables

GX_CHECK = "gx_suite"


@dataclass(frozen=True)
class RefreshSelection:
    plan: changes.RefreshPlan
    assets: frozenset[dg.AssetKey] = frozenset()
    checks: frozenset[dg.AssetCheckKey] = frozenset()

    @property
    def empty(self) -> bool:
        return self.plan.empty

    def describe(self) -> str:
        """One line for a run request's tags and a build's summary."""
        if self.empty:
            return "nothing changed since the last build"
        return f"{len(self.plan.run)} dbt nodes and {len(self.plan.tests)} tests whose inputs changed"


def select(
    manifest: Mapping, plan: changes.RefreshPlan, inputs: changes.Inputs, built: Mapping[str, str]
) -> RefreshSelection:
    """The Dagster selection of ``plan``."""
    if plan.empty:
        return RefreshSelection(plan)
    keys = dbt_keys(manifest)
    assets = {keys.asset_of_node[uid] for uid in plan.run}
    checks = {keys.check_of_node[uid] for uid in plan.tests if uid in keys.check_of_node}
    read = {
        table
        for table in changes.source_tables(manifest, plan.run | plan.tests)
        if built.get(changes.source_node(table)) != inputs.sources.get(table)
    }
    for suite in SOURCE_SUITES:
        if built.get(passed_node(suite)) != passed_fingerprint(suite, inputs):
            checks.add(dg.AssetCheckKey(source_key(suite.table), GX_CHECK))
            read |= source_tables(suite)
    assets |= {source_key(table) for table in read if table in OPERATIONAL_TABLES}
    for suite in REPORTING_SUITES:
        relation = dg.AssetKey([suite.schema, suite.table])
        if relation in assets:
            checks.add(dg.AssetCheckKey(relation, GX_CHECK))
    return RefreshSelection(plan, frozenset(assets), frozenset(checks))


def refresh_selection(url: str) -> RefreshSelection:
    """What a refresh of the warehouse at ``url`` runs now (three reads of the database)."""
    manifest = load_manifest(warehouse_dbt_project())
    with get_engine(url).connect() as conn:
        inputs = changes.read_inputs(conn)
        built = changes.read_built(conn)
        existing = changes.existing_relations(conn)
    plan = changes.plan(manifest, inputs, built, existing)
    return select(manifest, plan, inputs, built)
