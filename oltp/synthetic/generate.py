"""`warehouse generate`: fill every table of `app` for several organizations.

Rows go table after table with binary COPY. Into an empty database the whole run is one transaction (loaded as
pg_restore loads a dump: see `_load_empty_database`); otherwise each organization is its own. A failure rolls back
that transaction whole, so no organization is ever half-written. Values are decided by numpy random streams seeded per
(seed, organization, purpose): the same seed, scale, start and days give identical table contents.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from oltp.errors import WarehouseError
from oltp.schemas import APP_SCHEMA, app_tables
from oltp.synthetic.context import Loader, OrgContext, release_memory
from oltp.synthetic.domains import (
    analytics,
    catalog,
    crm,
    engagement,
    financial,
    identity,
    jobs,
    orders,
    purchasing,
    service,
    timeline,
)
from oltp.synthetic.scales import SCALES, Scale, org_profiles

# The order respects foreign keys: every row's parents are written before it.
PIPELINE: list[tuple[str, Callable[[OrgContext], None]]] = [
    ("organization", identity.organization),
    ("people", identity.people),
    ("service levels", catalog.calendars_and_service_levels),
    ("suppliers and warranty policies", catalog.suppliers_and_policies),
    ("products and locations", catalog.products_and_locations),
    ("customer plan", crm.plan_customers_and_orders),
    ("customers", crm.customers),
    ("campaigns", engagement.campaigns),
    ("order plan", orders.plan),
    ("pipeline", crm.pipeline),
    ("orders", orders.emit),
    ("receivables and revenue", financial.emit),
    ("jobs", jobs.emit),
    ("service and warranty", service.emit),
    ("purchasing and stock", purchasing.emit),
    ("messages", engagement.messages),
    ("timeline", timeline.emit),
    ("analytics", analytics.emit),
]

# What steps leave in ctx.store for later steps, dropped after the last step that reads it: the largest
# organizations then fit in memory.
LAST_READ_BY = {"purchasing and stock": ("jobs", "job_materials", "warranties", "issues")}


class GenerateError(WarehouseError):
    """Bad input to `warehouse generate`, or a generation that failed and was rolled back."""


@dataclass
class GenerateResult:
    scale: str
    seed: int
    start: date
    days: int
    organizations: list[str]
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def order_lines(self) -> int:
        return self.rows.get("order_line_items", 0)


def resolve_window(scale: Scale, start: date | str | None, days: int | None) -> tuple[date, int]:
    days = scale.days if days is None else days
    if days <= 0:
        raise GenerateError(f"--days must be a positive number of days, got {days}")
    if isinstance(start, str):
        try:
            start = date.fromisoformat(start)
        except ValueError:
            raise GenerateError(f"--start {start!r} is not a date; use YYYY-MM-DD") from None
    if start is None:
        start = date.today() - timedelta(days=days)
    if start + timedelta(days=days) > date.today() + timedelta(days=1):
        raise GenerateError(
            f"--start {start} with --days {days} ends in the future; generated history must end by today"
        )
    return start, days


def get_scale(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        raise GenerateError(f"unknown scale {name!r}; choose one of: {', '.join(SCALES)}") from None


def generate(
    url: str,
    scale: str = "demo",
    *,
    organizations: int | None = None,
    seed: int = 1,
    start: date | str | None = None,
    days: int | None = None,
    replace: bool = False,
    check_keys: bool = False,
    on_rows: Callable[[str, int, float], None] | None = None,
    on_organization: Callable[[str], None] | None = None,
) -> GenerateResult:
    import psycopg
    import pyarrow as pa

    from oltp.migrate import alembic_url

    chosen = get_scale(scale)
    if organizations is not None and organizations <= 0:
        raise GenerateError(f"--orgs must be at least 1, got {organizations}")
    start, days = resolve_window(chosen, start, days)
    profiles = org_profiles(chosen, organizations or chosen.organizations, seed)
    libpq = alembic_url(url).replace("postgresql+psycopg://", "postgresql://", 1)
    started = time.perf_counter()
    with psycopg.connect(libpq) as conn:
        _check_schema(conn)
        slugs = [p.slug for p in profiles]
        existing = [row[0] for row in conn.execute("select slug from app.organizations where slug = any(%s)", (slugs,))]
        if existing and not replace:
            raise GenerateError(
                f"organization(s) {', '.join(sorted(existing))} already have data; "
                "pass --replace to delete and regenerate them, or choose another --seed"
            )
        conn.commit()
        role_ids = dict(conn.execute("select name, id from app.roles").fetchall())
        superuser = conn.execute("select rolsuper from pg_roles where rolname = current_user").fetchone()[0]
        fast = superuser and not check_keys
        into_empty = fast and _no_organizations(conn)
        loader = Loader(conn, on_rows, background=True)
        # Arrow's default allocator keeps memory it freed; the system one hands it back in release_memory().
        pa.set_memory_pool(pa.system_memory_pool())
        conn.commit()  # each transaction below is a transaction of its own, not a savepoint of this one

        def make(profile) -> None:
            loader.organization = profile.slug
            if on_organization:
                on_organization(profile.slug)
            context = OrgContext(
                loader=loader,
                profile=profile,
                scale=chosen,
                seed=seed,
                start=start,
                days=days,
                organizations=len(profiles),
            )
            context.store["role_ids"] = role_ids
            for step, produce in PIPELINE:
                loader.step = step
                produce(context)
                for key in LAST_READ_BY.get(step, ()):
                    context.store.pop(key, None)
                release_memory()

        if into_empty:
            _load_empty_database(conn, loader, profiles, make)
        else:
            for profile in profiles:
                loader.step = "start"
                try:
                    with _transaction(conn, loader):
                        if replace:
                            conn.execute("delete from app.organizations where slug = %s", (profile.slug,))
                        if fast:
                            # Rows are consistent by construction (and checked with keys on in the test suite):
                            # skip per-row foreign-key triggers while bulk loading, as pg_restore does.
                            conn.execute("set local session_replication_role = replica")
                        make(profile)
                        loader.sync_sequences()
                except psycopg.Error as error:
                    raise _failure(loader, error, "that organization was rolled back, organizations before it are "
                                   "complete") from None  # fmt: skip
    _analyze(libpq)
    return GenerateResult(
        scale=chosen.name,
        seed=seed,
        start=start,
        days=days,
        organizations=[p.slug for p in profiles],
        rows=dict(loader.rows),
        seconds=time.perf_counter() - started,
    )


def _load_empty_database(conn, loader: Loader, profiles, make: Callable) -> None:
    """Load every organization into an empty schema in one transaction, the way pg_restore loads a dump.

    The empty tables are truncated first, so their files are new in this transaction: PostgreSQL then writes their
    rows with `COPY ... FREEZE` (already frozen and all-visible, so nothing rewrites them later to set hint bits or
    freeze them), and, on a server with ``wal_level = minimal`` such as the embedded one, writes neither them nor
    their indexes to the write-ahead log (it syncs the files at commit instead). The plain indexes are dropped and
    built again, sorted, after the last organization. A failure rolls the whole run back: the database is left
    empty, as it was.
    """
    import psycopg

    try:
        with _transaction(conn, loader):
            conn.execute("set local session_replication_role = replica")  # see the per-organization path
            loader.freeze = _truncate_empty_tables(conn)
            deferred = _drop_plain_indexes(conn)
            for profile in profiles:
                loader.step = "start"
                make(profile)
            loader.organization, loader.step = "", "indexes"
            for definition in deferred:
                loader.conn.execute(definition)
            loader.sync_sequences()
    except psycopg.Error as error:
        raise _failure(loader, error, "the run, which loads an empty database in one transaction, was rolled "
                       "back whole: the database is empty again") from None  # fmt: skip
    finally:
        loader.freeze = frozenset()


@contextmanager
def _transaction(conn, loader: Loader) -> Iterator[None]:
    """A transaction whose queued slices are dropped, not written after the rollback, when its body fails."""
    with conn.transaction():
        try:
            yield
        except BaseException:
            loader.abandon()
            raise


def _failure(loader: Loader, error: Exception, outcome: str) -> GenerateError:
    # A write fails on the writer thread while later steps (or organizations) are being made: name what made it.
    step = loader.failed_step or loader.step
    slug = loader.failed_organization or loader.organization
    loader.forget_ids()
    message = str(error).splitlines()[0]
    where = f"for organization {slug} at step '{step}'" if slug else "building the indexes after the last organization"
    return GenerateError(f"generation failed {where}: {message}; {outcome}")


def _analyze(libpq: str, connections: int = 2) -> None:
    """Refresh the planner's statistics of every `app` table, largest first, on ``connections`` connections at once:
    each ANALYZE uses one core, and the largest tables take most of the time."""
    import psycopg

    try:
        with psycopg.connect(libpq, autocommit=True) as conn:
            tables = app_tables(conn, largest_first=True)
    except psycopg.Error as error:
        raise GenerateError(f"the data is loaded, but ANALYZE failed: {str(error).splitlines()[0]}") from None
    pending = queue.SimpleQueue()
    for name in tables:
        pending.put(name)
    failures: list[BaseException] = []

    def work() -> None:
        try:
            with psycopg.connect(libpq, autocommit=True) as conn:
                while True:
                    try:
                        name = pending.get_nowait()
                    except queue.Empty:
                        return
                    conn.execute(f"analyze {APP_SCHEMA}.{name}")
        except BaseException as error:  # raised on the calling thread below
            failures.append(error)

    workers = [threading.Thread(target=work, name=f"analyze-{n}", daemon=True) for n in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise GenerateError(f"the data is loaded, but ANALYZE failed: {str(failures[0]).splitlines()[0]}")


def _no_organizations(conn) -> bool:
    return not conn.execute("select exists (select from app.organizations)").fetchone()[0]


def _truncate_empty_tables(conn) -> frozenset[str]:
    """Truncate the `app` tables that hold no rows (all but the roles and permissions a migration wrote), giving
    them new, empty files; returns their names.

    Every `app` table is locked first (until the run commits: sessions that read them wait), so no row another
    session writes can arrive between the check and the truncation; and the database must still have no
    organization once they are locked."""
    tables = app_tables(conn)
    conn.execute(f"lock table {', '.join(f'{APP_SCHEMA}.{t}' for t in tables)} in access exclusive mode")
    if not _no_organizations(conn):
        raise GenerateError("another session added organizations while this run started; run it again")
    empty = [t for t in tables if not conn.execute(f"select exists (select from {APP_SCHEMA}.{t})").fetchone()[0]]
    if empty:
        conn.execute("truncate " + ", ".join(f"{APP_SCHEMA}.{t}" for t in empty))
    return frozenset(empty)


def _drop_plain_indexes(conn) -> list[str]:
    """Drop the indexes no constraint owns and return their definitions, to build them again once the rows are
    loaded, in the same transaction: a sorted build is cheaper than maintaining them row by row. The indexes of
    primary keys and unique constraints stay, so those keys are checked as rows arrive; the few unique indexes
    dropped here check theirs when they are built again."""
    rows = conn.execute(
        """select quote_ident(n.nspname) || '.' || quote_ident(c.relname), pg_get_indexdef(i.indexrelid)
           from pg_index i
           join pg_class c on c.oid = i.indexrelid
           join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = %s
             and not exists (select from pg_constraint k where k.conindid = i.indexrelid)
           order by 1""",
        (APP_SCHEMA,),
    ).fetchall()
    for name, _ in rows:
        conn.execute(f"drop index {name}")
    conn.execute("set local maintenance_work_mem = '256MB'")
    return [definition for _, definition in rows]


def _check_schema(conn) -> None:
    present = conn.execute("select to_regclass('app.organizations') is not null").fetchone()[0]
    if not present:
        raise GenerateError("the operational schema is not there yet; run `warehouse migrate` first")
