"""Dagster entry point: the `orchestration/defs/<domain>/` folders, with resources configured from the environment."""

from pathlib import Path

import dagster as dg

from orchestration.resources import warehouse_resources


@dg.definitions
def defs() -> dg.Definitions:
    # One process runs a run's steps in order: dbt parallelises inside its own step, and each step process would
    # otherwise load the definitions (and Great Expectations) again.
    return dg.Definitions.merge(
        dg.load_from_defs_folder(path_within_project=Path(__file__).parent),
        dg.Definitions(resources=warehouse_resources(), executor=dg.in_process_executor),
    )
