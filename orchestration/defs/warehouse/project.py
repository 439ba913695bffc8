"""The dbt project as Dagster sees it: the manifest (prepared at load), the one translator, partitions and dbt args.

Everything here is either a pure function (unit-tested without dbt or a database) or runs when the definitions are
loaded, never when the module is imported.
"""

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtProject

from oltp.database import EMBEDDED_DATABASE, EMBEDDED_HOST, EMBEDDED_USER
from oltp.errors import WarehouseError
from oltp.settings import Settings, get_settings
from orchestration.dbt_runner import DBT_PROJECT_DIR, dbt_args, dbt_environment

# Dagster's own dbt artifacts, apart from `dbt/target` that the dbt runner and people at a shell use, one folder
# per database name (the manifest's relation names carry it).
DAGSTER_TARGET_PATH = Path("target") / "dagster"
# The folders and files whose change makes the manifest stale.
DBT_SOURCE_ENTRIES = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "snapshots", "tests", "analyses")
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

# Reporting relations must be at most this old; the hourly refresh keeps them well within it.
REPORTING_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=3), warn_window=timedelta(hours=2))

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
    built = manifest_path.stat().st_mtime
    for entry in DBT_SOURCE_ENTRIES:
        path = project_dir / entry
        if path.is_file() and path.stat().st_mtime > built:
            return True
        if path.is_dir():
            for root, _dirs, files in os.walk(path):
                if any(Path(root, name).stat().st_mtime > built for name in files):
                    return True
    return False


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
    manifest_path.parent.mkdir(parents=True, exist_ok=True)
    with open(manifest_path.parent / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
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


# -- dbt arguments and partitions --------------------------------------------------------------------------------
def window_vars(start: datetime | date, end: datetime | date) -> dict[str, str]:
    """The dbt vars for a partition time window [start, end): inclusive dates, as the models read them."""
    first = start.date() if isinstance(start, datetime) else start
    after = end.date() if isinstance(end, datetime) else end
    return {"start_date": first.isoformat(), "end_date": (after - timedelta(days=1)).isoformat()}


def dbt_build_args(variables: Mapping[str, object] | None = None) -> list[str]:
    """`dbt build` arguments; selection is added by dagster-dbt from the assets being materialised. dbt unit tests
    check the SQL's logic on fixed inputs, not the data, so they run in `make test` and full rebuilds, not in every
    refresh (as dbt recommends for production runs)."""
    args = ["build", "--exclude-resource-type", "unit_test"]
    if variables:
        args += ["--vars", json.dumps(dict(variables), sort_keys=True)]
    return args


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
@contextmanager
def dbt_connection(url: str, project: DbtProject) -> Iterator[None]:
    """Point dbt (and dagster-dbt's adapter) at ``url`` for the duration of one step.

    `dbt/profiles.yml` reads the `DBT_PG_*` variables, and dagster-dbt hands dbt the process environment; the
    invocation's artifacts go under `dbt/target/dagster`, where the prepared partial-parse state is.
    """
    values = {**dbt_environment(url), "DBT_TARGET_PATH": str(project.project_dir / project.target_path)}
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        prune_invocations(project.project_dir / project.target_path, KEPT_INVOCATIONS)


def keep_partial_parse(invocation_target: Path, project: DbtProject) -> None:
    """Make a successful invocation's parse state the one the next invocation starts from.

    dbt re-parses everything when the connection (host, port, user, database) differs from the one its saved state
    was parsed with, e.g. after the embedded server moved to another port; keeping the state of the last good run
    means only the first run after such a change pays for it. Runs with --vars are not kept: dbt re-parses whenever
    the vars change.
    """
    state = invocation_target / "partial_parse.msgpack"
    if not state.exists():
        return
    base = project.project_dir / project.target_path
    staged = base / f".partial_parse.{os.getpid()}.tmp"
    shutil.copyfile(state, staged)
    os.replace(staged, base / "partial_parse.msgpack")


def prune_invocations(target_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` per-invocation folders dagster-dbt leaves under ``target_dir``."""
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
