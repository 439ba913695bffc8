"""Incremental refresh: after simulated days and late changes to old days, each daily relation rebuilt by slices and
each mart and intermediate table refreshed by key is identical, row for row, to a full rebuild; and a one-day
refresh rewrites only the days and keys that changed, a refresh with nothing changed none."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

import psycopg
import pytest

from orchestration.dbt_runner import dbt_args, execute, run_dbt
from tests.conftest import generate, new_database, run_cli

DAILY = ("mv_daily_metrics", "mv_daily_pipeline", "mv_daily_jobs", "mv_daily_warranty")
# The marts and intermediate tables refreshed by key (macros/incremental_keys.sql), all in schema marts.
KEYED = (
    "fct_order_lines",
    "fct_orders",
    "fct_invoice_installments",
    "fct_receivable_balance_periods",
    "fct_revenue_recognition",
    "int_opportunity_stage_periods",
    "fct_opportunities",
    "fct_job_time_entries",
    "fct_job_materials",
    "fct_jobs",
    "dim_warranties",
    "fct_warranty_claims",
    "dim_customers",
    "fct_quotes",
    "fct_csat_responses",
    "fct_credit_notes",
)
# Refreshed by (table, organization, day) from the days the keyed marts log (macros/metric_daily_values.sql).
BY_DAY = ("int_metric_daily_values",)
RELATIONS = {
    **{name: f"reporting.{name}" for name in DAILY},
    **{name: f"marts.{name}" for name in KEYED + BY_DAY},
}
SIMULATED_DAYS = 3
# Every build here reports up to the same date. Without it, a build that runs past midnight in one organization's
# time zone (05:00 UTC for America/New_York) adds that local day, and a refresh that should write nothing writes a row.
PINNED = {"as_of_date": date.today().isoformat()}


def refresh(url: str, *, full: bool = False) -> dict[str, int]:
    """Rebuild the daily relations, the keyed models and what they read (seeds, models; tests run elsewhere); rows
    written per daily relation and keyed model."""
    result = execute(
        "build",
        select=[f"+{name}" for name in RELATIONS],
        exclude=["resource_type:test", "resource_type:unit_test"],
        full_refresh=full,
        variables=PINNED,
        url=url,
    )
    return {name: result.rows_affected.get(f"model.fieldservice_warehouse.{name}", 0) for name in RELATIONS}


def snapshot_tables(conn, suffix: str) -> None:
    conn.execute(f"drop schema if exists compare_{suffix} cascade")
    conn.execute(f"create schema compare_{suffix}")
    for name, relation in RELATIONS.items():
        conn.execute(f"create table compare_{suffix}.{name} as select * from {relation}")


def differences(conn, left: str, right: str) -> int:
    return conn.execute(
        f"select (select count(*) from (select * from {left} except all select * from {right}) a)"
        f" + (select count(*) from (select * from {right} except all select * from {left}) b)"
    ).fetchone()[0]


def full_rebuild(url: str, model: str) -> None:
    """Rebuild one model whole (seeds and tests aside)."""
    execute(
        "build",
        select=[model],
        exclude=["resource_type:test", "resource_type:unit_test"],
        full_refresh=True,
        variables=PINNED,
        url=url,
    )


def rows_differing_from_a_full_rebuild(url: str, mart: str) -> int:
    """Rows of marts.<mart> as refreshed that a full rebuild of it does not give, and the other way round."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"drop table if exists public.{mart}_refreshed")
        conn.execute(f"create table public.{mart}_refreshed as select * from marts.{mart}")
    full_rebuild(url, mart)
    with psycopg.connect(url, autocommit=True) as conn:
        differing = differences(conn, f"public.{mart}_refreshed", f"marts.{mart}")
        conn.execute(f"drop table public.{mart}_refreshed")
    return differing


def move_an_invoiced_order_to_another_customer(conn) -> None:
    """The first invoiced order of the last organization goes to the first other live customer of it."""
    conn.execute(
        """update app.orders as o set customer_id = (
               select min(c.id) from app.customers c where c.organization_id = o.organization_id
                   and c.id <> o.customer_id and c.deleted_at is null)
           where (organization_id, id) = (select organization_id, min(id) from app.orders
                                          where invoice_number is not null and deleted_at is null
                                          group by organization_id order by 1 desc limit 1)"""
    )


def late_changes(conn) -> None:
    """Changes the way production data changes, to old days: a price correction and a cancellation of old orders,
    a line removed, a backdated order, a customer deleted, a deal's amount edited, a payment on an old invoice."""
    conn.execute(
        """update app.order_line_items set quantity = quantity + 1, line_total = line_total + unit_price
           where (organization_id, id) = (select organization_id, min(id) from app.order_line_items
                                          group by organization_id order by 1 limit 1)"""
    )
    conn.execute(
        """update app.orders set status = 'cancelled', cancelled_at = now()
           where (organization_id, id) = (select organization_id, min(id) from app.orders
                                          where status = 'confirmed' and invoice_number is null
                                          group by organization_id order by 1 limit 1)"""
    )
    referencing = ("revenue_recognition", "deferred_revenue", "shipment_items", "order_amendments", "warranties",
                   "rma_line_items")  # fmt: skip
    unreferenced = " and ".join(
        f"not exists (select 1 from app.{table} r where r.organization_id = l.organization_id"
        " and r.order_line_item_id = l.id)"
        for table in referencing
    )
    conn.execute(
        f"""delete from app.order_line_items where (organization_id, id) = (
               select l.organization_id, max(l.id) from app.order_line_items l
               join app.orders o on o.organization_id = l.organization_id and o.id = l.order_id
               where o.invoice_number is not null and l.line_number > 1 and {unreferenced}
               group by l.organization_id order by 1 limit 1)"""
    )
    conn.execute(
        """update app.orders set order_date = order_date - 40
           where (organization_id, id) = (select organization_id, max(id) from app.orders
                                          group by organization_id order by 1 desc limit 1)"""
    )
    conn.execute(
        """update app.customers set deleted_at = now()
           where (organization_id, id) = (select organization_id, max(id) from app.customers
                                          where became_customer_at is not null group by organization_id
                                          order by 1 limit 1)"""
    )
    # an invoiced order moves to another customer of its organization, and a default address to another customer:
    # the customers they left change too (their order history, their location)
    move_an_invoiced_order_to_another_customer(conn)
    organization_id, address_id, address_type, customer_id = conn.execute(
        """select a.organization_id, a.id, a.address_type, (
               select max(c.id) from app.customers c where c.organization_id = a.organization_id
                   and c.id <> a.customer_id and c.deleted_at is null)
           from app.addresses a
           where (a.organization_id, a.id) in (select organization_id, location_address_id from marts.dim_customers)
           order by a.organization_id desc, a.id desc limit 1"""
    ).fetchone()
    conn.execute(
        """update app.addresses set is_default = false
           where organization_id = %s and customer_id = %s and address_type = %s and is_default""",
        (organization_id, customer_id, address_type),
    )
    conn.execute(
        "update app.addresses set customer_id = %s where (organization_id, id) = (%s, %s)",
        (customer_id, organization_id, address_id),
    )
    conn.execute(
        """update app.opportunities set amount = amount + 1234.56
           where (organization_id, id) = (select organization_id, min(id) from app.opportunities
                                          where status = 'open' group by organization_id order by 1 limit 1)"""
    )
    # an old quote's amount edited and its owner changed, a satisfaction answer withdrawn (deleted for good), and the
    # agent of an answered ticket changed (the answer's responsible person follows)
    conn.execute(
        """update app.quotes set subtotal = subtotal + 10, total = total + 10, owner_user_id = (
               select min(u.id) from app.users u where u.organization_id = quotes.organization_id
                   and u.id <> quotes.owner_user_id)
           where (organization_id, id) = (select organization_id, min(id) from app.quotes
                                          where sent_at is not null group by organization_id order by 1 limit 1)"""
    )
    conn.execute(
        """delete from app.csat_responses
           where (organization_id, id) = (select organization_id, min(id) from app.csat_responses
                                          group by organization_id order by 1 desc limit 1)"""
    )
    conn.execute(
        """update app.issues set assigned_user_id = (
               select min(u.id) from app.users u where u.organization_id = issues.organization_id
                   and u.id is distinct from issues.assigned_user_id)
           where (organization_id, id) = (select organization_id, min(issue_id) from app.csat_responses
                                          where issue_id is not null group by organization_id order by 1 limit 1)"""
    )
    # an order with a credit note changes hands: the note's sales rep follows
    conn.execute(
        """update app.orders set sales_rep_user_id = (
               select min(u.id) from app.users u where u.organization_id = orders.organization_id
                   and u.id is distinct from orders.sales_rep_user_id)
           where (organization_id, id) = (select organization_id, min(order_id) from app.credit_notes
                                          where order_id is not null group by organization_id order by 1 limit 1)"""
    )
    conn.execute(
        """update app.payment_schedules set amount_paid = amount_due, paid_at = now() - interval '20 days',
               status = 'paid'
           where (organization_id, id) = (select organization_id, min(id) from app.payment_schedules
                                          where status <> 'paid' group by organization_id order by 1 limit 1)"""
    )


@pytest.fixture(scope="module")
def simulated_warehouse(pg_server, admin_url):
    url = new_database(pg_server, admin_url, "dbt_incremental")
    # Generated history ends SIMULATED_DAYS days ago, so the simulated days end today.
    days = 180
    start = date.today() - timedelta(days=days + SIMULATED_DAYS)
    generate(url, "--seed", "3", "--start", start.isoformat(), "--days", str(days))
    first = refresh(url)
    return url, first


def test_a_one_day_refresh_rebuilds_only_the_days_that_changed(simulated_warehouse):
    url, first = simulated_warehouse
    assert first["mv_daily_metrics"] > 300  # the first refresh built every day
    result = run_cli("simulate", "--days", "1", env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    written = refresh(url)
    with psycopg.connect(url) as conn:
        total = conn.execute("select count(*) from reporting.mv_daily_metrics").fetchone()[0]
        days = conn.execute("select count(distinct metric_date) from reporting.mv_daily_metrics").fetchone()[0]
    # one new day per organization and a few late changes (payments, stage moves) are rebuilt, not the history
    assert 0 < written["mv_daily_metrics"] <= total * 0.1, (written, total, days)
    assert written["mv_daily_pipeline"] <= 4 * total * 0.1
    with psycopg.connect(url) as conn:
        sizes = {name: conn.execute(f"select count(*) from marts.{name}").fetchone()[0] for name in KEYED}
    # the keyed models rewrite the keys the day touched (new orders, payments, stage moves), not their history
    assert written["fct_orders"] > 0, written
    for name in KEYED:
        assert written[name] <= sizes[name] * 0.05, (name, written[name], sizes[name])
    # the measures' daily sums: the days the keyed marts changed, and what changed in the tables rebuilt whole
    with psycopg.connect(url) as conn:
        values = conn.execute("select count(*) from marts.int_metric_daily_values").fetchone()[0]
    assert 0 < written["int_metric_daily_values"] <= values * 0.02, (written["int_metric_daily_values"], values)


def test_a_refresh_with_nothing_changed_rewrites_no_rows(simulated_warehouse):
    url, _ = simulated_warehouse
    refresh(url)
    # the lookback re-reads the last hour's changes, but rows equal to what is there are not rewritten
    assert refresh(url) == dict.fromkeys(RELATIONS, 0)


def test_a_daily_partition_window_rebuilds_that_day_for_every_organization(simulated_warehouse):
    url, _ = simulated_warehouse
    assert refresh(url)["mv_daily_metrics"] == 0  # nothing changed since the last refresh
    day = (date.today() - timedelta(days=100)).isoformat()
    result = execute(
        "build",
        select=list(DAILY),
        exclude=["resource_type:test", "resource_type:unit_test"],
        variables={"start_date": day, "end_date": day, **PINNED},
        url=url,
    )
    with psycopg.connect(url) as conn:
        organizations = conn.execute("select count(*) from marts.dim_organizations").fetchone()[0]
    assert result.rows_affected["model.fieldservice_warehouse.mv_daily_metrics"] == organizations
    assert result.rows_affected["model.fieldservice_warehouse.mv_daily_pipeline"] == 4 * organizations


def refresh_daily(url: str) -> dict[str, int]:
    """Refresh the daily relations only (not the marts they read); rows written per relation."""
    result = execute(
        "build",
        select=list(DAILY),
        exclude=["resource_type:test", "resource_type:unit_test"],
        variables=PINNED,
        url=url,
    )
    return {name: result.rows_affected.get(f"model.fieldservice_warehouse.{name}", 0) for name in DAILY}


PIECE = "source_table, change_model, organization_id, change_key, row_id, piece_days, fingerprint"
# The same piece as the ledger keeps it (names as codes: macros/incremental_slices.sql, slice_code).
LEDGER_PIECE = "source_code, change_code, organization_id, change_key, row_id, piece_days, fingerprint"
CODED_PIECE = (
    "hashtext(source_table) as source_code, hashtext(change_model) as change_code,"
    " organization_id, change_key, row_id, piece_days, fingerprint"
)
LEDGER_COLUMNS = [
    ("organization_id", "bigint"),
    ("change_key", "bigint"),
    ("row_id", "bigint"),
    ("model_code", "integer"),
    ("source_code", "integer"),
    ("change_code", "integer"),
    ("fingerprint", "uuid"),
    ("piece_days", "daterange"),
]


def ledger_names(conn) -> list[str]:
    """Every name the ledger keeps as a code: the relations, the contributions views' source tables, the keyed
    models."""
    names = set(DAILY) | set(KEYED)
    for name in DAILY:
        names |= {row[0] for row in conn.execute(f"select distinct source_table from marts.int_{name}__contributions")}
    return sorted(names)


def test_no_two_names_in_the_ledger_share_a_code(simulated_warehouse):
    url, _ = simulated_warehouse
    with psycopg.connect(url) as conn:
        names = ledger_names(conn)
        codes = conn.execute(
            "select count(distinct hashtext(name)), count(*) filter (where hashtext(name) = 0)"
            " from unnest(%s::text[]) as name",
            (names,),
        ).fetchone()
    assert len(names) > len(DAILY) + len(KEYED)
    assert codes == (len(names), 0)  # 0 stands for "no keyed model" in the piece identity


def write_a_ledger_of_an_earlier_layout(conn, *, oldest: bool) -> None:
    """Turn the ledger back into the layout of an earlier version: names as text and each piece's updated_at; with
    ``oldest``, also fingerprints as md5 hex text ('present' for presence-only pieces), no change keys, a unique
    index on the piece identity, and no watermarks for the relations (they had none then)."""
    conn.execute(
        "create temporary table ledger_names as select name, hashtext(name) as code from unnest(%s::text[]) as name",
        (ledger_names(conn),),
    )
    fingerprint = (
        "case when ledger.fingerprint = md5('present')::uuid then 'present'"
        " else replace(ledger.fingerprint::text, '-', '') end"
        if oldest
        else "ledger.fingerprint"
    )
    keys = "" if oldest else "changes.name as change_model, ledger.change_key,"
    conn.execute(
        "create table marts.earlier_ledger as"
        f" select models.name as model_name, sources.name as source_table, {keys} ledger.organization_id,"
        f" ledger.row_id, ledger.piece_days, {fingerprint} as fingerprint, now() as updated_at"
        " from marts.int_slice_ledger as ledger"
        " inner join ledger_names as models on models.code = ledger.model_code"
        " inner join ledger_names as sources on sources.code = ledger.source_code"
        " left join ledger_names as changes on changes.code = ledger.change_code"
    )
    conn.execute("drop table marts.int_slice_ledger")
    conn.execute("alter table marts.earlier_ledger rename to int_slice_ledger")
    if oldest:
        conn.execute(
            "create unique index slice_identity on marts.int_slice_ledger"
            " (model_name, source_table, organization_id, row_id, piece_days, fingerprint)"
        )
        conn.execute("delete from marts.int_refresh_watermarks where model_name = any(%s)", (list(DAILY),))
    else:
        conn.execute(
            "create index earlier_change_keys on marts.int_slice_ledger"
            " (model_name, change_model, organization_id, change_key)"
        )


@pytest.mark.parametrize("oldest", [False, True], ids=["names-as-text", "text-fingerprints-without-keys"])
def test_a_ledger_of_an_earlier_layout_is_rewritten_in_place_and_rebuilds_nothing(simulated_warehouse, oldest):
    """int_slice_ledger is never rebuilt: a ledger an earlier version wrote is rewritten in the current layout by
    its pre-hook, keeps every piece (those without change keys get them back at the relations' next refresh, which
    compares every piece for want of a watermark), and the relations rebuild no day."""
    url, _ = simulated_warehouse
    refresh(url)
    count_sql = f"select model_code, {LEDGER_PIECE} from marts.int_slice_ledger order by 1, 2, 3, 4, 5, 6, 7, 8"
    with psycopg.connect(url, autocommit=True) as conn:
        before = conn.execute(count_sql).fetchall()
        write_a_ledger_of_an_earlier_layout(conn, oldest=oldest)
    assert refresh(url) == dict.fromkeys(RELATIONS, 0)
    with psycopg.connect(url) as conn:
        assert conn.execute(count_sql).fetchall() == before  # every piece, with its key
        columns = conn.execute(
            "select attname, format_type(atttypid, atttypmod) from pg_attribute"
            " where attrelid = 'marts.int_slice_ledger'::regclass and attnum > 0 and not attisdropped order by attnum"
        ).fetchall()
        assert columns == LEDGER_COLUMNS
        indexes = conn.execute(
            "select indexdef from pg_indexes where schemaname = 'marts' and tablename = 'int_slice_ledger'"
        ).fetchall()
        assert len(indexes) == 1 and "UNIQUE" not in indexes[0][0]
        assert "(model_code, change_code, organization_id, change_key)" in indexes[0][0]
        watermarks = conn.execute(
            "select count(distinct model_name) from marts.int_refresh_watermarks where model_name = any(%s)",
            (list(DAILY),),
        ).fetchone()[0]
    assert watermarks == len(DAILY)


def test_no_piece_appears_twice_in_a_contributions_view_or_the_ledger(simulated_warehouse):
    """The ledger has no unique index (pieces are deleted by row address): what keeps a piece from being recorded
    twice is that the contributions views never give the same piece twice."""
    url, _ = simulated_warehouse
    refresh(url)
    duplicates = "select count(*) from (select 1 from {} group by {} having count(*) > 1) as repeated"
    with psycopg.connect(url) as conn:
        for name in DAILY:
            view = f"marts.int_{name}__contributions"
            assert conn.execute(f"select count(*) from {view}").fetchone()[0] > 0, view
            assert conn.execute(duplicates.format(view, PIECE)).fetchone()[0] == 0, view
        ledger = conn.execute(duplicates.format("marts.int_slice_ledger", f"model_code, {LEDGER_PIECE}")).fetchone()[0]
    assert ledger == 0


def test_a_dim_customers_built_before_it_was_keyed_is_upgraded_in_place(simulated_warehouse):
    """dim_customers was a table rebuilt whole, without location_address_id and without indexes (dbt creates a
    model's indexes only with its table). Its first keyed refresh adds the column and the indexes and recomputes
    every customer; the result is what a full rebuild gives."""
    url, _ = simulated_warehouse
    refresh(url)
    indexes_sql = (
        "select count(*) filter (where indisunique) from pg_index where indrelid = 'marts.dim_customers'::regclass"
    )
    with psycopg.connect(url, autocommit=True) as conn:
        for (index,) in conn.execute(
            "select indexrelid::regclass::text from pg_index where indrelid = 'marts.dim_customers'::regclass"
        ).fetchall():
            conn.execute(f"drop index {index}")
        conn.execute("alter table marts.dim_customers drop column location_address_id")
        conn.execute("delete from marts.int_refresh_watermarks where model_name = 'dim_customers'")
        customers = conn.execute("select count(*) from marts.dim_customers").fetchone()[0]
    written = refresh(url)["dim_customers"]
    with psycopg.connect(url) as conn:
        assert conn.execute(indexes_sql).fetchone()[0] == 1
        assert conn.execute("select count(*) from marts.dim_customers").fetchone()[0] == customers
        located = conn.execute("select count(location_address_id) from marts.dim_customers").fetchone()[0]
        # every row with a location address was rewritten with it (those without one are unchanged)
        assert 0 < located == written <= customers
    assert rows_differing_from_a_full_rebuild(url, "dim_customers") == 0


def test_a_keyed_model_recomputes_every_key_after_its_upstream_was_built_whole(simulated_warehouse):
    """An order moves to another customer and fct_orders alone is then rebuilt whole, so it logs no customer: its
    NULL key makes dim_customers recompute every customer at its next refresh, and it matches a full rebuild."""
    url, _ = simulated_warehouse
    refresh(url)
    with psycopg.connect(url, autocommit=True) as conn:
        move_an_invoiced_order_to_another_customer(conn)
    full_rebuild(url, "fct_orders")
    refresh(url)
    assert rows_differing_from_a_full_rebuild(url, "dim_customers") == 0


def test_a_refresh_reads_only_the_pieces_of_keys_the_keyed_marts_refreshed(simulated_warehouse):
    """A daily relation's refresh compares with its ledger only the pieces of the keys the keyed marts logged since
    its watermark (and those read from tables), not the whole history: a mart row changed without being logged is
    not seen, and is as soon as its key is logged."""
    url, _ = simulated_warehouse
    refresh(url)
    value_sql = "select booked_value from reporting.mv_daily_metrics where organization_id = %s and metric_date = %s"
    log_key = (
        "insert into marts.int_refresh_changes (model_name, organization_id, key_id, refreshed_at)"
        " values ('fct_orders', %s, %s, clock_timestamp())"
    )
    with psycopg.connect(url, autocommit=True) as conn:
        organization_id, order_id, day = conn.execute(
            "select organization_id, order_id, order_date from marts.fct_orders"
            " where is_booked and not is_invoiced and order_date < current_date - 10"
            " order by organization_id, order_id limit 1"
        ).fetchone()
        booked = conn.execute(value_sql, (organization_id, day)).fetchone()[0]
        change = (
            "update marts.fct_orders set net_revenue = net_revenue + %s where (organization_id, order_id) = (%s, %s)"
        )
        conn.execute(change, (100, organization_id, order_id))
    try:
        assert refresh_daily(url) == dict.fromkeys(DAILY, 0)  # not logged: not read
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(log_key, (organization_id, order_id))
        assert refresh_daily(url) == {**dict.fromkeys(DAILY, 0), "mv_daily_metrics": 1}
        with psycopg.connect(url) as conn:
            assert conn.execute(value_sql, (organization_id, day)).fetchone()[0] == booked + 100
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(change, (-100, organization_id, order_id))
            conn.execute(log_key, (organization_id, order_id))
    assert refresh_daily(url)["mv_daily_metrics"] == 1
    with psycopg.connect(url) as conn:
        assert conn.execute(value_sql, (organization_id, day)).fetchone()[0] == booked


def test_a_changed_contributions_view_makes_the_next_refresh_compare_every_piece(simulated_warehouse):
    """A new version of a contributions view can read a branch from another model, so its pieces no longer match the
    ledger's key for key: the relation's watermark keeps the view's checksum, and when it differs the refresh
    compares every piece. Here the ledger says an order's pieces were read from a table (no change model), as an
    earlier version would have: compared in full, they are the same pieces, so no day is rebuilt and the ledger
    takes their keys; compared by keys only, they would look deleted."""
    url, _ = simulated_warehouse
    refresh(url)
    with psycopg.connect(url, autocommit=True) as conn:
        organization_id, order_id = conn.execute(
            "select organization_id, change_key from marts.int_slice_ledger"
            " where model_code = hashtext('mv_daily_metrics') and source_code = hashtext('orders.booked')"
            " order by 1, 2 limit 1"
        ).fetchone()
        conn.execute(
            "update marts.int_slice_ledger set change_code = null where model_code = hashtext('mv_daily_metrics')"
            " and change_code = hashtext('fct_orders') and (organization_id, change_key) = (%s, %s)",
            (organization_id, order_id),
        )
        conn.execute("update marts.int_refresh_watermarks set fingerprint = 'an earlier version'"
                     " where model_name = 'mv_daily_metrics'")  # fmt: skip
    assert refresh_daily(url) == dict.fromkeys(DAILY, 0)
    with psycopg.connect(url) as conn:
        models = conn.execute(
            "select array_agg(distinct coalesce(change_code, 0)), count(*), hashtext('fct_orders')"
            " from marts.int_slice_ledger"
            " where model_code = hashtext('mv_daily_metrics') and (organization_id, change_key) = (%s, %s)"
            " and source_code = any(array(select distinct hashtext(source_table)"
            "  from marts.int_mv_daily_metrics__contributions where source_table like 'orders.%%'))",
            (organization_id, order_id),
        ).fetchone()
        versions = conn.execute(
            "select count(distinct fingerprint), min(fingerprint) from marts.int_refresh_watermarks"
            " where model_name = 'mv_daily_metrics'"
        ).fetchone()
    assert models[2] in models[0] and 0 not in models[0], models  # every piece of the order has its key again
    assert versions[0] == 1 and versions[1] != "an earlier version"


def test_incremental_refresh_matches_full_rebuild_after_simulated_days_and_late_changes(simulated_warehouse):
    url, _ = simulated_warehouse
    for _ in range(SIMULATED_DAYS - 1):
        result = run_cli("simulate", "--days", "1", env={"DATABASE_URL": url})
        assert result.returncode == 0, result.stderr
        with psycopg.connect(url) as conn:
            late_changes(conn)
        refresh(url)
    with psycopg.connect(url, autocommit=True) as conn:
        snapshot_tables(conn, "incremental")
        # the ledger holds exactly the pieces the relations were built from (the replaced ones were deleted)
        for name in DAILY:
            ledger = f"(select {LEDGER_PIECE} from marts.int_slice_ledger where model_code = hashtext('{name}')) as l"
            view = f"(select {CODED_PIECE} from marts.int_{name}__contributions) as pieces"
            assert differences(conn, ledger, view) == 0, name
    refresh(url, full=True)
    with psycopg.connect(url) as conn:
        for name, relation in RELATIONS.items():
            rows = conn.execute(f"select count(*) from {relation}").fetchone()[0]
            assert rows > 0, name
            assert differences(conn, f"compare_incremental.{name}", relation) == 0, name


def test_a_refresh_tests_the_keys_it_refreshed_and_a_full_run_tests_every_row(simulated_warehouse):
    """macros/refresh_tests.sql: in an incremental run the generic tests of a keyed model read only the keys the run
    refreshed (int_refresh_changes), so a bad row elsewhere is left to full runs, and a bad refreshed row is caught."""
    url, _ = simulated_warehouse

    def failing_tests(**variables) -> list[str]:
        """The generic test of fct_orders.customer_id, when it fails."""
        args = dbt_args("test", select=[relationship], variables=variables or None)
        return [failure.split(".")[2] for failure in run_dbt(args, url=url).failures]

    relationship = "relationships_in_organization_fct_orders_customer_id__customer_id__ref_stg_app__customers_"
    broken = "update marts.fct_orders set customer_id = -1 where (organization_id, order_id) = (%s, %s)"
    with psycopg.connect(url, autocommit=True) as conn:
        # the builds so far happened a day ago: no key of fct_orders counts as refreshed by the test runs below
        conn.execute("update marts.int_refresh_changes set refreshed_at = refreshed_at - interval '1 day'")
        organization_id, order_id, customer_id = conn.execute(
            "select organization_id, order_id, customer_id from marts.fct_orders"
            " where (organization_id, order_id) not in (select organization_id, key_id from marts.int_refresh_changes"
            "   where model_name = 'fct_orders' and key_id is not null)"
            " order by organization_id, order_id limit 1"
        ).fetchone()
        conn.execute(broken, (organization_id, order_id))
    try:
        assert failing_tests() == []  # the broken row is not a key this run refreshed
        assert failing_tests(test_refreshed_keys_only=False) == [relationship]
        built_whole = "model_name = 'fct_orders' and key_id is null and refreshed_at > now() - interval '1 hour'"
        with psycopg.connect(url, autocommit=True) as conn:  # as a full build of fct_orders logs it
            conn.execute(
                "insert into marts.int_refresh_changes (model_name, organization_id, key_id, refreshed_at)"
                " values ('fct_orders', null, null, now())"
            )
        assert failing_tests() == [relationship]  # built whole in this run: every row is checked
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"delete from marts.int_refresh_changes where {built_whole}")
        with psycopg.connect(url, autocommit=True) as conn:  # as the keyed refresh logs a key it rewrote
            conn.execute(
                "insert into marts.int_refresh_changes (model_name, organization_id, key_id, refreshed_at)"
                " values ('fct_orders', %s, %s, now())",
                (organization_id, order_id),
            )
        assert failing_tests() == [relationship]
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(
                "update marts.fct_orders set customer_id = %s where (organization_id, order_id) = (%s, %s)",
                (customer_id, organization_id, order_id),
            )


def refresh_metric_days(url: str, *, full: list[str] = ()) -> int:
    """Refresh int_metric_daily_values (and nothing else), after building the models in `full` whole; rows it
    wrote."""
    for model in full:
        full_rebuild(url, model)
    result = execute(
        "build",
        select=["int_metric_daily_values"],
        exclude=["resource_type:test", "resource_type:unit_test"],
        variables=PINNED,
        url=url,
    )
    return result.rows_affected.get("model.fieldservice_warehouse.int_metric_daily_values", 0)


def test_metric_daily_values_rewrite_the_days_the_keyed_marts_logged_and_the_tables_built_whole(simulated_warehouse):
    url, _ = simulated_warehouse
    refresh(url)
    decoy = (
        "update marts.int_metric_daily_values set value = value + 1000"
        " where (organization_id, measure_name, metric_date) = (select organization_id, measure_name, min(metric_date)"
        " from marts.int_metric_daily_values where measure_name = %s group by 1, 2 order by 1 limit 1)"
    )
    with psycopg.connect(url) as conn:
        # a decoy on the oldest day of a measure of a keyed mart (orders booked) and of one rebuilt whole (issues)
        conn.execute(decoy, ("orders_booked",))
        conn.execute(decoy, ("issues_opened",))
        # an order of the newest organization moves 40 days back; a line of an invoiced order goes (hard delete)
        moved = conn.execute(
            """update app.orders set order_date = order_date - 40
               where (organization_id, id) = (select organization_id, max(id) from app.orders
                                              where status not in ('draft', 'cancelled') and deleted_at is null
                                              group by organization_id order by 1 desc limit 1)
               returning organization_id, order_date"""
        ).fetchone()
    assert refresh(url)["int_metric_daily_values"] > 0
    with psycopg.connect(url) as conn:
        decoys = conn.execute(
            "select distinct measure_name from marts.int_metric_daily_values where value >= 1000 and measure_name in"
            " ('orders_booked', 'issues_opened') and (organization_id, measure_name, metric_date) in (select"
            " organization_id, measure_name, min(metric_date) from marts.int_metric_daily_values group by 1, 2)"
        ).fetchall()
        logged = conn.execute(
            "select count(*) from marts.int_refresh_changes where model_name = 'fct_orders.metric_day'"
            " and organization_id = %s and key_id = %s - date '1970-01-01'",
            moved,
        ).fetchone()[0]
    # the keyed mart's untouched day was not recomputed, the table rebuilt whole was; the moved order's new day
    # was logged
    assert decoys == [("orders_booked",)]
    assert logged >= 1
    # a keyed mart built whole since is recomputed whole too: the decoy goes
    assert refresh_metric_days(url, full=["fct_orders"]) >= 1
    assert rows_differing_from_a_full_rebuild(url, "int_metric_daily_values") == 0
    # and a refresh with nothing changed writes nothing
    refresh(url)
    assert refresh_metric_days(url) == 0


def test_metric_daily_values_follow_a_change_of_holidays_and_a_new_definition(simulated_warehouse):
    url, _ = simulated_warehouse
    refresh(url)
    compliant = (
        "select coalesce(sum(value), 0) from marts.int_metric_daily_values"
        " where measure_name = 'sla_compliant_issues' and organization_id = %s"
    )
    with psycopg.connect(url) as conn:
        # every day of the last year a holiday in the organization with the most issues: business time stops, so
        # issues resolved on those days count fewer business minutes and more of them meet their SLA
        organization_id = conn.execute(
            "select organization_id from app.issues group by 1 order by count(*) desc limit 1"
        ).fetchone()[0]
        before = conn.execute(compliant, (organization_id,)).fetchone()[0]
        conn.execute(
            """insert into app.organization_holidays (organization_id, id, holiday_date, name)
               select %(org)s, coalesce((select max(id) from app.organization_holidays), 0) + day.n,
                   current_date - day.n, 'closed'
               from generate_series(1, 365) as day (n)
               where not exists (select 1 from app.organization_holidays h
                                 where h.organization_id = %(org)s and h.holiday_date = current_date - day.n)""",
            {"org": organization_id},
        )
    refresh(url)
    with psycopg.connect(url) as conn:
        after = conn.execute(compliant, (organization_id,)).fetchone()[0]
    assert after > before
    assert rows_differing_from_a_full_rebuild(url, "int_metric_daily_values") == 0
    # a table built with another definition of the measures (an earlier version) is recomputed whole
    with psycopg.connect(url) as conn:
        conn.execute(
            "update marts.int_refresh_watermarks set fingerprint = 'earlier'"
            " where model_name = 'int_metric_daily_values'"
        )
        conn.execute("update marts.int_metric_daily_values set value = value + 1 where measure_name = 'orders_booked'")
        # and a measure that definition had and this one has not: its rows go
        conn.execute(
            "insert into marts.int_metric_daily_values (organization_id, metric_date, user_id, measure_name, value)"
            " select organization_id, current_date, null, 'retired_measure', 1 from marts.dim_organizations"
        )
    assert refresh_metric_days(url) > 0
    with psycopg.connect(url) as conn:
        retired = conn.execute(
            "select count(*) from marts.int_metric_daily_values where measure_name = 'retired_measure'"
        ).fetchone()[0]
    assert retired == 0
    assert rows_differing_from_a_full_rebuild(url, "int_metric_daily_values") == 0


def test_metric_daily_values_wait_for_a_keyed_refresh_in_flight_and_not_for_other_readers(simulated_warehouse):
    """The refresh takes the keyed marts' locks shared: a keyed refresh in flight (its lock held exclusively) makes
    it wait, so it sees every day that refresh logs; another reader (a daily relation, holding it shared) does not."""
    url, _ = simulated_warehouse
    refresh(url)
    lock = "select pg_advisory_lock{}(hashtext('keyed:' || %s))"
    relation = '"{}"."marts"."fct_orders"'.format(psycopg.conninfo.conninfo_to_dict(url)["dbname"])
    with psycopg.connect(url, autocommit=True) as reader:
        reader.execute(lock.format("_shared"), (relation,))
        assert refresh_metric_days(url) == 0  # finished while another reader holds the lock
    with psycopg.connect(url, autocommit=True) as writer:
        writer.execute(lock.format(""), (relation,))
        finished: list[int] = []
        refreshing = threading.Thread(target=lambda: finished.append(refresh_metric_days(url)))
        refreshing.start()
        waiting = 0
        for _ in range(300):
            waiting = writer.execute(
                "select count(*) from pg_locks where locktype = 'advisory' and not granted and mode = 'ShareLock'"
            ).fetchone()[0]
            if waiting:
                break
            time.sleep(0.5)
        assert waiting == 1 and not finished
        writer.execute("select pg_advisory_unlock(hashtext('keyed:' || %s))", (relation,))
        refreshing.join(timeout=600)
    assert finished == [0]


def delete_a_time_entry(conn) -> tuple[int, int]:
    """Delete for good the newest time entry of the first organization; its (organization_id, id)."""
    return conn.execute(
        """delete from app.job_time_entries where (organization_id, id) = (
               select organization_id, max(id) from app.job_time_entries group by organization_id order by 1 limit 1)
           returning organization_id, id"""
    ).fetchone()


def test_a_row_deleted_for_good_is_found_from_the_log_or_before_it_began_by_comparing_tables(simulated_warehouse):
    url, _ = simulated_warehouse
    refresh(url)
    entry = "select count(*) from marts.fct_job_time_entries where (organization_id, job_time_entry_id) = (%s, %s)"
    with psycopg.connect(url) as conn:
        logged = delete_a_time_entry(conn)
        in_log = conn.execute(
            "select count(*) from app_changes.row_deletions"
            " where source_table = 'job_time_entries' and (organization_id, id) = (%s, %s)",
            logged,
        ).fetchone()[0]
    assert in_log == 1
    refresh(url)
    with psycopg.connect(url) as conn:
        assert conn.execute(entry, logged).fetchone()[0] == 0
        # a deletion the log never saw (as before the log began), and the log beginning after the watermark
        conn.execute("alter table app.job_time_entries disable trigger log_row_deletions")
        unlogged = delete_a_time_entry(conn)
        conn.execute("alter table app.job_time_entries enable trigger log_row_deletions")
        conn.execute("update app_changes.row_deletions set deleted_at = now() where source_table = '*'")
        assert conn.execute(entry, unlogged).fetchone()[0] == 1
    refresh(url)
    with psycopg.connect(url) as conn:
        assert conn.execute(entry, unlogged).fetchone()[0] == 0
    assert rows_differing_from_a_full_rebuild(url, "fct_job_time_entries") == 0
