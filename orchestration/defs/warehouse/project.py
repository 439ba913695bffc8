"""The dbt project as Dagster sees it: the manifest (prepared at load), the one translator, partitions and dbt args.

Everything here is either a pure function (unit-tested without dbt or a database) or runs when the definitions are
loaded, never when the module is imported.
"""

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtProject

from oltp.database import EMBEDDED_DATABASE, EMBEDDED_HOST, EMBEDDED_USER
from oltp.errors import WarehouseError
from oltp.settings import Settings, get_settings
from orchestration.dbt_runner import DBT_PROJECT_DIR, dbt_args, dbt_environment
from orchestration.defs.warehouse.worker import DAGSTER_TARGET_PATH, newest_source_change, parse_lock

# dbt invocations Dagster keeps (run_results.json, logs) for debugging; older ones are deleted.
KEPT_INVOCATIONS = 20

# Daily partitions of the incremental reporting relations. The relations themselves cover every day from each
# organization's first day; a partition only names a day whose slices a run rebuilds on top of the changed ones,
# so days before this date are still built (and kept current by the relations' change detection).
PARTITIONS_START = "2025-01-01"
DAILY_PARTITIONS = dg.DailyPartitionsDefinition(start_date=PARTITIONS_START, end_offset=1)
REPORTING_FOLDER = "reporting"
DAILY_RELATIONS_SELECT = f"path:models/{REPORTING_FOLDER},config.materialized:incremental"

# The hourly refresh and the source sensor rebuild today, yesterday and the day before (late arrivals and
# organizations whose local day lags UTC); the nightly run re-runs a month, for changes that arrive late.
RECENT_DAYS = 3
TRAILING_DAYS = 31

# Reporting relations are rebuilt when what they are built from changes (within the hour), and in any case each
# business day (they read the date) and each night: one not rebuilt for longer than a day says a refresh is failing.
# Dagster counts materializations only, so a window of hours would flag every quiet night.
REPORTING_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=26), warn_window=timedelta(hours=25))

# The dbt resource types that are assets (tests are checks on them).
BUILT = ("model", "seed", "snapshot")

_DEFAULT_OWNERS = {
    "staging": "team:data-engineering",
    "intermediate": "team:data-engineering",
    "seeds": "team:data-engineering",
    "snapshots": "team:data-engineering",
    "marts": "team:analytics-engineering",
    "reporting": "team:analytics-engineering",
}


class ManifestError(WarehouseError):
    """The dbt manifest could not be prepared."""


# -- the manifest ------------------------------------------------------------------------------------------------
def manifest_is_stale(project_dir: Path, manifest_path: Path) -> bool:
    """True when the manifest is missing or older than any file of the dbt project it was parsed from."""
    if not manifest_path.exists():
        return True
    return newest_source_change(project_dir) > manifest_path.stat().st_mtime


def prepare_manifest(project: DbtProject, environment: Mapping[str, str]) -> Path:
    """Run `dbt parse` when the manifest is stale, once at a time across processes; returns the manifest path.

    A fresh clone has no manifest, and the dbt project changes under a running Dagster during development, so the
    definitions parse it themselves (partial parsing keeps a re-parse to a few seconds). ``environment`` holds the
    `DBT_PG_*` values of the database (parsing never connects). When a re-parse fails but an older manifest exists,
    the older one is used and the error is logged.
    """
    manifest_path = project.manifest_path
    if not manifest_is_stale(project.project_dir, manifest_path):
        return manifest_path
    with parse_lock(manifest_path.parent):
        if not manifest_is_stale(project.project_dir, manifest_path):
            return manifest_path
        env = {**os.environ, **environment, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        dbt = Path(sys.executable).parent / "dbt"
        result = subprocess.run(
            [str(dbt), *dbt_args("parse", extra=["--quiet", "--target-path", str(project.target_path)])],
            cwd=project.project_dir,
            env=env,
            capture_output=True,
            text=True,
        )
    if result.returncode != 0:
        detail = (result.stdout + result.stderr).strip().splitlines()
        reason = detail[-1] if detail else f"exit code {result.returncode}"
        if manifest_path.exists():
            dg.get_dagster_logger().warning(f"dbt parse failed, using the previous manifest: {reason}")
            return manifest_path
        raise ManifestError(f"dbt parse failed in {project.project_dir}: {reason}; run `dbt parse` there to see why")
    return manifest_path


def parse_url(settings: Settings) -> str:
    """The database URL as far as `dbt parse` needs it, without starting the embedded server or connecting."""
    if settings.database_url:
        return settings.database_url
    return f"postgresql://{EMBEDDED_USER}@{EMBEDDED_HOST}:{settings.pg_port}/{EMBEDDED_DATABASE}"


def warehouse_dbt_project() -> DbtProject:
    """The dbt project in `dbt/` with an up-to-date manifest for the configured database."""
    return _dbt_project(parse_url(get_settings()))


@cache
def _dbt_project(url: str) -> DbtProject:
    environment = dbt_environment(url)
    target_path = DAGSTER_TARGET_PATH / environment["DBT_PG_DBNAME"]
    project = DbtProject(project_dir=DBT_PROJECT_DIR, target_path=target_path)
    prepare_manifest(project, environment)
    return project


def load_manifest(project: DbtProject) -> dict[str, Any]:
    return json.loads(project.manifest_path.read_text())


# -- keys, groups and specs --------------------------------------------------------------------------------------
def dbt_folders(props: Mapping[str, Any]) -> tuple[str, ...]:
    """The folders a dbt node sits in under its resource path: ('marts', 'crm') for models/marts/crm/x.sql.

    Seeds and snapshots are named by their resource type, so they never collide with a model folder.
    """
    resource_type = props["resource_type"]
    if resource_type == "model":
        return tuple(props["fqn"][1:-1])
    return (f"{resource_type}s",)


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """Keys, groups, owners and descriptions of every dbt node, decided by its folder (never by its name).

    - key: [layer, name], e.g. ["marts", "fct_orders"]; sources: [source, table], e.g. ["app", "orders"], the keys
      of the observable source assets;
    - group: the domain folder for marts (crm, orders, ...), otherwise the layer (staging, intermediate,
      reporting, seeds, snapshots);
    - owners: `meta.owner` when the model sets one, otherwise the team that owns the layer;
    - reporting relations carry a freshness policy.
    """

    def __init__(self) -> None:
        super().__init__(DagsterDbtTranslatorSettings(enable_asset_checks=True, enable_code_references=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return dg.AssetKey([dbt_folders(dbt_resource_props)[0], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return "operational"
        folders = dbt_folders(dbt_resource_props)
        if folders[0] == "marts" and len(folders) > 1:
            return folders[1]
        return folders[0]

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        described = (dbt_resource_props.get("description") or "").strip()
        if described:
            return described
        materialized = dbt_resource_props.get("config", {}).get("materialized", dbt_resource_props["resource_type"])
        return f"dbt {materialized} `{dbt_resource_props['name']}` (not yet described in its YAML)."

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> Sequence[str] | None:
        owner = (dbt_resource_props.get("config", {}).get("meta") or dbt_resource_props.get("meta") or {}).get("owner")
        if owner:
            return [owner]
        if dbt_resource_props["resource_type"] == "source":
            return None
        return [_DEFAULT_OWNERS.get(dbt_folders(dbt_resource_props)[0], "team:data-engineering")]

    def get_metadata(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, Any]:
        meta = dbt_resource_props.get("config", {}).get("meta") or {}
        extra = {f"dbt/{name}": str(value) for name, value in meta.items() if name in ("grain", "refresh")}
        return {**super().get_metadata(dbt_resource_props), **extra}

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if spec.key.path[0] == REPORTING_FOLDER:
            return spec.replace_attributes(freshness_policy=REPORTING_FRESHNESS)
        return spec


@dataclass(frozen=True)
class DbtKeys:
    """dbt's unique ids against Dagster's keys: each model, seed and snapshot's asset, each test's asset check."""

    asset_of_node: Mapping[str, dg.AssetKey]
    check_of_node: Mapping[str, dg.AssetCheckKey]

    @cached_property
    def node_of_asset(self) -> dict[dg.AssetKey, str]:
        return {key: uid for uid, key in self.asset_of_node.items()}

    @cached_property
    def node_of_check(self) -> dict[dg.AssetCheckKey, str]:
        return {key: uid for uid, key in self.check_of_node.items()}


def dbt_keys(manifest: Mapping[str, Any]) -> DbtKeys:
    """The keys the translator gives every node; a test is a check named after it on the node it is attached to
    (a generic test's model, or a singular test's only parent), as dagster-dbt names it."""
    translator = WarehouseDbtTranslator()
    nodes = manifest["nodes"]
    assets = {uid: translator.get_asset_key(node) for uid, node in nodes.items() if node["resource_type"] in BUILT}
    checks = {}
    for uid, node in nodes.items():
        if node["resource_type"] != "test":
            continue
        parents = node["depends_on"]["nodes"]
        attached = node.get("attached_node") or (parents[0] if len(parents) == 1 else None)
        if attached in assets:
            checks[uid] = dg.AssetCheckKey(assets[attached], node["name"])
    return DbtKeys(assets, checks)


# -- dbt arguments and partitions --------------------------------------------------------------------------------
def window_vars(start: datetime | date, end: datetime | date) -> dict[str, str]:
    """The dbt vars for a partition time window [start, end): inclusive dates, as the models read them."""
    first = start.date() if isinstance(start, datetime) else start
    after = end.date() if isinstance(end, datetime) else end
    return {"start_date": first.isoformat(), "end_date": (after - timedelta(days=1)).isoformat()}


def dbt_build_args(
    selectors: Sequence[str], target_path: Path, variables: Mapping[str, object] | None = None
) -> list[str]:
    """`dbt build` of exactly the ``selectors`` (models, seeds, snapshots and tests; no test comes along with its
    model), its artifacts under ``target_path``. dbt unit tests check the SQL's logic on fixed inputs, not the data,
    so they run in `make test` and full rebuilds, not in every refresh (as dbt recommends for production runs)."""
    if not selectors:
        raise ValueError("a dbt build with no selector would build the whole project")
    options = ["--indirect-selection", "empty", "--exclude-resource-type", "unit_test"]
    # dbt's full log goes to the invocation's folder; the run's own log gets its warnings and errors (each node's
    # outcome is an event of the run)
    paths = ["--target-path", str(target_path), "--log-path", str(target_path)]
    levels = ["--log-level", "warn", "--log-level-file", "debug"]
    return dbt_args("build", select=selectors, variables=variables, extra=[*options, *paths, *levels])


def node_selectors(manifest: Mapping[str, Any], unique_ids: Iterable[str]) -> list[str]:
    """dbt selectors naming exactly these nodes (their fully qualified names are unique in the project)."""
    return sorted(f"fqn:{'.'.join(manifest['nodes'][uid]['fqn'])}" for uid in unique_ids)


def recent_partition_keys(now: datetime, days: int, first_key: str = PARTITIONS_START) -> tuple[str, str]:
    """(first, last) daily partition keys of the ``days`` days ending today (UTC), never before the first key."""
    today = now.date() if isinstance(now, datetime) else now
    start = max(today - timedelta(days=days - 1), date.fromisoformat(first_key))
    return start.isoformat(), today.isoformat()


# Run tags that make one run cover a range of partitions (what a single-run backfill sets).
PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"


def partition_range_tags(first: str, last: str) -> dict[str, str]:
    return {PARTITION_RANGE_START_TAG: first, PARTITION_RANGE_END_TAG: last}


# -- running dbt -------------------------------------------------------------------------------------------------
def prune_invocations(target_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` per-invocation folders under ``target_dir``."""
    folders = sorted((p for p in target_dir.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    removed = folders[keep:]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def relation_keys(manifest: Mapping[str, Any]) -> dict[tuple[str, str], dg.AssetKey]:
    """(schema, relation name) -> asset key, for every dbt source, model, seed and snapshot in the manifest."""
    translator = WarehouseDbtTranslator()
    keys = {}
    for props in [*manifest["sources"].values(), *manifest["nodes"].values()]:
        if props["resource_type"] in ("source", "model", "seed", "snapshot"):
            name = props.get("identifier") or props.get("alias") or props["name"]
            keys[(props["schema"], name)] = translator.get_asset_key(props)
    return keys
