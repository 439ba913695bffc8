"""Identity & Org: the tenant (organizations), its users, groups, invitations, sessions, tokens, roles."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Identity, Index, String, Text, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from oltp.models import columns as col
from oltp.models.base import TIMESTAMPTZ, Base, ReferenceBase, SoftDeleteMixin, TenantBase, TimestampMixin

ROLE_NAMES = ("owner", "admin", "sales", "operations", "technician", "finance", "analyst", "viewer")


class Organization(TimestampMixin, SoftDeleteMixin, Base):
    """The tenant: one field-service business with its profile, settings and billing plan."""

    __tablename__ = "organizations"
    __table_args__ = (
        UniqueConstraint("slug"),
        CheckConstraint("fiscal_year_start_month between 1 and 12", name="fiscal_year_start_month_range"),
        {"comment": "The tenant: a field-service business."},
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True, sort_order=-99)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), comment="URL-safe unique handle of the organization.")
    industry: Mapped[str | None] = mapped_column(String(80), comment="Trade, e.g. HVAC, solar, plumbing.")
    timezone: Mapped[str] = mapped_column(
        String(64), server_default="UTC", comment="IANA time zone that defines the organization's business day."
    )
    currency: Mapped[str] = col.currency("ISO 4217 code of the organization's reporting currency.")
    country: Mapped[str | None] = mapped_column(String(2), comment="ISO 3166-1 alpha-2 country code.")
    plan: Mapped[str] = col.one_of(
        ("trial", "starter", "professional", "enterprise"), "Billing plan.", default="starter"
    )
    billing_email: Mapped[str | None] = mapped_column(String(320))
    fiscal_year_start_month: Mapped[int] = col.count("Month (1-12) in which the fiscal year starts.", default=1)
    settings: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default="{}", comment="Free-form organization preferences."
    )
    status: Mapped[str] = col.one_of(("active", "suspended", "closed"), "Tenant lifecycle.", default="active")


class User(SoftDeleteMixin, TenantBase):
    """A person who signs in to the organization's workspace."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("organization_id", "email"),
        # Sign-in finds a user by email, case-insensitively, across organizations (app.reader_identity).
        Index("ix_users_lower_email", func.lower(text("email"))),
        {"comment": "People who sign in: staff, technicians, managers."},
    )

    email: Mapped[str] = mapped_column(String(320))
    full_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    job_title: Mapped[str | None] = mapped_column(String(120))
    primary_role: Mapped[str] = col.one_of(ROLE_NAMES, "Main role shown in lists; grants come from user_roles.")
    status: Mapped[str] = col.one_of(("invited", "active", "disabled"), "Account state.", default="active")
    auth_provider: Mapped[str] = col.one_of(
        ("password", "google", "microsoft", "saml"), "How the user signs in.", default="password"
    )
    auth_subject: Mapped[str | None] = mapped_column(String(200), comment="Subject at the identity provider.")
    hourly_cost: Mapped[Decimal | None] = col.money(
        "Loaded labour cost per hour, for job costing.", nullable=True, default=None
    )
    manager_id: Mapped[int | None] = col.fk("users", "The user's manager.")
    last_login_at: Mapped[datetime | None] = col.timestamp("Most recent successful sign-in.")


class UserGroup(TenantBase):
    """A team of users, e.g. a sales region or a technician crew."""

    __tablename__ = "user_groups"
    __table_args__ = (UniqueConstraint("organization_id", "name"), {"comment": "Teams of users."})

    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    group_type: Mapped[str] = col.one_of(("team", "crew", "region", "department"), "Kind of group.", default="team")
    lead_user_id: Mapped[int | None] = col.fk("users", "Group lead.")


class UserGroupMember(TenantBase):
    """Membership of a user in a group."""

    __tablename__ = "user_group_members"
    __table_args__ = (
        UniqueConstraint("organization_id", "group_id", "user_id"),
        {"comment": "Which users belong to which groups."},
    )

    group_id: Mapped[int] = col.fk("user_groups", nullable=False, ondelete="CASCADE")
    user_id: Mapped[int] = col.fk("users", nullable=False, ondelete="CASCADE")
    member_role: Mapped[str] = col.one_of(("member", "lead"), "Role inside the group.", default="member")


class UserInvitation(TenantBase):
    """An invitation e-mailed to a future user."""

    __tablename__ = "user_invitations"
    __table_args__ = ({"comment": "Invitations to join an organization."},)

    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = col.one_of(ROLE_NAMES, "Role the invitee gets on acceptance.")
    invited_by_user_id: Mapped[int | None] = col.fk("users", "Who sent the invitation.")
    accepted_user_id: Mapped[int | None] = col.fk("users", "The user created on acceptance.")
    status: Mapped[str] = col.one_of(
        ("pending", "accepted", "expired", "revoked"), "Invitation state.", default="pending"
    )
    expires_at: Mapped[datetime] = col.timestamp(nullable=False)
    accepted_at: Mapped[datetime | None] = col.timestamp()


class UserSession(TenantBase):
    """A signed-in session of a user."""

    __tablename__ = "user_sessions"
    __table_args__ = ({"comment": "Sign-in sessions, for security review and activity analytics."},)

    user_id: Mapped[int] = col.fk("users", nullable=False, ondelete="CASCADE")
    token_hash: Mapped[str] = mapped_column(String(128), comment="SHA-256 of the session token; never the token.")
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())
    expires_at: Mapped[datetime] = col.timestamp(nullable=False)
    revoked_at: Mapped[datetime | None] = col.timestamp()


class ApiToken(TenantBase):
    """A long-lived token for integrations."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        UniqueConstraint("organization_id", "token_prefix"),
        {"comment": "API tokens for integrations; only a hash is stored."},
    )

    name: Mapped[str] = mapped_column(String(120))
    token_prefix: Mapped[str] = mapped_column(String(12), comment="First characters, shown to identify a token.")
    token_hash: Mapped[str] = mapped_column(String(128), comment="SHA-256 of the token.")
    created_by_user_id: Mapped[int | None] = col.fk("users")
    scopes: Mapped[list[Any]] = mapped_column(JSONB, server_default="[]", comment="Permission codes granted.")
    last_used_at: Mapped[datetime | None] = col.timestamp()
    expires_at: Mapped[datetime | None] = col.timestamp()
    revoked_at: Mapped[datetime | None] = col.timestamp()


class Role(ReferenceBase):
    """A system role every organization uses (owner, admin, sales, ...)."""

    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("name"), {"comment": "System roles shared by all organizations."})

    name: Mapped[str] = col.one_of(ROLE_NAMES, "Role name.")
    description: Mapped[str] = mapped_column(Text)


class Permission(ReferenceBase):
    """An action on a resource, e.g. ``orders.write``."""

    __tablename__ = "permissions"
    __table_args__ = (UniqueConstraint("code"), {"comment": "Permission codes shared by all organizations."})

    code: Mapped[str] = mapped_column(String(80), comment="resource.action, e.g. orders.write.")
    description: Mapped[str] = mapped_column(Text)


class RolePermission(ReferenceBase):
    """Which permissions a role grants."""

    __tablename__ = "role_permissions"
    __table_args__ = (UniqueConstraint("role_id", "permission_id"), {"comment": "Permissions granted per role."})

    role_id: Mapped[int] = col.reference_fk("roles")
    permission_id: Mapped[int] = col.reference_fk("permissions")


class UserRole(TenantBase):
    """A role granted to a user inside their organization."""

    __tablename__ = "user_roles"
    __table_args__ = (
        UniqueConstraint("organization_id", "user_id", "role_id"),
        {"comment": "Roles granted to users."},
    )

    user_id: Mapped[int] = col.fk("users", nullable=False, ondelete="CASCADE")
    role_id: Mapped[int] = col.reference_fk("roles")
    granted_by_user_id: Mapped[int | None] = col.fk("users")
