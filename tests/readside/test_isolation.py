"""Tenant isolation is the database's: whatever the read side asks as `warehouse_reader`, it gets zero rows of
another organization (issue #16).

Everything runs against the real `tiny` warehouse (two organizations, dbt-built), as the reader through the read
side's own engine and `scoped` transactions, and is checked against what the owner (a superuser, who sees every
row) counts. The reader's reach is taken from the catalog, not from a list in this file, so a relation granted to
it later is checked too.
"""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError, InvalidRequestError

from oltp.reader import ORGANIZATION_SETTING, READER_ROLE, READER_WRITABLE_TABLES, USER_SETTING, reader_url
from readside.database import Scope, scoped, unscoped
from readside.semantic import ReportDefinitionError, run_custom_report

REPORTING = ("mv_daily_metrics", "mv_daily_pipeline", "mv_daily_warranty", "mv_daily_jobs", "mv_current_state",
             "target_attainment")  # fmt: skip
FACTS = ("fct_orders", "fct_order_lines", "fct_jobs", "fct_opportunities", "fct_warranty_claims")
MARKER = "rls-test"  # every row these tests write carries it, and is deleted after the module
INSUFFICIENT_PRIVILEGE = "42501"
RLS_REFUSED = "new row violates row-level security policy"

# Every relation the reader holds any privilege on (tables, views, materialized views, partitioned and foreign
# tables, in every schema but the system catalogs), with its privileges and whether it has organization_id.
REACHABLE = """
    select c.oid::bigint, n.nspname, c.relname, c.relkind::text, c.relrowsecurity, c.relforcerowsecurity,
           array(select p from unnest(array['select', 'insert', 'update', 'delete', 'truncate', 'references',
                                            'trigger']) p
                 where has_table_privilege(r.oid, c.oid, p)) as privileges,
           has_any_column_privilege(r.oid, c.oid, 'select, insert, update, references') as any_column,
           exists (select 1 from pg_attribute a
                   where a.attrelid = c.oid and a.attname = 'organization_id' and not a.attisdropped) as tenant,
           exists (select 1 from pg_policy p
                   where p.polrelid = c.oid and (0 = any(p.polroles) or r.oid = any(p.polroles))) as reader_policy
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    cross join pg_roles r
    where r.rolname = %s
      and c.relkind in ('r', 'v', 'm', 'p', 'f')
      and n.nspname not in ('pg_catalog', 'information_schema')
      and (has_table_privilege(r.oid, c.oid, 'select, insert, update, delete, truncate, references, trigger')
           or has_any_column_privilege(r.oid, c.oid, 'select, insert, update, references'))
    order by 2, 3
"""


# -- fixtures --------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def owner(tiny_warehouse):
    """The owner's connection (a superuser: sees every row), autocommit."""
    with psycopg.connect(tiny_warehouse, autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="module")
def reader_dsn(tiny_warehouse) -> str:
    """The reader's URL for psycopg itself (statements the read side never sends, sent anyway)."""
    return reader_url(tiny_warehouse).replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(scope="module")
def reachable(owner) -> dict[str, dict]:
    """'schema.relation' -> what the catalog says of it, for every relation the reader holds a privilege on."""
    rows = owner.execute(REACHABLE, (READER_ROLE,)).fetchall()
    columns = (
        "oid",
        "schema",
        "name",
        "kind",
        "rls",
        "forced",
        "privileges",
        "any_column",
        "tenant",
        "reader_policy",
    )
    return {f"{row[1]}.{row[2]}": dict(zip(columns, row, strict=True)) for row in rows}


@pytest.fixture(scope="module")
def readable(reachable) -> list[str]:
    """The relations the reader may SELECT from."""
    return [name for name, info in reachable.items() if "select" in info["privileges"]]


@pytest.fixture(scope="module")
def orgs(owner) -> tuple[int, int]:
    """Two organizations, A and B, both with orders."""
    found = [row[0] for row in owner.execute("select organization_id from marts.fct_orders group by 1 order by 1")]
    assert len(found) >= 2, found
    return found[0], found[1]


@pytest.fixture(scope="module")
def people(owner, orgs) -> dict[str, int]:
    """Active users: a1 and a2 of organization A, b1 of B."""
    a, b = orgs
    query = (
        "select id from app.users where organization_id = %s and status = 'active' and deleted_at is null order by id"
    )
    of_a = [row[0] for row in owner.execute(query, (a,))]
    of_b = [row[0] for row in owner.execute(query, (b,))]
    assert len(of_a) >= 2 and of_b
    return {"a1": of_a[0], "a2": of_a[1], "b1": of_b[0]}


def _insert(conn, table: str, values: dict) -> int:
    statement = sql.SQL("insert into app.{} ({}) values ({}) returning id").format(
        sql.Identifier(table),
        sql.SQL(", ").join(map(sql.Identifier, values)),
        sql.SQL(", ").join(sql.Placeholder() * len(values)),
    )
    return conn.execute(statement, list(values.values())).fetchone()[0]


def _remove_test_rows(owner) -> None:
    owner.execute("delete from app.report_deliveries where message_id_header like %s", ("<" + MARKER + "%",))
    owner.execute("delete from app.report_favorites where report_key like %s", (MARKER + "%",))
    owner.execute("delete from app.scheduled_reports where name like %s", (MARKER + "%",))
    owner.execute("delete from app.dashboard_layouts where dashboard_key like %s", (MARKER + "%",))
    owner.execute("delete from app.custom_reports where name like %s", (MARKER + "%",))
    owner.execute("delete from app.audit_logs where user_agent like %s", (MARKER + "%",))


def row_values(table: str, organization: int, user: int, tag: str, **extra) -> dict:
    """An otherwise valid row of ``table`` for ``organization`` and ``user``, marked for cleanup."""
    values = {
        "custom_reports": {"name": f"{MARKER} {tag}", "owner_user_id": user, "definition": '{"metrics": ["revenue"]}'},
        "report_favorites": {"user_id": user, "report_key": f"{MARKER}-{tag}"},
        "dashboard_layouts": {"user_id": user, "dashboard_key": f"{MARKER}-{tag}"},
        "scheduled_reports": {
            "name": f"{MARKER} {tag}",
            "report_type": "daily_metrics",
            "frequency": "daily",
            "send_at_local_time": "08:00",
            "created_by_user_id": user,
        },
        "audit_logs": {
            "user_id": user,
            "action": "share",
            "table_name": "custom_reports",
            "row_pk": 1,
            "user_agent": f"{MARKER}-{tag}",
        },
        # the one row the reader may add to the delivery ledger: a test send for the scheduler to send
        "report_deliveries": {
            "kind": "test",
            "scheduled_for": "2026-12-01T08:00:00Z",
            "period_start": "2026-11-24",
            "period_end": "2026-11-30",
            "recipient": f"{MARKER}@example.com",
            "next_attempt_at": "2026-12-01T08:00:00Z",
            "message_id_header": f"<{MARKER}-{tag.replace(' ', '-')}@example.com>",
        },
    }[table]
    return {"organization_id": organization, **values, **extra}


@pytest.fixture(scope="module")
def others_rows(owner, orgs, people) -> dict[str, dict[str, int]]:
    """Rows the reader must not reach, made by the owner: B's (one per app table) and a2's in A (a private and a
    shared report, a favourite, a layout). Deleted after the module, with every row the reader wrote."""
    a, b = orgs
    _remove_test_rows(owner)
    made: dict[str, dict[str, int]] = {"b": {}, "a2": {}}
    for table in READER_WRITABLE_TABLES:  # in order: a delivery's schedule is made before it
        extra = {"is_shared": True} if table == "custom_reports" else {}
        if table == "report_deliveries":
            extra = {"scheduled_report_id": made["b"]["scheduled_reports"]}
        made["b"][table] = _insert(owner, table, row_values(table, b, people["b1"], "b", **extra))
    made["a2"]["private_report"] = _insert(
        owner, "custom_reports", row_values("custom_reports", a, people["a2"], "a2 private")
    )
    made["a2"]["shared_report"] = _insert(
        owner, "custom_reports", row_values("custom_reports", a, people["a2"], "a2 shared", is_shared=True)
    )
    for table in ("report_favorites", "dashboard_layouts"):
        made["a2"][table] = _insert(owner, table, row_values(table, a, people["a2"], "a2"))
    yield made
    _remove_test_rows(owner)


def _refusal(excinfo) -> psycopg.Error:
    """The psycopg error under a SQLAlchemy one."""
    error = excinfo.value.orig if isinstance(excinfo.value, DBAPIError) else excinfo.value
    assert isinstance(error, psycopg.Error), error
    return error


def _count(conn, relation: str, where: str = "true", params: dict | None = None) -> int:
    schema, name = relation.split(".")
    quoted = f'"{schema}"."{name}"'
    return conn.execute(text(f"select count(*) from {quoted} where {where}"), params or {}).scalar_one()


def _owner_count(owner, relation: str, where: str = "true", params: tuple = ()) -> int:
    schema, name = relation.split(".")
    statement = sql.SQL("select count(*) from {} where ").format(sql.Identifier(schema, name)) + sql.SQL(where)
    return owner.execute(statement, params).fetchone()[0]


# -- 1. what the reader can reach, from the catalog -----------------------------------------------------------------
def test_the_reader_reaches_the_reporting_relations_the_marts_and_its_app_tables(reachable):
    assert reachable, "the reader can reach no relation at all: the catalog query or the grants are broken"
    expected = (
        {f"reporting.{name}" for name in REPORTING}
        | {f"marts.{name}" for name in FACTS}
        | {"marts.dim_organizations", "marts.dim_customers"}
        | {f"app.{table}" for table in READER_WRITABLE_TABLES}
    )
    assert expected <= set(reachable), sorted(expected - set(reachable))


def test_every_relation_the_reader_reaches_has_forced_row_level_security_and_a_policy_for_it(reachable):
    unprotected = {
        name: {key: info[key] for key in ("kind", "rls", "forced", "reader_policy")}
        for name, info in reachable.items()
        if not (info["rls"] and info["forced"] and info["reader_policy"])
    }
    assert not unprotected, f"relations the reader reaches without forced RLS and a policy for it: {unprotected}"
    # Views and materialized views cannot carry row-level security (a view reads as its owner): none is reachable.
    assert {info["kind"] for info in reachable.values()} <= {"r", "p"}


def test_the_reader_reaches_only_tenant_relations_and_no_other_app_table(reachable, owner):
    without_organization = sorted(name for name, info in reachable.items() if not info["tenant"])
    assert without_organization == [], f"the reader can reach relations without organization_id: {without_organization}"

    app = {
        name.removeprefix("app."): sorted(info["privileges"])
        for name, info in reachable.items()
        if name.startswith("app.")
    }
    assert app == {table: sorted(privileges) for table, privileges in READER_WRITABLE_TABLES.items()}
    assert all(info["schema"] in ("app", "marts", "reporting") for info in reachable.values())
    # TRUNCATE ignores row-level security; REFERENCES and TRIGGER are never the reader's.
    powerful = {
        name: info["privileges"]
        for name, info in reachable.items()
        if set(info["privileges"]) & {"truncate", "references", "trigger"}
    }
    assert powerful == {}
    # Outside the writable app tables, only SELECT.
    beyond_select = {
        name: info["privileges"]
        for name, info in reachable.items()
        if not name.startswith("app.") and info["privileges"] != ["select"]
    }
    assert beyond_select == {}

    for table in ("users", "orders", "organizations", "customers", "user_roles", "api_tokens", "targets"):
        privileges = owner.execute(
            "select has_table_privilege(%s, %s, 'select, insert, update, delete, truncate, references, trigger'), "
            "has_any_column_privilege(%s, %s, 'select, insert, update, references')",
            (READER_ROLE, f"app.{table}", READER_ROLE, f"app.{table}"),
        ).fetchone()
        assert privileges == (False, False), table
    sequences = owner.execute(
        "select c.oid::regclass::text from pg_class c "
        "where case when c.relkind = 'S' then has_sequence_privilege(%s, c.oid, 'usage, select, update') end",
        (READER_ROLE,),
    ).fetchall()
    assert sequences == [], "a sequence's last_value counts every organization's rows"


def test_the_only_security_definer_function_the_reader_may_call_is_the_sign_in_lookup(owner):
    callable_definers = owner.execute(
        """select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where p.prosecdef and n.nspname not in ('pg_catalog', 'information_schema')
             and has_function_privilege(%s, p.oid, 'execute')
           order by 1""",
        (READER_ROLE,),
    ).fetchall()
    assert callable_definers == [("app.reader_identity(text)",)]


def test_statistics_show_the_reader_no_values_of_the_tables_it_reads(reader_dsn):
    with psycopg.connect(reader_dsn) as conn:
        assert conn.execute(
            "select count(*) from pg_stats where schemaname in ('app', 'marts', 'reporting')"
        ).fetchone() == (0,)
        assert conn.execute(
            "select count(*) from pg_stats_ext where schemaname in ('app', 'marts', 'reporting')"
        ).fetchone() == (0,)


# -- 2. the role itself ---------------------------------------------------------------------------------------------
def test_the_reader_role_is_a_login_without_powers_that_owns_nothing_and_belongs_to_no_role(owner):
    attributes = owner.execute(
        "select oid, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication, rolinherit "
        "from pg_roles where rolname = %s",
        (READER_ROLE,),
    ).fetchone()
    assert attributes is not None
    oid, *flags = attributes
    assert flags == [True, False, False, False, False, False, False]

    owned = {
        "relations": "select count(*) from pg_class where relowner = %s",
        "schemas": "select count(*) from pg_namespace where nspowner = %s",
        "functions": "select count(*) from pg_proc where proowner = %s",
        "types": "select count(*) from pg_type where typowner = %s",
        "databases": "select count(*) from pg_database where datdba = %s",
        "large objects": "select count(*) from pg_largeobject_metadata where lomowner = %s",
        "memberships": "select count(*) from pg_auth_members where member = %s",
    }
    assert {what: owner.execute(query, (oid,)).fetchone()[0] for what, query in owned.items()} == dict.fromkeys(
        owned, 0
    )


REFUSED = (
    "create table x (a int)",
    "create temp table x (a int)",
    "create schema x",
    "create table public.x (a int)",
    "create table marts.x (a int)",
    "create view reporting.x as select 1",
    "create function app.x() returns int language sql as 'select 1'",
    "set role {owner}",
    "set session authorization {owner}",
    "alter table marts.fct_orders no force row level security",
    "alter table marts.fct_orders disable row level security",
    "alter table app.custom_reports no force row level security",
    "drop policy organization_isolation on marts.fct_orders",
    "create policy everyone on marts.fct_orders for select using (true)",
    "truncate app.custom_reports",
    "select count(*) from app.users",
    "select count(*) from app.audit_logs",
    "copy app.custom_reports (organization_id, name) from stdin",
)


@pytest.mark.parametrize("statement", REFUSED)
def test_the_reader_cannot_create_objects_change_role_or_undo_row_level_security(
    statement, reader_dsn, tiny_warehouse, orgs
):
    owner_role = psycopg.conninfo.conninfo_to_dict(tiny_warehouse)["user"]
    with psycopg.connect(reader_dsn) as conn:
        conn.execute("select set_config(%s, %s, true)", (ORGANIZATION_SETTING, str(orgs[0])))
        with pytest.raises(psycopg.Error) as excinfo:
            conn.execute(statement.format(owner=owner_role))
        # refused for lack of privilege (COPY FROM: not supported under row-level security), not a typo
        assert excinfo.value.sqlstate in (INSUFFICIENT_PRIVILEGE, "0A000"), excinfo.value


HARMLESS = (
    "reset role",
    "set role none",
    "set role " + READER_ROLE,
    "reset session authorization",
    "set session authorization " + READER_ROLE,
    "set search_path = marts, reporting, app, public",
    "grant select on marts.fct_orders to public",  # no grant option: a warning, nothing granted
)


@pytest.mark.parametrize("statement", HARMLESS)
def test_what_the_reader_may_run_leaves_it_the_reader_of_its_organization(statement, reader_dsn, orgs):
    a, b = orgs
    with psycopg.connect(reader_dsn) as conn:
        conn.execute("select set_config(%s, %s, true)", (ORGANIZATION_SETTING, str(a)))
        conn.execute(statement)
        user, theirs, ours = conn.execute(
            "select current_user, count(*) filter (where organization_id = %s), "
            "count(*) filter (where organization_id = %s) from marts.fct_orders",
            (b, a),
        ).fetchone()
        conn.rollback()
    assert (user, theirs) == (READER_ROLE, 0)
    assert ours > 0


def test_row_security_off_is_refused_rather_than_showing_every_row(reader_dsn, orgs):
    with psycopg.connect(reader_dsn) as conn:
        conn.execute("select set_config(%s, %s, true)", (ORGANIZATION_SETTING, str(orgs[0])))
        conn.execute("set row_security = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("select count(*) from marts.fct_orders")


def test_copy_to_as_the_reader_copies_only_its_organizations_rows(reader_dsn, owner, orgs):
    a, _ = orgs
    with psycopg.connect(reader_dsn) as conn:
        conn.execute("select set_config(%s, %s, true)", (ORGANIZATION_SETTING, str(a)))
        with conn.cursor().copy("copy marts.fct_orders (organization_id) to stdout") as copy:
            copied = [int(row[0]) for row in copy.rows()]
    assert set(copied) == {a}
    assert len(copied) == _owner_count(owner, "marts.fct_orders", "organization_id = %s", (a,))


# -- 3. no organization set -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("setting", ["none", "empty", "user only"])
def test_with_no_organization_set_every_readable_relation_is_empty(setting, reader, readable, people):
    assert readable
    with unscoped(reader) as conn:
        if setting == "empty":
            conn.execute(text("select set_config(:name, '', true)"), {"name": ORGANIZATION_SETTING})
        if setting == "user only":
            conn.execute(
                text("select set_config(:name, :user, true)"), {"name": USER_SETTING, "user": str(people["a1"])}
            )
        counts = {relation: _count(conn, relation) for relation in readable}
    assert counts == dict.fromkeys(readable, 0)


# -- 4. one organization set ----------------------------------------------------------------------------------------
def _visible_to(relation: str, organization: int, user: int | None) -> tuple[str, tuple]:
    """What the reader's policy for ``relation`` shows, as an owner's predicate."""
    if relation == "app.custom_reports":
        return "organization_id = %s and (is_shared or owner_user_id = %s)", (organization, user)
    if relation in ("app.report_favorites", "app.dashboard_layouts"):
        return "organization_id = %s and user_id = %s", (organization, user)
    return "organization_id = %s", (organization,)


def _key_column(owner, relation: str) -> str:
    """`id`, else the relation's first `*_id` column other than organization_id (the marts' natural keys), else its
    first column other than organization_id."""
    columns = [
        row[0]
        for row in owner.execute(
            "select attname from pg_attribute where attrelid = %s::regclass and attnum > 0 and not attisdropped "
            "order by attnum",
            (relation,),
        )
    ]
    if "id" in columns:
        return "id"
    others = [column for column in columns if column != "organization_id"]
    return next((column for column in others if column.endswith("_id")), others[0] if others else "organization_id")


@pytest.mark.parametrize("which", ["A", "B"])
@pytest.mark.parametrize("with_user", [False, True], ids=["no user", "user"])
def test_scoped_to_one_organization_the_reader_sees_exactly_its_rows(
    which, with_user, reader, readable, owner, orgs, people, others_rows
):
    ours, theirs = orgs if which == "A" else orgs[::-1]
    user = None
    if with_user:
        user = people["a1"] if which == "A" else people["b1"]
    expected, seen, leaked, theirs_present = {}, {}, {}, set()
    with scoped(Scope(ours, user), reader) as conn:
        for relation in readable:
            where, params = _visible_to(relation, ours, user)
            expected[relation] = _owner_count(owner, relation, where, params)
            seen[relation] = _count(conn, relation)
            leaked[relation] = _count(conn, relation, "organization_id = :theirs", {"theirs": theirs})
            # one of their rows, asked for by its key: none of the answer may be theirs
            key = _key_column(owner, relation)
            schema, name = relation.split(".")
            sample = owner.execute(
                sql.SQL("select {key} from {relation} where organization_id = %s and {key} is not null limit 1").format(
                    key=sql.Identifier(key), relation=sql.Identifier(schema, name)
                ),
                (theirs,),
            ).fetchone()
            if sample is not None:
                theirs_present.add(relation)
                answer = (
                    conn.execute(
                        text(f'select organization_id from "{schema}"."{name}" where "{key}" = :value'),
                        {"value": sample[0]},
                    )
                    .scalars()
                    .all()
                )
                leaked[relation] += sum(1 for organization in answer if organization != ours)
                if key == "id":
                    leaked[relation] += len(answer)
    assert leaked == dict.fromkeys(readable, 0)
    assert seen == expected
    # the test means something: their rows exist where ours are read
    assert {f"reporting.{name}" for name in REPORTING} | {f"marts.{name}" for name in FACTS} <= theirs_present
    assert {relation for relation, count in seen.items() if count} >= {f"reporting.{name}" for name in REPORTING}


# -- 5. set_config tricks through a custom report -------------------------------------------------------------------
INJECTIONS = ("x' or 1=1 --", "'); select set_config('app.organization_id', '{b}', true); --")


@pytest.fixture(scope="module")
def revenue(owner, orgs) -> dict[int, float]:
    """Each organization's revenue over all days, from reporting.mv_daily_metrics as the owner reads it."""
    rows = owner.execute(
        "select organization_id, sum(revenue) from reporting.mv_daily_metrics where organization_id = any(%s) "
        "group by 1",
        (list(orgs),),
    ).fetchall()
    return {organization: float(total) for organization, total in rows}


def _setting(conn) -> str:
    return conn.execute(text("select current_setting(:name, true)"), {"name": ORGANIZATION_SETTING}).scalar_one()


def test_a_custom_report_under_a_scope_totals_its_organizations_revenue(reader, orgs, revenue):
    a, b = orgs
    assert revenue[a] > 0 and revenue[b] > 0
    with scoped(Scope(a), reader) as conn:
        frame = run_custom_report({"metrics": ["revenue"]}, a, connection=conn)
    assert round(frame.revenue.iloc[0], 2) == revenue[a]


@pytest.mark.parametrize("injection", INJECTIONS)
def test_a_filter_value_is_data_never_sql_and_cannot_change_the_scope(injection, reader, orgs, revenue):
    a, b = orgs
    value = injection.format(b=b)
    with scoped(Scope(a), reader) as conn:
        equal = run_custom_report(
            {"metrics": ["revenue"], "filters": [{"field": "customer_type", "op": "eq", "value": value}]},
            a,
            connection=conn,
        )
        not_equal = run_custom_report(
            {"metrics": ["revenue"], "filters": [{"field": "customer_type", "op": "ne", "value": value}]},
            a,
            connection=conn,
        )
        shorthand = run_custom_report(
            {"metrics": ["revenue"], "filters": {"customer_type": [value, "commercial", "residential"]}},
            a,
            connection=conn,
        )
        assert _setting(conn) == str(a)
    assert equal.revenue.tolist() == [0.0]
    # every customer type of A, and nothing of B
    assert round(not_equal.revenue.iloc[0], 2) == revenue[a]
    assert round(shorthand.revenue.iloc[0], 2) == revenue[a]


@pytest.mark.parametrize("injection", INJECTIONS)
@pytest.mark.parametrize("place", ["metric", "dimension", "filter field", "time grain"])
def test_a_name_is_looked_up_never_compiled(injection, place, reader, orgs):
    a, b = orgs
    name = injection.format(b=b)
    definition = {
        "metric": {"metrics": [name]},
        "dimension": {"metrics": ["revenue"], "dimensions": [name]},
        "filter field": {"metrics": ["revenue"], "filters": [{"field": name, "op": "eq", "value": "x"}]},
        "time grain": {"metrics": ["revenue"], "time_grain": name},
    }[place]
    with scoped(Scope(a), reader) as conn:
        with pytest.raises(ReportDefinitionError):
            run_custom_report(definition, a, connection=conn)
        assert _setting(conn) == str(a)


def test_a_report_asked_for_another_organization_under_this_scope_is_empty(reader, orgs):
    a, b = orgs
    with scoped(Scope(a), reader) as conn:
        total = run_custom_report({"metrics": ["revenue", "orders"]}, b, connection=conn)
        monthly = run_custom_report(
            {"metrics": ["revenue"], "dimensions": ["customer_type"], "time_grain": "month"}, b, connection=conn
        )
    assert total.revenue.tolist() == [0.0] and total.orders.tolist() == [0.0]
    assert monthly.empty


def test_the_scope_and_the_reports_organization_must_be_whole_numbers(reader, orgs):
    """The reader may call set_config('app.organization_id', ...) itself: that is how the server scopes a
    transaction, and nothing in the database can tell the server's call from another. The application never puts
    browser input there: the organization comes from the signed-in identity through `Scope`, which takes whole
    numbers only, and a report's organization is a whole number too. A setting that is not a number fails closed."""
    for bad in ("1 or 1=1", "1", 1.0, True, None):
        with pytest.raises(TypeError):
            Scope(organization_id=bad)
    with pytest.raises(TypeError):
        Scope(organization_id=orgs[0], user_id="1 or 1=1")
    with scoped(Scope(orgs[0]), reader) as conn, pytest.raises(ReportDefinitionError):
        run_custom_report({"metrics": ["revenue"]}, f"{orgs[0]} or 1=1", connection=conn)

    with pytest.raises(DBAPIError) as excinfo, unscoped(reader) as conn:
        conn.execute(
            text("select set_config(:name, :value, true)"),
            {"name": ORGANIZATION_SETTING, "value": f"{orgs[0]} or 1=1"},
        )
        conn.execute(text("select count(*) from marts.fct_orders"))
    assert isinstance(_refusal(excinfo), psycopg.errors.InvalidTextRepresentation)


# -- 6. writes --------------------------------------------------------------------------------------------------------
def _refused_by_rls(scope: Scope, reader, statement: str, params: dict) -> psycopg.Error:
    with pytest.raises(DBAPIError) as excinfo, scoped(scope, reader) as conn:
        conn.execute(text(statement), params)
    return _refusal(excinfo)


def _insert_statement(table: str, values: dict) -> str:
    columns = ", ".join(values)
    placeholders = ", ".join(f":{column}" for column in values)
    return f"insert into app.{table} ({columns}) values ({placeholders})"


@pytest.mark.parametrize("table", list(READER_WRITABLE_TABLES))
def test_the_reader_cannot_insert_a_row_of_another_organization(table, reader, orgs, people, others_rows):
    a, b = orgs
    extra = {"scheduled_report_id": others_rows["b"]["scheduled_reports"]} if table == "report_deliveries" else {}
    values = row_values(table, b, people["b1"], "b inserted by a", **extra)  # valid for B in every other respect
    error = _refused_by_rls(Scope(a, people["a1"]), reader, _insert_statement(table, values), values)
    assert error.sqlstate == INSUFFICIENT_PRIVILEGE and RLS_REFUSED in str(error), error


@pytest.mark.parametrize("table", ["custom_reports", "report_favorites", "dashboard_layouts", "audit_logs"])
def test_the_reader_cannot_insert_a_row_for_another_user_of_its_organization(table, reader, orgs, people):
    a, _ = orgs
    values = row_values(table, a, people["a2"], "a2 inserted by a1")
    error = _refused_by_rls(Scope(a, people["a1"]), reader, _insert_statement(table, values), values)
    assert error.sqlstate == INSUFFICIENT_PRIVILEGE and RLS_REFUSED in str(error), error


@pytest.mark.parametrize("table", ["custom_reports", "report_favorites", "dashboard_layouts", "scheduled_reports"])
def test_updates_and_deletes_of_another_organizations_rows_touch_nothing(
    table, reader, owner, orgs, people, others_rows
):
    a, b = orgs
    theirs = others_rows["b"][table]
    before = owner.execute(
        sql.SQL("select to_jsonb(t) from app.{} t where id = %s").format(sql.Identifier(table)), (theirs,)
    ).fetchone()
    assert before is not None
    with scoped(Scope(a, people["a1"]), reader) as conn:
        affected = [
            conn.execute(text(f"update app.{table} set updated_at = now() where id = :id"), {"id": theirs}).rowcount,
            conn.execute(
                text(f"update app.{table} set organization_id = :a where organization_id = :b"), {"a": a, "b": b}
            ).rowcount,
            conn.execute(text(f"delete from app.{table} where id = :id"), {"id": theirs}).rowcount,
            conn.execute(text(f"delete from app.{table} where organization_id = :b"), {"b": b}).rowcount,
        ]
    assert affected == [0, 0, 0, 0]
    after = owner.execute(
        sql.SQL("select to_jsonb(t) from app.{} t where id = %s").format(sql.Identifier(table)), (theirs,)
    ).fetchone()
    assert after == before
    assert _owner_count(owner, f"app.{table}", "organization_id = %s", (b,)) > 0


@pytest.mark.parametrize(
    "statement",
    [
        "select count(*) from app.audit_logs",
        "update app.audit_logs set user_agent = 'x' where id = :id",
        "delete from app.audit_logs where id = :id",
    ],
)
def test_audit_logs_are_append_only_for_the_reader(statement, reader, orgs, people, others_rows):
    params = {"id": others_rows["b"]["audit_logs"]} if ":id" in statement else {}
    with pytest.raises(DBAPIError) as excinfo, scoped(Scope(orgs[0], people["a1"]), reader) as conn:
        conn.execute(text(statement), params)
    error = _refusal(excinfo)
    assert error.sqlstate == INSUFFICIENT_PRIVILEGE and "permission denied" in str(error), error


def test_a_user_sees_shared_reports_of_its_organization_but_not_another_users_private_rows(
    reader, owner, orgs, people, others_rows
):
    a, _ = orgs
    a2 = others_rows["a2"]
    with scoped(Scope(a, people["a1"]), reader) as conn:
        visible = {
            "private_report": _count(conn, "app.custom_reports", "id = :id", {"id": a2["private_report"]}),
            "shared_report": _count(conn, "app.custom_reports", "id = :id", {"id": a2["shared_report"]}),
            "report_favorites": _count(conn, "app.report_favorites", "id = :id", {"id": a2["report_favorites"]}),
            "dashboard_layouts": _count(conn, "app.dashboard_layouts", "id = :id", {"id": a2["dashboard_layouts"]}),
            "any favourite of a2": _count(conn, "app.report_favorites", "user_id = :u", {"u": people["a2"]}),
            "any layout of a2": _count(conn, "app.dashboard_layouts", "user_id = :u", {"u": people["a2"]}),
        }
        changed = {
            "private_report": conn.execute(
                text("update app.custom_reports set name = 'taken' where id = :id"), {"id": a2["private_report"]}
            ).rowcount,
            "shared_report": conn.execute(
                text("update app.custom_reports set is_shared = false where id = :id"), {"id": a2["shared_report"]}
            ).rowcount,
            "shared_report deleted": conn.execute(
                text("delete from app.custom_reports where id = :id"), {"id": a2["shared_report"]}
            ).rowcount,
            "report_favorites": conn.execute(
                text("delete from app.report_favorites where id = :id"), {"id": a2["report_favorites"]}
            ).rowcount,
            "dashboard_layouts": conn.execute(
                text("update app.dashboard_layouts set layout = '{}' where id = :id"), {"id": a2["dashboard_layouts"]}
            ).rowcount,
        }
    assert visible == {
        "private_report": 0,
        "shared_report": 1,
        "report_favorites": 0,
        "dashboard_layouts": 0,
        "any favourite of a2": 0,
        "any layout of a2": 0,
    }
    assert changed == dict.fromkeys(changed, 0)
    assert owner.execute(
        "select name, is_shared from app.custom_reports where id = any(%s) order by id",
        ([a2["private_report"], a2["shared_report"]],),
    ).fetchall() == [(f"{MARKER} a2 private", False), (f"{MARKER} a2 shared", True)]
    # positive control: a2 sees its own private report, favourite and layout
    with scoped(Scope(a, people["a2"]), reader) as conn:
        assert _count(conn, "app.custom_reports", "id = :id", {"id": a2["private_report"]}) == 1
        assert _count(conn, "app.report_favorites", "id = :id", {"id": a2["report_favorites"]}) == 1
        assert _count(conn, "app.dashboard_layouts", "id = :id", {"id": a2["dashboard_layouts"]}) == 1


def test_the_reader_writes_its_own_rows_and_cannot_move_them_to_another_organization(
    reader, owner, orgs, people, others_rows
):
    a, b = orgs
    scope = Scope(a, people["a1"])
    mine = {}
    with scoped(scope, reader) as conn:
        for table in READER_WRITABLE_TABLES:
            extra = {"scheduled_report_id": mine["scheduled_reports"]} if table == "report_deliveries" else {}
            values = row_values(table, a, people["a1"], f"a1 own {table}", **extra)
            statement = _insert_statement(table, values)
            if table == "audit_logs":  # insert only: RETURNING would need SELECT
                conn.execute(text(statement), values)
            else:
                mine[table] = conn.execute(text(statement + " returning id"), values).scalar_one()
    with scoped(scope, reader) as conn:
        assert {table: _count(conn, f"app.{table}", "id = :id", {"id": id_}) for table, id_ in mine.items()} == (
            dict.fromkeys(mine, 1)
        )
    assert owner.execute(
        "select organization_id, user_id from app.audit_logs where user_agent = %s", (f"{MARKER}-a1 own audit_logs",)
    ).fetchall() == [(a, people["a1"])]
    for table, id_ in mine.items():
        assert owner.execute(
            sql.SQL("select organization_id from app.{} where id = %s").format(sql.Identifier(table)), (id_,)
        ).fetchone() == (a,)

    moves = {
        table: (f"update app.{table} set organization_id = :b where id = :id", {"b": b, "id": id_})
        for table, id_ in mine.items()
        if "update" in READER_WRITABLE_TABLES[table]  # the reader cannot update the delivery ledger at all
    }
    moves["custom_reports to a2"] = (
        "update app.custom_reports set owner_user_id = :a2 where id = :id",
        {"a2": people["a2"], "id": mine["custom_reports"]},
    )
    moves["report_favorites to a2"] = (
        "update app.report_favorites set user_id = :a2 where id = :id",
        {"a2": people["a2"], "id": mine["report_favorites"]},
    )
    for what, (statement, params) in moves.items():
        error = _refused_by_rls(scope, reader, statement, params)
        assert error.sqlstate == INSUFFICIENT_PRIVILEGE and RLS_REFUSED in str(error), (what, error)


# -- 7. a pooled connection carries nothing over --------------------------------------------------------------------
def test_a_pooled_connection_carries_no_scope_to_the_next_transaction(tiny_warehouse, owner, orgs, people):
    a, b = orgs
    counts = {
        organization: _owner_count(owner, "marts.fct_orders", "organization_id = %s", (organization,))
        for organization in orgs
    }
    engine = create_engine(reader_url(tiny_warehouse), pool_size=1, max_overflow=0)
    observed, backends = [], set()
    probe = text(
        "select pg_backend_pid(), array(select distinct organization_id from marts.fct_orders order by 1), "
        "(select count(*) from marts.fct_orders), current_setting(:name, true)"
    )
    try:
        for step in (a, b, None, a, "failed", None, b, None):
            if step == "failed":  # a transaction that ends with an error: rolled back, its scope gone
                with pytest.raises(ZeroDivisionError), scoped(Scope(b, people["b1"]), engine) as conn:
                    conn.execute(text("select 1"))
                    raise ZeroDivisionError
                continue
            context = unscoped(engine) if step is None else scoped(Scope(step), engine)
            with context as conn:
                pid, seen, count, setting = conn.execute(probe, {"name": ORGANIZATION_SETTING}).one()
            backends.add(pid)
            observed.append((step, seen, count, setting or ""))
        # committing inside the scope ends it: the connection refuses to go on instead of going on unscoped
        with pytest.raises(InvalidRequestError), scoped(Scope(a), engine) as conn:
            conn.commit()
            conn.execute(probe, {"name": ORGANIZATION_SETTING})
        with unscoped(engine) as conn:
            pid, seen, count, setting = conn.execute(probe, {"name": ORGANIZATION_SETTING}).one()
        backends.add(pid)
        observed.append((None, seen, count, setting or ""))
    finally:
        engine.dispose()
    assert len(backends) == 1, "the pool of one should have reused its connection"
    assert observed == [
        (step, [step] if step else [], counts[step] if step else 0, str(step) if step else "")
        for step in (a, b, None, a, None, b, None, None)
    ]
