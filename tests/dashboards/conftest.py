"""The dashboards' tests run every page through AppTest as signed-in users of the `tiny` warehouse (several
organizations), reading through the reader role as the served app does."""

from __future__ import annotations

import os
from dataclasses import dataclass

import psycopg
import pytest

ROLES = ("viewer", "analyst", "finance", "sales", "admin")


@dataclass(frozen=True)
class Person:
    email: str
    user_id: int
    organization_id: int
    organization_name: str
    role: str


@pytest.fixture(scope="package")
def warehouse_url(tiny_warehouse):
    """The tiny warehouse as the platform's database, for the app and the read side in this process."""
    before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = tiny_warehouse
    yield tiny_warehouse
    if before is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = before


@pytest.fixture(scope="package")
def people(warehouse_url) -> dict[tuple[int, str], Person]:
    """One active user per (organization, role) whose only role is that one, in the two largest active
    organizations; keys are (0 or 1, role)."""
    with psycopg.connect(warehouse_url) as conn:
        organizations = [
            row[0]
            for row in conn.execute(
                """select o.id from app.organizations o join app.users u on u.organization_id = o.id
                   where o.status = 'active' group by o.id order by count(*) desc, o.id limit 2"""
            )
        ]
        found = {}
        for index, organization in enumerate(organizations):
            for role in ROLES:
                row = conn.execute(
                    """
                    select u.email, u.id, o.id, o.name
                    from app.users u join app.organizations o on o.id = u.organization_id
                    join app.user_roles ur on ur.organization_id = u.organization_id and ur.user_id = u.id
                    join app.roles r on r.id = ur.role_id
                    where o.id = %s and u.status = 'active' and u.deleted_at is null and r.name = %s
                        and (select count(*) from app.user_roles x
                             where x.organization_id = u.organization_id and x.user_id = u.id) = 1
                    order by u.id limit 1
                    """,
                    (organization, role),
                ).fetchone()
                if row is None:
                    # the tiny data has no user of this role here: a technician (one role) takes it for the tests
                    row = conn.execute(
                        """select u.email, u.id, o.id, o.name from app.users u
                           join app.organizations o on o.id = u.organization_id
                           join app.user_roles ur on ur.organization_id = u.organization_id and ur.user_id = u.id
                           join app.roles r on r.id = ur.role_id
                           where o.id = %s and u.status = 'active' and u.deleted_at is null
                               and r.name = 'technician'
                               and (select count(*) from app.user_roles x
                                    where x.organization_id = u.organization_id and x.user_id = u.id) = 1
                           order by u.id desc limit 1""",
                        (organization,),
                    ).fetchone()
                    assert row is not None, f"organization {organization} has no technician to make {role}"
                    conn.execute(
                        """update app.user_roles set role_id = (select id from app.roles where name = %s)
                           where organization_id = %s and user_id = %s""",
                        (role, organization, row[1]),
                    )
                found[(index, role)] = Person(row[0], row[1], row[2], row[3], role)
        conn.commit()
    return found
