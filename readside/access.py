"""Who is signed in and what they may see: the identity's email finds the `app.users` row (hence organization,
roles and permissions), and the seeded permissions decide pages, figures and actions.

The lookup goes through `app.reader_identity`, a function the reader may call with one email; it cannot list
users. Everything a page later reads runs under the viewer's `Scope` (readside.database.scoped).
"""

from __future__ import annotations

from dataclasses import dataclass

from oltp.errors import WarehouseError
from readside.database import Scope, unscoped

# Permission codes the read side decides by (seeded by migrations 0003 and 0006).
REPORTS_READ = "reports.read"  # open dashboards and shared custom reports
REPORTS_WRITE = "reports.write"  # build, save and share custom reports
FINANCE_READ = "finance.read"  # revenue, margin, cash collected, receivables
EXPORTS_READ = "exports.read"  # CSV export of tables and drill-downs
SCHEDULES_WRITE = "schedules.write"  # create, change and pause scheduled emails

WHAT_NEEDS = {
    REPORTS_READ: "open the dashboards",
    REPORTS_WRITE: "build, save or share custom reports",
    FINANCE_READ: "see finance figures (revenue, margin, cash collected, receivables)",
    EXPORTS_READ: "export CSV",
    SCHEDULES_WRITE: "schedule email reports",
}


class SignInRefused(WarehouseError):
    """The identity may not use the dashboards; the message says why, for the person signing in."""


class PermissionDenied(WarehouseError):
    """The viewer lacks a permission for what was asked (a forced URL or widget state included)."""


@dataclass(frozen=True)
class Viewer:
    """A signed-in person (or an email's recipient) in one organization."""

    user_id: int
    organization_id: int
    email: str
    full_name: str
    organization_name: str
    currency: str
    timezone: str
    roles: tuple[str, ...]
    permissions: frozenset[str]

    @property
    def scope(self) -> Scope:
        return Scope(self.organization_id, self.user_id)

    @property
    def cache_key(self) -> tuple:
        """What decides what this viewer may see; every shared cache of a read is keyed by it."""
        return (self.organization_id, self.user_id, self.roles, tuple(sorted(self.permissions)))

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def require(self, permission: str) -> None:
        if not self.can(permission):
            roles = ", ".join(self.roles) or "no role"
            raise PermissionDenied(
                f"your role ({roles}) may not {WHAT_NEEDS.get(permission, permission)}; "
                "ask your organization's administrator for a role that may"
            )


def viewers_for_email(email: str, engine=None) -> list[Viewer]:
    """The accounts ``email`` may sign in to, one per organization (usually one); raises SignInRefused naming
    why when there is none: no such user, a disabled or deleted account, or a suspended or closed organization."""
    from sqlalchemy import text

    email = (email or "").strip()
    if not email or "@" not in email:
        raise SignInRefused("the identity provider gave no email address for this sign-in")
    with unscoped(engine) as conn:
        rows = conn.execute(text("select * from app.reader_identity(:email)"), {"email": email}).mappings().all()
    if not rows:
        raise SignInRefused(
            f"no account uses {email}; ask your organization's administrator to invite you with this address"
        )
    usable, reasons = [], []
    for row in rows:
        if row["organization_deleted"] or row["organization_status"] == "closed":
            reasons.append(f"{row['organization_name']} is closed")
        elif row["organization_status"] == "suspended":
            reasons.append(f"{row['organization_name']} is suspended; its owner can contact support to restore it")
        elif row["user_deleted"]:
            reasons.append(f"your account at {row['organization_name']} was deleted")
        elif row["user_status"] != "active":
            reasons.append(f"your account at {row['organization_name']} is {row['user_status']}")
        elif REPORTS_READ not in row["permissions"]:
            reasons.append(f"your role at {row['organization_name']} may not open the dashboards")
        else:
            usable.append(
                Viewer(
                    user_id=row["user_id"],
                    organization_id=row["organization_id"],
                    email=email.lower(),
                    full_name=row["full_name"],
                    organization_name=row["organization_name"],
                    currency=row["currency"],
                    timezone=row["timezone"],
                    roles=tuple(row["roles"]),
                    permissions=frozenset(row["permissions"]),
                )
            )
    if not usable:
        raise SignInRefused(f"{email} cannot sign in: " + "; ".join(reasons))
    return usable
