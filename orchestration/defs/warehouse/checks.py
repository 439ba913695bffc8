"""Great Expectations suites on every reporting relation, run as blocking asset checks after it is rebuilt.

The dbt tests are asset checks too; dagster-dbt attaches them to their models (see assets.py).
"""

import dagster as dg

from orchestration.defs.warehouse.project import load_manifest, relation_keys, warehouse_dbt_project
from orchestration.quality import REPORTING_SUITES, suite_check


@dg.definitions
def defs() -> dg.Definitions:
    keys = relation_keys(load_manifest(warehouse_dbt_project()))
    return dg.Definitions(
        asset_checks=[
            suite_check(
                suite,
                keys[(suite.schema, suite.table)],
                blocking=True,
                additional_deps=[keys[relation] for relation in suite.reads if relation in keys],
            )
            for suite in REPORTING_SUITES
        ]
    )
