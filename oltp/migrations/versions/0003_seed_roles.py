"""Reference data: the roles a field-service company uses, the permissions, and what each role grants.

Revision ID: 0003_seed_roles
Revises: 0002_operational_tables
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_seed_roles"
down_revision: str | None = "0002_operational_tables"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = {
    "owner": "Owns the account: everything, including billing and deleting the organization.",
    "admin": "Runs the workspace: users, settings and every business record.",
    "sales": "Works customers, opportunities, quotes and orders.",
    "operations": "Schedules and dispatches jobs, manages stock and purchasing.",
    "technician": "Carries out jobs: tasks, time, materials, photos and checklists.",
    "finance": "Invoicing, payments, credit notes, revenue recognition and statements.",
    "analyst": "Reads every report and builds custom reports; changes no business records.",
    "viewer": "Reads dashboards and records; changes nothing.",
}
RESOURCES = (
    "customers",
    "opportunities",
    "quotes",
    "orders",
    "jobs",
    "inventory",
    "purchasing",
    "invoices",
    "payments",
    "warranties",
    "support",
    "campaigns",
    "reports",
    "settings",
    "users",
)
WRITES = {
    "owner": set(RESOURCES),
    "admin": set(RESOURCES),
    "sales": {"customers", "opportunities", "quotes", "orders", "campaigns"},
    "operations": {"jobs", "inventory", "purchasing", "support", "warranties"},
    "technician": {"jobs"},
    "finance": {"invoices", "payments", "orders"},
    "analyst": {"reports"},
    "viewer": set(),
}

roles = sa.table("roles", sa.column("name"), sa.column("description"), schema="app")
permissions = sa.table("permissions", sa.column("code"), sa.column("description"), schema="app")


def upgrade() -> None:
    op.bulk_insert(roles, [{"name": name, "description": text} for name, text in ROLES.items()])
    op.bulk_insert(
        permissions,
        [
            {"code": f"{resource}.{action}", "description": f"{action.title()} {resource.replace('_', ' ')}."}
            for resource in RESOURCES
            for action in ("read", "write")
        ],
    )
    grants = [
        (role, f"{resource}.read")
        for role in ROLES
        for resource in RESOURCES
        if resource != "settings" or role in ("owner", "admin")
    ] + [(role, f"{resource}.write") for role, resources in WRITES.items() for resource in sorted(resources)]
    for role, code in grants:
        op.execute(
            sa.text(
                """insert into app.role_permissions (role_id, permission_id)
                   select r.id, p.id from app.roles r, app.permissions p where r.name = :role and p.code = :code"""
            ).bindparams(role=role, code=code)
        )


def downgrade() -> None:
    op.execute("delete from app.role_permissions")
    op.execute("delete from app.permissions")
    op.execute("delete from app.roles")
