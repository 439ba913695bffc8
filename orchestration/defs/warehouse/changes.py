"""What a refresh must run: every dbt node's inputs as a fingerprint, against the inputs it was last built from.

A node's fingerprint hashes its definition (its SQL or seed file, config, documentation, the project's macros and
dbt's version), the fingerprints of the nodes it reads, the data versions of the sources it reads (the versions the
source observations record) and, for a node that reads the clock (`as_of_date`/`as_of_timestamp`, `now()`), the
organizations' business dates. `marts.built_from` keeps, per node, the fingerprint it was last built from. A refresh
runs

- the tables (and seeds and snapshots) whose fingerprint moved: their inputs changed since they were built;
- the views whose definition moved, and those on a table or view rebuilt in the same run (dbt swaps a rebuilt
  relation in and drops the old one with the views on it); a view on unchanged relations needs no run, its data is
  current by construction;
- the tests of every node whose fingerprint moved, the views' included;

and nothing at all when nothing changed. A node is recorded only once it was built (a test once it passed), with the
fingerprint of what it was built from: the inputs read before dbt started, and the recorded fingerprints of the
tables it read. So a failed node, or one whose inputs moved while it was built, runs again at the next refresh.

Everything here is plain Python on the dbt manifest (unit-tested without a database) except the three reads and the
one write at the end.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import text

from oltp.schemas import APP_SCHEMA, MARTS_SCHEMA, WAREHOUSE_SCHEMAS

BUILT_FROM = f"{MARTS_SCHEMA}.built_from"
# The project's macros that say what "today" is (macros/dates.sql); a node that calls one, or whose own SQL reads the
# clock, depends on the business dates.
CLOCK_MACROS = ("as_of_date", "as_of_timestamp")
READS_CLOCK = re.compile(r"\b(now\s*\(\s*\)|current_date|current_timestamp|localtimestamp)", re.IGNORECASE)
BUILT_NODES = ("model", "seed", "snapshot")
# Materializations that replace their relation when they run (create aside, swap, drop the old one with cascade).
REPLACED = ("table", "view")


@dataclass(frozen=True)
class Inputs:
    """What the warehouse is built from at one moment: each source table's data version and the business dates."""

    sources: Mapping[str, str]
    business_dates: str


@dataclass(frozen=True)
class RefreshPlan:
    """The nodes a refresh runs (models, seeds, snapshots), the tests it runs, and the fingerprints it decided on."""

    run: frozenset[str] = frozenset()
    tests: frozenset[str] = frozenset()
    fingerprints: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def empty(self) -> bool:
        return not self.run and not self.tests


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _relations(manifest: Mapping) -> dict[str, dict]:
    return {uid: node for uid, node in manifest["nodes"].items() if node["resource_type"] in (*BUILT_NODES, "test")}


def _materialized(node: Mapping) -> str:
    return node["config"].get("materialized") or node["resource_type"]


def _is_view(node: Mapping) -> bool:
    return node["resource_type"] == "model" and _materialized(node) == "view"


def definitions(manifest: Mapping) -> dict[str, str]:
    """Each node's own definition as a fingerprint: what dbt would build from it, whatever the data."""
    project = manifest["metadata"].get("project_name")
    macros = sorted(
        (uid, macro.get("macro_sql", "")) for uid, macro in manifest["macros"].items()
        if macro.get("package_name") == project
    )  # fmt: skip
    # A project macro can be called by name at run time (a materialization, an incremental strategy), which the
    # manifest's dependencies do not show: any change to one changes every node.
    shared = _digest(manifest["metadata"].get("dbt_version", ""), json.dumps(macros))
    defined = {}
    for uid, node in _relations(manifest).items():
        documented = {name: column.get("description", "") for name, column in node.get("columns", {}).items()}
        defined[uid] = _digest(
            shared,
            node.get("raw_code", ""),
            node.get("checksum", {}).get("checksum", ""),
            json.dumps(node.get("config", {}), sort_keys=True, default=str),
            json.dumps(node.get("test_metadata"), sort_keys=True, default=str),
            node.get("description", ""),
            json.dumps(documented, sort_keys=True),
        )
    return defined


def clock_readers(manifest: Mapping) -> set[str]:
    """The nodes whose result depends on the date: they call a clock macro (directly or through other macros) or
    read the clock in their own SQL."""
    macros = manifest["macros"]

    @cache
    def calls_clock(macro_id: str) -> bool:
        macro = macros.get(macro_id)
        if macro is None:
            return False
        if macro["name"] in CLOCK_MACROS and macro.get("package_name") == manifest["metadata"].get("project_name"):
            return True
        return any(calls_clock(called) for called in macro.get("depends_on", {}).get("macros", []))

    return {
        uid
        for uid, node in _relations(manifest).items()
        if READS_CLOCK.search(node.get("raw_code", ""))
        or any(calls_clock(called) for called in node.get("depends_on", {}).get("macros", []))
    }


def _topological(manifest: Mapping, nodes: Collection[str]) -> list[str]:
    order: list[str] = []
    seen: set[str] = set()
    for start in sorted(nodes):
        stack = [(start, False)]
        while stack:
            uid, expanded = stack.pop()
            if expanded:
                order.append(uid)
                continue
            if uid in seen:
                continue
            seen.add(uid)
            stack.append((uid, True))
            stack.extend((parent, False) for parent in manifest["parent_map"].get(uid, ()) if parent in nodes)
    return order


class _Fingerprinter:
    """Fingerprints of every node for given inputs; ``built`` (node -> fingerprint), when given, stands for what a
    table actually holds, so that a node is recorded with the fingerprints of the tables it read rather than of
    what they would hold once rebuilt."""

    def __init__(self, manifest: Mapping, inputs: Inputs) -> None:
        self.manifest = manifest
        self.nodes = _relations(manifest)
        self.order = _topological(manifest, self.nodes)
        self.definitions = definitions(manifest)
        self.clock = clock_readers(manifest)
        self.inputs = inputs

    def parent_value(self, parent: str, computed: Mapping[str, str], built: Mapping[str, str] | None) -> str:
        source = self.manifest["sources"].get(parent)
        if source is not None:
            version = self.inputs.sources.get(source["name"]) if source["schema"] == APP_SCHEMA else None
            return f"{parent}={version or 'unknown'}"
        node = self.nodes.get(parent)
        if node is None:
            return parent
        if built is not None and not _is_view(node):
            return f"{parent}={built.get(parent, 'never built')}"
        return f"{parent}={computed[parent]}"

    def fingerprint(self, uid: str, computed: Mapping[str, str], built: Mapping[str, str] | None) -> str:
        parents = sorted(self.manifest["parent_map"].get(uid, ()))
        return _digest(
            self.definitions[uid],
            *(self.parent_value(parent, computed, built) for parent in parents),
            f"business dates {self.inputs.business_dates}" if uid in self.clock else "",
        )


def fingerprints(manifest: Mapping, inputs: Inputs) -> dict[str, str]:
    """Every node's fingerprint once the warehouse is current with ``inputs``."""
    printer = _Fingerprinter(manifest, inputs)
    computed: dict[str, str] = {}
    for uid in printer.order:
        computed[uid] = printer.fingerprint(uid, computed, None)
    return computed


def plan(
    manifest: Mapping, inputs: Inputs, built: Mapping[str, str], existing: Collection[tuple[str, str]]
) -> RefreshPlan:
    """What a refresh runs, given what each node was last built from (``built``) and the relations that exist."""
    printer = _Fingerprinter(manifest, inputs)
    current: dict[str, str] = {}
    run: set[str] = set()
    tests: set[str] = set()
    for uid in printer.order:
        node = printer.nodes[uid]
        current[uid] = printer.fingerprint(uid, current, None)
        if node["resource_type"] == "test":
            if built.get(uid) != current[uid]:
                tests.add(uid)
            continue
        missing = (node["schema"], node.get("alias") or node["name"]) not in existing
        if _is_view(node):
            replaced_parent = any(
                parent in run and _materialized(printer.nodes[parent]) in REPLACED
                for parent in manifest["parent_map"].get(uid, ())
            )
            if missing or replaced_parent or built.get(uid) != printer.definitions[uid]:
                run.add(uid)
        elif missing or built.get(uid) != current[uid]:
            run.add(uid)
    return RefreshPlan(frozenset(run), frozenset(tests), current)


def built_fingerprints(
    manifest: Mapping, inputs: Inputs, built: Mapping[str, str], succeeded: Collection[str]
) -> dict[str, str]:
    """The fingerprints to record for ``succeeded`` nodes (built, or tests passed) of a dbt invocation that started
    with ``inputs``, on top of what was recorded before it (``built``): a table with the fingerprints of what it read.
    A view is recorded with its definition (its data follows its inputs)."""
    printer = _Fingerprinter(manifest, inputs)
    now_built = dict(built)
    computed: dict[str, str] = {}
    recorded: dict[str, str] = {}
    for uid in printer.order:
        computed[uid] = printer.fingerprint(uid, computed, now_built)
        if uid not in succeeded:
            continue
        value = printer.definitions[uid] if _is_view(printer.nodes[uid]) else computed[uid]
        recorded[uid] = now_built[uid] = value
    return recorded


def source_node(table: str) -> str:
    """The name under which `marts.built_from` keeps the data version of a source table the warehouse last read."""
    return f"source:{table}"


def sources_read(manifest: Mapping, inputs: Inputs, nodes: Iterable[str]) -> dict[str, str]:
    """What to record of the source tables ``nodes`` read: their data versions before they were built."""
    return {
        source_node(table): inputs.sources[table] for table in source_tables(manifest, nodes) if table in inputs.sources
    }


def check_fingerprint(definition: str, tables: Iterable[str], inputs: Inputs) -> str:
    """The fingerprint of a check outside dbt (a Great Expectations suite) on source ``tables``: its definition and
    their data versions. A suite that passed on the same fingerprint would pass again."""
    return _digest(definition, *(f"{table}={inputs.sources.get(table, 'unknown')}" for table in sorted(tables)))


def source_tables(manifest: Mapping, nodes: Iterable[str]) -> set[str]:
    """The `app` tables ``nodes`` read, directly or through other nodes."""
    tables: set[str] = set()
    seen: set[str] = set()
    stack = list(nodes)
    while stack:
        uid = stack.pop()
        if uid in seen:
            continue
        seen.add(uid)
        source = manifest["sources"].get(uid)
        if source is not None:
            if source["schema"] == APP_SCHEMA:
                tables.add(source["name"])
            continue
        stack.extend(manifest["parent_map"].get(uid, ()))
    return tables


# -- the database ------------------------------------------------------------------------------------------------
BUSINESS_DATES = text(
    f"select coalesce(string_agg(day, ',' order by day), '') from ("
    f" select distinct ((now() at time zone timezone)::date)::text as day from {APP_SCHEMA}.organizations) as days"
)


def read_inputs(conn) -> Inputs:
    """The sources' data versions (as observed) and the business dates, now."""
    from orchestration.defs.operational.assets import source_states

    versions = {name: state.version for name, state in source_states(conn).items()}
    return Inputs(versions, conn.execute(BUSINESS_DATES).scalar_one())


def read_built(conn) -> dict[str, str]:
    """What each node was last built from (nothing, before the first refresh)."""
    if conn.execute(text("select to_regclass(:name)"), {"name": BUILT_FROM}).scalar() is None:
        return {}
    return dict(conn.execute(text(f"select node, fingerprint from {BUILT_FROM}")).all())


def existing_relations(conn) -> set[tuple[str, str]]:
    rows = conn.execute(
        text(
            "select namespace.nspname, class.relname from pg_class as class"
            " inner join pg_namespace as namespace on namespace.oid = class.relnamespace"
            " where class.relkind in ('r', 'v', 'm', 'p') and namespace.nspname = any(:schemas)"
        ),
        {"schemas": list(WAREHOUSE_SCHEMAS)},
    )
    return {(schema, name) for schema, name in rows}


def record_built(conn, recorded: Mapping[str, str]) -> None:
    """Upsert what ``recorded`` nodes were built from (in the caller's transaction)."""
    if not recorded:
        return
    conn.execute(text(f"create schema if not exists {MARTS_SCHEMA}"))
    conn.execute(
        text(
            f"create table if not exists {BUILT_FROM} (node text primary key, fingerprint text not null,"
            " built_at timestamptz not null default now())"
        )
    )
    conn.execute(
        text(
            f"insert into {BUILT_FROM} (node, fingerprint)"
            " select * from unnest(cast(:nodes as text[]), cast(:fingerprints as text[]))"
            " on conflict (node) do update set fingerprint = excluded.fingerprint, built_at = now()"
        ),
        {"nodes": list(recorded), "fingerprints": list(recorded.values())},
    )
