"""Synthetic data on `tiny`: deterministic, coherent (checked with SQL), multi-tenant, and safe on bad input."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import psycopg
import pytest

from oltp.models import metadata
from oltp.synthetic import context
from oltp.synthetic.generate import GenerateError, generate
from tests.conftest import new_database as _new_database
from tests.conftest import run_cli
from tests.oltp.conftest import DAYS, START


@pytest.fixture
def db(tiny_url) -> Iterator[psycopg.Connection]:
    with psycopg.connect(tiny_url) as conn:
        yield conn


def scalar(conn, sql: str, *params):
    return conn.execute(sql, params).fetchone()[0]


def table_checksums(url: str) -> dict[str, str]:
    """A digest of every generated table (the role tables come from a migration, not from the generator)."""
    with psycopg.connect(url) as conn:
        return {
            table.name: scalar(
                conn, f"select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from app.{table.name} t"
            )
            for table in metadata.sorted_tables
            if "organization_id" in table.c or table.name == "organizations"
        }


def test_same_seed_and_scale_give_identical_tables(tiny_url, pg_server, admin_url):
    again = _new_database(pg_server, admin_url, "synthetic_tiny_again")
    # The second run loads without row-by-row key checks: the contents must not depend on the loading mode.
    generate(again, "tiny", seed=7, start=START, days=DAYS)
    assert table_checksums(again) == table_checksums(tiny_url)


def test_contents_do_not_depend_on_how_tables_are_sliced_for_copy(tiny_url, pg_server, admin_url, monkeypatch):
    # Tables are converted and written in slices of COPY_BATCH_ROWS rows, each its own COPY; with a slice of 97
    # rows nearly every table is split, many times.
    monkeypatch.setattr(context, "COPY_BATCH_ROWS", 97)
    sliced = _new_database(pg_server, admin_url, "synthetic_tiny_sliced")
    generate(sliced, "tiny", seed=7, start=START, days=DAYS)
    assert table_checksums(sliced) == table_checksums(tiny_url)


def index_definitions(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [
            row[0]
            for row in conn.execute(
                "select pg_get_indexdef(indexrelid) from pg_index i join pg_class c on c.oid = i.indexrelid "
                "where c.relnamespace = 'app'::regnamespace order by 1"
            )
        ]


def test_indexes_dropped_to_load_an_empty_schema_are_all_built_again(pg_server, admin_url, migrated_url):
    url = _new_database(pg_server, admin_url, "synthetic_indexes")
    with psycopg.connect(url) as conn:
        assert scalar(conn, "select rolsuper from pg_roles where rolname = current_user")  # the fast path
    generate(url, "tiny", seed=7, start=START, days=40)
    assert index_definitions(url) == index_definitions(migrated_url)


def test_another_seed_gives_other_data(pg_server, admin_url, tiny_url):
    other = _new_database(pg_server, admin_url, "synthetic_tiny_seed8")
    generate(other, "tiny", seed=8, start=START, days=DAYS)
    assert table_checksums(other)["order_line_items"] != table_checksums(tiny_url)["order_line_items"]


def test_tiny_is_about_two_thousand_order_lines_for_two_organizations(db):
    assert scalar(db, "select count(*) from app.organizations") == 2
    assert 1_200 <= scalar(db, "select count(*) from app.order_line_items") <= 3_500


def test_order_totals_equal_the_sum_of_their_lines(db):
    mismatches = scalar(
        db,
        """select count(*) from app.orders o
           join (select organization_id, order_id, sum(line_total) as net, sum(tax_amount) as tax,
                        sum(discount_amount) as discount
                 from app.order_line_items group by 1, 2) l
             on l.organization_id = o.organization_id and l.order_id = o.id
           where o.subtotal - o.discount_total <> l.net or o.tax_total <> l.tax or o.discount_total <> l.discount
              or o.total_amount <> o.subtotal - o.discount_total + o.tax_total + o.shipping_total""",
    )
    assert mismatches == 0
    assert scalar(db, "select count(*) from app.orders o where not exists (select 1 from app.order_line_items l "
                      "where l.organization_id = o.organization_id and l.order_id = o.id)") == 0  # fmt: skip


def test_quote_and_purchase_order_totals_add_up(db):
    assert scalar(db, "select count(*) from app.quotes where total <> subtotal - discount_total + tax_total") == 0


def test_timelines_are_in_order(db):
    checks = {
        "quotes created <= sent <= accepted": """select count(*) from app.quotes
            where sent_at < created_at or accepted_at < sent_at or rejected_at < sent_at""",
        "orders created <= confirmed <= fulfilled <= completed": """select count(*) from app.orders
            where confirmed_at < created_at or fulfilled_at < confirmed_at or completed_at < fulfilled_at""",
        "invoices after fulfilment, due after invoice": """select count(*) from app.orders
            where invoice_issued_at < fulfilled_at or invoice_due_date < invoice_date""",
        "payments after the invoice": """select count(*) from app.payment_schedules s join app.orders o
            on o.organization_id = s.organization_id and o.id = s.order_id where s.paid_at < o.invoice_issued_at""",
        "deals close after they open": """select count(*) from app.opportunities where closed_at < created_at""",
        "customers acquired before they buy": """select count(*) from app.orders o join app.customers c
            on c.organization_id = o.organization_id and c.id = o.customer_id where o.created_at < c.acquired_at""",
    }
    failures = {name: scalar(db, sql) for name, sql in checks.items()}
    assert failures == dict.fromkeys(checks, 0)


def test_nothing_happens_after_the_generated_window(db):
    end = f"'{START}'::date + {DAYS}"
    for table in ("orders", "order_line_items", "payment_schedules", "opportunities", "quotes", "customers"):
        assert scalar(db, f"select count(*) from app.{table} where created_at >= {end} or updated_at >= {end}") == 0


def test_payments_never_exceed_what_is_owed(db):
    assert scalar(db, "select count(*) from app.payment_schedules where amount_paid > amount_due") == 0
    mismatch = scalar(
        db,
        """select count(*) from app.orders o join (
               select organization_id, order_id, sum(amount_due) as due, sum(amount_paid) as paid
               from app.payment_schedules group by 1, 2) s
             on s.organization_id = o.organization_id and s.order_id = o.id
           where s.due <> o.total_amount or s.paid <> o.amount_paid""",
    )
    assert mismatch == 0
    assert scalar(db, "select count(*) from app.credit_notes c join app.orders o on o.organization_id = "
                      "c.organization_id and o.id = c.order_id where c.total_amount > o.total_amount") == 0  # fmt: skip


def test_the_business_has_realistic_exceptions(db):
    assert scalar(db, "select count(*) from app.orders where status = 'cancelled'") > 0
    assert scalar(db, "select count(*) from app.opportunities where status = 'lost'") > 0
    assert scalar(db, "select count(*) from app.opportunities where status = 'won'") > 0
    late = "select count(*) from app.payment_schedules where paid_at::date > due_date"
    assert scalar(db, late) > 0
    assert scalar(db, "select count(*) from app.payment_schedules where status = 'overdue'") > 0


def test_organizations_differ_and_volumes_follow_seasons(db):
    per_org = [row[0] for row in db.execute("select count(*) from app.orders group by organization_id order by 1")]
    assert per_org[-1] / per_org[0] > 1.1
    by_weekday = dict(db.execute("select extract(isodow from order_date)::int, count(*) from app.orders group by 1"))
    assert by_weekday.get(7, 0) < by_weekday[2] / 2  # Sundays are quiet


def test_revenue_recognised_equals_fulfilled_lines_for_point_in_time_sales(db):
    mismatch = scalar(
        db,
        """select count(*) from app.revenue_recognition r join app.order_line_items l
           on l.organization_id = r.organization_id and l.id = r.order_line_item_id
           where r.recognition_method = 'point_in_time' and r.amount <> l.line_total""",
    )
    assert mismatch == 0
    over = scalar(
        db,
        """select count(*) from app.deferred_revenue d where recognized_to_date <> (
               select coalesce(sum(amount), 0) from app.revenue_recognition r
               where r.organization_id = d.organization_id and r.deferred_revenue_id = d.id)""",
    )
    assert over == 0


def test_generating_existing_organizations_again_is_refused_then_replace_works(pg_server, admin_url):
    url = _new_database(pg_server, admin_url, "synthetic_replace")
    env = {"DATABASE_URL": url}
    first = run_cli("generate", "--scale", "tiny", "--seed", "3", "--start", START, "--days", "30", env=env)
    assert first.returncode == 0, first.stderr
    before = scalar(psycopg.connect(url), "select count(*) from app.order_line_items")
    again = run_cli("generate", "--scale", "tiny", "--seed", "3", "--start", START, "--days", "30", env=env)
    assert again.returncode == 1
    assert "already have data; pass --replace" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    assert scalar(psycopg.connect(url), "select count(*) from app.order_line_items") == before
    replaced = run_cli(
        "generate", "--scale", "tiny", "--seed", "3", "--start", START, "--days", "30", "--replace", env=env
    )
    assert replaced.returncode == 0, replaced.stderr
    with psycopg.connect(url) as conn:
        assert scalar(conn, "select count(*) from app.organizations") == 2
        assert scalar(conn, "select count(*) from app.order_line_items") == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "huge"], "unknown scale 'huge'; choose one of: tiny, demo, large"),
        (["--scale", "tiny", "--days", "0"], "--days must be a positive number of days, got 0"),
        (["--scale", "tiny", "--days", "-5"], "--days must be a positive number of days, got -5"),
        (["--scale", "tiny", "--orgs", "0"], "--orgs must be at least 1, got 0"),
        (["--scale", "tiny", "--start", "yesterday"], "--start 'yesterday' is not a date"),
        (["--scale", "tiny", "--start", "2999-01-01"], "ends in the future"),
    ],
)
def test_bad_generate_input_is_one_clear_line(fresh_database_url, args, message):
    result = run_cli("generate", *args, env={"DATABASE_URL": fresh_database_url})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"error: {result.stderr.strip()[7:]}"]
    assert message in result.stderr


def _block_organization(url: str, org_id: int) -> None:
    """Make organization ``org_id`` trip a constraint half-way through its orders."""
    with psycopg.connect(url) as conn:
        conn.execute(f"alter table app.order_line_items add constraint test_block check (organization_id <> {org_id})")


def test_a_failure_loading_an_empty_database_leaves_it_empty(pg_server, admin_url, migrated_url):
    # Into an empty database the whole run is one transaction: the second organization fails, and the first,
    # written in that same transaction, goes too. The truncations and dropped indexes are undone with it.
    url = _new_database(pg_server, admin_url, "synthetic_failure")
    _block_organization(url, 2)
    with pytest.raises(GenerateError, match=r"generation failed for organization .* at step 'orders'") as failure:
        generate(url, "tiny", seed=7, start=START, days=40)
    assert "rolled back whole: the database is empty again" in str(failure.value)
    with psycopg.connect(url) as conn:
        for table in metadata.sorted_tables:
            if "organization_id" in table.c or table.name == "organizations":
                assert scalar(conn, f"select count(*) from app.{table.name}") == 0, table.name
        assert scalar(conn, "select count(*) from app.roles") > 0  # written by a migration, kept
    assert index_definitions(url) == index_definitions(migrated_url)
    # The failure left nothing behind that stops the next run.
    with psycopg.connect(url) as conn:
        conn.execute("alter table app.order_line_items drop constraint test_block")
    assert generate(url, "tiny", seed=7, start=START, days=40).order_lines > 0


def test_a_failure_part_way_leaves_no_half_written_organization(pg_server, admin_url):
    # With organizations already there, each new one is its own transaction: the first of the run stays.
    url = _new_database(pg_server, admin_url, "synthetic_failure_later")
    generate(url, "tiny", organizations=1, seed=7, start=START, days=40)
    _block_organization(url, 3)  # ids go on from the organization above: the run's second one is 3
    with pytest.raises(GenerateError, match=r"generation failed for organization .* at step 'orders'") as failure:
        generate(url, "tiny", seed=8, start=START, days=40)
    assert "that organization was rolled back, organizations before it are complete" in str(failure.value)
    with psycopg.connect(url) as conn:
        assert [r[0] for r in conn.execute("select id from app.organizations order by id")] == [1, 2]
        for table in metadata.sorted_tables:
            if "organization_id" in table.c:
                assert scalar(conn, f"select count(*) from app.{table.name} where organization_id = 3") == 0
        assert scalar(conn, "select count(*) from app.order_line_items where organization_id = 2") > 0


def test_an_empty_database_is_loaded_frozen(pg_server, admin_url):
    # Loaded in the transaction that truncated them, the tables were written with COPY FREEZE: their pages are
    # all-visible (and frozen) from the start, so no later VACUUM or first read rewrites them. Not every page: a
    # COPY buffers 64 kB of rows at a time, and the page each buffer starts on already holds rows, so about one page
    # in eight is left for VACUUM. Without FREEZE none would be (the run ends with ANALYZE, which reads the map).
    url = _new_database(pg_server, admin_url, "synthetic_frozen")
    generate(url, "tiny", seed=7, start=START, days=DAYS)
    with psycopg.connect(url) as conn:
        visible = scalar(
            conn,
            "select sum(relallvisible)::float / sum(relpages) from pg_class "
            "where relnamespace = 'app'::regnamespace and relkind = 'r' and relpages > 0",
        )
    assert visible >= 0.8


def test_binary_and_csv_copy_load_the_same_rows(tiny_url, pg_server, admin_url, monkeypatch):
    monkeypatch.setattr(context, "COPY_FORMAT", "csv")
    as_csv = _new_database(pg_server, admin_url, "synthetic_tiny_csv")
    generate(as_csv, "tiny", seed=7, start=START, days=DAYS, check_keys=True)
    assert table_checksums(as_csv) == table_checksums(tiny_url)


def test_simulator_adds_new_days_and_changes_old_rows(pg_server, admin_url):
    url = _new_database(pg_server, admin_url, "synthetic_simulate")
    generate(url, "tiny", seed=11, start=START, days=DAYS)
    with psycopg.connect(url) as conn:
        watermark = scalar(conn, "select now()")
        orders_before = scalar(conn, "select count(*) from app.orders")
    result = run_cli("simulate", "--days", "3", env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    with psycopg.connect(url) as conn:
        last_day = scalar(conn, f"select '{START}'::date + {DAYS} - 1")
        assert scalar(conn, "select count(*) from app.orders") > orders_before
        assert scalar(conn, "select max(order_date) from app.orders") == last_day + __import__("datetime").timedelta(3)
        # Old rows (created inside the generated window) were changed, and the trigger moved their updated_at.
        for table in ("orders", "payment_schedules", "opportunities"):
            changed_old = scalar(
                conn,
                f"select count(*) from app.{table} where created_at < '{START}'::date + {DAYS} and updated_at > %s",
                watermark,
            )
            assert changed_old > 0, table
        assert scalar(conn, "select count(*) from app.orders where status = 'completed' and updated_at > %s", watermark)
        through = scalar(conn, "select distinct settings #>> '{synthetic,through}' from app.organizations")
        assert through == str(last_day + __import__("datetime").timedelta(3))


def test_simulate_rejects_bad_days(fresh_database_url):
    result = run_cli("simulate", "--days", "0", env={"DATABASE_URL": fresh_database_url})
    assert result.returncode == 1
    assert "--days must be a positive number of days, got 0" in result.stderr


@pytest.mark.parametrize("days", [1, 7, 30])
def test_short_windows_generate_every_organization(pg_server, admin_url, days):
    url = _new_database(pg_server, admin_url, f"synthetic_short_{days}")
    result = generate(url, "tiny", seed=3, start=START, days=days, check_keys=True)
    assert len(result.organizations) == 2
    with psycopg.connect(url) as conn:
        assert scalar(conn, "select count(*) from app.organizations") == 2
        assert scalar(conn, "select count(*) from app.users") > 0


def test_reading_back_waits_for_the_tables_read_and_reports_a_failed_write(pg_server, admin_url, monkeypatch):
    # 3,000 organizations in slices of 100: 30 COPYs, of which the writer's queue may still hold 3 when copy()
    # returns.
    monkeypatch.setattr(context, "COPY_BATCH_ROWS", 100)
    url = _new_database(pg_server, admin_url, "synthetic_reading")
    with psycopg.connect(url) as conn:
        loader = context.Loader(conn, background=True)
        ids = loader.allocate("organizations", 3_000)
        loader.copy("organizations", {"id": ids, "name": [f"Org {i}" for i in ids], "slug": [f"org-{i}" for i in ids]})
        assert scalar(loader.reading("organizations"), "select count(*) from app.organizations") == 3_000
        # A write that fails on the writer thread is raised to the reader, and names the step that queued it.
        loader.step = "broken step"
        loader.copy("organizations", {"id": ids[:1], "name": ["Again"], "slug": ["org-again"]})  # the id is taken
        with pytest.raises(psycopg.errors.UniqueViolation):
            loader.reading("organizations")
        assert loader.failed_step == "broken step"


def test_reading_back_one_table_does_not_wait_for_another(pg_server, admin_url, monkeypatch):
    # The writer is held before the categories' slice: reading the organizations, written before it, goes ahead.
    release = threading.Event()
    write = context.Loader._write

    def held_write(self, table_name, *args):
        if table_name == "categories":
            assert release.wait(60)
        write(self, table_name, *args)

    monkeypatch.setattr(context.Loader, "_write", held_write)
    url = _new_database(pg_server, admin_url, "synthetic_reading_one")
    with psycopg.connect(url) as conn:
        loader = context.Loader(conn, background=True)
        org = loader.allocate("organizations", 1)
        loader.copy("organizations", {"id": org, "name": ["Org"], "slug": ["org"]})
        loader.copy("categories", {"organization_id": org, "id": loader.allocate("categories", 1), "name": ["Parts"]})
        assert scalar(loader.reading("organizations"), "select count(*) from app.organizations") == 1
        release.set()
        assert scalar(loader.reading("categories"), "select count(*) from app.categories") == 1
        with pytest.raises(KeyError, match="reading back unknown table"):
            loader.reading("no_such_table")


def test_a_failure_while_slices_are_queued_drops_them_and_names_the_organization(pg_server, admin_url, monkeypatch):
    # A read-back fails while the writer still holds slices of the same transaction: they must be dropped, not
    # written after the rollback, and the error must be the generator's one line.
    from oltp.synthetic.domains import engagement

    queued_when_failing, written = [], []
    holding, release = threading.Event(), threading.Event()

    def failing_read(ctx, sql):
        assert holding.wait(60), "the writer never reached customer_priorities"
        queued_when_failing.append(ctx.loader._queue.qsize())
        release.set()
        raise psycopg.errors.UndefinedTable("relation app.nowhere does not exist")

    write = context.Loader._write

    def held_write(self, table_name, *args):
        # The writer holds customer_priorities, the customers step's last slice but (when it has rows)
        # customer_merge_audit's, until the read-back has failed and the generator is abandoning the transaction:
        # the campaigns step's first slice (email_templates), queued before that read-back, is then still queued
        # (at most 2 slices are, of the queue's 3 places), and must never be written.
        written.append(table_name)
        if table_name == "customer_priorities":
            holding.set()
            assert release.wait(60), "the read-back never came"
            deadline = time.monotonic() + 60
            while not self._discarding:
                assert time.monotonic() < deadline, "the generator never abandoned the transaction"
                time.sleep(0.01)
        write(self, table_name, *args)

    monkeypatch.setattr(engagement, "read_sql", failing_read)
    monkeypatch.setattr(context.Loader, "_write", held_write)
    url = _new_database(pg_server, admin_url, "synthetic_failure_queued")
    with pytest.raises(GenerateError, match=r"generation failed for organization \S+ at step 'campaigns'"):
        generate(url, "tiny", seed=7, start=START, days=40)
    with psycopg.connect(url) as conn:
        assert scalar(conn, "select count(*) from app.organizations") == 0
        assert scalar(conn, "select count(*) from app.order_line_items") == 0
    assert queued_when_failing[0] > 0  # the writer was held, with slices queued behind it to drop
    assert written[-1] == "customer_priorities" and "email_templates" not in written  # they were dropped
