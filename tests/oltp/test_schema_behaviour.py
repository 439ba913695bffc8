"""What the database itself guarantees: tenant isolation, non-negative amounts, and `updated_at` bumps."""

from __future__ import annotations

import time

import psycopg
import pytest


def _organization(conn, slug: str) -> int:
    return conn.execute(
        "insert into app.organizations (name, slug) values (%s, %s) returning id", (slug.title(), slug)
    ).fetchone()[0]


def _customer(conn, organization_id: int, number: str) -> int:
    return conn.execute(
        """insert into app.customers (organization_id, customer_number, name)
           values (%s, %s, %s) returning id""",
        (organization_id, number, f"Customer {number}"),
    ).fetchone()[0]


def test_a_row_cannot_reference_another_organizations_row(conn):
    acme, globex = _organization(conn, "acme"), _organization(conn, "globex")
    globex_customer = _customer(conn, globex, "G-1")
    with pytest.raises(psycopg.errors.ForeignKeyViolation, match="fk_orders_customer_id"):
        conn.execute(
            """insert into app.orders (organization_id, order_number, customer_id, order_date)
               values (%s, 'A-1', %s, current_date)""",
            (acme, globex_customer),
        )


def test_the_same_reference_inside_one_organization_is_accepted(conn):
    acme = _organization(conn, "acme")
    customer = _customer(conn, acme, "A-1")
    order_id = conn.execute(
        """insert into app.orders (organization_id, order_number, customer_id, order_date)
           values (%s, 'SO-1', %s, current_date) returning id""",
        (acme, customer),
    ).fetchone()[0]
    assert conn.execute("select customer_id from app.orders where id = %s", (order_id,)).fetchone()[0] == customer


def test_a_negative_amount_where_forbidden_is_rejected(conn):
    acme = _organization(conn, "acme")
    product = conn.execute(
        """insert into app.products (organization_id, sku, name, list_price)
           values (%s, 'SKU-1', 'Heat pump', 100) returning id""",
        (acme,),
    ).fetchone()[0]
    with pytest.raises(psycopg.errors.CheckViolation, match="list_price_non_negative"):
        conn.execute("update app.products set list_price = -0.01 where id = %s", (product,))


def test_a_percentage_outside_0_to_100_is_rejected(conn):
    acme = _organization(conn, "acme")
    customer = _customer(conn, acme, "A-1")
    with pytest.raises(psycopg.errors.CheckViolation, match="probability_range"):
        conn.execute(
            """insert into app.opportunities (organization_id, opportunity_number, name, customer_id, probability)
               values (%s, 'OP-1', 'Roof', %s, 101)""",
            (acme, customer),
        )


def test_an_unknown_status_is_rejected(conn):
    acme = _organization(conn, "acme")
    customer = _customer(conn, acme, "A-1")
    with pytest.raises(psycopg.errors.CheckViolation, match="status_allowed"):
        conn.execute(
            """insert into app.orders (organization_id, order_number, customer_id, order_date, status)
               values (%s, 'SO-1', %s, current_date, 'shipped-ish')""",
            (acme, customer),
        )


def test_an_update_by_any_writer_bumps_updated_at(migrated_url):
    with psycopg.connect(migrated_url, autocommit=True) as conn:
        acme = _organization(conn, "bump-check")
        customer = _customer(conn, acme, "B-1")
        before = conn.execute("select updated_at from app.customers where id = %s", (customer,)).fetchone()[0]
        time.sleep(0.05)
        # The writer does not touch updated_at; the trigger must.
        conn.execute("update app.customers set name = 'Renamed' where id = %s", (customer,))
        after = conn.execute("select updated_at from app.customers where id = %s", (customer,)).fetchone()[0]
        assert after > before
        conn.execute("delete from app.organizations where id = %s", (acme,))
        remaining = conn.execute("select count(*) from app.customers where organization_id = %s", (acme,))
        assert remaining.fetchone()[0] == 0
