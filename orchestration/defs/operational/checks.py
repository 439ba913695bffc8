"""The quality gate on the key source tables: Great Expectations suites run before dbt, and block it when they fail.

The checks are blocking, and the dbt step depends on these tables, so a failed rule (e.g. an order whose totals no
longer equal its lines) stops the run before any model is rebuilt: the reporting relations keep their last good data.
"""

import dagster as dg

from oltp.schemas import APP_SCHEMA
from orchestration.defs.operational.assets import source_key
from orchestration.quality import SOURCE_SUITES, suite_check


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        asset_checks=[
            suite_check(
                suite,
                source_key(suite.table),
                blocking=True,
                additional_deps=[source_key(table) for schema, table in suite.reads if schema == APP_SCHEMA],
                remember_pass=True,
            )
            for suite in SOURCE_SUITES
        ]
    )
