"""Every table of the target schema in `app`: 108 from its ten sections plus jobs, audit_logs and roles/permissions.

Generated from the models, then reviewed: the two keys that close the cycle jobs -> issues / warranty_claims -> jobs
are added after every table exists, and each table gets the trigger that keeps `updated_at` current.

Revision ID: 0002_operational_tables
Revises: 0001_app_schema
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_operational_tables"
down_revision: str | None = "0001_app_schema"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table this revision creates; each gets the updated_at trigger.
TABLES = (
    "activities",
    "addresses",
    "api_tokens",
    "audit_logs",
    "business_hours_config",
    "campaign_recipients",
    "categories",
    "checklist_templates",
    "contacts",
    "credit_notes",
    "csat_responses",
    "custom_reports",
    "customer_activities",
    "customer_health_metrics",
    "customer_merge_audit",
    "customer_priorities",
    "customer_product_prices",
    "customer_tag_assignments",
    "customer_tags",
    "customers",
    "dashboard_layouts",
    "deferred_revenue",
    "email_campaigns",
    "email_history",
    "email_signatures",
    "email_templates",
    "escalation_history",
    "escalation_rules",
    "inventory",
    "inventory_alerts",
    "inventory_cost_layers",
    "inventory_forecasts",
    "inventory_movements",
    "issue_templates",
    "issues",
    "job_assignments",
    "job_checklist_items",
    "job_checklists",
    "job_materials",
    "job_photos",
    "job_tasks",
    "job_templates",
    "job_time_entries",
    "jobs",
    "kb_articles",
    "kb_categories",
    "locations",
    "opportunities",
    "opportunity_activities",
    "order_amendments",
    "order_line_items",
    "order_shipments",
    "order_template_items",
    "order_templates",
    "orders",
    "organization_holidays",
    "organizations",
    "payment_schedules",
    "permissions",
    "price_agreements",
    "price_change_history",
    "price_history",
    "product_attribute_values",
    "product_attributes",
    "product_bundles",
    "product_images",
    "product_price_tiers",
    "product_relations",
    "products",
    "purchase_order_amendments",
    "purchase_order_approval_rules",
    "purchase_order_approvals",
    "purchase_order_costs",
    "purchase_order_items",
    "purchase_order_receipt_items",
    "purchase_order_receipts",
    "purchase_orders",
    "quote_versions",
    "quotes",
    "reminder_history",
    "reminder_templates",
    "report_favorites",
    "return_authorizations",
    "revenue_recognition",
    "rma_line_items",
    "role_permissions",
    "roles",
    "scheduled_calls",
    "scheduled_emails",
    "scheduled_reports",
    "shipment_items",
    "sla_configurations",
    "sla_events",
    "sla_tracking",
    "statement_history",
    "stock_count_items",
    "stock_counts",
    "supplier_performance_metrics",
    "supplier_price_history",
    "supplier_price_lists",
    "suppliers",
    "targets",
    "user_group_members",
    "user_groups",
    "user_invitations",
    "user_roles",
    "user_sessions",
    "users",
    "warehouse_locations",
    "warranties",
    "warranty_claims",
    "warranty_extensions",
    "warranty_policies",
    "win_loss_reasons",
)


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False, comment="URL-safe unique handle of the organization."),
        sa.Column("industry", sa.String(length=80), nullable=True, comment="Trade, e.g. HVAC, solar, plumbing."),
        sa.Column(
            "timezone",
            sa.String(length=64),
            server_default="UTC",
            nullable=False,
            comment="IANA time zone that defines the organization's business day.",
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 code of the organization's reporting currency.",
        ),
        sa.Column("country", sa.String(length=2), nullable=True, comment="ISO 3166-1 alpha-2 country code."),
        sa.Column(
            "plan",
            sa.String(length=40),
            server_default="starter",
            nullable=False,
            comment="Billing plan. One of: trial, starter, professional, enterprise.",
        ),
        sa.Column("billing_email", sa.String(length=320), nullable=True),
        sa.Column(
            "fiscal_year_start_month",
            sa.Integer(),
            server_default="1",
            nullable=False,
            comment="Month (1-12) in which the fiscal year starts.",
        ),
        sa.Column(
            "settings",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
            comment="Free-form organization preferences.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="active",
            nullable=False,
            comment="Tenant lifecycle. One of: active, suspended, closed.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_organizations_currency_iso4217")),
        sa.CheckConstraint(
            "plan in ('trial', 'starter', 'professional', 'enterprise')", name=op.f("ck_organizations_plan_allowed")
        ),
        sa.CheckConstraint("status in ('active', 'suspended', 'closed')", name=op.f("ck_organizations_status_allowed")),
        sa.CheckConstraint(
            "fiscal_year_start_month >= 0", name=op.f("ck_organizations_fiscal_year_start_month_non_negative")
        ),
        sa.CheckConstraint(
            "fiscal_year_start_month between 1 and 12", name=op.f("ck_organizations_fiscal_year_start_month_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("slug", name=op.f("uq_organizations_slug")),
        schema="app",
        comment="The tenant: a field-service business.",
    )
    op.create_table(
        "permissions",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False, comment="resource.action, e.g. orders.write."),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permissions")),
        sa.UniqueConstraint("code", name=op.f("uq_permissions_code")),
        schema="app",
        comment="Permission codes shared by all organizations.",
    )
    op.create_table(
        "roles",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "name",
            sa.String(length=40),
            nullable=False,
            comment="Role name. One of: owner, admin, sales, operations, technician, finance, analyst, viewer.",
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "name in ('owner', 'admin', 'sales', 'operations', 'technician', 'finance', 'analyst', 'viewer')",
            name=op.f("ck_roles_name_allowed"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint("name", name=op.f("uq_roles_name")),
        schema="app",
        comment="System roles shared by all organizations.",
    )
    op.create_table(
        "business_hours_config",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "timezone",
            sa.String(length=64),
            server_default="UTC",
            nullable=False,
            comment="IANA time zone the opening hours are expressed in.",
        ),
        sa.Column(
            "is_default",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="The organization's default calendar; at most one per organization.",
        ),
        sa.Column(
            "mon_open",
            sa.Time(),
            nullable=True,
            comment="Opening time on mon (local to timezone); NULL when closed all day.",
        ),
        sa.Column(
            "mon_close",
            sa.Time(),
            nullable=True,
            comment="Closing time on mon (local); NULL when closed; 24:00 for until midnight.",
        ),
        sa.Column(
            "tue_open",
            sa.Time(),
            nullable=True,
            comment="Opening time on tue (local to timezone); NULL when closed all day.",
        ),
        sa.Column(
            "tue_close",
            sa.Time(),
            nullable=True,
            comment="Closing time on tue (local); NULL when closed; 24:00 for until midnight.",
        ),
        sa.Column(
            "wed_open",
            sa.Time(),
            nullable=True,
            comment="Opening time on wed (local to timezone); NULL when closed all day.",
        ),
        sa.Column(
            "wed_close",
            sa.Time(),
            nullable=True,
            comment="Closing time on wed (local); NULL when closed; 24:00 for until midnight.",
        ),
        sa.Column(
            "thu_open",
            sa.Time(),
            nullable=True,
            comment="Opening time on thu (local to timezone); NULL when closed all day.",
        ),
        sa.Column(
            "thu_close",
            sa.Time(),
            nullable=True,
            comment="Closing time on thu (local); NULL when closed; 24:00 for until midnight.",
        ),
        sa.Column(
            "fri_open",
            sa.Time(),
            nullable=True,
            comment="Opening time on fri (local to timezone); NULL when closed all day.",
        ),
        sa.Column(
            "fri_close",
            sa.Time(),
            nullable=True,
            comment="Closing time on fri (local); NULL when closed; 24:00 for until midnight.",
        ),
        sa.Column(
            "sat_open",
            sa.Time(),
            nullable=True,
            comment="Opening time on sat (local to timezone); NULL when closed all day.",
        ),
        sa.Column(
            "sat_close",
            sa.Time(),
            nullable=True,
            comment="Closing time on sat (local); NULL when closed; 24:00 for until midnight.",
        ),
        sa.Column(
            "sun_open",
            sa.Time(),
            nullable=True,
            comment="Opening time on sun (local to timezone); NULL when closed all day.",
        ),
        sa.Column(
            "sun_close",
            sa.Time(),
            nullable=True,
            comment="Closing time on sun (local); NULL when closed; 24:00 for until midnight.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "(fri_open is null) = (fri_close is null) and (fri_open is null or fri_close > fri_open)",
            name=op.f("ck_business_hours_config_fri_hours"),
        ),
        sa.CheckConstraint(
            "(mon_open is null) = (mon_close is null) and (mon_open is null or mon_close > mon_open)",
            name=op.f("ck_business_hours_config_mon_hours"),
        ),
        sa.CheckConstraint(
            "(sat_open is null) = (sat_close is null) and (sat_open is null or sat_close > sat_open)",
            name=op.f("ck_business_hours_config_sat_hours"),
        ),
        sa.CheckConstraint(
            "(sun_open is null) = (sun_close is null) and (sun_open is null or sun_close > sun_open)",
            name=op.f("ck_business_hours_config_sun_hours"),
        ),
        sa.CheckConstraint(
            "(thu_open is null) = (thu_close is null) and (thu_open is null or thu_close > thu_open)",
            name=op.f("ck_business_hours_config_thu_hours"),
        ),
        sa.CheckConstraint(
            "(tue_open is null) = (tue_close is null) and (tue_open is null or tue_close > tue_open)",
            name=op.f("ck_business_hours_config_tue_hours"),
        ),
        sa.CheckConstraint(
            "(wed_open is null) = (wed_close is null) and (wed_open is null or wed_close > wed_open)",
            name=op.f("ck_business_hours_config_wed_hours"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_business_hours_config_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_business_hours_config")),
        sa.UniqueConstraint("organization_id", "name", name=op.f("uq_business_hours_config_name")),
        schema="app",
        comment="Business-hours calendars: opening and closing time per weekday in one time zone.",
    )
    op.create_index(
        "uq_business_hours_config_one_default",
        "business_hours_config",
        ["organization_id"],
        unique=True,
        schema="app",
        postgresql_where=sa.text("is_default"),
    )
    op.create_table(
        "categories",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "parent_id", sa.BigInteger(), nullable=True, comment="Parent category; NULL for a top-level category."
        ),
        sa.Column(
            "sort_order", sa.Integer(), server_default="0", nullable=False, comment="Display position among siblings."
        ),
        sa.Column(
            "is_active", sa.Boolean(), server_default="true", nullable=False, comment="Offered for new products."
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint("parent_id is null or parent_id <> id", name=op.f("ck_categories_not_own_parent")),
        sa.CheckConstraint("sort_order >= 0", name=op.f("ck_categories_sort_order_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "parent_id"],
            ["app.categories.organization_id", "app.categories.id"],
            name=op.f("fk_categories_parent_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_categories_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_categories")),
        sa.UniqueConstraint(
            "organization_id",
            "parent_id",
            "name",
            name=op.f("uq_categories_parent_id_name"),
            postgresql_nulls_not_distinct=True,
        ),
        schema="app",
        comment="Product categories, a tree through parent_id.",
    )
    op.create_table(
        "checklist_templates",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "job_type",
            sa.String(length=40),
            nullable=True,
            comment="Job type the checklist is for; NULL for any. One of: installation, repair, maintenance, inspection, warranty_service.",
        ),
        sa.Column(
            "items",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
            comment="Item definitions copied into job_checklist_items: [{label, is_required}] in order.",
        ),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "job_type in ('installation', 'repair', 'maintenance', 'inspection', 'warranty_service')",
            name=op.f("ck_checklist_templates_job_type_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_checklist_templates_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_checklist_templates")),
        sa.UniqueConstraint("organization_id", "name", name=op.f("uq_checklist_templates_name")),
        schema="app",
        comment="Reusable checklists that job checklists are created from.",
    )
    op.create_table(
        "customer_tags",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("color", sa.String(length=7), nullable=True, comment="Hex colour shown in the UI, e.g. #1E88E5."),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_customer_tags_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_customer_tags")),
        sa.UniqueConstraint("organization_id", "name", name=op.f("uq_customer_tags_name")),
        schema="app",
        comment="Tags for segmenting customers.",
    )
    op.create_table(
        "issue_templates",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "category",
            sa.String(length=40),
            server_default="other",
            nullable=False,
            comment="Category given to tickets created from it. One of: product_defect, installation, service_request, warranty, billing, delivery, return, question, complaint, other.",
        ),
        sa.Column(
            "priority",
            sa.String(length=40),
            server_default="normal",
            nullable=False,
            comment="Priority given to tickets created from it. One of: low, normal, high, urgent.",
        ),
        sa.Column("subject_template", sa.String(length=300), nullable=True, comment="Prefilled ticket subject."),
        sa.Column("description_template", sa.Text(), nullable=True, comment="Prefilled ticket description."),
        sa.Column(
            "is_active", sa.Boolean(), server_default="true", nullable=False, comment="Offered when creating tickets."
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "category in ('product_defect', 'installation', 'service_request', 'warranty', 'billing', 'delivery', 'return', 'question', 'complaint', 'other')",
            name=op.f("ck_issue_templates_category_allowed"),
        ),
        sa.CheckConstraint(
            "priority in ('low', 'normal', 'high', 'urgent')", name=op.f("ck_issue_templates_priority_allowed")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_issue_templates_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_issue_templates")),
        sa.UniqueConstraint("organization_id", "name", name=op.f("uq_issue_templates_name")),
        schema="app",
        comment="Reusable templates that prefill new support tickets.",
    )
    op.create_table(
        "kb_categories",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "parent_id", sa.BigInteger(), nullable=True, comment="Parent category; NULL for a top-level category."
        ),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False, comment="URL-safe handle, unique per organization."),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "sort_order", sa.Integer(), server_default="0", nullable=False, comment="Display position among siblings."
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint("parent_id is null or parent_id <> id", name=op.f("ck_kb_categories_not_own_parent")),
        sa.CheckConstraint("sort_order >= 0", name=op.f("ck_kb_categories_sort_order_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "parent_id"],
            ["app.kb_categories.organization_id", "app.kb_categories.id"],
            name=op.f("fk_kb_categories_parent_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_kb_categories_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_kb_categories")),
        sa.UniqueConstraint("organization_id", "slug", name=op.f("uq_kb_categories_slug")),
        schema="app",
        comment="Knowledge-base categories, nested through parent_id.",
    )
    op.create_table(
        "product_attributes",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False, comment="Machine name, unique per organization."),
        sa.Column("name", sa.String(length=120), nullable=False, comment="Label shown to users."),
        sa.Column(
            "data_type",
            sa.String(length=40),
            server_default="text",
            nullable=False,
            comment="Type of the values. One of: text, number, boolean, date, select.",
        ),
        sa.Column("unit", sa.String(length=20), nullable=True, comment="Unit of numeric values, e.g. V, kW, mm."),
        sa.Column(
            "allowed_values",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
            comment="Choices of a select attribute.",
        ),
        sa.Column("is_required", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "is_filterable",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="Offered as a catalog filter.",
        ),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False, comment="Display position."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "data_type in ('text', 'number', 'boolean', 'date', 'select')",
            name=op.f("ck_product_attributes_data_type_allowed"),
        ),
        sa.CheckConstraint("sort_order >= 0", name=op.f("ck_product_attributes_sort_order_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_product_attributes_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_product_attributes")),
        sa.UniqueConstraint("organization_id", "code", name=op.f("uq_product_attributes_code")),
        schema="app",
        comment="Definitions of custom product attributes.",
    )
    op.create_table(
        "reminder_templates",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "days_relative_to_due",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="Days from the due date when the reminder is sent: negative = before, positive = after.",
        ),
        sa.Column(
            "channel",
            sa.String(length=40),
            server_default="email",
            nullable=False,
            comment="How the reminder is sent. One of: email, sms, letter.",
        ),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("body", sa.Text(), nullable=False, comment="Message body with merge fields."),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint("channel in ('email', 'sms', 'letter')", name=op.f("ck_reminder_templates_channel_allowed")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_reminder_templates_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_reminder_templates")),
        sa.UniqueConstraint("organization_id", "name", name=op.f("uq_reminder_templates_name")),
        schema="app",
        comment="Payment reminder (dunning) templates and when they fire relative to the due date.",
    )
    op.create_table(
        "role_permissions",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("role_id", sa.BigInteger(), nullable=False),
        sa.Column("permission_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.ForeignKeyConstraint(
            ["permission_id"], ["app.permissions.id"], name=op.f("fk_role_permissions_permission_id")
        ),
        sa.ForeignKeyConstraint(["role_id"], ["app.roles.id"], name=op.f("fk_role_permissions_role_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_permissions")),
        sa.UniqueConstraint("role_id", "permission_id", name=op.f("uq_role_permissions_role_id_permission_id")),
        schema="app",
        comment="Permissions granted per role.",
    )
    op.create_table(
        "users",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("job_title", sa.String(length=120), nullable=True),
        sa.Column(
            "primary_role",
            sa.String(length=40),
            nullable=False,
            comment="Main role shown in lists; grants come from user_roles. One of: owner, admin, sales, operations, technician, finance, analyst, viewer.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="active",
            nullable=False,
            comment="Account state. One of: invited, active, disabled.",
        ),
        sa.Column(
            "auth_provider",
            sa.String(length=40),
            server_default="password",
            nullable=False,
            comment="How the user signs in. One of: password, google, microsoft, saml.",
        ),
        sa.Column("auth_subject", sa.String(length=200), nullable=True, comment="Subject at the identity provider."),
        sa.Column(
            "hourly_cost",
            sa.Numeric(precision=14, scale=2),
            nullable=True,
            comment="Loaded labour cost per hour, for job costing.",
        ),
        sa.Column("manager_id", sa.BigInteger(), nullable=True, comment="The user's manager."),
        sa.Column(
            "last_login_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Most recent successful sign-in.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "auth_provider in ('password', 'google', 'microsoft', 'saml')", name=op.f("ck_users_auth_provider_allowed")
        ),
        sa.CheckConstraint(
            "primary_role in ('owner', 'admin', 'sales', 'operations', 'technician', 'finance', 'analyst', 'viewer')",
            name=op.f("ck_users_primary_role_allowed"),
        ),
        sa.CheckConstraint("status in ('invited', 'active', 'disabled')", name=op.f("ck_users_status_allowed")),
        sa.CheckConstraint("hourly_cost >= 0", name=op.f("ck_users_hourly_cost_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "manager_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_users_manager_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["app.organizations.id"], name=op.f("fk_users_organization_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_users")),
        sa.UniqueConstraint("organization_id", "email", name=op.f("uq_users_email")),
        schema="app",
        comment="People who sign in: staff, technicians, managers.",
    )
    op.create_table(
        "warranty_policies",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "coverage_type",
            sa.String(length=40),
            server_default="parts_and_labour",
            nullable=False,
            comment="What the warranty pays for. One of: parts, labour, parts_and_labour, extended.",
        ),
        sa.Column(
            "duration_months", sa.Integer(), nullable=False, comment="Length of cover from the warranty start date."
        ),
        sa.Column(
            "max_claim_amount",
            sa.Numeric(precision=14, scale=2),
            nullable=True,
            comment="Most that one claim may pay; NULL for no limit.",
        ),
        sa.Column("terms", sa.Text(), nullable=True, comment="Terms and exclusions shown to the customer."),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False, comment="Offered on new sales."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "coverage_type in ('parts', 'labour', 'parts_and_labour', 'extended')",
            name=op.f("ck_warranty_policies_coverage_type_allowed"),
        ),
        sa.CheckConstraint("duration_months > 0", name=op.f("ck_warranty_policies_duration_positive")),
        sa.CheckConstraint("duration_months >= 0", name=op.f("ck_warranty_policies_duration_months_non_negative")),
        sa.CheckConstraint("max_claim_amount >= 0", name=op.f("ck_warranty_policies_max_claim_amount_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_warranty_policies_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_warranty_policies")),
        sa.UniqueConstraint("organization_id", "name", name=op.f("uq_warranty_policies_name")),
        schema="app",
        comment="Warranty policies: coverage, duration and claim limit of each warranty offered.",
    )
    op.create_table(
        "win_loss_reasons",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "outcome", sa.String(length=40), nullable=False, comment="Outcome the reason explains. One of: won, lost."
        ),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "is_active",
            sa.Boolean(),
            server_default="true",
            nullable=False,
            comment="False hides it from the picklist.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("outcome in ('won', 'lost')", name=op.f("ck_win_loss_reasons_outcome_allowed")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_win_loss_reasons_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_win_loss_reasons")),
        sa.UniqueConstraint("organization_id", "outcome", "name", name=op.f("uq_win_loss_reasons_outcome_name")),
        schema="app",
        comment="Picklist of reasons for won and lost opportunities.",
    )
    op.create_table(
        "api_tokens",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "token_prefix", sa.String(length=12), nullable=False, comment="First characters, shown to identify a token."
        ),
        sa.Column("token_hash", sa.String(length=128), nullable=False, comment="SHA-256 of the token."),
        sa.Column("created_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "scopes",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
            comment="Permission codes granted.",
        ),
        sa.Column("last_used_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column("expires_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column("revoked_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "created_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_api_tokens_created_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_api_tokens_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("organization_id", "token_prefix", name=op.f("uq_api_tokens_token_prefix")),
        schema="app",
        comment="API tokens for integrations; only a hash is stored.",
    )
    op.create_table(
        "custom_reports",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "definition",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
            comment="Report spec: {metrics: [...], dimensions: [...], time_grain, filters: {...}, date_range: {...}}.",
        ),
        sa.Column("owner_user_id", sa.BigInteger(), nullable=True, comment="Who owns the report."),
        sa.Column(
            "is_shared",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="Visible to the whole organization.",
        ),
        sa.Column(
            "visualization",
            sa.String(length=40),
            server_default="table",
            nullable=False,
            comment="How it is shown. One of: table, line, bar, area.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint("jsonb_typeof(definition) = 'object'", name=op.f("ck_custom_reports_definition_is_object")),
        sa.CheckConstraint(
            "visualization in ('table', 'line', 'bar', 'area')", name=op.f("ck_custom_reports_visualization_allowed")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "owner_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_custom_reports_owner_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_custom_reports_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_custom_reports")),
        schema="app",
        comment="User-defined reports over warehouse metrics.",
    )
    op.create_index(
        op.f("ix_custom_reports_owner_user_id"),
        "custom_reports",
        ["organization_id", "owner_user_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "customers",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "customer_number", sa.String(length=40), nullable=False, comment="Human customer number, unique per org."
        ),
        sa.Column("name", sa.String(length=200), nullable=False, comment="Display name: household or company name."),
        sa.Column("legal_name", sa.String(length=200), nullable=True, comment="Registered company name, if different."),
        sa.Column(
            "customer_type",
            sa.String(length=40),
            server_default="residential",
            nullable=False,
            comment="Household or business customer. One of: residential, commercial.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="lead",
            nullable=False,
            comment="Customer lifecycle. One of: lead, active, inactive, churned.",
        ),
        sa.Column(
            "owner_user_id",
            sa.BigInteger(),
            nullable=True,
            comment="Account owner (salesperson) responsible for the customer.",
        ),
        sa.Column(
            "source",
            sa.String(length=40),
            nullable=True,
            comment="How the customer was acquired. One of: referral, website, phone_inbound, walk_in, advertising, campaign, trade_show, partner, outbound, other.",
        ),
        sa.Column("industry", sa.String(length=80), nullable=True, comment="Industry of a commercial customer."),
        sa.Column("email", sa.String(length=320), nullable=True, comment="Main e-mail address of the account."),
        sa.Column("phone", sa.String(length=40), nullable=True, comment="Main phone number of the account."),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("tax_number", sa.String(length=40), nullable=True, comment="VAT / tax registration number."),
        sa.Column(
            "tax_exempt", sa.Boolean(), server_default="false", nullable=False, comment="True when sales are not taxed."
        ),
        sa.Column(
            "acquired_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the business first captured the customer or lead.",
        ),
        sa.Column(
            "became_customer_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the lead converted to a paying customer; NULL while still a lead.",
        ),
        sa.Column(
            "churned_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the customer was marked churned.",
        ),
        sa.Column(
            "credit_limit",
            sa.Numeric(precision=14, scale=2),
            nullable=True,
            comment="Maximum open receivable allowed; NULL means no limit.",
        ),
        sa.Column(
            "payment_terms_days",
            sa.Integer(),
            server_default="30",
            nullable=False,
            comment="Days after invoice until payment is due.",
        ),
        sa.Column(
            "external_ref",
            sa.String(length=100),
            nullable=True,
            comment="Identifier in an external system (accounting, legacy CRM).",
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "custom_fields",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
            comment="Organization-defined extra fields.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "customer_type in ('residential', 'commercial')", name=op.f("ck_customers_customer_type_allowed")
        ),
        sa.CheckConstraint(
            "source in ('referral', 'website', 'phone_inbound', 'walk_in', 'advertising', 'campaign', 'trade_show', 'partner', 'outbound', 'other')",
            name=op.f("ck_customers_source_allowed"),
        ),
        sa.CheckConstraint(
            "status <> 'churned' or churned_at is not null", name=op.f("ck_customers_churned_has_churned_at")
        ),
        sa.CheckConstraint(
            "status in ('lead', 'active', 'inactive', 'churned')", name=op.f("ck_customers_status_allowed")
        ),
        sa.CheckConstraint(
            "became_customer_at is null or became_customer_at >= acquired_at",
            name=op.f("ck_customers_became_customer_after_acquired"),
        ),
        sa.CheckConstraint(
            "churned_at is null or churned_at >= coalesce(became_customer_at, acquired_at)",
            name=op.f("ck_customers_churned_after_became_customer"),
        ),
        sa.CheckConstraint("credit_limit >= 0", name=op.f("ck_customers_credit_limit_non_negative")),
        sa.CheckConstraint("payment_terms_days >= 0", name=op.f("ck_customers_payment_terms_days_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "owner_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_customers_owner_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["app.organizations.id"], name=op.f("fk_customers_organization_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_customers")),
        sa.UniqueConstraint("organization_id", "customer_number", name=op.f("uq_customers_customer_number")),
        schema="app",
        comment="Customers and leads: residential households and commercial accounts.",
    )
    op.create_index(
        op.f("ix_customers_owner_user_id"),
        "customers",
        ["organization_id", "owner_user_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "dashboard_layouts",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False, comment="Whose layout it is."),
        sa.Column(
            "dashboard_key", sa.String(length=80), nullable=False, comment="Which dashboard, e.g. executive, pipeline."
        ),
        sa.Column(
            "layout",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
            comment="Widgets with their positions, sizes and settings.",
        ),
        sa.Column(
            "is_default",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="The dashboard the user lands on; at most one per user.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_dashboard_layouts_user_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_dashboard_layouts_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_dashboard_layouts")),
        sa.UniqueConstraint(
            "organization_id", "user_id", "dashboard_key", name=op.f("uq_dashboard_layouts_user_id_dashboard_key")
        ),
        schema="app",
        comment="Per-user dashboard layouts (widget positions and sizes).",
    )
    op.create_index(
        "uq_dashboard_layouts_one_default",
        "dashboard_layouts",
        ["organization_id", "user_id"],
        unique=True,
        schema="app",
        postgresql_where=sa.text("is_default"),
    )
    op.create_table(
        "email_signatures",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True, comment="Owner; NULL for an organization-wide signature."),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("content_html", sa.Text(), nullable=False),
        sa.Column(
            "is_default",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="Used by default for the user's outgoing mail; at most one per user.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_email_signatures_user_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_email_signatures_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_email_signatures")),
        schema="app",
        comment="E-mail signatures of users (or organization-wide when user_id is NULL).",
    )
    op.create_index(
        "uq_email_signatures_default_per_user",
        "email_signatures",
        ["organization_id", "user_id"],
        unique=True,
        schema="app",
        postgresql_where=sa.text("is_default"),
    )
    op.create_table(
        "email_templates",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "category",
            sa.String(length=40),
            server_default="general",
            nullable=False,
            comment="What the template is used for. One of: marketing, quote, order, invoice, reminder, support, general.",
        ),
        sa.Column("subject", sa.String(length=300), nullable=False, comment="Subject line; may contain placeholders."),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("body_text", sa.Text(), nullable=True, comment="Plain-text alternative."),
        sa.Column(
            "variables",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
            comment="Placeholder names the template uses.",
        ),
        sa.Column(
            "is_active", sa.Boolean(), server_default="true", nullable=False, comment="False hides it from pickers."
        ),
        sa.Column("created_by_user_id", sa.BigInteger(), nullable=True, comment="Author of the template."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "category in ('marketing', 'quote', 'order', 'invoice', 'reminder', 'support', 'general')",
            name=op.f("ck_email_templates_category_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "created_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_email_templates_created_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_email_templates_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_email_templates")),
        sa.UniqueConstraint("organization_id", "name", name=op.f("uq_email_templates_name")),
        schema="app",
        comment="Reusable e-mail templates.",
    )
    op.create_table(
        "job_templates",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "job_type",
            sa.String(length=40),
            nullable=False,
            comment="Kind of work. One of: installation, repair, maintenance, inspection, warranty_service.",
        ),
        sa.Column("estimated_hours", sa.Numeric(precision=14, scale=3), nullable=True, comment="Typical labour hours."),
        sa.Column(
            "default_checklist_template_id",
            sa.BigInteger(),
            nullable=True,
            comment="Checklist attached to jobs created from the template.",
        ),
        sa.Column(
            "default_price", sa.Numeric(precision=14, scale=2), nullable=True, comment="Standard price of the job."
        ),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "job_type in ('installation', 'repair', 'maintenance', 'inspection', 'warranty_service')",
            name=op.f("ck_job_templates_job_type_allowed"),
        ),
        sa.CheckConstraint("default_price >= 0", name=op.f("ck_job_templates_default_price_non_negative")),
        sa.CheckConstraint("estimated_hours >= 0", name=op.f("ck_job_templates_estimated_hours_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "default_checklist_template_id"],
            ["app.checklist_templates.organization_id", "app.checklist_templates.id"],
            name=op.f("fk_job_templates_default_checklist_template_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_job_templates_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_job_templates")),
        sa.UniqueConstraint("organization_id", "name", name=op.f("uq_job_templates_name")),
        schema="app",
        comment="Standard jobs that new jobs are created from.",
    )
    op.create_table(
        "kb_articles",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("category_id", sa.BigInteger(), nullable=True, comment="Category the article is filed under."),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False, comment="URL-safe handle, unique per organization."),
        sa.Column("body", sa.Text(), nullable=False, comment="Article content (Markdown)."),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="draft",
            nullable=False,
            comment="Publication state. One of: draft, published, archived.",
        ),
        sa.Column("author_user_id", sa.BigInteger(), nullable=True, comment="Who wrote the article."),
        sa.Column(
            "published_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the article was (first) published.",
        ),
        sa.Column(
            "view_count",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="How many times the article was viewed.",
        ),
        sa.Column(
            "helpful_count",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="How many readers marked it helpful.",
        ),
        sa.Column(
            "not_helpful_count",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="How many readers marked it not helpful.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "status <> 'published' or published_at is not null", name=op.f("ck_kb_articles_published_has_date")
        ),
        sa.CheckConstraint("status in ('draft', 'published', 'archived')", name=op.f("ck_kb_articles_status_allowed")),
        sa.CheckConstraint("helpful_count >= 0", name=op.f("ck_kb_articles_helpful_count_non_negative")),
        sa.CheckConstraint("not_helpful_count >= 0", name=op.f("ck_kb_articles_not_helpful_count_non_negative")),
        sa.CheckConstraint("view_count >= 0", name=op.f("ck_kb_articles_view_count_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "author_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_kb_articles_author_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "category_id"],
            ["app.kb_categories.organization_id", "app.kb_categories.id"],
            name=op.f("fk_kb_articles_category_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_kb_articles_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_kb_articles")),
        sa.UniqueConstraint("organization_id", "slug", name=op.f("uq_kb_articles_slug")),
        schema="app",
        comment="Knowledge-base articles with their readership and helpfulness counters.",
    )
    op.create_table(
        "organization_holidays",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "business_hours_config_id",
            sa.BigInteger(),
            nullable=True,
            comment="Calendar the holiday belongs to; NULL for every calendar.",
        ),
        sa.Column("holiday_date", sa.Date(), nullable=False, comment="The closed day (local date of the calendar)."),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "business_hours_config_id"],
            ["app.business_hours_config.organization_id", "app.business_hours_config.id"],
            name=op.f("fk_organization_holidays_business_hours_config_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_organization_holidays_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_organization_holidays")),
        sa.UniqueConstraint(
            "organization_id",
            "business_hours_config_id",
            "holiday_date",
            name=op.f("uq_organization_holidays_business_hours_config_id_holiday_date"),
            postgresql_nulls_not_distinct=True,
        ),
        schema="app",
        comment="Closed days that do not count as business time, per calendar or organization-wide.",
    )
    op.create_table(
        "sla_configurations",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "priority",
            sa.String(length=40),
            server_default="normal",
            nullable=False,
            comment="Ticket priority the SLA applies to. One of: low, normal, high, urgent.",
        ),
        sa.Column(
            "first_response_minutes",
            sa.Integer(),
            nullable=False,
            comment="Business minutes allowed until the first response.",
        ),
        sa.Column(
            "resolution_minutes", sa.Integer(), nullable=False, comment="Business minutes allowed until resolution."
        ),
        sa.Column(
            "business_hours_config_id",
            sa.BigInteger(),
            nullable=True,
            comment="Calendar the minutes count in; NULL for round-the-clock (24x7).",
        ),
        sa.Column(
            "is_default",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="Used when no SLA matches the ticket; at most one per organization.",
        ),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "priority in ('low', 'normal', 'high', 'urgent')", name=op.f("ck_sla_configurations_priority_allowed")
        ),
        sa.CheckConstraint("first_response_minutes > 0", name=op.f("ck_sla_configurations_first_response_positive")),
        sa.CheckConstraint(
            "first_response_minutes >= 0", name=op.f("ck_sla_configurations_first_response_minutes_non_negative")
        ),
        sa.CheckConstraint(
            "resolution_minutes >= 0", name=op.f("ck_sla_configurations_resolution_minutes_non_negative")
        ),
        sa.CheckConstraint(
            "resolution_minutes >= first_response_minutes", name=op.f("ck_sla_configurations_resolution_after_response")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "business_hours_config_id"],
            ["app.business_hours_config.organization_id", "app.business_hours_config.id"],
            name=op.f("fk_sla_configurations_business_hours_config_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_sla_configurations_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_sla_configurations")),
        sa.UniqueConstraint("organization_id", "name", name=op.f("uq_sla_configurations_name")),
        schema="app",
        comment="SLA targets per ticket priority, in business minutes of a business-hours calendar.",
    )
    op.create_index(
        "uq_sla_configurations_one_default",
        "sla_configurations",
        ["organization_id"],
        unique=True,
        schema="app",
        postgresql_where=sa.text("is_default"),
    )
    op.create_table(
        "suppliers",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "supplier_number", sa.String(length=40), nullable=False, comment="Human reference, unique per organization."
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("legal_name", sa.String(length=200), nullable=True),
        sa.Column(
            "supplier_type",
            sa.String(length=40),
            server_default="distributor",
            nullable=False,
            comment="What the supplier is to us. One of: manufacturer, distributor, wholesaler, service_provider, carrier.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="active",
            nullable=False,
            comment="Whether we may order. One of: active, on_hold, inactive.",
        ),
        sa.Column("tax_number", sa.String(length=40), nullable=True, comment="VAT or tax registration number."),
        sa.Column("email", sa.String(length=320), nullable=True, comment="Address purchase orders are sent to."),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("contact_name", sa.String(length=200), nullable=True, comment="Primary contact at the supplier."),
        sa.Column("address_line1", sa.String(length=200), nullable=True),
        sa.Column("address_line2", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("region", sa.String(length=120), nullable=True, comment="State, province or county."),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True, comment="ISO 3166-1 alpha-2 country code."),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 code the supplier invoices in by default.",
        ),
        sa.Column(
            "payment_terms_days",
            sa.Integer(),
            server_default="30",
            nullable=False,
            comment="Days after invoice that payment is due.",
        ),
        sa.Column("default_lead_time_days", sa.Integer(), nullable=True, comment="Quoted days from order to delivery."),
        sa.Column(
            "minimum_order_amount",
            sa.Numeric(precision=14, scale=2),
            nullable=True,
            comment="Smallest order the supplier accepts, in the supplier's currency.",
        ),
        sa.Column(
            "account_manager_user_id", sa.BigInteger(), nullable=True, comment="Our buyer responsible for the supplier."
        ),
        sa.Column("external_ref", sa.String(length=100), nullable=True, comment="Key in the accounting system."),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_suppliers_currency_iso4217")),
        sa.CheckConstraint("status in ('active', 'on_hold', 'inactive')", name=op.f("ck_suppliers_status_allowed")),
        sa.CheckConstraint(
            "supplier_type in ('manufacturer', 'distributor', 'wholesaler', 'service_provider', 'carrier')",
            name=op.f("ck_suppliers_supplier_type_allowed"),
        ),
        sa.CheckConstraint(
            "default_lead_time_days >= 0", name=op.f("ck_suppliers_default_lead_time_days_non_negative")
        ),
        sa.CheckConstraint("minimum_order_amount >= 0", name=op.f("ck_suppliers_minimum_order_amount_non_negative")),
        sa.CheckConstraint("payment_terms_days >= 0", name=op.f("ck_suppliers_payment_terms_days_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "account_manager_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_suppliers_account_manager_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["app.organizations.id"], name=op.f("fk_suppliers_organization_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_suppliers")),
        sa.UniqueConstraint("organization_id", "supplier_number", name=op.f("uq_suppliers_supplier_number")),
        schema="app",
        comment="Suppliers (vendors) with contact, terms and default purchasing currency.",
    )
    op.create_table(
        "user_groups",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "group_type",
            sa.String(length=40),
            server_default="team",
            nullable=False,
            comment="Kind of group. One of: team, crew, region, department.",
        ),
        sa.Column("lead_user_id", sa.BigInteger(), nullable=True, comment="Group lead."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "group_type in ('team', 'crew', 'region', 'department')", name=op.f("ck_user_groups_group_type_allowed")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "lead_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_user_groups_lead_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_user_groups_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_user_groups")),
        sa.UniqueConstraint("organization_id", "name", name=op.f("uq_user_groups_name")),
        schema="app",
        comment="Teams of users.",
    )
    op.create_table(
        "user_invitations",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column(
            "role",
            sa.String(length=40),
            nullable=False,
            comment="Role the invitee gets on acceptance. One of: owner, admin, sales, operations, technician, finance, analyst, viewer.",
        ),
        sa.Column("invited_by_user_id", sa.BigInteger(), nullable=True, comment="Who sent the invitation."),
        sa.Column("accepted_user_id", sa.BigInteger(), nullable=True, comment="The user created on acceptance."),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="pending",
            nullable=False,
            comment="Invitation state. One of: pending, accepted, expired, revoked.",
        ),
        sa.Column("expires_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.Column("accepted_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "role in ('owner', 'admin', 'sales', 'operations', 'technician', 'finance', 'analyst', 'viewer')",
            name=op.f("ck_user_invitations_role_allowed"),
        ),
        sa.CheckConstraint(
            "status in ('pending', 'accepted', 'expired', 'revoked')", name=op.f("ck_user_invitations_status_allowed")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "accepted_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_user_invitations_accepted_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "invited_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_user_invitations_invited_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_user_invitations_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_user_invitations")),
        schema="app",
        comment="Invitations to join an organization.",
    )
    op.create_table(
        "user_roles",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("role_id", sa.BigInteger(), nullable=False),
        sa.Column("granted_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "granted_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_user_roles_granted_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_user_roles_user_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_user_roles_organization_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["role_id"], ["app.roles.id"], name=op.f("fk_user_roles_role_id")),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_user_roles")),
        sa.UniqueConstraint("organization_id", "user_id", "role_id", name=op.f("uq_user_roles_user_id_role_id")),
        schema="app",
        comment="Roles granted to users.",
    )
    op.create_table(
        "user_sessions",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "token_hash",
            sa.String(length=128),
            nullable=False,
            comment="SHA-256 of the session token; never the token.",
        ),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("started_at", postgresql.TIMESTAMP(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("expires_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.Column("revoked_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_user_sessions_user_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_user_sessions_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_user_sessions")),
        schema="app",
        comment="Sign-in sessions, for security review and activity analytics.",
    )
    op.create_table(
        "addresses",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False, comment="Customer the address belongs to."),
        sa.Column(
            "address_type",
            sa.String(length=40),
            server_default="service",
            nullable=False,
            comment="Use of the address. One of: billing, shipping, service, mailing.",
        ),
        sa.Column(
            "label", sa.String(length=120), nullable=True, comment="Short name, e.g. 'Main office', 'Lake house'."
        ),
        sa.Column("line1", sa.String(length=200), nullable=False),
        sa.Column("line2", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=False),
        sa.Column("region", sa.String(length=120), nullable=True, comment="State, province or county."),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column(
            "country",
            sa.String(length=2),
            server_default="US",
            nullable=False,
            comment="ISO 3166-1 alpha-2 country code.",
        ),
        sa.Column(
            "is_default",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="Default address of its type for the customer; at most one live per type.",
        ),
        sa.Column("access_notes", sa.Text(), nullable=True, comment="Site access instructions for technicians."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "address_type in ('billing', 'shipping', 'service', 'mailing')",
            name=op.f("ck_addresses_address_type_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_addresses_customer_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["app.organizations.id"], name=op.f("fk_addresses_organization_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_addresses")),
        schema="app",
        comment="Customer addresses: billing, shipping and service sites.",
    )
    op.create_index(
        op.f("ix_addresses_customer_id"), "addresses", ["organization_id", "customer_id"], unique=False, schema="app"
    )
    op.create_index(
        "uq_addresses_default_per_customer_type",
        "addresses",
        ["organization_id", "customer_id", "address_type"],
        unique=True,
        schema="app",
        postgresql_where=sa.text("is_default and deleted_at is null"),
    )
    op.create_table(
        "audit_logs",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "user_id", sa.BigInteger(), nullable=True, comment="User who acted; NULL for API tokens and the system."
        ),
        sa.Column("api_token_id", sa.BigInteger(), nullable=True, comment="API token that acted, for integrations."),
        sa.Column(
            "action",
            sa.String(length=40),
            nullable=False,
            comment="What was done. One of: insert, update, delete, soft_delete, restore, login, logout, login_failed, export, import, permission_change.",
        ),
        sa.Column(
            "table_name", sa.String(length=63), nullable=True, comment="Table of the changed row, for row changes."
        ),
        sa.Column(
            "row_pk",
            sa.BigInteger(),
            nullable=True,
            comment="Primary key value (id) of the changed row: NOT a foreign key, it spans every table.",
        ),
        sa.Column(
            "old_values",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
            comment="Changed columns before the action; {} for inserts.",
        ),
        sa.Column(
            "new_values",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
            comment="Changed columns after the action; {} for deletes.",
        ),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column(
            "occurred_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the action happened.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "action in ('insert', 'update', 'delete', 'soft_delete', 'restore', 'login', 'logout', 'login_failed', 'export', 'import', 'permission_change')",
            name=op.f("ck_audit_logs_action_allowed"),
        ),
        sa.CheckConstraint(
            "action not in ('insert', 'update', 'delete', 'soft_delete', 'restore') or (table_name is not null and row_pk is not null)",
            name=op.f("ck_audit_logs_row_change_has_row"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "api_token_id"],
            ["app.api_tokens.organization_id", "app.api_tokens.id"],
            name=op.f("fk_audit_logs_api_token_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_audit_logs_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_audit_logs_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_audit_logs")),
        schema="app",
        comment="Audit trail of data changes and security-relevant actions.",
    )
    op.create_index(
        op.f("ix_audit_logs_occurred_at"), "audit_logs", ["organization_id", "occurred_at"], unique=False, schema="app"
    )
    op.create_table(
        "contacts",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False, comment="Customer the person belongs to."),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("mobile", sa.String(length=40), nullable=True),
        sa.Column("job_title", sa.String(length=120), nullable=True),
        sa.Column(
            "is_primary",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="Main contact of the customer; at most one live primary per customer.",
        ),
        sa.Column(
            "preferred_channel",
            sa.String(length=40),
            nullable=True,
            comment="How the contact prefers to be reached. One of: email, phone, sms.",
        ),
        sa.Column(
            "marketing_opt_in",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="True when the contact agreed to receive marketing campaigns.",
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "preferred_channel in ('email', 'phone', 'sms')", name=op.f("ck_contacts_preferred_channel_allowed")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_contacts_customer_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["app.organizations.id"], name=op.f("fk_contacts_organization_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_contacts")),
        schema="app",
        comment="People at customers that the business talks to.",
    )
    op.create_index(
        op.f("ix_contacts_customer_id"), "contacts", ["organization_id", "customer_id"], unique=False, schema="app"
    )
    op.create_index(
        "uq_contacts_primary_per_customer",
        "contacts",
        ["organization_id", "customer_id"],
        unique=True,
        schema="app",
        postgresql_where=sa.text("is_primary and deleted_at is null"),
    )
    op.create_table(
        "customer_health_metrics",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False, comment="Customer measured."),
        sa.Column("metric_date", sa.Date(), nullable=False, comment="Business day the measurement applies to."),
        sa.Column(
            "health_score",
            sa.Numeric(precision=5, scale=2),
            nullable=False,
            comment="Overall health score, 0 (at risk) to 100 (healthy).",
        ),
        sa.Column(
            "engagement_score",
            sa.Numeric(precision=5, scale=2),
            nullable=True,
            comment="Engagement component of the health score.",
        ),
        sa.Column(
            "payment_score",
            sa.Numeric(precision=5, scale=2),
            nullable=True,
            comment="Payment behaviour component of the health score.",
        ),
        sa.Column(
            "support_score",
            sa.Numeric(precision=5, scale=2),
            nullable=True,
            comment="Support experience component of the health score.",
        ),
        sa.Column(
            "nps_score",
            sa.Integer(),
            nullable=True,
            comment="Latest Net Promoter answer of the customer on the 0-10 scale; NULL if never asked.",
        ),
        sa.Column(
            "risk_level",
            sa.String(length=40),
            server_default="low",
            nullable=False,
            comment="Churn risk assessed on that day. One of: low, medium, high, critical.",
        ),
        sa.Column(
            "open_issue_count",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="Support issues open at the end of the day.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "risk_level in ('low', 'medium', 'high', 'critical')",
            name=op.f("ck_customer_health_metrics_risk_level_allowed"),
        ),
        sa.CheckConstraint(
            "engagement_score between 0 and 100", name=op.f("ck_customer_health_metrics_engagement_score_range")
        ),
        sa.CheckConstraint(
            "health_score between 0 and 100", name=op.f("ck_customer_health_metrics_health_score_range")
        ),
        sa.CheckConstraint("nps_score >= 0", name=op.f("ck_customer_health_metrics_nps_score_non_negative")),
        sa.CheckConstraint("nps_score between 0 and 10", name=op.f("ck_customer_health_metrics_nps_score_scale")),
        sa.CheckConstraint(
            "open_issue_count >= 0", name=op.f("ck_customer_health_metrics_open_issue_count_non_negative")
        ),
        sa.CheckConstraint(
            "payment_score between 0 and 100", name=op.f("ck_customer_health_metrics_payment_score_range")
        ),
        sa.CheckConstraint(
            "support_score between 0 and 100", name=op.f("ck_customer_health_metrics_support_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_customer_health_metrics_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_customer_health_metrics_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_customer_health_metrics")),
        sa.UniqueConstraint(
            "organization_id",
            "customer_id",
            "metric_date",
            name=op.f("uq_customer_health_metrics_customer_id_metric_date"),
        ),
        schema="app",
        comment="Daily customer health measurements, one row per customer per measured day.",
    )
    op.create_index(
        op.f("ix_customer_health_metrics_metric_date"),
        "customer_health_metrics",
        ["organization_id", "metric_date"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "customer_merge_audit",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "surviving_customer_id", sa.BigInteger(), nullable=False, comment="Customer that remains after the merge."
        ),
        sa.Column(
            "merged_customer_id",
            sa.BigInteger(),
            nullable=False,
            comment="Duplicate customer absorbed by the merge (soft-deleted afterwards).",
        ),
        sa.Column("merged_by_user_id", sa.BigInteger(), nullable=True, comment="Who performed the merge."),
        sa.Column(
            "merged_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When it merged.",
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "snapshot",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
            comment="Merged customer's row and moved child ids, as they were before the merge.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "surviving_customer_id <> merged_customer_id", name=op.f("ck_customer_merge_audit_merge_distinct_customers")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "merged_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_customer_merge_audit_merged_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "merged_customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_customer_merge_audit_merged_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "surviving_customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_customer_merge_audit_surviving_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_customer_merge_audit_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_customer_merge_audit")),
        schema="app",
        comment="Audit of customer merges: which duplicate went into which survivor, with a snapshot.",
    )
    op.create_index(
        op.f("ix_customer_merge_audit_merged_customer_id"),
        "customer_merge_audit",
        ["organization_id", "merged_customer_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "customer_priorities",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False, comment="Customer prioritized."),
        sa.Column(
            "priority",
            sa.String(length=40),
            server_default="normal",
            nullable=False,
            comment="Service priority level. One of: low, normal, high, urgent.",
        ),
        sa.Column(
            "tier",
            sa.String(length=40),
            server_default="standard",
            nullable=False,
            comment="Service tier (SLA level). One of: standard, silver, gold, platinum.",
        ),
        sa.Column("reason", sa.Text(), nullable=True, comment="Why the priority was set."),
        sa.Column("set_by_user_id", sa.BigInteger(), nullable=True, comment="Who set the priority."),
        sa.Column("valid_from", sa.Date(), nullable=False, comment="First day the priority applies."),
        sa.Column("valid_to", sa.Date(), nullable=True, comment="Last day the priority applies; NULL while current."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "priority in ('low', 'normal', 'high', 'urgent')", name=op.f("ck_customer_priorities_priority_allowed")
        ),
        sa.CheckConstraint(
            "tier in ('standard', 'silver', 'gold', 'platinum')", name=op.f("ck_customer_priorities_tier_allowed")
        ),
        sa.CheckConstraint(
            "valid_to is null or valid_to >= valid_from", name=op.f("ck_customer_priorities_valid_to_after_valid_from")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_customer_priorities_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "set_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_customer_priorities_set_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_customer_priorities_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_customer_priorities")),
        sa.UniqueConstraint(
            "organization_id", "customer_id", "valid_from", name=op.f("uq_customer_priorities_customer_id_valid_from")
        ),
        schema="app",
        comment="Priority level and service tier per customer, valid from/to dates.",
    )
    op.create_table(
        "customer_tag_assignments",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("tag_id", sa.BigInteger(), nullable=False, comment="The tag."),
        sa.Column("assigned_by_user_id", sa.BigInteger(), nullable=True, comment="Who put the tag on the customer."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "assigned_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_customer_tag_assignments_assigned_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_customer_tag_assignments_customer_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "tag_id"],
            ["app.customer_tags.organization_id", "app.customer_tags.id"],
            name=op.f("fk_customer_tag_assignments_tag_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_customer_tag_assignments_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_customer_tag_assignments")),
        sa.UniqueConstraint(
            "organization_id", "customer_id", "tag_id", name=op.f("uq_customer_tag_assignments_customer_id_tag_id")
        ),
        schema="app",
        comment="Which tags are on which customers.",
    )
    op.create_index(
        op.f("ix_customer_tag_assignments_tag_id"),
        "customer_tag_assignments",
        ["organization_id", "tag_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "email_campaigns",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="draft",
            nullable=False,
            comment="Campaign state. One of: draft, scheduled, running, paused, completed, cancelled.",
        ),
        sa.Column(
            "channel",
            sa.String(length=40),
            server_default="email",
            nullable=False,
            comment="Channel the campaign uses. One of: email, sms, phone, direct_mail, social, event.",
        ),
        sa.Column(
            "campaign_type",
            sa.String(length=40),
            server_default="promotion",
            nullable=False,
            comment="Purpose of the campaign. One of: newsletter, promotion, nurture, announcement, follow_up, reactivation.",
        ),
        sa.Column("template_id", sa.BigInteger(), nullable=True, comment="Template the messages are rendered from."),
        sa.Column("subject", sa.String(length=300), nullable=True, comment="Subject line of e-mail campaigns."),
        sa.Column("owner_user_id", sa.BigInteger(), nullable=True, comment="Marketer responsible for the campaign."),
        sa.Column(
            "audience_filter",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
            comment="Segment definition used to pick the recipients.",
        ),
        sa.Column(
            "starts_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When sending starts (scheduled or actual).",
        ),
        sa.Column("ends_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the campaign ends."),
        sa.Column(
            "budget",
            sa.Numeric(precision=14, scale=2),
            nullable=True,
            comment="Planned spend in the organization's currency.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "campaign_type in ('newsletter', 'promotion', 'nurture', 'announcement', 'follow_up', 'reactivation')",
            name=op.f("ck_email_campaigns_campaign_type_allowed"),
        ),
        sa.CheckConstraint(
            "channel in ('email', 'sms', 'phone', 'direct_mail', 'social', 'event')",
            name=op.f("ck_email_campaigns_channel_allowed"),
        ),
        sa.CheckConstraint(
            "status in ('draft', 'scheduled') or starts_at is not null",
            name=op.f("ck_email_campaigns_started_has_starts_at"),
        ),
        sa.CheckConstraint(
            "status in ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled')",
            name=op.f("ck_email_campaigns_status_allowed"),
        ),
        sa.CheckConstraint("budget >= 0", name=op.f("ck_email_campaigns_budget_non_negative")),
        sa.CheckConstraint(
            "ends_at is null or starts_at is null or ends_at >= starts_at",
            name=op.f("ck_email_campaigns_ends_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "owner_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_email_campaigns_owner_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "template_id"],
            ["app.email_templates.organization_id", "app.email_templates.id"],
            name=op.f("fk_email_campaigns_template_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_email_campaigns_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_email_campaigns")),
        schema="app",
        comment="Marketing campaigns with schedule, channel and budget.",
    )
    op.create_table(
        "escalation_rules",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "trigger_type",
            sa.String(length=40),
            nullable=False,
            comment="What triggers the escalation. One of: response_breach, resolution_breach, priority, reopened.",
        ),
        sa.Column(
            "priority",
            sa.String(length=40),
            nullable=True,
            comment="Ticket priority the rule is limited to; NULL for any priority. One of: low, normal, high, urgent.",
        ),
        sa.Column(
            "threshold_minutes",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="Minutes after the trigger before escalating (0 = immediately).",
        ),
        sa.Column("escalate_to_user_id", sa.BigInteger(), nullable=True, comment="User the ticket is escalated to."),
        sa.Column("escalate_to_group_id", sa.BigInteger(), nullable=True, comment="Team the ticket is escalated to."),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "priority in ('low', 'normal', 'high', 'urgent')", name=op.f("ck_escalation_rules_priority_allowed")
        ),
        sa.CheckConstraint(
            "trigger_type in ('response_breach', 'resolution_breach', 'priority', 'reopened')",
            name=op.f("ck_escalation_rules_trigger_type_allowed"),
        ),
        sa.CheckConstraint(
            "num_nonnulls(escalate_to_user_id, escalate_to_group_id) >= 1", name=op.f("ck_escalation_rules_has_target")
        ),
        sa.CheckConstraint("threshold_minutes >= 0", name=op.f("ck_escalation_rules_threshold_minutes_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "escalate_to_group_id"],
            ["app.user_groups.organization_id", "app.user_groups.id"],
            name=op.f("fk_escalation_rules_escalate_to_group_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "escalate_to_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_escalation_rules_escalate_to_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_escalation_rules_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_escalation_rules")),
        sa.UniqueConstraint("organization_id", "name", name=op.f("uq_escalation_rules_name")),
        schema="app",
        comment="Escalation rules: trigger, threshold and escalation target.",
    )
    op.create_table(
        "locations",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False, comment="Short code, unique per organization."),
        sa.Column(
            "location_type",
            sa.String(length=40),
            server_default="warehouse",
            nullable=False,
            comment="Kind of location. One of: warehouse, van, store, customer_site.",
        ),
        sa.Column("address_line1", sa.String(length=200), nullable=True),
        sa.Column("address_line2", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("region", sa.String(length=120), nullable=True, comment="State, province or county."),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True, comment="ISO 3166-1 alpha-2 country code."),
        sa.Column(
            "assigned_user_id",
            sa.BigInteger(),
            nullable=True,
            comment="Technician who drives the van or manages the location.",
        ),
        sa.Column(
            "customer_id",
            sa.BigInteger(),
            nullable=True,
            comment="Customer owning a customer_site (consignment stock).",
        ),
        sa.Column(
            "is_active", sa.Boolean(), server_default="true", nullable=False, comment="Can receive and issue stock."
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "location_type <> 'customer_site' or customer_id is not null",
            name=op.f("ck_locations_customer_site_customer"),
        ),
        sa.CheckConstraint(
            "location_type in ('warehouse', 'van', 'store', 'customer_site')",
            name=op.f("ck_locations_location_type_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "assigned_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_locations_assigned_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_locations_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["app.organizations.id"], name=op.f("fk_locations_organization_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_locations")),
        sa.UniqueConstraint("organization_id", "code", name=op.f("uq_locations_code")),
        schema="app",
        comment="Stock-holding locations.",
    )
    op.create_table(
        "order_templates",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "customer_id",
            sa.BigInteger(),
            nullable=True,
            comment="Customer the template is for; NULL for any customer.",
        ),
        sa.Column("created_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "created_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_order_templates_created_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_order_templates_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_order_templates_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_order_templates")),
        sa.UniqueConstraint("organization_id", "name", name=op.f("uq_order_templates_name")),
        schema="app",
        comment="Reusable orders that new orders are created from.",
    )
    op.create_table(
        "products",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False, comment="Stock keeping unit, unique per organization."),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("category_id", sa.BigInteger(), nullable=True, comment="Catalog category."),
        sa.Column(
            "product_type",
            sa.String(length=40),
            server_default="physical",
            nullable=False,
            comment="What kind of item this is. One of: physical, service, bundle, warranty_plan, subscription.",
        ),
        sa.Column(
            "unit_of_measure",
            sa.String(length=20),
            server_default="each",
            nullable=False,
            comment="Unit quantities are counted in, e.g. each, m, kg, hour.",
        ),
        sa.Column("manufacturer", sa.String(length=120), nullable=True),
        sa.Column(
            "manufacturer_part_number", sa.String(length=80), nullable=True, comment="Manufacturer's part number."
        ),
        sa.Column("barcode", sa.String(length=64), nullable=True, comment="GTIN/EAN/UPC printed on the item."),
        sa.Column(
            "list_price",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Standard selling price per unit, before discounts.",
        ),
        sa.Column(
            "standard_cost",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Standard cost per unit, used for margin analysis.",
        ),
        sa.Column("is_taxable", sa.Boolean(), server_default="true", nullable=False, comment="Sales tax applies."),
        sa.Column(
            "is_serialized",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="Each unit carries a serial number (tracked on warranties).",
        ),
        sa.Column(
            "is_stocked",
            sa.Boolean(),
            server_default="true",
            nullable=False,
            comment="Kept in inventory; false for services and drop-shipped items.",
        ),
        sa.Column(
            "warranty_policy_id", sa.BigInteger(), nullable=True, comment="Warranty granted when the item is sold."
        ),
        sa.Column(
            "preferred_supplier_id", sa.BigInteger(), nullable=True, comment="Default supplier for replenishment."
        ),
        sa.Column(
            "reorder_point",
            sa.Numeric(precision=14, scale=3),
            server_default="0",
            nullable=False,
            comment="Default on-hand level at or below which to reorder.",
        ),
        sa.Column(
            "reorder_quantity",
            sa.Numeric(precision=14, scale=3),
            server_default="0",
            nullable=False,
            comment="Default quantity to reorder.",
        ),
        sa.Column(
            "lead_time_days",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="Typical days from purchase order to receipt.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="active",
            nullable=False,
            comment="Catalog lifecycle. One of: active, discontinued.",
        ),
        sa.Column(
            "discontinued_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the product was discontinued.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "discontinued_at is null or status = 'discontinued'",
            name=op.f("ck_products_discontinued_at_only_when_discontinued"),
        ),
        sa.CheckConstraint(
            "product_type in ('physical', 'service', 'bundle', 'warranty_plan', 'subscription')",
            name=op.f("ck_products_product_type_allowed"),
        ),
        sa.CheckConstraint("status in ('active', 'discontinued')", name=op.f("ck_products_status_allowed")),
        sa.CheckConstraint("lead_time_days >= 0", name=op.f("ck_products_lead_time_days_non_negative")),
        sa.CheckConstraint("list_price >= 0", name=op.f("ck_products_list_price_non_negative")),
        sa.CheckConstraint("reorder_point >= 0", name=op.f("ck_products_reorder_point_non_negative")),
        sa.CheckConstraint("reorder_quantity >= 0", name=op.f("ck_products_reorder_quantity_non_negative")),
        sa.CheckConstraint("standard_cost >= 0", name=op.f("ck_products_standard_cost_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "category_id"],
            ["app.categories.organization_id", "app.categories.id"],
            name=op.f("fk_products_category_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "preferred_supplier_id"],
            ["app.suppliers.organization_id", "app.suppliers.id"],
            name=op.f("fk_products_preferred_supplier_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "warranty_policy_id"],
            ["app.warranty_policies.organization_id", "app.warranty_policies.id"],
            name=op.f("fk_products_warranty_policy_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["app.organizations.id"], name=op.f("fk_products_organization_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_products")),
        sa.UniqueConstraint("organization_id", "sku", name=op.f("uq_products_sku")),
        schema="app",
        comment="Product and service catalog with list price, standard cost and replenishment settings.",
    )
    op.create_index(
        op.f("ix_products_category_id"), "products", ["organization_id", "category_id"], unique=False, schema="app"
    )
    op.create_table(
        "report_favorites",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False, comment="Who starred the report."),
        sa.Column("custom_report_id", sa.BigInteger(), nullable=True, comment="Starred custom report."),
        sa.Column("report_key", sa.String(length=80), nullable=True, comment="Starred built-in report, e.g. pipeline."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "num_nonnulls(custom_report_id, report_key) = 1", name=op.f("ck_report_favorites_custom_or_builtin")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "custom_report_id"],
            ["app.custom_reports.organization_id", "app.custom_reports.id"],
            name=op.f("fk_report_favorites_custom_report_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_report_favorites_user_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_report_favorites_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_report_favorites")),
        sa.UniqueConstraint(
            "organization_id", "user_id", "custom_report_id", name=op.f("uq_report_favorites_user_id_custom_report_id")
        ),
        sa.UniqueConstraint(
            "organization_id", "user_id", "report_key", name=op.f("uq_report_favorites_user_id_report_key")
        ),
        schema="app",
        comment="Reports users marked as favourite.",
    )
    op.create_table(
        "scheduled_reports",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "report_type",
            sa.String(length=40),
            nullable=False,
            comment="Which report is sent; custom uses custom_report_id. One of: daily_metrics, pipeline, warranty, jobs, current_state, targets, custom.",
        ),
        sa.Column(
            "custom_report_id", sa.BigInteger(), nullable=True, comment="The custom report, when report_type is custom."
        ),
        sa.Column(
            "frequency",
            sa.String(length=40),
            server_default="weekly",
            nullable=False,
            comment="How often it is sent. One of: daily, weekly, monthly.",
        ),
        sa.Column("send_at_local_time", sa.Time(), nullable=False, comment="Time of day to send, in timezone."),
        sa.Column(
            "day_of_week",
            sa.Integer(),
            nullable=True,
            comment="ISO weekday to send on for weekly reports: 1 = Monday ... 7 = Sunday.",
        ),
        sa.Column(
            "day_of_month",
            sa.Integer(),
            nullable=True,
            comment="Day of month to send on for monthly reports (1-31; the last day in shorter months).",
        ),
        sa.Column(
            "timezone",
            sa.String(length=64),
            server_default="UTC",
            nullable=False,
            comment="IANA time zone of the schedule.",
        ),
        sa.Column(
            "recipients",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
            comment='E-mail addresses, e.g. ["ops@example.com"].',
        ),
        sa.Column(
            "format",
            sa.String(length=40),
            server_default="html",
            nullable=False,
            comment="Attachment or body format. One of: html, csv, pdf.",
        ),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "last_sent_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the report was last sent."
        ),
        sa.Column(
            "next_run_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When it is next due; NULL when inactive.",
        ),
        sa.Column("created_by_user_id", sa.BigInteger(), nullable=True, comment="Who set up the schedule."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "(report_type = 'custom') = (custom_report_id is not null)",
            name=op.f("ck_scheduled_reports_custom_has_report"),
        ),
        sa.CheckConstraint("format in ('html', 'csv', 'pdf')", name=op.f("ck_scheduled_reports_format_allowed")),
        sa.CheckConstraint(
            "frequency <> 'monthly' or day_of_month is not null", name=op.f("ck_scheduled_reports_monthly_has_day")
        ),
        sa.CheckConstraint(
            "frequency <> 'weekly' or day_of_week is not null", name=op.f("ck_scheduled_reports_weekly_has_day")
        ),
        sa.CheckConstraint(
            "frequency in ('daily', 'weekly', 'monthly')", name=op.f("ck_scheduled_reports_frequency_allowed")
        ),
        sa.CheckConstraint("jsonb_typeof(recipients) = 'array'", name=op.f("ck_scheduled_reports_recipients_is_array")),
        sa.CheckConstraint(
            "report_type in ('daily_metrics', 'pipeline', 'warranty', 'jobs', 'current_state', 'targets', 'custom')",
            name=op.f("ck_scheduled_reports_report_type_allowed"),
        ),
        sa.CheckConstraint("day_of_month >= 0", name=op.f("ck_scheduled_reports_day_of_month_non_negative")),
        sa.CheckConstraint("day_of_month between 1 and 31", name=op.f("ck_scheduled_reports_day_of_month_range")),
        sa.CheckConstraint("day_of_week >= 0", name=op.f("ck_scheduled_reports_day_of_week_non_negative")),
        sa.CheckConstraint("day_of_week between 1 and 7", name=op.f("ck_scheduled_reports_day_of_week_range")),
        sa.ForeignKeyConstraint(
            ["organization_id", "created_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_scheduled_reports_created_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "custom_report_id"],
            ["app.custom_reports.organization_id", "app.custom_reports.id"],
            name=op.f("fk_scheduled_reports_custom_report_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_scheduled_reports_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_scheduled_reports")),
        schema="app",
        comment="Reports sent by e-mail on a daily, weekly or monthly schedule.",
    )
    op.create_index(
        op.f("ix_scheduled_reports_next_run_at"),
        "scheduled_reports",
        ["organization_id", "next_run_at"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "statement_history",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("statement_date", sa.Date(), nullable=False, comment="Date of the statement."),
        sa.Column("period_start", sa.Date(), nullable=False, comment="First day covered."),
        sa.Column("period_end", sa.Date(), nullable=False, comment="Last day covered."),
        sa.Column(
            "opening_balance",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Balance owed at period start; signed because a customer in credit has a negative balance.",
        ),
        sa.Column(
            "closing_balance",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Balance owed at period end; signed because a customer in credit has a negative balance.",
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 currency code of the amounts on this row.",
        ),
        sa.Column(
            "delivery_channel",
            sa.String(length=40),
            server_default="email",
            nullable=False,
            comment="How the statement was delivered. One of: email, post, portal.",
        ),
        sa.Column(
            "sent_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When it was sent; NULL if generated but not sent.",
        ),
        sa.Column("storage_ref", sa.String(length=500), nullable=True, comment="Object-storage key of the PDF."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_statement_history_currency_iso4217")),
        sa.CheckConstraint(
            "delivery_channel in ('email', 'post', 'portal')",
            name=op.f("ck_statement_history_delivery_channel_allowed"),
        ),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_statement_history_period_end_after_start")),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_statement_history_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_statement_history_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_statement_history")),
        schema="app",
        comment="Customer account statements sent, with opening and closing balances.",
    )
    op.create_index(
        op.f("ix_statement_history_customer_id"),
        "statement_history",
        ["organization_id", "customer_id"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_statement_history_statement_date"),
        "statement_history",
        ["organization_id", "statement_date"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "supplier_performance_metrics",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("supplier_id", sa.BigInteger(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False, comment="First day of the period."),
        sa.Column("period_end", sa.Date(), nullable=False, comment="Last day of the period."),
        sa.Column(
            "on_time_delivery_rate",
            sa.Numeric(precision=5, scale=2),
            nullable=True,
            comment="Share of receipts on or before the expected date; NULL without receipts.",
        ),
        sa.Column(
            "fill_rate",
            sa.Numeric(precision=5, scale=2),
            nullable=True,
            comment="Share of ordered quantity received; NULL without orders due.",
        ),
        sa.Column(
            "defect_rate",
            sa.Numeric(precision=5, scale=2),
            nullable=True,
            comment="Share of received quantity rejected; NULL without receipts.",
        ),
        sa.Column(
            "average_lead_time_days",
            sa.Numeric(precision=14, scale=3),
            nullable=True,
            comment="Mean days from order to receipt.",
        ),
        sa.Column(
            "purchase_order_count",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="Purchase orders placed in the period.",
        ),
        sa.Column(
            "spend",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Purchase order value placed in the period, in the organization's currency.",
        ),
        sa.Column(
            "computed_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the metrics were calculated.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "average_lead_time_days >= 0",
            name=op.f("ck_supplier_performance_metrics_average_lead_time_days_non_negative"),
        ),
        sa.CheckConstraint(
            "defect_rate between 0 and 100", name=op.f("ck_supplier_performance_metrics_defect_rate_range")
        ),
        sa.CheckConstraint("fill_rate between 0 and 100", name=op.f("ck_supplier_performance_metrics_fill_rate_range")),
        sa.CheckConstraint(
            "on_time_delivery_rate between 0 and 100",
            name=op.f("ck_supplier_performance_metrics_on_time_delivery_rate_range"),
        ),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_supplier_performance_metrics_period_end_after_start")
        ),
        sa.CheckConstraint(
            "purchase_order_count >= 0", name=op.f("ck_supplier_performance_metrics_purchase_order_count_non_negative")
        ),
        sa.CheckConstraint("spend >= 0", name=op.f("ck_supplier_performance_metrics_spend_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "supplier_id"],
            ["app.suppliers.organization_id", "app.suppliers.id"],
            name=op.f("fk_supplier_performance_metrics_supplier_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_supplier_performance_metrics_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_supplier_performance_metrics")),
        sa.UniqueConstraint(
            "organization_id",
            "supplier_id",
            "period_start",
            "period_end",
            name=op.f("uq_supplier_performance_metrics_supplier_id_period_start_period_end"),
        ),
        schema="app",
        comment="Supplier scorecards per period: on-time, fill and defect rates, lead time, spend.",
    )
    op.create_index(
        op.f("ix_supplier_performance_metrics_period_start"),
        "supplier_performance_metrics",
        ["organization_id", "period_start"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "targets",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "metric",
            sa.String(length=40),
            nullable=False,
            comment="Warehouse metric the target is set on. One of: revenue, orders, average_order_value, new_customers, gross_margin, cash_collected, quotes_sent, pipeline_value, won_deals, won_value, jobs_completed, first_time_fix_rate, issues_resolved, sla_compliance_rate, csat_average, warranty_claims, warranty_claim_cost.",
        ),
        sa.Column(
            "period_type",
            sa.String(length=40),
            server_default="month",
            nullable=False,
            comment="Length of the period. One of: month, quarter, year.",
        ),
        sa.Column("period_start", sa.Date(), nullable=False, comment="First day of the period."),
        sa.Column("period_end", sa.Date(), nullable=False, comment="Last day of the period."),
        sa.Column(
            "target_value",
            sa.Numeric(precision=14, scale=3),
            server_default="0",
            nullable=False,
            comment="Target in the metric's unit: money in the organization's currency, a count, or a percent (0-100).",
        ),
        sa.Column(
            "user_id",
            sa.BigInteger(),
            nullable=True,
            comment="Person the target is for; NULL with user_group_id NULL = whole org.",
        ),
        sa.Column("user_group_id", sa.BigInteger(), nullable=True, comment="Team the target is for."),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "metric in ('revenue', 'orders', 'average_order_value', 'new_customers', 'gross_margin', 'cash_collected', 'quotes_sent', 'pipeline_value', 'won_deals', 'won_value', 'jobs_completed', 'first_time_fix_rate', 'issues_resolved', 'sla_compliance_rate', 'csat_average', 'warranty_claims', 'warranty_claim_cost')",
            name=op.f("ck_targets_metric_allowed"),
        ),
        sa.CheckConstraint("period_type in ('month', 'quarter', 'year')", name=op.f("ck_targets_period_type_allowed")),
        sa.CheckConstraint("num_nonnulls(user_id, user_group_id) <= 1", name=op.f("ck_targets_user_or_group")),
        sa.CheckConstraint("period_end > period_start", name=op.f("ck_targets_period_end_after_start")),
        sa.CheckConstraint("target_value >= 0", name=op.f("ck_targets_target_value_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_group_id"],
            ["app.user_groups.organization_id", "app.user_groups.id"],
            name=op.f("fk_targets_user_group_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_targets_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["app.organizations.id"], name=op.f("fk_targets_organization_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_targets")),
        sa.UniqueConstraint(
            "organization_id",
            "metric",
            "period_type",
            "period_start",
            "user_id",
            "user_group_id",
            name="uq_targets_metric_period_owner",
            postgresql_nulls_not_distinct=True,
        ),
        schema="app",
        comment="Targets per metric and period, organization-wide or for a team or a person.",
    )
    op.create_index(
        op.f("ix_targets_period_start"), "targets", ["organization_id", "period_start"], unique=False, schema="app"
    )
    op.create_table(
        "user_group_members",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("group_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "member_role",
            sa.String(length=40),
            server_default="member",
            nullable=False,
            comment="Role inside the group. One of: member, lead.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("member_role in ('member', 'lead')", name=op.f("ck_user_group_members_member_role_allowed")),
        sa.ForeignKeyConstraint(
            ["organization_id", "group_id"],
            ["app.user_groups.organization_id", "app.user_groups.id"],
            name=op.f("fk_user_group_members_group_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_user_group_members_user_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_user_group_members_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_user_group_members")),
        sa.UniqueConstraint(
            "organization_id", "group_id", "user_id", name=op.f("uq_user_group_members_group_id_user_id")
        ),
        schema="app",
        comment="Which users belong to which groups.",
    )
    op.create_table(
        "campaign_recipients",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("campaign_id", sa.BigInteger(), nullable=False, comment="The campaign."),
        sa.Column("customer_id", sa.BigInteger(), nullable=True, comment="Customer reached, if known."),
        sa.Column("contact_id", sa.BigInteger(), nullable=True, comment="Contact reached, if known."),
        sa.Column(
            "email_address",
            sa.String(length=320),
            nullable=False,
            comment="Address (or phone for SMS) the message went to.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="pending",
            nullable=False,
            comment="Furthest state the message reached with this recipient. One of: pending, sent, delivered, opened, clicked, bounced, unsubscribed.",
        ),
        sa.Column("sent_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the message was sent."),
        sa.Column(
            "delivered_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the provider confirmed delivery.",
        ),
        sa.Column("opened_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="First open."),
        sa.Column("clicked_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="First click."),
        sa.Column(
            "bounced_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the message bounced."
        ),
        sa.Column(
            "unsubscribed_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the recipient unsubscribed via this campaign.",
        ),
        sa.Column("open_count", sa.Integer(), server_default="0", nullable=False, comment="Number of opens tracked."),
        sa.Column("click_count", sa.Integer(), server_default="0", nullable=False, comment="Number of clicks tracked."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "case status when 'delivered' then delivered_at is not null when 'opened' then opened_at is not null when 'clicked' then clicked_at is not null when 'bounced' then bounced_at is not null when 'unsubscribed' then unsubscribed_at is not null else true end",
            name=op.f("ck_campaign_recipients_status_has_timestamp"),
        ),
        sa.CheckConstraint(
            "status = 'pending' or sent_at is not null", name=op.f("ck_campaign_recipients_sent_has_sent_at")
        ),
        sa.CheckConstraint(
            "status in ('pending', 'sent', 'delivered', 'opened', 'clicked', 'bounced', 'unsubscribed')",
            name=op.f("ck_campaign_recipients_status_allowed"),
        ),
        sa.CheckConstraint(
            "bounced_at is null or (sent_at is not null and bounced_at >= sent_at)",
            name=op.f("ck_campaign_recipients_bounced_after_sent"),
        ),
        sa.CheckConstraint("click_count >= 0", name=op.f("ck_campaign_recipients_click_count_non_negative")),
        sa.CheckConstraint(
            "clicked_at is null or (sent_at is not null and clicked_at >= sent_at)",
            name=op.f("ck_campaign_recipients_clicked_after_sent"),
        ),
        sa.CheckConstraint(
            "delivered_at is null or (sent_at is not null and delivered_at >= sent_at)",
            name=op.f("ck_campaign_recipients_delivered_after_sent"),
        ),
        sa.CheckConstraint("open_count >= 0", name=op.f("ck_campaign_recipients_open_count_non_negative")),
        sa.CheckConstraint(
            "opened_at is null or (sent_at is not null and opened_at >= sent_at)",
            name=op.f("ck_campaign_recipients_opened_after_sent"),
        ),
        sa.CheckConstraint(
            "unsubscribed_at is null or (sent_at is not null and unsubscribed_at >= sent_at)",
            name=op.f("ck_campaign_recipients_unsubscribed_after_sent"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "campaign_id"],
            ["app.email_campaigns.organization_id", "app.email_campaigns.id"],
            name=op.f("fk_campaign_recipients_campaign_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "contact_id"],
            ["app.contacts.organization_id", "app.contacts.id"],
            name=op.f("fk_campaign_recipients_contact_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_campaign_recipients_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_campaign_recipients_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_campaign_recipients")),
        sa.UniqueConstraint(
            "organization_id",
            "campaign_id",
            "email_address",
            name=op.f("uq_campaign_recipients_campaign_id_email_address"),
        ),
        schema="app",
        comment="Recipients of campaigns with delivery, open and click tracking.",
    )
    op.create_index(
        op.f("ix_campaign_recipients_customer_id"),
        "campaign_recipients",
        ["organization_id", "customer_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "customer_activities",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False, comment="Customer the activity is about."),
        sa.Column("contact_id", sa.BigInteger(), nullable=True, comment="Contact involved, if any."),
        sa.Column(
            "user_id", sa.BigInteger(), nullable=True, comment="Staff member who performed or logged the activity."
        ),
        sa.Column(
            "activity_type",
            sa.String(length=40),
            server_default="note",
            nullable=False,
            comment="Kind of activity. One of: call, email, meeting, note, site_visit, task, status_change.",
        ),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "occurred_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the activity happened (or is due, for tasks).",
        ),
        sa.Column(
            "completed_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When a task-like activity was completed.",
        ),
        sa.Column("duration_seconds", sa.Integer(), nullable=True, comment="Length of a call or meeting in seconds."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "activity_type in ('call', 'email', 'meeting', 'note', 'site_visit', 'task', 'status_change')",
            name=op.f("ck_customer_activities_activity_type_allowed"),
        ),
        sa.CheckConstraint(
            "completed_at is null or completed_at >= occurred_at",
            name=op.f("ck_customer_activities_completed_after_occurred"),
        ),
        sa.CheckConstraint("duration_seconds >= 0", name=op.f("ck_customer_activities_duration_seconds_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "contact_id"],
            ["app.contacts.organization_id", "app.contacts.id"],
            name=op.f("fk_customer_activities_contact_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_customer_activities_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_customer_activities_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_customer_activities_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_customer_activities")),
        schema="app",
        comment="Timeline of interactions and events per customer.",
    )
    op.create_index(
        op.f("ix_customer_activities_customer_id"),
        "customer_activities",
        ["organization_id", "customer_id"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_customer_activities_occurred_at"),
        "customer_activities",
        ["organization_id", "occurred_at"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "customer_product_prices",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "unit_price",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Agreed price per unit.",
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 currency code of the amounts on this row.",
        ),
        sa.Column(
            "min_quantity",
            sa.Numeric(precision=14, scale=3),
            server_default="1",
            nullable=False,
            comment="Smallest order quantity the price applies to.",
        ),
        sa.Column(
            "valid_from",
            sa.Date(),
            server_default=sa.text("CURRENT_DATE"),
            nullable=False,
            comment="First day the price applies.",
        ),
        sa.Column("valid_to", sa.Date(), nullable=True, comment="Last day the price applies; NULL while open-ended."),
        sa.Column("approved_by_user_id", sa.BigInteger(), nullable=True, comment="Who approved the special price."),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_customer_product_prices_currency_iso4217")),
        sa.CheckConstraint("min_quantity >= 0", name=op.f("ck_customer_product_prices_min_quantity_non_negative")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_customer_product_prices_unit_price_non_negative")),
        sa.CheckConstraint(
            "valid_to is null or valid_to >= valid_from", name=op.f("ck_customer_product_prices_valid_to_after_from")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "approved_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_customer_product_prices_approved_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_customer_product_prices_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_customer_product_prices_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_customer_product_prices_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_customer_product_prices")),
        sa.UniqueConstraint(
            "organization_id",
            "customer_id",
            "product_id",
            "valid_from",
            name=op.f("uq_customer_product_prices_customer_id_product_id_valid_from"),
        ),
        schema="app",
        comment="Customer-specific contract prices.",
    )
    op.create_index(
        op.f("ix_customer_product_prices_product_id"),
        "customer_product_prices",
        ["organization_id", "product_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "inventory_alerts",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column("location_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "alert_type",
            sa.String(length=40),
            nullable=False,
            comment="What the alert is about. One of: below_reorder_point, stock_out, overstock, expiring.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="open",
            nullable=False,
            comment="Alert lifecycle. One of: open, acknowledged, resolved.",
        ),
        sa.Column(
            "quantity_on_hand",
            sa.Numeric(precision=14, scale=3),
            server_default="0",
            nullable=False,
            comment="On-hand quantity when the alert was raised.",
        ),
        sa.Column(
            "threshold_quantity",
            sa.Numeric(precision=14, scale=3),
            nullable=True,
            comment="Threshold that was crossed (reorder point, overstock level).",
        ),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column(
            "raised_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When it was raised.",
        ),
        sa.Column("acknowledged_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column("acknowledged_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("resolved_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column(
            "resolved_by_user_id",
            sa.BigInteger(),
            nullable=True,
            comment="Who resolved it; NULL when resolved automatically.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "alert_type in ('below_reorder_point', 'stock_out', 'overstock', 'expiring')",
            name=op.f("ck_inventory_alerts_alert_type_allowed"),
        ),
        sa.CheckConstraint(
            "status <> 'resolved' or resolved_at is not null", name=op.f("ck_inventory_alerts_resolved_has_resolved_at")
        ),
        sa.CheckConstraint(
            "status in ('open', 'acknowledged', 'resolved')", name=op.f("ck_inventory_alerts_status_allowed")
        ),
        sa.CheckConstraint(
            "acknowledged_at is null or acknowledged_at >= raised_at",
            name=op.f("ck_inventory_alerts_acknowledged_after_raised"),
        ),
        sa.CheckConstraint("quantity_on_hand >= 0", name=op.f("ck_inventory_alerts_quantity_on_hand_non_negative")),
        sa.CheckConstraint(
            "resolved_at is null or resolved_at >= raised_at", name=op.f("ck_inventory_alerts_resolved_after_raised")
        ),
        sa.CheckConstraint("threshold_quantity >= 0", name=op.f("ck_inventory_alerts_threshold_quantity_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "acknowledged_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_inventory_alerts_acknowledged_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "location_id"],
            ["app.locations.organization_id", "app.locations.id"],
            name=op.f("fk_inventory_alerts_location_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_inventory_alerts_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "resolved_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_inventory_alerts_resolved_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_inventory_alerts_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_inventory_alerts")),
        schema="app",
        comment="Stock alerts: below reorder point, stock-out, overstock, expiring; one unresolved per kind.",
    )
    op.create_index(
        op.f("ix_inventory_alerts_product_id_location_id_alert_type"),
        "inventory_alerts",
        ["organization_id", "product_id", "location_id", "alert_type"],
        unique=True,
        schema="app",
        postgresql_where=sa.text("status <> 'resolved'"),
    )
    op.create_index(
        op.f("ix_inventory_alerts_raised_at"),
        "inventory_alerts",
        ["organization_id", "raised_at"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "inventory_forecasts",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "location_id", sa.BigInteger(), nullable=True, comment="Location forecast; NULL for all locations together."
        ),
        sa.Column(
            "forecast_date",
            sa.Date(),
            server_default=sa.text("CURRENT_DATE"),
            nullable=False,
            comment="Day the forecast was made (its vintage).",
        ),
        sa.Column("period_start", sa.Date(), nullable=False, comment="First day of the forecast period."),
        sa.Column("period_end", sa.Date(), nullable=False, comment="Last day of the forecast period."),
        sa.Column(
            "forecast_quantity",
            sa.Numeric(precision=14, scale=3),
            server_default="0",
            nullable=False,
            comment="Expected demand in the period.",
        ),
        sa.Column(
            "lower_bound",
            sa.Numeric(precision=14, scale=3),
            nullable=True,
            comment="Lower end of the prediction interval.",
        ),
        sa.Column(
            "upper_bound",
            sa.Numeric(precision=14, scale=3),
            nullable=True,
            comment="Upper end of the prediction interval.",
        ),
        sa.Column(
            "confidence", sa.Numeric(precision=5, scale=2), nullable=True, comment="Confidence level of the interval."
        ),
        sa.Column(
            "method",
            sa.String(length=40),
            server_default="moving_average",
            nullable=False,
            comment="Forecasting method. One of: moving_average, exponential_smoothing, seasonal, regression, manual.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "method in ('moving_average', 'exponential_smoothing', 'seasonal', 'regression', 'manual')",
            name=op.f("ck_inventory_forecasts_method_allowed"),
        ),
        sa.CheckConstraint("confidence between 0 and 100", name=op.f("ck_inventory_forecasts_confidence_range")),
        sa.CheckConstraint(
            "forecast_quantity >= 0", name=op.f("ck_inventory_forecasts_forecast_quantity_non_negative")
        ),
        sa.CheckConstraint("lower_bound >= 0", name=op.f("ck_inventory_forecasts_lower_bound_non_negative")),
        sa.CheckConstraint(
            "lower_bound is null or lower_bound <= forecast_quantity",
            name=op.f("ck_inventory_forecasts_lower_bound_below_forecast"),
        ),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_inventory_forecasts_period_end_after_start")),
        sa.CheckConstraint("upper_bound >= 0", name=op.f("ck_inventory_forecasts_upper_bound_non_negative")),
        sa.CheckConstraint(
            "upper_bound is null or upper_bound >= forecast_quantity",
            name=op.f("ck_inventory_forecasts_upper_bound_above_forecast"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "location_id"],
            ["app.locations.organization_id", "app.locations.id"],
            name=op.f("fk_inventory_forecasts_location_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_inventory_forecasts_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_inventory_forecasts_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_inventory_forecasts")),
        sa.UniqueConstraint(
            "organization_id",
            "product_id",
            "location_id",
            "period_start",
            "method",
            "forecast_date",
            name=op.f("uq_inventory_forecasts_product_id_location_id_period_start_method_forecast_date"),
            postgresql_nulls_not_distinct=True,
        ),
        schema="app",
        comment="Demand forecasts per product, location and period.",
    )
    op.create_index(
        op.f("ix_inventory_forecasts_period_start"),
        "inventory_forecasts",
        ["organization_id", "period_start"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "opportunities",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "opportunity_number",
            sa.String(length=40),
            nullable=False,
            comment="Human opportunity number, unique per org.",
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False, comment="Customer (or lead) the deal is with."),
        sa.Column("contact_id", sa.BigInteger(), nullable=True, comment="Main contact for the deal."),
        sa.Column("owner_user_id", sa.BigInteger(), nullable=True, comment="Salesperson who owns the deal."),
        sa.Column(
            "stage",
            sa.String(length=40),
            server_default="lead",
            nullable=False,
            comment="Pipeline stage. One of: lead, qualified, proposal, negotiation, won, lost.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="open",
            nullable=False,
            comment="Outcome; won/lost exactly when the stage is won/lost. One of: open, won, lost.",
        ),
        sa.Column(
            "amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Expected deal value, in the opportunity's currency.",
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 currency code of the amounts on this row.",
        ),
        sa.Column(
            "probability",
            sa.Numeric(precision=5, scale=2),
            server_default="0",
            nullable=False,
            comment="Estimated chance to win, 0-100.",
        ),
        sa.Column("expected_close_date", sa.Date(), nullable=True, comment="Date the deal is expected to close."),
        sa.Column(
            "stage_entered_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the opportunity entered its current stage.",
        ),
        sa.Column(
            "closed_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the deal was won or lost; NULL while open.",
        ),
        sa.Column("won_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the deal was won."),
        sa.Column("lost_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the deal was lost."),
        sa.Column("win_loss_reason_id", sa.BigInteger(), nullable=True, comment="Main reason for the outcome."),
        sa.Column(
            "competitor", sa.String(length=120), nullable=True, comment="Competitor the deal was lost to, if known."
        ),
        sa.Column(
            "source",
            sa.String(length=40),
            nullable=True,
            comment="Where the opportunity came from. One of: referral, website, phone_inbound, walk_in, advertising, campaign, trade_show, partner, outbound, other.",
        ),
        sa.Column("campaign_id", sa.BigInteger(), nullable=True, comment="Marketing campaign the lead came from."),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "(closed_at is not null) = (status <> 'open')", name=op.f("ck_opportunities_closed_at_iff_closed")
        ),
        sa.CheckConstraint("(lost_at is not null) = (status = 'lost')", name=op.f("ck_opportunities_lost_at_iff_lost")),
        sa.CheckConstraint("(won_at is not null) = (status = 'won')", name=op.f("ck_opportunities_won_at_iff_won")),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_opportunities_currency_iso4217")),
        sa.CheckConstraint(
            "source in ('referral', 'website', 'phone_inbound', 'walk_in', 'advertising', 'campaign', 'trade_show', 'partner', 'outbound', 'other')",
            name=op.f("ck_opportunities_source_allowed"),
        ),
        sa.CheckConstraint(
            "stage in ('lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost')",
            name=op.f("ck_opportunities_stage_allowed"),
        ),
        sa.CheckConstraint(
            "status = case when stage in ('won', 'lost') then stage else 'open' end",
            name=op.f("ck_opportunities_status_matches_stage"),
        ),
        sa.CheckConstraint("status in ('open', 'won', 'lost')", name=op.f("ck_opportunities_status_allowed")),
        sa.CheckConstraint(
            "win_loss_reason_id is null or status <> 'open'", name=op.f("ck_opportunities_reason_only_when_closed")
        ),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_opportunities_amount_non_negative")),
        sa.CheckConstraint("probability between 0 and 100", name=op.f("ck_opportunities_probability_range")),
        sa.ForeignKeyConstraint(
            ["organization_id", "campaign_id"],
            ["app.email_campaigns.organization_id", "app.email_campaigns.id"],
            name=op.f("fk_opportunities_campaign_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "contact_id"],
            ["app.contacts.organization_id", "app.contacts.id"],
            name=op.f("fk_opportunities_contact_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_opportunities_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "owner_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_opportunities_owner_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "win_loss_reason_id"],
            ["app.win_loss_reasons.organization_id", "app.win_loss_reasons.id"],
            name=op.f("fk_opportunities_win_loss_reason_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_opportunities_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_opportunities")),
        sa.UniqueConstraint("organization_id", "opportunity_number", name=op.f("uq_opportunities_opportunity_number")),
        schema="app",
        comment="Sales pipeline: potential deals per customer with stage, amount and outcome.",
    )
    op.create_index(
        op.f("ix_opportunities_customer_id"),
        "opportunities",
        ["organization_id", "customer_id"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_opportunities_expected_close_date"),
        "opportunities",
        ["organization_id", "expected_close_date"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_opportunities_owner_user_id"),
        "opportunities",
        ["organization_id", "owner_user_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "order_template_items",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("order_template_id", sa.BigInteger(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False, comment="Position of the line in the template, from 1."),
        sa.Column(
            "product_id", sa.BigInteger(), nullable=True, comment="Product or service; NULL for free-text lines."
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "quantity",
            sa.Numeric(precision=14, scale=3),
            server_default="1",
            nullable=False,
            comment="Default quantity.",
        ),
        sa.Column(
            "unit_price",
            sa.Numeric(precision=14, scale=2),
            nullable=True,
            comment="Fixed price per unit; NULL to use the product's price when the order is created.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("line_number >= 0", name=op.f("ck_order_template_items_line_number_non_negative")),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_order_template_items_quantity_non_negative")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_order_template_items_unit_price_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_template_id"],
            ["app.order_templates.organization_id", "app.order_templates.id"],
            name=op.f("fk_order_template_items_order_template_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_order_template_items_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_order_template_items_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_order_template_items")),
        sa.UniqueConstraint(
            "organization_id",
            "order_template_id",
            "line_number",
            name=op.f("uq_order_template_items_order_template_id_line_number"),
        ),
        schema="app",
        comment="Lines of order templates.",
    )
    op.create_table(
        "price_agreements",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("supplier_id", sa.BigInteger(), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column("agreement_ref", sa.String(length=100), nullable=True, comment="Contract number."),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="active",
            nullable=False,
            comment="Agreement state. One of: draft, active, expired, cancelled.",
        ),
        sa.Column(
            "unit_cost",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Agreed price per unit.",
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 currency code of the amounts on this row.",
        ),
        sa.Column(
            "min_quantity",
            sa.Numeric(precision=14, scale=3),
            server_default="1",
            nullable=False,
            comment="Minimum order quantity for the agreed price.",
        ),
        sa.Column(
            "valid_from",
            sa.Date(),
            server_default=sa.text("CURRENT_DATE"),
            nullable=False,
            comment="First day of validity.",
        ),
        sa.Column("valid_to", sa.Date(), nullable=True, comment="Last day of validity; NULL while open-ended."),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_price_agreements_currency_iso4217")),
        sa.CheckConstraint(
            "status in ('draft', 'active', 'expired', 'cancelled')", name=op.f("ck_price_agreements_status_allowed")
        ),
        sa.CheckConstraint("min_quantity > 0", name=op.f("ck_price_agreements_min_quantity_positive")),
        sa.CheckConstraint("min_quantity >= 0", name=op.f("ck_price_agreements_min_quantity_non_negative")),
        sa.CheckConstraint("unit_cost >= 0", name=op.f("ck_price_agreements_unit_cost_non_negative")),
        sa.CheckConstraint(
            "valid_to is null or valid_to >= valid_from", name=op.f("ck_price_agreements_valid_to_after_from")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_price_agreements_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "supplier_id"],
            ["app.suppliers.organization_id", "app.suppliers.id"],
            name=op.f("fk_price_agreements_supplier_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_price_agreements_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_price_agreements")),
        sa.UniqueConstraint(
            "organization_id",
            "supplier_id",
            "product_id",
            "min_quantity",
            "valid_from",
            name=op.f("uq_price_agreements_supplier_id_product_id_min_quantity_valid_from"),
        ),
        schema="app",
        comment="Contracted supplier prices with validity and minimum quantity.",
    )
    op.create_index(
        op.f("ix_price_agreements_product_id"),
        "price_agreements",
        ["organization_id", "product_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "price_history",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "price_type",
            sa.String(length=40),
            nullable=False,
            comment="Which price changed: list price or standard cost. One of: list, cost.",
        ),
        sa.Column(
            "old_price",
            sa.Numeric(precision=14, scale=2),
            nullable=True,
            comment="Price before the change; NULL for the first price.",
        ),
        sa.Column(
            "new_price",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Price after the change.",
        ),
        sa.Column(
            "changed_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When it changed.",
        ),
        sa.Column(
            "changed_by_user_id", sa.BigInteger(), nullable=True, comment="Who changed it; NULL for automated changes."
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("price_type in ('list', 'cost')", name=op.f("ck_price_history_price_type_allowed")),
        sa.CheckConstraint("new_price >= 0", name=op.f("ck_price_history_new_price_non_negative")),
        sa.CheckConstraint("old_price >= 0", name=op.f("ck_price_history_old_price_non_negative")),
        sa.CheckConstraint("old_price is null or old_price <> new_price", name=op.f("ck_price_history_price_changed")),
        sa.ForeignKeyConstraint(
            ["organization_id", "changed_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_price_history_changed_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_price_history_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_price_history_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_price_history")),
        schema="app",
        comment="Audit trail of product list price and cost changes.",
    )
    op.create_index(
        op.f("ix_price_history_product_id_changed_at"),
        "price_history",
        ["organization_id", "product_id", "changed_at"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "product_attribute_values",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column("attribute_id", sa.BigInteger(), nullable=False),
        sa.Column("value_text", sa.Text(), nullable=True, comment="Value of text and select attributes."),
        sa.Column(
            "value_number",
            sa.Numeric(precision=14, scale=3),
            nullable=True,
            comment="Value of number attributes (may be negative, e.g. a temperature).",
        ),
        sa.Column("value_boolean", sa.Boolean(), nullable=True, comment="Value of boolean attributes."),
        sa.Column("value_date", sa.Date(), nullable=True, comment="Value of date attributes."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "num_nonnulls(value_text, value_number, value_boolean, value_date) = 1",
            name=op.f("ck_product_attribute_values_exactly_one_value"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "attribute_id"],
            ["app.product_attributes.organization_id", "app.product_attributes.id"],
            name=op.f("fk_product_attribute_values_attribute_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_product_attribute_values_product_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_product_attribute_values_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_product_attribute_values")),
        sa.UniqueConstraint(
            "organization_id",
            "product_id",
            "attribute_id",
            name=op.f("uq_product_attribute_values_product_id_attribute_id"),
        ),
        schema="app",
        comment="Attribute values per product (typed columns, exactly one set).",
    )
    op.create_index(
        op.f("ix_product_attribute_values_attribute_id"),
        "product_attribute_values",
        ["organization_id", "attribute_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "product_bundles",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("bundle_product_id", sa.BigInteger(), nullable=False, comment="The bundle."),
        sa.Column(
            "component_product_id", sa.BigInteger(), nullable=False, comment="A product contained in the bundle."
        ),
        sa.Column(
            "quantity",
            sa.Numeric(precision=14, scale=3),
            server_default="1",
            nullable=False,
            comment="Units of the component per bundle.",
        ),
        sa.Column(
            "is_optional", sa.Boolean(), server_default="false", nullable=False, comment="Customer may leave it out."
        ),
        sa.Column(
            "sort_order",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="Display position inside the bundle.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "bundle_product_id <> component_product_id", name=op.f("ck_product_bundles_not_own_component")
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_product_bundles_quantity_positive")),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_product_bundles_quantity_non_negative")),
        sa.CheckConstraint("sort_order >= 0", name=op.f("ck_product_bundles_sort_order_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "bundle_product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_product_bundles_bundle_product_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "component_product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_product_bundles_component_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_product_bundles_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_product_bundles")),
        sa.UniqueConstraint(
            "organization_id",
            "bundle_product_id",
            "component_product_id",
            name=op.f("uq_product_bundles_bundle_product_id_component_product_id"),
        ),
        schema="app",
        comment="Bill of materials of bundle products.",
    )
    op.create_index(
        op.f("ix_product_bundles_component_product_id"),
        "product_bundles",
        ["organization_id", "component_product_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "product_images",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False, comment="Where the image is served from."),
        sa.Column("storage_key", sa.String(length=500), nullable=True, comment="Object-storage key of the file."),
        sa.Column("alt_text", sa.String(length=300), nullable=True),
        sa.Column(
            "content_type",
            sa.String(length=40),
            nullable=True,
            comment="MIME type of the stored file. One of: image/jpeg, image/png, image/webp, image/heic.",
        ),
        sa.Column("file_size_bytes", sa.Integer(), nullable=True, comment="Size of the file."),
        sa.Column("is_primary", sa.Boolean(), server_default="false", nullable=False, comment="Image shown in lists."),
        sa.Column(
            "sort_order", sa.Integer(), server_default="0", nullable=False, comment="Display position in the gallery."
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "content_type in ('image/jpeg', 'image/png', 'image/webp', 'image/heic')",
            name=op.f("ck_product_images_content_type_allowed"),
        ),
        sa.CheckConstraint("file_size_bytes >= 0", name=op.f("ck_product_images_file_size_bytes_non_negative")),
        sa.CheckConstraint("sort_order >= 0", name=op.f("ck_product_images_sort_order_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_product_images_product_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_product_images_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_product_images")),
        schema="app",
        comment="Product images; at most one primary image per product.",
    )
    op.create_index(
        op.f("ix_product_images_product_id"),
        "product_images",
        ["organization_id", "product_id"],
        unique=True,
        schema="app",
        postgresql_where=sa.text("is_primary"),
    )
    op.create_table(
        "product_price_tiers",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "min_quantity",
            sa.Numeric(precision=14, scale=3),
            server_default="1",
            nullable=False,
            comment="Smallest order quantity the tier applies to.",
        ),
        sa.Column(
            "unit_price",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Price per unit inside this tier.",
        ),
        sa.Column(
            "valid_from",
            sa.Date(),
            server_default=sa.text("CURRENT_DATE"),
            nullable=False,
            comment="First day the tier applies.",
        ),
        sa.Column("valid_to", sa.Date(), nullable=True, comment="Last day the tier applies; NULL while open-ended."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("min_quantity > 0", name=op.f("ck_product_price_tiers_min_quantity_positive")),
        sa.CheckConstraint("min_quantity >= 0", name=op.f("ck_product_price_tiers_min_quantity_non_negative")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_product_price_tiers_unit_price_non_negative")),
        sa.CheckConstraint(
            "valid_to is null or valid_to >= valid_from", name=op.f("ck_product_price_tiers_valid_to_after_from")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_product_price_tiers_product_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_product_price_tiers_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_product_price_tiers")),
        sa.UniqueConstraint(
            "organization_id",
            "product_id",
            "min_quantity",
            "valid_from",
            name=op.f("uq_product_price_tiers_product_id_min_quantity_valid_from"),
        ),
        schema="app",
        comment="Quantity break prices per product.",
    )
    op.create_table(
        "product_relations",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False, comment="The product the relation starts from."),
        sa.Column("related_product_id", sa.BigInteger(), nullable=False, comment="The related product."),
        sa.Column(
            "relation_type",
            sa.String(length=40),
            nullable=False,
            comment="How the related product relates. One of: accessory, replacement, upsell, cross_sell.",
        ),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False, comment="Display position."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "relation_type in ('accessory', 'replacement', 'upsell', 'cross_sell')",
            name=op.f("ck_product_relations_relation_type_allowed"),
        ),
        sa.CheckConstraint("product_id <> related_product_id", name=op.f("ck_product_relations_not_self_related")),
        sa.CheckConstraint("sort_order >= 0", name=op.f("ck_product_relations_sort_order_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_product_relations_product_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "related_product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_product_relations_related_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_product_relations_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_product_relations")),
        sa.UniqueConstraint(
            "organization_id",
            "product_id",
            "related_product_id",
            "relation_type",
            name=op.f("uq_product_relations_product_id_related_product_id_relation_type"),
        ),
        schema="app",
        comment="Related products for recommendations and replacements.",
    )
    op.create_table(
        "purchase_order_approval_rules",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "min_amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Order total (organization currency) from which the rule applies.",
        ),
        sa.Column(
            "max_amount",
            sa.Numeric(precision=14, scale=2),
            nullable=True,
            comment="Order total up to which the rule applies; NULL for no upper bound.",
        ),
        sa.Column("approver_role_id", sa.BigInteger(), nullable=True, comment="Any user with this role may approve."),
        sa.Column("approver_user_id", sa.BigInteger(), nullable=True, comment="This specific user must approve."),
        sa.Column("location_id", sa.BigInteger(), nullable=True, comment="Limit the rule to orders for one location."),
        sa.Column(
            "step",
            sa.Integer(),
            server_default="1",
            nullable=False,
            comment="Order of the approval step when several rules apply.",
        ),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("max_amount >= 0", name=op.f("ck_purchase_order_approval_rules_max_amount_non_negative")),
        sa.CheckConstraint(
            "max_amount is null or max_amount >= min_amount",
            name=op.f("ck_purchase_order_approval_rules_max_above_min"),
        ),
        sa.CheckConstraint("min_amount >= 0", name=op.f("ck_purchase_order_approval_rules_min_amount_non_negative")),
        sa.CheckConstraint(
            "num_nonnulls(approver_role_id, approver_user_id) = 1",
            name=op.f("ck_purchase_order_approval_rules_one_approver"),
        ),
        sa.CheckConstraint("step >= 0", name=op.f("ck_purchase_order_approval_rules_step_non_negative")),
        sa.ForeignKeyConstraint(
            ["approver_role_id"], ["app.roles.id"], name=op.f("fk_purchase_order_approval_rules_approver_role_id")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "approver_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_purchase_order_approval_rules_approver_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "location_id"],
            ["app.locations.organization_id", "app.locations.id"],
            name=op.f("fk_purchase_order_approval_rules_location_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_purchase_order_approval_rules_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_purchase_order_approval_rules")),
        schema="app",
        comment="Approval thresholds for purchase orders.",
    )
    op.create_table(
        "purchase_orders",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "po_number", sa.String(length=40), nullable=False, comment="Human reference, unique per organization."
        ),
        sa.Column("supplier_id", sa.BigInteger(), nullable=False),
        sa.Column("location_id", sa.BigInteger(), nullable=True, comment="Location the goods are delivered to."),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="draft",
            nullable=False,
            comment="Purchase order lifecycle. One of: draft, pending_approval, approved, sent, partially_received, received, closed, cancelled.",
        ),
        sa.Column(
            "order_date",
            sa.Date(),
            server_default=sa.text("CURRENT_DATE"),
            nullable=False,
            comment="Business date of the order.",
        ),
        sa.Column(
            "expected_delivery_date", sa.Date(), nullable=True, comment="Delivery date promised by the supplier."
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 currency code of the amounts on this row.",
        ),
        sa.Column(
            "subtotal",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Sum of line totals.",
        ),
        sa.Column(
            "discount_amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Order-level discount.",
        ),
        sa.Column(
            "tax_amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Tax charged by the supplier.",
        ),
        sa.Column(
            "shipping_amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Shipping charged on the order itself (other landed costs apart).",
        ),
        sa.Column(
            "total_amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="subtotal - discount_amount + tax_amount + shipping_amount.",
        ),
        sa.Column("payment_terms_days", sa.Integer(), nullable=True, comment="Payment terms of this order."),
        sa.Column(
            "supplier_order_ref", sa.String(length=100), nullable=True, comment="Supplier's confirmation number."
        ),
        sa.Column("created_by_user_id", sa.BigInteger(), nullable=True, comment="Buyer who created the order."),
        sa.Column("approved_by_user_id", sa.BigInteger(), nullable=True, comment="Final approver."),
        sa.Column(
            "approved_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the final approval was given.",
        ),
        sa.Column(
            "sent_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the order was sent to the supplier.",
        ),
        sa.Column(
            "received_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the order was fully received.",
        ),
        sa.Column("closed_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column("cancelled_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_purchase_orders_currency_iso4217")),
        sa.CheckConstraint(
            "status <> 'received' or received_at is not null", name=op.f("ck_purchase_orders_received_has_received_at")
        ),
        sa.CheckConstraint(
            "status in ('draft', 'pending_approval', 'approved', 'sent', 'partially_received', 'received', 'closed', 'cancelled')",
            name=op.f("ck_purchase_orders_status_allowed"),
        ),
        sa.CheckConstraint("discount_amount <= subtotal", name=op.f("ck_purchase_orders_discount_within_subtotal")),
        sa.CheckConstraint("discount_amount >= 0", name=op.f("ck_purchase_orders_discount_amount_non_negative")),
        sa.CheckConstraint(
            "expected_delivery_date is null or expected_delivery_date >= order_date",
            name=op.f("ck_purchase_orders_expected_after_order"),
        ),
        sa.CheckConstraint("payment_terms_days >= 0", name=op.f("ck_purchase_orders_payment_terms_days_non_negative")),
        sa.CheckConstraint("shipping_amount >= 0", name=op.f("ck_purchase_orders_shipping_amount_non_negative")),
        sa.CheckConstraint("subtotal >= 0", name=op.f("ck_purchase_orders_subtotal_non_negative")),
        sa.CheckConstraint("tax_amount >= 0", name=op.f("ck_purchase_orders_tax_amount_non_negative")),
        sa.CheckConstraint(
            "total_amount = subtotal - discount_amount + tax_amount + shipping_amount",
            name=op.f("ck_purchase_orders_total_consistent"),
        ),
        sa.CheckConstraint("total_amount >= 0", name=op.f("ck_purchase_orders_total_amount_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "approved_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_purchase_orders_approved_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "created_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_purchase_orders_created_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "location_id"],
            ["app.locations.organization_id", "app.locations.id"],
            name=op.f("fk_purchase_orders_location_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "supplier_id"],
            ["app.suppliers.organization_id", "app.suppliers.id"],
            name=op.f("fk_purchase_orders_supplier_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_purchase_orders_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_purchase_orders")),
        sa.UniqueConstraint("organization_id", "po_number", name=op.f("uq_purchase_orders_po_number")),
        schema="app",
        comment="Purchase orders to suppliers; amounts in the order currency.",
    )
    op.create_index(
        op.f("ix_purchase_orders_order_date"),
        "purchase_orders",
        ["organization_id", "order_date"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_purchase_orders_supplier_id"),
        "purchase_orders",
        ["organization_id", "supplier_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "stock_counts",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "count_number", sa.String(length=40), nullable=False, comment="Human reference, unique per organization."
        ),
        sa.Column("location_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "count_type",
            sa.String(length=40),
            server_default="cycle",
            nullable=False,
            comment="Scope of the count. One of: full, cycle, spot.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="planned",
            nullable=False,
            comment="Count lifecycle. One of: planned, in_progress, completed, cancelled.",
        ),
        sa.Column("scheduled_date", sa.Date(), nullable=True, comment="Day the count is planned for."),
        sa.Column("started_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When counting began."),
        sa.Column(
            "counted_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the count was completed."
        ),
        sa.Column("counted_by_user_id", sa.BigInteger(), nullable=True, comment="Who counted."),
        sa.Column(
            "approved_by_user_id", sa.BigInteger(), nullable=True, comment="Who approved the resulting corrections."
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("count_type in ('full', 'cycle', 'spot')", name=op.f("ck_stock_counts_count_type_allowed")),
        sa.CheckConstraint(
            "status <> 'completed' or counted_at is not null", name=op.f("ck_stock_counts_completed_has_counted_at")
        ),
        sa.CheckConstraint(
            "status in ('planned', 'in_progress', 'completed', 'cancelled')",
            name=op.f("ck_stock_counts_status_allowed"),
        ),
        sa.CheckConstraint(
            "counted_at is null or started_at is null or counted_at >= started_at",
            name=op.f("ck_stock_counts_counted_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "approved_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_stock_counts_approved_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "counted_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_stock_counts_counted_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "location_id"],
            ["app.locations.organization_id", "app.locations.id"],
            name=op.f("fk_stock_counts_location_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_stock_counts_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_stock_counts")),
        sa.UniqueConstraint("organization_id", "count_number", name=op.f("uq_stock_counts_count_number")),
        schema="app",
        comment="Physical stock counts (full, cycle or spot).",
    )
    op.create_index(
        op.f("ix_stock_counts_location_id"),
        "stock_counts",
        ["organization_id", "location_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "supplier_price_lists",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("supplier_id", sa.BigInteger(), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column("supplier_sku", sa.String(length=80), nullable=True, comment="Supplier's item code."),
        sa.Column(
            "unit_cost",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Supplier's price per unit.",
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 currency code of the amounts on this row.",
        ),
        sa.Column(
            "min_order_quantity",
            sa.Numeric(precision=14, scale=3),
            server_default="1",
            nullable=False,
            comment="Smallest quantity the supplier sells.",
        ),
        sa.Column(
            "pack_size",
            sa.Numeric(precision=14, scale=3),
            server_default="1",
            nullable=False,
            comment="Units per pack the supplier ships.",
        ),
        sa.Column("lead_time_days", sa.Integer(), nullable=True, comment="Supplier's quoted lead time."),
        sa.Column(
            "is_preferred",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="Preferred source for the product.",
        ),
        sa.Column(
            "valid_from",
            sa.Date(),
            server_default=sa.text("CURRENT_DATE"),
            nullable=False,
            comment="First day of validity.",
        ),
        sa.Column("valid_to", sa.Date(), nullable=True, comment="Last day of validity; NULL while current."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_supplier_price_lists_currency_iso4217")),
        sa.CheckConstraint("lead_time_days >= 0", name=op.f("ck_supplier_price_lists_lead_time_days_non_negative")),
        sa.CheckConstraint(
            "min_order_quantity >= 0", name=op.f("ck_supplier_price_lists_min_order_quantity_non_negative")
        ),
        sa.CheckConstraint("pack_size >= 0", name=op.f("ck_supplier_price_lists_pack_size_non_negative")),
        sa.CheckConstraint("unit_cost >= 0", name=op.f("ck_supplier_price_lists_unit_cost_non_negative")),
        sa.CheckConstraint(
            "valid_to is null or valid_to >= valid_from", name=op.f("ck_supplier_price_lists_valid_to_after_from")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_supplier_price_lists_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "supplier_id"],
            ["app.suppliers.organization_id", "app.suppliers.id"],
            name=op.f("fk_supplier_price_lists_supplier_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_supplier_price_lists_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_supplier_price_lists")),
        sa.UniqueConstraint(
            "organization_id",
            "supplier_id",
            "product_id",
            "valid_from",
            name=op.f("uq_supplier_price_lists_supplier_id_product_id_valid_from"),
        ),
        schema="app",
        comment="Supplier catalog prices per product.",
    )
    op.create_index(
        op.f("ix_supplier_price_lists_product_id"),
        "supplier_price_lists",
        ["organization_id", "product_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "warehouse_locations",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("location_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "code", sa.String(length=40), nullable=False, comment="Bin code, e.g. A-03-2, unique within the location."
        ),
        sa.Column("name", sa.String(length=120), nullable=True),
        sa.Column(
            "bin_type",
            sa.String(length=40),
            server_default="bin",
            nullable=False,
            comment="Kind of storage spot. One of: zone, aisle, rack, shelf, bin.",
        ),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "bin_type in ('zone', 'aisle', 'rack', 'shelf', 'bin')",
            name=op.f("ck_warehouse_locations_bin_type_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "location_id"],
            ["app.locations.organization_id", "app.locations.id"],
            name=op.f("fk_warehouse_locations_location_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_warehouse_locations_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_warehouse_locations")),
        sa.UniqueConstraint(
            "organization_id", "location_id", "code", name=op.f("uq_warehouse_locations_location_id_code")
        ),
        schema="app",
        comment="Bins and shelves inside stock locations.",
    )
    op.create_table(
        "inventory",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column("location_id", sa.BigInteger(), nullable=False),
        sa.Column("warehouse_location_id", sa.BigInteger(), nullable=True, comment="Default bin of the product here."),
        sa.Column(
            "quantity_on_hand",
            sa.Numeric(precision=14, scale=3),
            server_default="0",
            nullable=False,
            comment="Units physically at the location.",
        ),
        sa.Column(
            "quantity_reserved",
            sa.Numeric(precision=14, scale=3),
            server_default="0",
            nullable=False,
            comment="Units promised to orders and jobs; may exceed on hand when backordered.",
        ),
        sa.Column(
            "average_cost",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Moving average unit cost of the stock on hand.",
        ),
        sa.Column(
            "reorder_point",
            sa.Numeric(precision=14, scale=3),
            nullable=True,
            comment="Location override of products.reorder_point; NULL uses the product default.",
        ),
        sa.Column(
            "reorder_quantity",
            sa.Numeric(precision=14, scale=3),
            nullable=True,
            comment="Location override of products.reorder_quantity; NULL uses the product default.",
        ),
        sa.Column(
            "last_movement_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Time of the latest inventory movement.",
        ),
        sa.Column(
            "last_counted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Time of the latest completed stock count.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("average_cost >= 0", name=op.f("ck_inventory_average_cost_non_negative")),
        sa.CheckConstraint("quantity_on_hand >= 0", name=op.f("ck_inventory_quantity_on_hand_non_negative")),
        sa.CheckConstraint("quantity_reserved >= 0", name=op.f("ck_inventory_quantity_reserved_non_negative")),
        sa.CheckConstraint("reorder_point >= 0", name=op.f("ck_inventory_reorder_point_non_negative")),
        sa.CheckConstraint("reorder_quantity >= 0", name=op.f("ck_inventory_reorder_quantity_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "location_id"],
            ["app.locations.organization_id", "app.locations.id"],
            name=op.f("fk_inventory_location_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_inventory_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "warehouse_location_id"],
            ["app.warehouse_locations.organization_id", "app.warehouse_locations.id"],
            name=op.f("fk_inventory_warehouse_location_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["app.organizations.id"], name=op.f("fk_inventory_organization_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_inventory")),
        sa.UniqueConstraint(
            "organization_id", "product_id", "location_id", name=op.f("uq_inventory_product_id_location_id")
        ),
        schema="app",
        comment="Current stock position per product and location.",
    )
    op.create_index(
        op.f("ix_inventory_location_id"), "inventory", ["organization_id", "location_id"], unique=False, schema="app"
    )
    op.create_table(
        "opportunity_activities",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("opportunity_id", sa.BigInteger(), nullable=False, comment="Opportunity the activity is about."),
        sa.Column("user_id", sa.BigInteger(), nullable=True, comment="Staff member who performed the activity."),
        sa.Column("contact_id", sa.BigInteger(), nullable=True, comment="Contact involved, if any."),
        sa.Column(
            "activity_type",
            sa.String(length=40),
            server_default="note",
            nullable=False,
            comment="Kind of activity. One of: call, email, meeting, note, stage_change, task.",
        ),
        sa.Column(
            "from_stage",
            sa.String(length=40),
            nullable=True,
            comment="Stage before a stage change; NULL for the first stage. One of: lead, qualified, proposal, negotiation, won, lost.",
        ),
        sa.Column(
            "to_stage",
            sa.String(length=40),
            nullable=True,
            comment="Stage after a stage change; set exactly for stage changes. One of: lead, qualified, proposal, negotiation, won, lost.",
        ),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "occurred_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the activity happened.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "(to_stage is not null) = (activity_type = 'stage_change')",
            name=op.f("ck_opportunity_activities_to_stage_iff_stage_change"),
        ),
        sa.CheckConstraint(
            "activity_type in ('call', 'email', 'meeting', 'note', 'stage_change', 'task')",
            name=op.f("ck_opportunity_activities_activity_type_allowed"),
        ),
        sa.CheckConstraint(
            "from_stage in ('lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost')",
            name=op.f("ck_opportunity_activities_from_stage_allowed"),
        ),
        sa.CheckConstraint(
            "from_stage is null or activity_type = 'stage_change'",
            name=op.f("ck_opportunity_activities_from_stage_only_stage_change"),
        ),
        sa.CheckConstraint(
            "to_stage in ('lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost')",
            name=op.f("ck_opportunity_activities_to_stage_allowed"),
        ),
        sa.CheckConstraint(
            "from_stage is null or from_stage <> to_stage",
            name=op.f("ck_opportunity_activities_stage_change_changes_stage"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "contact_id"],
            ["app.contacts.organization_id", "app.contacts.id"],
            name=op.f("fk_opportunity_activities_contact_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "opportunity_id"],
            ["app.opportunities.organization_id", "app.opportunities.id"],
            name=op.f("fk_opportunity_activities_opportunity_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_opportunity_activities_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_opportunity_activities_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_opportunity_activities")),
        schema="app",
        comment="Pipeline activity log per opportunity, including stage changes.",
    )
    op.create_index(
        op.f("ix_opportunity_activities_occurred_at"),
        "opportunity_activities",
        ["organization_id", "occurred_at"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_opportunity_activities_opportunity_id"),
        "opportunity_activities",
        ["organization_id", "opportunity_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "purchase_order_approvals",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("purchase_order_id", sa.BigInteger(), nullable=False),
        sa.Column("approval_rule_id", sa.BigInteger(), nullable=True, comment="Rule that required the step."),
        sa.Column("approver_user_id", sa.BigInteger(), nullable=False, comment="Who is asked to decide."),
        sa.Column("step", sa.Integer(), server_default="1", nullable=False, comment="Sequence of the step."),
        sa.Column(
            "amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Order total submitted for approval, in the order currency.",
        ),
        sa.Column(
            "requested_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When approval was requested.",
        ),
        sa.Column(
            "decision",
            sa.String(length=40),
            nullable=True,
            comment="Outcome; NULL while pending. One of: approved, rejected.",
        ),
        sa.Column(
            "decided_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the approver decided."
        ),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "decision in ('approved', 'rejected')", name=op.f("ck_purchase_order_approvals_decision_allowed")
        ),
        sa.CheckConstraint(
            "(decision is null) = (decided_at is null)",
            name=op.f("ck_purchase_order_approvals_decided_at_with_decision"),
        ),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_purchase_order_approvals_amount_non_negative")),
        sa.CheckConstraint(
            "decided_at is null or decided_at >= requested_at",
            name=op.f("ck_purchase_order_approvals_decided_after_requested"),
        ),
        sa.CheckConstraint("step >= 0", name=op.f("ck_purchase_order_approvals_step_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "approval_rule_id"],
            ["app.purchase_order_approval_rules.organization_id", "app.purchase_order_approval_rules.id"],
            name=op.f("fk_purchase_order_approvals_approval_rule_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "approver_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_purchase_order_approvals_approver_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "purchase_order_id"],
            ["app.purchase_orders.organization_id", "app.purchase_orders.id"],
            name=op.f("fk_purchase_order_approvals_purchase_order_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_purchase_order_approvals_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_purchase_order_approvals")),
        schema="app",
        comment="Approval steps of purchase orders; decision NULL while pending.",
    )
    op.create_index(
        op.f("ix_purchase_order_approvals_purchase_order_id"),
        "purchase_order_approvals",
        ["organization_id", "purchase_order_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "purchase_order_costs",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("purchase_order_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "cost_type",
            sa.String(length=40),
            nullable=False,
            comment="Kind of landed cost. One of: freight, duty, insurance, handling, other.",
        ),
        sa.Column(
            "amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Cost amount in this row's currency.",
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 currency code of the amounts on this row.",
        ),
        sa.Column(
            "supplier_id",
            sa.BigInteger(),
            nullable=True,
            comment="Who billed the cost (carrier, broker); NULL if the PO supplier.",
        ),
        sa.Column(
            "allocation_method",
            sa.String(length=40),
            server_default="by_value",
            nullable=False,
            comment="How the cost is spread over the lines. One of: by_value, by_quantity, by_weight.",
        ),
        sa.Column("invoice_ref", sa.String(length=100), nullable=True, comment="Invoice number of the cost."),
        sa.Column("incurred_on", sa.Date(), nullable=True, comment="Date of the cost."),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "allocation_method in ('by_value', 'by_quantity', 'by_weight')",
            name=op.f("ck_purchase_order_costs_allocation_method_allowed"),
        ),
        sa.CheckConstraint(
            "cost_type in ('freight', 'duty', 'insurance', 'handling', 'other')",
            name=op.f("ck_purchase_order_costs_cost_type_allowed"),
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_purchase_order_costs_currency_iso4217")),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_purchase_order_costs_amount_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "purchase_order_id"],
            ["app.purchase_orders.organization_id", "app.purchase_orders.id"],
            name=op.f("fk_purchase_order_costs_purchase_order_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "supplier_id"],
            ["app.suppliers.organization_id", "app.suppliers.id"],
            name=op.f("fk_purchase_order_costs_supplier_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_purchase_order_costs_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_purchase_order_costs")),
        schema="app",
        comment="Landed costs of purchase orders, allocated onto received units.",
    )
    op.create_index(
        op.f("ix_purchase_order_costs_purchase_order_id"),
        "purchase_order_costs",
        ["organization_id", "purchase_order_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "purchase_order_items",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("purchase_order_id", sa.BigInteger(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False, comment="Position on the order."),
        sa.Column("product_id", sa.BigInteger(), nullable=True, comment="Catalog product; NULL for a free-text line."),
        sa.Column("supplier_sku", sa.String(length=80), nullable=True, comment="Supplier's item code."),
        sa.Column("description", sa.Text(), nullable=False, comment="Line text as sent to the supplier."),
        sa.Column("quantity_ordered", sa.Numeric(precision=14, scale=3), nullable=False, comment="Units ordered."),
        sa.Column(
            "quantity_received",
            sa.Numeric(precision=14, scale=3),
            server_default="0",
            nullable=False,
            comment="Units accepted so far, summed from receipts.",
        ),
        sa.Column(
            "unit_cost",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Price per unit in the order currency.",
        ),
        sa.Column(
            "discount_amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Line discount.",
        ),
        sa.Column(
            "line_total",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="quantity_ordered * unit_cost - discount_amount.",
        ),
        sa.Column(
            "expected_delivery_date", sa.Date(), nullable=True, comment="Line-level promised date, if it differs."
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("discount_amount >= 0", name=op.f("ck_purchase_order_items_discount_amount_non_negative")),
        sa.CheckConstraint("line_number >= 0", name=op.f("ck_purchase_order_items_line_number_non_negative")),
        sa.CheckConstraint("line_total >= 0", name=op.f("ck_purchase_order_items_line_total_non_negative")),
        sa.CheckConstraint("quantity_ordered > 0", name=op.f("ck_purchase_order_items_quantity_ordered_positive")),
        sa.CheckConstraint("quantity_ordered >= 0", name=op.f("ck_purchase_order_items_quantity_ordered_non_negative")),
        sa.CheckConstraint(
            "quantity_received >= 0", name=op.f("ck_purchase_order_items_quantity_received_non_negative")
        ),
        sa.CheckConstraint("unit_cost >= 0", name=op.f("ck_purchase_order_items_unit_cost_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_purchase_order_items_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "purchase_order_id"],
            ["app.purchase_orders.organization_id", "app.purchase_orders.id"],
            name=op.f("fk_purchase_order_items_purchase_order_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_purchase_order_items_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_purchase_order_items")),
        sa.UniqueConstraint(
            "organization_id",
            "purchase_order_id",
            "line_number",
            name=op.f("uq_purchase_order_items_purchase_order_id_line_number"),
        ),
        schema="app",
        comment="Purchase order lines; quantity_received may exceed quantity_ordered (over-receipt).",
    )
    op.create_index(
        op.f("ix_purchase_order_items_product_id"),
        "purchase_order_items",
        ["organization_id", "product_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "purchase_order_receipts",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "receipt_number", sa.String(length=40), nullable=False, comment="Human reference, unique per organization."
        ),
        sa.Column("purchase_order_id", sa.BigInteger(), nullable=False),
        sa.Column("location_id", sa.BigInteger(), nullable=True, comment="Location the goods arrived at."),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="posted",
            nullable=False,
            comment="Receipt lifecycle. One of: draft, posted, cancelled.",
        ),
        sa.Column(
            "received_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the delivery arrived.",
        ),
        sa.Column("received_by_user_id", sa.BigInteger(), nullable=True, comment="Who checked the delivery in."),
        sa.Column("carrier", sa.String(length=120), nullable=True),
        sa.Column("carrier_tracking_ref", sa.String(length=100), nullable=True, comment="Carrier's tracking number."),
        sa.Column("packing_slip_ref", sa.String(length=100), nullable=True, comment="Supplier's delivery note number."),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "status in ('draft', 'posted', 'cancelled')", name=op.f("ck_purchase_order_receipts_status_allowed")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "location_id"],
            ["app.locations.organization_id", "app.locations.id"],
            name=op.f("fk_purchase_order_receipts_location_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "purchase_order_id"],
            ["app.purchase_orders.organization_id", "app.purchase_orders.id"],
            name=op.f("fk_purchase_order_receipts_purchase_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "received_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_purchase_order_receipts_received_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_purchase_order_receipts_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_purchase_order_receipts")),
        sa.UniqueConstraint(
            "organization_id", "receipt_number", name=op.f("uq_purchase_order_receipts_receipt_number")
        ),
        schema="app",
        comment="Goods receipts against purchase orders.",
    )
    op.create_index(
        op.f("ix_purchase_order_receipts_purchase_order_id"),
        "purchase_order_receipts",
        ["organization_id", "purchase_order_id"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_purchase_order_receipts_received_at"),
        "purchase_order_receipts",
        ["organization_id", "received_at"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "quotes",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("quote_number", sa.String(length=40), nullable=False, comment="Human quote number, unique per org."),
        sa.Column(
            "opportunity_id", sa.BigInteger(), nullable=True, comment="Opportunity the quote belongs to, if any."
        ),
        sa.Column("customer_id", sa.BigInteger(), nullable=False, comment="Customer the quote is addressed to."),
        sa.Column("contact_id", sa.BigInteger(), nullable=True, comment="Recipient contact."),
        sa.Column("owner_user_id", sa.BigInteger(), nullable=True, comment="Salesperson responsible for the quote."),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="draft",
            nullable=False,
            comment="Quote state. One of: draft, sent, viewed, accepted, rejected, expired.",
        ),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column(
            "sent_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the quote was first sent to the customer.",
        ),
        sa.Column(
            "viewed_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the customer first opened the quote.",
        ),
        sa.Column(
            "accepted_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the customer accepted."
        ),
        sa.Column(
            "rejected_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the customer rejected."
        ),
        sa.Column("valid_until", sa.Date(), nullable=True, comment="Last day the offer can be accepted."),
        sa.Column(
            "subtotal",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Sum of line amounts before discount and tax (current version).",
        ),
        sa.Column(
            "discount_total",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Total discount (current version).",
        ),
        sa.Column(
            "tax_total",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Total tax (current version).",
        ),
        sa.Column(
            "total",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Amount payable: subtotal - discount_total + tax_total.",
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 currency code of the amounts on this row.",
        ),
        sa.Column("terms", sa.Text(), nullable=True, comment="Terms and conditions printed on the quote."),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "(accepted_at is not null) = (status = 'accepted')", name=op.f("ck_quotes_accepted_at_iff_accepted")
        ),
        sa.CheckConstraint(
            "(rejected_at is not null) = (status = 'rejected')", name=op.f("ck_quotes_rejected_at_iff_rejected")
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_quotes_currency_iso4217")),
        sa.CheckConstraint("status <> 'viewed' or viewed_at is not null", name=op.f("ck_quotes_viewed_has_viewed_at")),
        sa.CheckConstraint(
            "status in ('draft', 'expired') or sent_at is not null", name=op.f("ck_quotes_sent_has_sent_at")
        ),
        sa.CheckConstraint(
            "status in ('draft', 'sent', 'viewed', 'accepted', 'rejected', 'expired')",
            name=op.f("ck_quotes_status_allowed"),
        ),
        sa.CheckConstraint(
            "accepted_at is null or (sent_at is not null and accepted_at >= sent_at)",
            name=op.f("ck_quotes_accepted_after_sent"),
        ),
        sa.CheckConstraint("discount_total <= subtotal", name=op.f("ck_quotes_discount_within_subtotal")),
        sa.CheckConstraint("discount_total >= 0", name=op.f("ck_quotes_discount_total_non_negative")),
        sa.CheckConstraint(
            "rejected_at is null or (sent_at is not null and rejected_at >= sent_at)",
            name=op.f("ck_quotes_rejected_after_sent"),
        ),
        sa.CheckConstraint("sent_at is null or sent_at >= created_at", name=op.f("ck_quotes_sent_after_created")),
        sa.CheckConstraint("subtotal >= 0", name=op.f("ck_quotes_subtotal_non_negative")),
        sa.CheckConstraint("tax_total >= 0", name=op.f("ck_quotes_tax_total_non_negative")),
        sa.CheckConstraint("total = subtotal - discount_total + tax_total", name=op.f("ck_quotes_total_adds_up")),
        sa.CheckConstraint("total >= 0", name=op.f("ck_quotes_total_non_negative")),
        sa.CheckConstraint(
            "viewed_at is null or (sent_at is not null and viewed_at >= sent_at)",
            name=op.f("ck_quotes_viewed_after_sent"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "contact_id"],
            ["app.contacts.organization_id", "app.contacts.id"],
            name=op.f("fk_quotes_contact_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_quotes_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "opportunity_id"],
            ["app.opportunities.organization_id", "app.opportunities.id"],
            name=op.f("fk_quotes_opportunity_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "owner_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_quotes_owner_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["app.organizations.id"], name=op.f("fk_quotes_organization_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_quotes")),
        sa.UniqueConstraint("organization_id", "quote_number", name=op.f("uq_quotes_quote_number")),
        schema="app",
        comment="Quotes (offers) to customers with status timeline and current totals.",
    )
    op.create_index(
        op.f("ix_quotes_customer_id"), "quotes", ["organization_id", "customer_id"], unique=False, schema="app"
    )
    op.create_index(
        op.f("ix_quotes_opportunity_id"), "quotes", ["organization_id", "opportunity_id"], unique=False, schema="app"
    )
    op.create_table(
        "scheduled_calls",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False, comment="Customer to call."),
        sa.Column("contact_id", sa.BigInteger(), nullable=True, comment="Person to call."),
        sa.Column("user_id", sa.BigInteger(), nullable=True, comment="Staff member who makes the call."),
        sa.Column("opportunity_id", sa.BigInteger(), nullable=True, comment="Opportunity the call is about."),
        sa.Column("purpose", sa.String(length=200), nullable=True),
        sa.Column(
            "scheduled_for", postgresql.TIMESTAMP(timezone=True), nullable=False, comment="When the call is planned."
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="scheduled",
            nullable=False,
            comment="Call state. One of: scheduled, completed, missed, cancelled.",
        ),
        sa.Column(
            "completed_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the call was made."
        ),
        sa.Column(
            "outcome",
            sa.String(length=40),
            nullable=True,
            comment="Result of the call attempt. One of: connected, voicemail, no_answer, busy, wrong_number.",
        ),
        sa.Column("duration_seconds", sa.Integer(), nullable=True, comment="Talk time in seconds."),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "(completed_at is not null) = (status = 'completed')",
            name=op.f("ck_scheduled_calls_completed_at_iff_completed"),
        ),
        sa.CheckConstraint(
            "duration_seconds is null or status = 'completed'",
            name=op.f("ck_scheduled_calls_duration_only_when_completed"),
        ),
        sa.CheckConstraint(
            "outcome in ('connected', 'voicemail', 'no_answer', 'busy', 'wrong_number')",
            name=op.f("ck_scheduled_calls_outcome_allowed"),
        ),
        sa.CheckConstraint(
            "outcome is null or status = 'completed'", name=op.f("ck_scheduled_calls_outcome_only_when_completed")
        ),
        sa.CheckConstraint(
            "status in ('scheduled', 'completed', 'missed', 'cancelled')",
            name=op.f("ck_scheduled_calls_status_allowed"),
        ),
        sa.CheckConstraint("duration_seconds >= 0", name=op.f("ck_scheduled_calls_duration_seconds_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "contact_id"],
            ["app.contacts.organization_id", "app.contacts.id"],
            name=op.f("fk_scheduled_calls_contact_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_scheduled_calls_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "opportunity_id"],
            ["app.opportunities.organization_id", "app.opportunities.id"],
            name=op.f("fk_scheduled_calls_opportunity_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_scheduled_calls_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_scheduled_calls_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_scheduled_calls")),
        schema="app",
        comment="Planned and completed calls with customers.",
    )
    op.create_index(
        op.f("ix_scheduled_calls_customer_id"),
        "scheduled_calls",
        ["organization_id", "customer_id"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_scheduled_calls_scheduled_for"),
        "scheduled_calls",
        ["organization_id", "scheduled_for"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_scheduled_calls_user_id"),
        "scheduled_calls",
        ["organization_id", "user_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "stock_count_items",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("stock_count_id", sa.BigInteger(), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column("warehouse_location_id", sa.BigInteger(), nullable=True, comment="Bin counted."),
        sa.Column(
            "expected_quantity",
            sa.Numeric(precision=14, scale=3),
            server_default="0",
            nullable=False,
            comment="System on-hand quantity when the count started.",
        ),
        sa.Column(
            "counted_quantity",
            sa.Numeric(precision=14, scale=3),
            nullable=True,
            comment="Quantity found; NULL until counted.",
        ),
        sa.Column(
            "unit_cost",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Unit cost at count time, to value the variance.",
        ),
        sa.Column(
            "counted_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When this line was counted."
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("counted_quantity >= 0", name=op.f("ck_stock_count_items_counted_quantity_non_negative")),
        sa.CheckConstraint("expected_quantity >= 0", name=op.f("ck_stock_count_items_expected_quantity_non_negative")),
        sa.CheckConstraint("unit_cost >= 0", name=op.f("ck_stock_count_items_unit_cost_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_stock_count_items_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "stock_count_id"],
            ["app.stock_counts.organization_id", "app.stock_counts.id"],
            name=op.f("fk_stock_count_items_stock_count_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "warehouse_location_id"],
            ["app.warehouse_locations.organization_id", "app.warehouse_locations.id"],
            name=op.f("fk_stock_count_items_warehouse_location_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_stock_count_items_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_stock_count_items")),
        sa.UniqueConstraint(
            "organization_id",
            "stock_count_id",
            "product_id",
            "warehouse_location_id",
            name=op.f("uq_stock_count_items_stock_count_id_product_id_warehouse_location_id"),
            postgresql_nulls_not_distinct=True,
        ),
        schema="app",
        comment="Lines of a stock count: expected vs counted quantity.",
    )
    op.create_index(
        op.f("ix_stock_count_items_product_id"),
        "stock_count_items",
        ["organization_id", "product_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "supplier_price_history",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("supplier_price_list_id", sa.BigInteger(), nullable=True, comment="Price list row that changed."),
        sa.Column("supplier_id", sa.BigInteger(), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "old_cost",
            sa.Numeric(precision=14, scale=2),
            nullable=True,
            comment="Cost before the change; NULL for the first price.",
        ),
        sa.Column(
            "new_cost",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Cost after the change.",
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 currency code of the amounts on this row.",
        ),
        sa.Column(
            "changed_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When it changed.",
        ),
        sa.Column(
            "changed_by_user_id",
            sa.BigInteger(),
            nullable=True,
            comment="Who recorded it; NULL for supplier feed imports.",
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_supplier_price_history_currency_iso4217")),
        sa.CheckConstraint("new_cost >= 0", name=op.f("ck_supplier_price_history_new_cost_non_negative")),
        sa.CheckConstraint("old_cost >= 0", name=op.f("ck_supplier_price_history_old_cost_non_negative")),
        sa.CheckConstraint(
            "old_cost is null or old_cost <> new_cost", name=op.f("ck_supplier_price_history_cost_changed")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "changed_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_supplier_price_history_changed_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_supplier_price_history_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "supplier_id"],
            ["app.suppliers.organization_id", "app.suppliers.id"],
            name=op.f("fk_supplier_price_history_supplier_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "supplier_price_list_id"],
            ["app.supplier_price_lists.organization_id", "app.supplier_price_lists.id"],
            name=op.f("fk_supplier_price_history_supplier_price_list_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_supplier_price_history_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_supplier_price_history")),
        schema="app",
        comment="Audit trail of supplier cost changes.",
    )
    op.create_index(
        op.f("ix_supplier_price_history_product_id"),
        "supplier_price_history",
        ["organization_id", "product_id"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_supplier_price_history_supplier_id_changed_at"),
        "supplier_price_history",
        ["organization_id", "supplier_id", "changed_at"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "orders",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "order_number", sa.String(length=40), nullable=False, comment="Human order number, unique per organization."
        ),
        sa.Column("customer_id", sa.BigInteger(), nullable=False, comment="Customer who placed the order."),
        sa.Column("contact_id", sa.BigInteger(), nullable=True, comment="Customer contact for the order."),
        sa.Column("billing_address_id", sa.BigInteger(), nullable=True, comment="Address the invoice goes to."),
        sa.Column(
            "shipping_address_id", sa.BigInteger(), nullable=True, comment="Address goods ship to / work is done at."
        ),
        sa.Column("opportunity_id", sa.BigInteger(), nullable=True, comment="Opportunity the order was won from."),
        sa.Column("quote_id", sa.BigInteger(), nullable=True, comment="Accepted quote the order was created from."),
        sa.Column("order_template_id", sa.BigInteger(), nullable=True, comment="Template the order was created from."),
        sa.Column("sales_rep_user_id", sa.BigInteger(), nullable=True, comment="Sales rep credited with the order."),
        sa.Column(
            "customer_po_ref",
            sa.String(length=80),
            nullable=True,
            comment="The customer's own purchase-order number, quoted on the invoice.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="draft",
            nullable=False,
            comment="Order lifecycle. One of: draft, confirmed, in_progress, fulfilled, completed, cancelled.",
        ),
        sa.Column(
            "order_date",
            sa.Date(),
            server_default=sa.text("CURRENT_DATE"),
            nullable=False,
            comment="Business date of the order (bookings are counted on it).",
        ),
        sa.Column(
            "confirmed_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the order was confirmed (booked).",
        ),
        sa.Column(
            "fulfilled_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When all goods were shipped / work delivered.",
        ),
        sa.Column(
            "completed_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the order was closed as complete.",
        ),
        sa.Column(
            "cancelled_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the order was cancelled."
        ),
        sa.Column("cancellation_reason", sa.Text(), nullable=True),
        sa.Column(
            "subtotal",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Sum of line amounts before order-level discount, tax and shipping.",
        ),
        sa.Column(
            "discount_total",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Total discount on the order.",
        ),
        sa.Column(
            "tax_total",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Total tax on the order.",
        ),
        sa.Column(
            "shipping_total",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Shipping charged to the customer.",
        ),
        sa.Column(
            "total_amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="subtotal - discount_total + tax_total + shipping_total.",
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 currency code of the amounts on this row.",
        ),
        sa.Column(
            "invoice_number",
            sa.String(length=40),
            nullable=True,
            comment="Human invoice number once invoiced, unique per organization; NULL before.",
        ),
        sa.Column(
            "invoice_issued_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the invoice was issued (sent).",
        ),
        sa.Column(
            "invoice_date", sa.Date(), nullable=True, comment="Invoice date (revenue/AR date); NULL until invoiced."
        ),
        sa.Column(
            "invoice_due_date", sa.Date(), nullable=True, comment="Date payment is due; on or after invoice_date."
        ),
        sa.Column(
            "payment_terms_days",
            sa.Integer(),
            server_default="30",
            nullable=False,
            comment="Payment terms in days (net N).",
        ),
        sa.Column(
            "amount_paid",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Amount received against the invoice so far.",
        ),
        sa.Column(
            "payment_status",
            sa.String(length=40),
            server_default="not_invoiced",
            nullable=False,
            comment="Invoice payment state. One of: not_invoiced, unpaid, partially_paid, paid, written_off.",
        ),
        sa.Column(
            "paid_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the invoice became fully paid."
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "(payment_status = 'not_invoiced') = (invoice_number is null)", name=op.f("ck_orders_invoiced_has_number")
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_orders_currency_iso4217")),
        sa.CheckConstraint("payment_status <> 'paid' or paid_at is not null", name=op.f("ck_orders_paid_has_paid_at")),
        sa.CheckConstraint(
            "payment_status = 'not_invoiced' or invoice_date is not null",
            name=op.f("ck_orders_invoiced_has_invoice_date"),
        ),
        sa.CheckConstraint(
            "payment_status in ('not_invoiced', 'unpaid', 'partially_paid', 'paid', 'written_off')",
            name=op.f("ck_orders_payment_status_allowed"),
        ),
        sa.CheckConstraint(
            "status <> 'cancelled' or cancelled_at is not null", name=op.f("ck_orders_cancelled_has_cancelled_at")
        ),
        sa.CheckConstraint(
            "status in ('draft', 'confirmed', 'in_progress', 'fulfilled', 'completed', 'cancelled')",
            name=op.f("ck_orders_status_allowed"),
        ),
        sa.CheckConstraint("amount_paid <= total_amount", name=op.f("ck_orders_paid_within_total")),
        sa.CheckConstraint("amount_paid >= 0", name=op.f("ck_orders_amount_paid_non_negative")),
        sa.CheckConstraint("discount_total <= subtotal", name=op.f("ck_orders_discount_within_subtotal")),
        sa.CheckConstraint("discount_total >= 0", name=op.f("ck_orders_discount_total_non_negative")),
        sa.CheckConstraint(
            "invoice_due_date is null or invoice_date is null or invoice_due_date >= invoice_date",
            name=op.f("ck_orders_invoice_due_after_invoice_date"),
        ),
        sa.CheckConstraint("payment_terms_days >= 0", name=op.f("ck_orders_payment_terms_days_non_negative")),
        sa.CheckConstraint("shipping_total >= 0", name=op.f("ck_orders_shipping_total_non_negative")),
        sa.CheckConstraint("subtotal >= 0", name=op.f("ck_orders_subtotal_non_negative")),
        sa.CheckConstraint("tax_total >= 0", name=op.f("ck_orders_tax_total_non_negative")),
        sa.CheckConstraint(
            "total_amount = subtotal - discount_total + tax_total + shipping_total",
            name=op.f("ck_orders_total_adds_up"),
        ),
        sa.CheckConstraint("total_amount >= 0", name=op.f("ck_orders_total_amount_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "billing_address_id"],
            ["app.addresses.organization_id", "app.addresses.id"],
            name=op.f("fk_orders_billing_address_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "contact_id"],
            ["app.contacts.organization_id", "app.contacts.id"],
            name=op.f("fk_orders_contact_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_orders_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "opportunity_id"],
            ["app.opportunities.organization_id", "app.opportunities.id"],
            name=op.f("fk_orders_opportunity_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_template_id"],
            ["app.order_templates.organization_id", "app.order_templates.id"],
            name=op.f("fk_orders_order_template_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "quote_id"],
            ["app.quotes.organization_id", "app.quotes.id"],
            name=op.f("fk_orders_quote_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "sales_rep_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_orders_sales_rep_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "shipping_address_id"],
            ["app.addresses.organization_id", "app.addresses.id"],
            name=op.f("fk_orders_shipping_address_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["app.organizations.id"], name=op.f("fk_orders_organization_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_orders")),
        sa.UniqueConstraint("organization_id", "invoice_number", name=op.f("uq_orders_invoice_number")),
        sa.UniqueConstraint("organization_id", "order_number", name=op.f("uq_orders_order_number")),
        schema="app",
        comment="Sales orders with their invoicing and payment state (there is no separate invoices table).",
    )
    op.create_index(
        op.f("ix_orders_customer_id"), "orders", ["organization_id", "customer_id"], unique=False, schema="app"
    )
    op.create_index(
        op.f("ix_orders_invoice_date"), "orders", ["organization_id", "invoice_date"], unique=False, schema="app"
    )
    op.create_index(
        op.f("ix_orders_order_date"), "orders", ["organization_id", "order_date"], unique=False, schema="app"
    )
    op.create_index(
        op.f("ix_orders_sales_rep_user_id"),
        "orders",
        ["organization_id", "sales_rep_user_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "price_change_history",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "supplier_price_history_id", sa.BigInteger(), nullable=True, comment="Cost change that triggered it."
        ),
        sa.Column(
            "old_list_price",
            sa.Numeric(precision=14, scale=2),
            nullable=True,
            comment="List price before; NULL for the first price.",
        ),
        sa.Column(
            "new_list_price",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="List price after.",
        ),
        sa.Column("old_unit_cost", sa.Numeric(precision=14, scale=2), nullable=True, comment="Standard cost before."),
        sa.Column("new_unit_cost", sa.Numeric(precision=14, scale=2), nullable=True, comment="Standard cost after."),
        sa.Column(
            "reason",
            sa.String(length=40),
            server_default="supplier_cost_change",
            nullable=False,
            comment="Why the price changed. One of: supplier_cost_change, margin_adjustment, market_adjustment, promotion, correction, other.",
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "changed_by_user_id",
            sa.BigInteger(),
            nullable=True,
            comment="Who changed it; NULL for automated repricing.",
        ),
        sa.Column(
            "changed_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When it changed.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "reason in ('supplier_cost_change', 'margin_adjustment', 'market_adjustment', 'promotion', 'correction', 'other')",
            name=op.f("ck_price_change_history_reason_allowed"),
        ),
        sa.CheckConstraint("new_list_price >= 0", name=op.f("ck_price_change_history_new_list_price_non_negative")),
        sa.CheckConstraint("new_unit_cost >= 0", name=op.f("ck_price_change_history_new_unit_cost_non_negative")),
        sa.CheckConstraint("old_list_price >= 0", name=op.f("ck_price_change_history_old_list_price_non_negative")),
        sa.CheckConstraint(
            "old_list_price is null or old_list_price <> new_list_price",
            name=op.f("ck_price_change_history_list_price_changed"),
        ),
        sa.CheckConstraint("old_unit_cost >= 0", name=op.f("ck_price_change_history_old_unit_cost_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "changed_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_price_change_history_changed_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_price_change_history_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "supplier_price_history_id"],
            ["app.supplier_price_history.organization_id", "app.supplier_price_history.id"],
            name=op.f("fk_price_change_history_supplier_price_history_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_price_change_history_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_price_change_history")),
        schema="app",
        comment="Selling price changes with the cost change behind them.",
    )
    op.create_index(
        op.f("ix_price_change_history_product_id_changed_at"),
        "price_change_history",
        ["organization_id", "product_id", "changed_at"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "purchase_order_amendments",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("purchase_order_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "purchase_order_item_id", sa.BigInteger(), nullable=True, comment="Line changed; NULL for the header."
        ),
        sa.Column(
            "field_name",
            sa.String(length=80),
            nullable=False,
            comment="Name of the changed field, e.g. quantity_ordered.",
        ),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column(
            "amount_change",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Change of the order total in the order currency; signed because amendments can lower it.",
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("amended_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "amended_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the amendment was made.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "amended_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_purchase_order_amendments_amended_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "purchase_order_id"],
            ["app.purchase_orders.organization_id", "app.purchase_orders.id"],
            name=op.f("fk_purchase_order_amendments_purchase_order_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "purchase_order_item_id"],
            ["app.purchase_order_items.organization_id", "app.purchase_order_items.id"],
            name=op.f("fk_purchase_order_amendments_purchase_order_item_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_purchase_order_amendments_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_purchase_order_amendments")),
        schema="app",
        comment="Field-level change log of purchase orders with the resulting amount change.",
    )
    op.create_index(
        op.f("ix_purchase_order_amendments_purchase_order_id"),
        "purchase_order_amendments",
        ["organization_id", "purchase_order_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "purchase_order_receipt_items",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("purchase_order_receipt_id", sa.BigInteger(), nullable=False),
        sa.Column("purchase_order_item_id", sa.BigInteger(), nullable=False),
        sa.Column("warehouse_location_id", sa.BigInteger(), nullable=True, comment="Bin the goods were put away in."),
        sa.Column(
            "quantity_received",
            sa.Numeric(precision=14, scale=3),
            nullable=False,
            comment="Units delivered, including rejected ones.",
        ),
        sa.Column(
            "quantity_rejected",
            sa.Numeric(precision=14, scale=3),
            server_default="0",
            nullable=False,
            comment="Units of the delivery rejected (damaged, wrong, defective).",
        ),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "quantity_received > 0", name=op.f("ck_purchase_order_receipt_items_quantity_received_positive")
        ),
        sa.CheckConstraint(
            "quantity_received >= 0", name=op.f("ck_purchase_order_receipt_items_quantity_received_non_negative")
        ),
        sa.CheckConstraint(
            "quantity_rejected <= quantity_received",
            name=op.f("ck_purchase_order_receipt_items_rejected_within_received"),
        ),
        sa.CheckConstraint(
            "quantity_rejected >= 0", name=op.f("ck_purchase_order_receipt_items_quantity_rejected_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "purchase_order_item_id"],
            ["app.purchase_order_items.organization_id", "app.purchase_order_items.id"],
            name=op.f("fk_purchase_order_receipt_items_purchase_order_item_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "purchase_order_receipt_id"],
            ["app.purchase_order_receipts.organization_id", "app.purchase_order_receipts.id"],
            name=op.f("fk_purchase_order_receipt_items_purchase_order_receipt_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "warehouse_location_id"],
            ["app.warehouse_locations.organization_id", "app.warehouse_locations.id"],
            name=op.f("fk_purchase_order_receipt_items_warehouse_location_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_purchase_order_receipt_items_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_purchase_order_receipt_items")),
        sa.UniqueConstraint(
            "organization_id",
            "purchase_order_receipt_id",
            "purchase_order_item_id",
            name=op.f("uq_purchase_order_receipt_items_purchase_order_receipt_id_purchase_order_item_id"),
        ),
        schema="app",
        comment="Lines of goods receipts: delivered and rejected quantities.",
    )
    op.create_index(
        op.f("ix_purchase_order_receipt_items_purchase_order_item_id"),
        "purchase_order_receipt_items",
        ["organization_id", "purchase_order_item_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "quote_versions",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("quote_id", sa.BigInteger(), nullable=False, comment="Quote this is a revision of."),
        sa.Column(
            "version_number",
            sa.Integer(),
            server_default="1",
            nullable=False,
            comment="Revision number, 1 for the first version.",
        ),
        sa.Column(
            "line_items",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
            comment="Lines as quoted: product_id, description, quantity, unit_price, discount, tax (price snapshot).",
        ),
        sa.Column(
            "subtotal",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Sum of line amounts before discount and tax.",
        ),
        sa.Column(
            "discount_total",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Total discount.",
        ),
        sa.Column(
            "tax_total", sa.Numeric(precision=14, scale=2), server_default="0", nullable=False, comment="Total tax."
        ),
        sa.Column(
            "total",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Amount payable: subtotal - discount_total + tax_total.",
        ),
        sa.Column("created_by_user_id", sa.BigInteger(), nullable=True, comment="Who saved the version."),
        sa.Column("change_summary", sa.Text(), nullable=True, comment="What changed compared with the prior version."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("discount_total <= subtotal", name=op.f("ck_quote_versions_discount_within_subtotal")),
        sa.CheckConstraint("discount_total >= 0", name=op.f("ck_quote_versions_discount_total_non_negative")),
        sa.CheckConstraint("subtotal >= 0", name=op.f("ck_quote_versions_subtotal_non_negative")),
        sa.CheckConstraint("tax_total >= 0", name=op.f("ck_quote_versions_tax_total_non_negative")),
        sa.CheckConstraint(
            "total = subtotal - discount_total + tax_total", name=op.f("ck_quote_versions_total_adds_up")
        ),
        sa.CheckConstraint("total >= 0", name=op.f("ck_quote_versions_total_non_negative")),
        sa.CheckConstraint("version_number >= 0", name=op.f("ck_quote_versions_version_number_non_negative")),
        sa.CheckConstraint("version_number >= 1", name=op.f("ck_quote_versions_version_number_positive")),
        sa.ForeignKeyConstraint(
            ["organization_id", "created_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_quote_versions_created_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "quote_id"],
            ["app.quotes.organization_id", "app.quotes.id"],
            name=op.f("fk_quote_versions_quote_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_quote_versions_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_quote_versions")),
        sa.UniqueConstraint(
            "organization_id", "quote_id", "version_number", name=op.f("uq_quote_versions_quote_id_version_number")
        ),
        schema="app",
        comment="Revisions of quotes with snapshotted line items and totals.",
    )
    op.create_table(
        "jobs",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "job_number", sa.String(length=40), nullable=False, comment="Human job number, unique per organization."
        ),
        sa.Column("customer_id", sa.BigInteger(), nullable=False, comment="Customer the job is for."),
        sa.Column("contact_id", sa.BigInteger(), nullable=True, comment="On-site contact."),
        sa.Column(
            "order_id",
            sa.BigInteger(),
            nullable=True,
            comment="Order the job fulfils; NULL for unsold work (e.g. warranty).",
        ),
        sa.Column("address_id", sa.BigInteger(), nullable=True, comment="Job site."),
        sa.Column("job_template_id", sa.BigInteger(), nullable=True, comment="Template the job was created from."),
        sa.Column("issue_id", sa.BigInteger(), nullable=True, comment="Support issue the job resolves."),
        sa.Column("warranty_claim_id", sa.BigInteger(), nullable=True, comment="Warranty claim the job services."),
        sa.Column(
            "follow_up_of_job_id",
            sa.BigInteger(),
            nullable=True,
            comment="Earlier job this visit follows up; a job with follow-ups was not a first-time fix.",
        ),
        sa.Column(
            "job_type",
            sa.String(length=40),
            nullable=False,
            comment="Kind of work. One of: installation, repair, maintenance, inspection, warranty_service.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="scheduled",
            nullable=False,
            comment="Job lifecycle. One of: scheduled, dispatched, in_progress, on_hold, completed, cancelled.",
        ),
        sa.Column(
            "priority",
            sa.String(length=40),
            server_default="normal",
            nullable=False,
            comment="Urgency. One of: low, normal, high, urgent.",
        ),
        sa.Column("title", sa.String(length=200), nullable=True, comment="Short description shown on the schedule."),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "scheduled_start", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="Planned start of the visit."
        ),
        sa.Column(
            "scheduled_end", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="Planned end of the visit."
        ),
        sa.Column(
            "actual_start", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When work actually started."
        ),
        sa.Column(
            "actual_end",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When work actually ended (job completion time).",
        ),
        sa.Column("due_date", sa.Date(), nullable=True, comment="Date by which the job must be done (SLA / promise)."),
        sa.Column(
            "estimated_hours",
            sa.Numeric(precision=14, scale=3),
            nullable=True,
            comment="Planned labour hours, for estimate-vs-actual analysis.",
        ),
        sa.Column("cancelled_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column(
            "requires_follow_up",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="Technician flagged that another visit is needed.",
        ),
        sa.Column("completion_notes", sa.Text(), nullable=True),
        sa.Column(
            "customer_signature_captured",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="Customer signed off the work on site.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "job_type in ('installation', 'repair', 'maintenance', 'inspection', 'warranty_service')",
            name=op.f("ck_jobs_job_type_allowed"),
        ),
        sa.CheckConstraint("priority in ('low', 'normal', 'high', 'urgent')", name=op.f("ck_jobs_priority_allowed")),
        sa.CheckConstraint(
            "status <> 'completed' or actual_end is not null", name=op.f("ck_jobs_completed_has_actual_end")
        ),
        sa.CheckConstraint(
            "status in ('scheduled', 'dispatched', 'in_progress', 'on_hold', 'completed', 'cancelled')",
            name=op.f("ck_jobs_status_allowed"),
        ),
        sa.CheckConstraint(
            "actual_end is null or actual_start is null or actual_end >= actual_start",
            name=op.f("ck_jobs_actual_end_after_start"),
        ),
        sa.CheckConstraint("estimated_hours >= 0", name=op.f("ck_jobs_estimated_hours_non_negative")),
        sa.CheckConstraint(
            "follow_up_of_job_id is null or follow_up_of_job_id <> id", name=op.f("ck_jobs_not_own_follow_up")
        ),
        sa.CheckConstraint(
            "scheduled_end is null or scheduled_start is null or scheduled_end >= scheduled_start",
            name=op.f("ck_jobs_scheduled_end_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "address_id"],
            ["app.addresses.organization_id", "app.addresses.id"],
            name=op.f("fk_jobs_address_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "contact_id"],
            ["app.contacts.organization_id", "app.contacts.id"],
            name=op.f("fk_jobs_contact_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_jobs_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "follow_up_of_job_id"],
            ["app.jobs.organization_id", "app.jobs.id"],
            name=op.f("fk_jobs_follow_up_of_job_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "job_template_id"],
            ["app.job_templates.organization_id", "app.job_templates.id"],
            name=op.f("fk_jobs_job_template_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["app.orders.organization_id", "app.orders.id"],
            name=op.f("fk_jobs_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["app.organizations.id"], name=op.f("fk_jobs_organization_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("organization_id", "job_number", name=op.f("uq_jobs_job_number")),
        schema="app",
        comment="Field jobs: installations, repairs, maintenance, inspections, warranty service visits.",
    )
    op.create_index(op.f("ix_jobs_customer_id"), "jobs", ["organization_id", "customer_id"], unique=False, schema="app")
    op.create_index(op.f("ix_jobs_order_id"), "jobs", ["organization_id", "order_id"], unique=False, schema="app")
    op.create_index(
        op.f("ix_jobs_scheduled_start"), "jobs", ["organization_id", "scheduled_start"], unique=False, schema="app"
    )
    op.create_table(
        "order_line_items",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False, comment="Position of the line on the order, from 1."),
        sa.Column(
            "product_id", sa.BigInteger(), nullable=True, comment="Product or service sold; NULL for free-text lines."
        ),
        sa.Column("description", sa.Text(), nullable=False, comment="Line text as shown on the order and invoice."),
        sa.Column(
            "quantity", sa.Numeric(precision=14, scale=3), server_default="1", nullable=False, comment="Quantity sold."
        ),
        sa.Column(
            "unit_price",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Price per unit before discount, excluding tax.",
        ),
        sa.Column(
            "unit_cost",
            sa.Numeric(precision=14, scale=2),
            nullable=True,
            comment="Cost per unit at the time of sale, for gross margin; NULL when unknown.",
        ),
        sa.Column(
            "discount_amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Discount on the whole line.",
        ),
        sa.Column(
            "tax_amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Tax on the line (not included in line_total).",
        ),
        sa.Column(
            "line_total",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="quantity * unit_price - discount_amount, rounded to cents, before tax.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "abs(line_total - (quantity * unit_price - discount_amount)) <= 0.005",
            name=op.f("ck_order_line_items_line_total_adds_up"),
        ),
        sa.CheckConstraint(
            "discount_amount <= quantity * unit_price", name=op.f("ck_order_line_items_discount_within_gross")
        ),
        sa.CheckConstraint("discount_amount >= 0", name=op.f("ck_order_line_items_discount_amount_non_negative")),
        sa.CheckConstraint("line_number >= 0", name=op.f("ck_order_line_items_line_number_non_negative")),
        sa.CheckConstraint("line_total >= 0", name=op.f("ck_order_line_items_line_total_non_negative")),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_order_line_items_quantity_non_negative")),
        sa.CheckConstraint("tax_amount >= 0", name=op.f("ck_order_line_items_tax_amount_non_negative")),
        sa.CheckConstraint("unit_cost >= 0", name=op.f("ck_order_line_items_unit_cost_non_negative")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_order_line_items_unit_price_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["app.orders.organization_id", "app.orders.id"],
            name=op.f("fk_order_line_items_order_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_order_line_items_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_order_line_items_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_order_line_items")),
        sa.UniqueConstraint(
            "organization_id", "order_id", "line_number", name=op.f("uq_order_line_items_order_id_line_number")
        ),
        schema="app",
        comment="Lines of sales orders: product, quantity, price, cost, discount and tax.",
    )
    op.create_index(
        op.f("ix_order_line_items_order_id"),
        "order_line_items",
        ["organization_id", "order_id"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_order_line_items_product_id"),
        "order_line_items",
        ["organization_id", "product_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "order_shipments",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "shipment_number", sa.String(length=40), nullable=False, comment="Human shipment number, unique per org."
        ),
        sa.Column("from_location_id", sa.BigInteger(), nullable=True, comment="Stock location the goods ship from."),
        sa.Column("carrier", sa.String(length=80), nullable=True, comment="Carrier name, e.g. UPS, own van."),
        sa.Column("carrier_tracking_ref", sa.String(length=120), nullable=True, comment="Carrier's tracking number."),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="pending",
            nullable=False,
            comment="Shipment state. One of: pending, shipped, in_transit, delivered, returned.",
        ),
        sa.Column("shipped_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the shipment left."),
        sa.Column(
            "delivered_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the shipment was delivered.",
        ),
        sa.Column(
            "freight_cost",
            sa.Numeric(precision=14, scale=2),
            nullable=True,
            comment="What the carrier charged us, for fulfilment cost.",
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "status in ('pending', 'shipped', 'in_transit', 'delivered', 'returned')",
            name=op.f("ck_order_shipments_status_allowed"),
        ),
        sa.CheckConstraint(
            "delivered_at is null or shipped_at is null or delivered_at >= shipped_at",
            name=op.f("ck_order_shipments_delivered_after_shipped"),
        ),
        sa.CheckConstraint("freight_cost >= 0", name=op.f("ck_order_shipments_freight_cost_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "from_location_id"],
            ["app.locations.organization_id", "app.locations.id"],
            name=op.f("fk_order_shipments_from_location_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["app.orders.organization_id", "app.orders.id"],
            name=op.f("fk_order_shipments_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_order_shipments_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_order_shipments")),
        sa.UniqueConstraint("organization_id", "shipment_number", name=op.f("uq_order_shipments_shipment_number")),
        schema="app",
        comment="Shipments of order goods, with carrier tracking and delivery times.",
    )
    op.create_index(
        op.f("ix_order_shipments_order_id"),
        "order_shipments",
        ["organization_id", "order_id"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_order_shipments_shipped_at"),
        "order_shipments",
        ["organization_id", "shipped_at"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "payment_schedules",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("installment_number", sa.Integer(), nullable=False, comment="1-based position of the installment."),
        sa.Column("due_date", sa.Date(), nullable=False, comment="Date the installment is due."),
        sa.Column(
            "amount_due",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Amount of the installment.",
        ),
        sa.Column(
            "amount_paid",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Amount received against the installment.",
        ),
        sa.Column(
            "paid_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the installment became fully paid.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="scheduled",
            nullable=False,
            comment="Installment state. One of: scheduled, paid, partially_paid, overdue, cancelled.",
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 currency code of the amounts on this row.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_payment_schedules_currency_iso4217")),
        sa.CheckConstraint(
            "status <> 'paid' or paid_at is not null", name=op.f("ck_payment_schedules_paid_has_paid_at")
        ),
        sa.CheckConstraint(
            "status in ('scheduled', 'paid', 'partially_paid', 'overdue', 'cancelled')",
            name=op.f("ck_payment_schedules_status_allowed"),
        ),
        sa.CheckConstraint("amount_due >= 0", name=op.f("ck_payment_schedules_amount_due_non_negative")),
        sa.CheckConstraint("amount_paid <= amount_due", name=op.f("ck_payment_schedules_paid_within_due")),
        sa.CheckConstraint("amount_paid >= 0", name=op.f("ck_payment_schedules_amount_paid_non_negative")),
        sa.CheckConstraint(
            "installment_number >= 0", name=op.f("ck_payment_schedules_installment_number_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["app.orders.organization_id", "app.orders.id"],
            name=op.f("fk_payment_schedules_order_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_payment_schedules_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_payment_schedules")),
        sa.UniqueConstraint(
            "organization_id",
            "order_id",
            "installment_number",
            name=op.f("uq_payment_schedules_order_id_installment_number"),
        ),
        schema="app",
        comment="Installments of order invoices, for cash-flow forecasting and collections.",
    )
    op.create_index(
        op.f("ix_payment_schedules_due_date"),
        "payment_schedules",
        ["organization_id", "due_date"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "job_assignments",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("job_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False, comment="Assigned technician."),
        sa.Column("assigned_by_user_id", sa.BigInteger(), nullable=True, comment="Dispatcher who made the assignment."),
        sa.Column(
            "role",
            sa.String(length=40),
            server_default="lead",
            nullable=False,
            comment="Role on the job. One of: lead, assistant.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="assigned",
            nullable=False,
            comment="Assignment state. One of: assigned, accepted, declined, removed.",
        ),
        sa.Column("assigned_at", postgresql.TIMESTAMP(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("role in ('lead', 'assistant')", name=op.f("ck_job_assignments_role_allowed")),
        sa.CheckConstraint(
            "status in ('assigned', 'accepted', 'declined', 'removed')", name=op.f("ck_job_assignments_status_allowed")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "assigned_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_job_assignments_assigned_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "job_id"],
            ["app.jobs.organization_id", "app.jobs.id"],
            name=op.f("fk_job_assignments_job_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_job_assignments_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_job_assignments_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_job_assignments")),
        sa.UniqueConstraint("organization_id", "job_id", "user_id", name=op.f("uq_job_assignments_job_id_user_id")),
        schema="app",
        comment="Technicians assigned to jobs and their role on the job.",
    )
    op.create_index(
        op.f("ix_job_assignments_user_id"),
        "job_assignments",
        ["organization_id", "user_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "job_checklists",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("job_id", sa.BigInteger(), nullable=False),
        sa.Column("checklist_template_id", sa.BigInteger(), nullable=True, comment="Template it was created from."),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="pending",
            nullable=False,
            comment="Checklist state. One of: pending, in_progress, completed.",
        ),
        sa.Column("completed_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column("completed_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "status <> 'completed' or completed_at is not null",
            name=op.f("ck_job_checklists_completed_has_completed_at"),
        ),
        sa.CheckConstraint(
            "status in ('pending', 'in_progress', 'completed')", name=op.f("ck_job_checklists_status_allowed")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "checklist_template_id"],
            ["app.checklist_templates.organization_id", "app.checklist_templates.id"],
            name=op.f("fk_job_checklists_checklist_template_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "completed_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_job_checklists_completed_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "job_id"],
            ["app.jobs.organization_id", "app.jobs.id"],
            name=op.f("fk_job_checklists_job_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_job_checklists_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_job_checklists")),
        schema="app",
        comment="Checklists attached to jobs.",
    )
    op.create_index(
        op.f("ix_job_checklists_job_id"), "job_checklists", ["organization_id", "job_id"], unique=False, schema="app"
    )
    op.create_table(
        "job_materials",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("job_id", sa.BigInteger(), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False, comment="Material used."),
        sa.Column(
            "location_id", sa.BigInteger(), nullable=True, comment="Stock location (warehouse, van) it was taken from."
        ),
        sa.Column(
            "quantity", sa.Numeric(precision=14, scale=3), server_default="0", nullable=False, comment="Quantity used."
        ),
        sa.Column(
            "unit_cost",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Cost per unit, for job costing.",
        ),
        sa.Column(
            "unit_price",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Price per unit charged when billable.",
        ),
        sa.Column("billable", sa.Boolean(), server_default="true", nullable=False, comment="Charged to the customer."),
        sa.Column("used_at", postgresql.TIMESTAMP(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_job_materials_quantity_non_negative")),
        sa.CheckConstraint("unit_cost >= 0", name=op.f("ck_job_materials_unit_cost_non_negative")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_job_materials_unit_price_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "job_id"],
            ["app.jobs.organization_id", "app.jobs.id"],
            name=op.f("fk_job_materials_job_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "location_id"],
            ["app.locations.organization_id", "app.locations.id"],
            name=op.f("fk_job_materials_location_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_job_materials_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_job_materials_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_job_materials")),
        schema="app",
        comment="Materials consumed on jobs, for job costing and billing.",
    )
    op.create_index(
        op.f("ix_job_materials_job_id"), "job_materials", ["organization_id", "job_id"], unique=False, schema="app"
    )
    op.create_index(
        op.f("ix_job_materials_product_id"),
        "job_materials",
        ["organization_id", "product_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "job_tasks",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("job_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="todo",
            nullable=False,
            comment="Task state. One of: todo, in_progress, done, skipped.",
        ),
        sa.Column(
            "sequence", sa.Integer(), server_default="0", nullable=False, comment="Order of the task within the job."
        ),
        sa.Column("completed_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column("completed_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "status <> 'done' or completed_at is not null", name=op.f("ck_job_tasks_done_has_completed_at")
        ),
        sa.CheckConstraint(
            "status in ('todo', 'in_progress', 'done', 'skipped')", name=op.f("ck_job_tasks_status_allowed")
        ),
        sa.CheckConstraint("sequence >= 0", name=op.f("ck_job_tasks_sequence_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "completed_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_job_tasks_completed_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "job_id"],
            ["app.jobs.organization_id", "app.jobs.id"],
            name=op.f("fk_job_tasks_job_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["app.organizations.id"], name=op.f("fk_job_tasks_organization_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_job_tasks")),
        schema="app",
        comment="Steps of work within jobs.",
    )
    op.create_index(op.f("ix_job_tasks_job_id"), "job_tasks", ["organization_id", "job_id"], unique=False, schema="app")
    op.create_table(
        "job_time_entries",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("job_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False, comment="Technician whose time this is."),
        sa.Column(
            "entry_type",
            sa.String(length=40),
            server_default="labour",
            nullable=False,
            comment="Kind of time. One of: travel, labour, break.",
        ),
        sa.Column("started_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.Column("ended_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="NULL while the timer runs."),
        sa.Column(
            "hours",
            sa.Numeric(precision=14, scale=3),
            server_default="0",
            nullable=False,
            comment="Hours worked (ended_at - started_at, or entered manually).",
        ),
        sa.Column(
            "hourly_cost",
            sa.Numeric(precision=14, scale=2),
            nullable=True,
            comment="Technician's loaded hourly cost at the time, copied from users.hourly_cost.",
        ),
        sa.Column("billable", sa.Boolean(), server_default="true", nullable=False, comment="Charged to the customer."),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "entry_type in ('travel', 'labour', 'break')", name=op.f("ck_job_time_entries_entry_type_allowed")
        ),
        sa.CheckConstraint(
            "ended_at is null or ended_at > started_at", name=op.f("ck_job_time_entries_ended_after_started")
        ),
        sa.CheckConstraint("hourly_cost >= 0", name=op.f("ck_job_time_entries_hourly_cost_non_negative")),
        sa.CheckConstraint("hours >= 0", name=op.f("ck_job_time_entries_hours_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "job_id"],
            ["app.jobs.organization_id", "app.jobs.id"],
            name=op.f("fk_job_time_entries_job_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_job_time_entries_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_job_time_entries_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_job_time_entries")),
        schema="app",
        comment="Technician time on jobs, for labour cost, utilisation and billing.",
    )
    op.create_index(
        op.f("ix_job_time_entries_job_id"),
        "job_time_entries",
        ["organization_id", "job_id"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_job_time_entries_started_at"),
        "job_time_entries",
        ["organization_id", "started_at"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_job_time_entries_user_id"),
        "job_time_entries",
        ["organization_id", "user_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "order_amendments",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "order_line_item_id", sa.BigInteger(), nullable=True, comment="Line affected, when one line changed."
        ),
        sa.Column("amended_by_user_id", sa.BigInteger(), nullable=True, comment="Who made the change."),
        sa.Column(
            "amendment_type",
            sa.String(length=40),
            nullable=False,
            comment="Kind of change. One of: add_line, remove_line, change_quantity, change_price, cancel, other.",
        ),
        sa.Column(
            "amount_change",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Change of the order total; signed because amendments can lower or raise it.",
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("amended_at", postgresql.TIMESTAMP(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column(
            "before_state",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
            comment="Changed fields before the amendment.",
        ),
        sa.Column(
            "after_state",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
            comment="Changed fields after the amendment.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "amendment_type in ('add_line', 'remove_line', 'change_quantity', 'change_price', 'cancel', 'other')",
            name=op.f("ck_order_amendments_amendment_type_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "amended_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_order_amendments_amended_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["app.orders.organization_id", "app.orders.id"],
            name=op.f("fk_order_amendments_order_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_line_item_id"],
            ["app.order_line_items.organization_id", "app.order_line_items.id"],
            name=op.f("fk_order_amendments_order_line_item_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_order_amendments_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_order_amendments")),
        schema="app",
        comment="Audit of changes to confirmed orders and their effect on order value.",
    )
    op.create_index(
        op.f("ix_order_amendments_order_id"),
        "order_amendments",
        ["organization_id", "order_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "shipment_items",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("shipment_id", sa.BigInteger(), nullable=False),
        sa.Column("order_line_item_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "quantity",
            sa.Numeric(precision=14, scale=3),
            server_default="0",
            nullable=False,
            comment="Quantity of the line shipped.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_shipment_items_quantity_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_line_item_id"],
            ["app.order_line_items.organization_id", "app.order_line_items.id"],
            name=op.f("fk_shipment_items_order_line_item_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "shipment_id"],
            ["app.order_shipments.organization_id", "app.order_shipments.id"],
            name=op.f("fk_shipment_items_shipment_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_shipment_items_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_shipment_items")),
        sa.UniqueConstraint(
            "organization_id",
            "shipment_id",
            "order_line_item_id",
            name=op.f("uq_shipment_items_shipment_id_order_line_item_id"),
        ),
        schema="app",
        comment="Order lines and quantities contained in each shipment.",
    )
    op.create_index(
        op.f("ix_shipment_items_order_line_item_id"),
        "shipment_items",
        ["organization_id", "order_line_item_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "warranties",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "warranty_number",
            sa.String(length=40),
            nullable=False,
            comment="Human warranty number, unique per organization.",
        ),
        sa.Column("customer_id", sa.BigInteger(), nullable=False, comment="Covered customer (current holder)."),
        sa.Column("product_id", sa.BigInteger(), nullable=False, comment="Covered product."),
        sa.Column("order_id", sa.BigInteger(), nullable=True, comment="Order the product was sold on."),
        sa.Column("order_line_item_id", sa.BigInteger(), nullable=True, comment="Order line the product was sold on."),
        sa.Column("warranty_policy_id", sa.BigInteger(), nullable=False, comment="Policy that defines the cover."),
        sa.Column(
            "job_id", sa.BigInteger(), nullable=True, comment="Installation job, if the product was installed by us."
        ),
        sa.Column("serial_number", sa.String(length=120), nullable=True, comment="Serial number of the covered unit."),
        sa.Column(
            "registered_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the warranty was registered.",
        ),
        sa.Column("start_date", sa.Date(), nullable=False, comment="First day of cover."),
        sa.Column(
            "end_date", sa.Date(), nullable=False, comment="Last day of cover, including any purchased extensions."
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="active",
            nullable=False,
            comment="Warranty state. One of: active, expired, void, transferred.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "status in ('active', 'expired', 'void', 'transferred')", name=op.f("ck_warranties_status_allowed")
        ),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_warranties_end_after_start")),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_warranties_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "job_id"],
            ["app.jobs.organization_id", "app.jobs.id"],
            name=op.f("fk_warranties_job_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["app.orders.organization_id", "app.orders.id"],
            name=op.f("fk_warranties_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_line_item_id"],
            ["app.order_line_items.organization_id", "app.order_line_items.id"],
            name=op.f("fk_warranties_order_line_item_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_warranties_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "warranty_policy_id"],
            ["app.warranty_policies.organization_id", "app.warranty_policies.id"],
            name=op.f("fk_warranties_warranty_policy_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_warranties_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_warranties")),
        sa.UniqueConstraint("organization_id", "warranty_number", name=op.f("uq_warranties_warranty_number")),
        schema="app",
        comment="Warranties on sold or installed products: who is covered, for what, from when to when.",
    )
    op.create_index(
        op.f("ix_warranties_customer_id"), "warranties", ["organization_id", "customer_id"], unique=False, schema="app"
    )
    op.create_index(
        op.f("ix_warranties_end_date"), "warranties", ["organization_id", "end_date"], unique=False, schema="app"
    )
    op.create_index(
        op.f("ix_warranties_product_id"), "warranties", ["organization_id", "product_id"], unique=False, schema="app"
    )
    op.create_index(
        op.f("ix_warranties_start_date"), "warranties", ["organization_id", "start_date"], unique=False, schema="app"
    )
    op.create_table(
        "deferred_revenue",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("order_line_item_id", sa.BigInteger(), nullable=True, comment="Line deferred; NULL for whole order."),
        sa.Column(
            "warranty_id", sa.BigInteger(), nullable=True, comment="Extended warranty the revenue is for, if any."
        ),
        sa.Column(
            "total_deferred",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Amount deferred at invoicing.",
        ),
        sa.Column(
            "recognized_to_date",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Amount released to revenue so far.",
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 currency code of the amounts on this row.",
        ),
        sa.Column("period_start", sa.Date(), nullable=True, comment="Start of the ratable recognition period."),
        sa.Column("period_end", sa.Date(), nullable=True, comment="End of the ratable recognition period."),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="deferred",
            nullable=False,
            comment="Recognition progress. One of: deferred, partially_recognized, fully_recognized.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_deferred_revenue_currency_iso4217")),
        sa.CheckConstraint(
            "status <> 'fully_recognized' or recognized_to_date = total_deferred",
            name=op.f("ck_deferred_revenue_fully_recognized_is_full"),
        ),
        sa.CheckConstraint(
            "status in ('deferred', 'partially_recognized', 'fully_recognized')",
            name=op.f("ck_deferred_revenue_status_allowed"),
        ),
        sa.CheckConstraint(
            "period_end is null or period_start is null or period_end >= period_start",
            name=op.f("ck_deferred_revenue_period_end_after_start"),
        ),
        sa.CheckConstraint(
            "recognized_to_date <= total_deferred", name=op.f("ck_deferred_revenue_recognized_within_total")
        ),
        sa.CheckConstraint("recognized_to_date >= 0", name=op.f("ck_deferred_revenue_recognized_to_date_non_negative")),
        sa.CheckConstraint("total_deferred >= 0", name=op.f("ck_deferred_revenue_total_deferred_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["app.orders.organization_id", "app.orders.id"],
            name=op.f("fk_deferred_revenue_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_line_item_id"],
            ["app.order_line_items.organization_id", "app.order_line_items.id"],
            name=op.f("fk_deferred_revenue_order_line_item_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "warranty_id"],
            ["app.warranties.organization_id", "app.warranties.id"],
            name=op.f("fk_deferred_revenue_warranty_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_deferred_revenue_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_deferred_revenue")),
        schema="app",
        comment="Deferred revenue balances; remaining balance = total_deferred - recognized_to_date.",
    )
    op.create_index(
        op.f("ix_deferred_revenue_order_id"),
        "deferred_revenue",
        ["organization_id", "order_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "issues",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "issue_number",
            sa.String(length=40),
            nullable=False,
            comment="Human ticket number, unique per organization.",
        ),
        sa.Column("customer_id", sa.BigInteger(), nullable=False, comment="Customer the ticket is for."),
        sa.Column("contact_id", sa.BigInteger(), nullable=True, comment="Contact person who raised the ticket."),
        sa.Column("order_id", sa.BigInteger(), nullable=True, comment="Order the ticket is about, if any."),
        sa.Column("product_id", sa.BigInteger(), nullable=True, comment="Product the ticket is about, if any."),
        sa.Column("job_id", sa.BigInteger(), nullable=True, comment="Field job the ticket is about, if any."),
        sa.Column("warranty_id", sa.BigInteger(), nullable=True, comment="Warranty the ticket falls under, if any."),
        sa.Column(
            "assigned_user_id", sa.BigInteger(), nullable=True, comment="Support agent currently owning the ticket."
        ),
        sa.Column("issue_template_id", sa.BigInteger(), nullable=True, comment="Template the ticket was created from."),
        sa.Column(
            "sla_configuration_id",
            sa.BigInteger(),
            nullable=True,
            comment="SLA that applies; the clock itself is in sla_tracking.",
        ),
        sa.Column(
            "channel",
            sa.String(length=40),
            server_default="email",
            nullable=False,
            comment="How the ticket came in. One of: email, phone, portal, on_site.",
        ),
        sa.Column(
            "category",
            sa.String(length=40),
            server_default="other",
            nullable=False,
            comment="What the ticket is about. One of: product_defect, installation, service_request, warranty, billing, delivery, return, question, complaint, other.",
        ),
        sa.Column(
            "priority",
            sa.String(length=40),
            server_default="normal",
            nullable=False,
            comment="Urgency; selects the SLA. One of: low, normal, high, urgent.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="new",
            nullable=False,
            comment="Ticket lifecycle. One of: new, open, pending_customer, in_progress, resolved, closed, reopened.",
        ),
        sa.Column(
            "opened_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the ticket was raised; the SLA clock starts here.",
        ),
        sa.Column(
            "first_response_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="First reply by staff to the customer.",
        ),
        sa.Column(
            "resolved_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Latest resolution; cleared when reopened.",
        ),
        sa.Column(
            "closed_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the ticket was closed; cleared when reopened.",
        ),
        sa.Column(
            "reopened_count",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="How many times the ticket was reopened after resolution.",
        ),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "category in ('product_defect', 'installation', 'service_request', 'warranty', 'billing', 'delivery', 'return', 'question', 'complaint', 'other')",
            name=op.f("ck_issues_category_allowed"),
        ),
        sa.CheckConstraint(
            "channel in ('email', 'phone', 'portal', 'on_site')", name=op.f("ck_issues_channel_allowed")
        ),
        sa.CheckConstraint("priority in ('low', 'normal', 'high', 'urgent')", name=op.f("ck_issues_priority_allowed")),
        sa.CheckConstraint("status <> 'closed' or closed_at is not null", name=op.f("ck_issues_closed_has_closed_at")),
        sa.CheckConstraint(
            "status <> 'resolved' or resolved_at is not null", name=op.f("ck_issues_resolved_has_resolved_at")
        ),
        sa.CheckConstraint(
            "status in ('new', 'open', 'pending_customer', 'in_progress', 'resolved', 'closed', 'reopened')",
            name=op.f("ck_issues_status_allowed"),
        ),
        sa.CheckConstraint("closed_at is null or closed_at >= opened_at", name=op.f("ck_issues_closed_after_open")),
        sa.CheckConstraint(
            "first_response_at is null or first_response_at >= opened_at",
            name=op.f("ck_issues_first_response_after_open"),
        ),
        sa.CheckConstraint("reopened_count >= 0", name=op.f("ck_issues_reopened_count_non_negative")),
        sa.CheckConstraint(
            "resolved_at is null or resolved_at >= opened_at", name=op.f("ck_issues_resolved_after_open")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "assigned_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_issues_assigned_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "contact_id"],
            ["app.contacts.organization_id", "app.contacts.id"],
            name=op.f("fk_issues_contact_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_issues_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "issue_template_id"],
            ["app.issue_templates.organization_id", "app.issue_templates.id"],
            name=op.f("fk_issues_issue_template_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "job_id"], ["app.jobs.organization_id", "app.jobs.id"], name=op.f("fk_issues_job_id")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["app.orders.organization_id", "app.orders.id"],
            name=op.f("fk_issues_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_issues_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "sla_configuration_id"],
            ["app.sla_configurations.organization_id", "app.sla_configurations.id"],
            name=op.f("fk_issues_sla_configuration_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "warranty_id"],
            ["app.warranties.organization_id", "app.warranties.id"],
            name=op.f("fk_issues_warranty_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["app.organizations.id"], name=op.f("fk_issues_organization_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_issues")),
        sa.UniqueConstraint("organization_id", "issue_number", name=op.f("uq_issues_issue_number")),
        schema="app",
        comment="Support tickets: what went wrong, for whom, and how fast it was answered and resolved.",
    )
    op.create_index(
        op.f("ix_issues_assigned_user_id"),
        "issues",
        ["organization_id", "assigned_user_id"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_issues_customer_id"), "issues", ["organization_id", "customer_id"], unique=False, schema="app"
    )
    op.create_index(op.f("ix_issues_opened_at"), "issues", ["organization_id", "opened_at"], unique=False, schema="app")
    op.create_table(
        "job_checklist_items",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("job_checklist_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "sequence",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="Order of the item within the checklist.",
        ),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column(
            "is_required", sa.Boolean(), server_default="false", nullable=False, comment="Must be checked to complete."
        ),
        sa.Column("is_checked", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("checked_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column("checked_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "not is_checked or checked_at is not null", name=op.f("ck_job_checklist_items_checked_has_checked_at")
        ),
        sa.CheckConstraint("sequence >= 0", name=op.f("ck_job_checklist_items_sequence_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "checked_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_job_checklist_items_checked_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "job_checklist_id"],
            ["app.job_checklists.organization_id", "app.job_checklists.id"],
            name=op.f("fk_job_checklist_items_job_checklist_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_job_checklist_items_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_job_checklist_items")),
        schema="app",
        comment="Items of job checklists and whether they were checked.",
    )
    op.create_index(
        op.f("ix_job_checklist_items_job_checklist_id"),
        "job_checklist_items",
        ["organization_id", "job_checklist_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "job_photos",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("job_id", sa.BigInteger(), nullable=False),
        sa.Column("job_task_id", sa.BigInteger(), nullable=True, comment="Task the photo documents."),
        sa.Column(
            "storage_ref", sa.String(length=500), nullable=False, comment="Object-storage key or URL of the image."
        ),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.Column("taken_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column("taken_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "job_id"],
            ["app.jobs.organization_id", "app.jobs.id"],
            name=op.f("fk_job_photos_job_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "job_task_id"],
            ["app.job_tasks.organization_id", "app.job_tasks.id"],
            name=op.f("fk_job_photos_job_task_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "taken_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_job_photos_taken_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_job_photos_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_job_photos")),
        schema="app",
        comment="Photos taken on jobs.",
    )
    op.create_index(
        op.f("ix_job_photos_job_id"), "job_photos", ["organization_id", "job_id"], unique=False, schema="app"
    )
    op.create_table(
        "warranty_extensions",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("warranty_id", sa.BigInteger(), nullable=False, comment="Warranty extended."),
        sa.Column("extension_months", sa.Integer(), nullable=False, comment="Months of cover added."),
        sa.Column("previous_end_date", sa.Date(), nullable=False, comment="Warranty end date before this extension."),
        sa.Column("new_end_date", sa.Date(), nullable=False, comment="Warranty end date after this extension."),
        sa.Column(
            "price",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Price the customer paid for the extension.",
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 currency code of the amounts on this row.",
        ),
        sa.Column(
            "purchased_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the extension was bought.",
        ),
        sa.Column("order_id", sa.BigInteger(), nullable=True, comment="Order the extension was sold on, if any."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_warranty_extensions_currency_iso4217")),
        sa.CheckConstraint("extension_months > 0", name=op.f("ck_warranty_extensions_extension_months_positive")),
        sa.CheckConstraint("extension_months >= 0", name=op.f("ck_warranty_extensions_extension_months_non_negative")),
        sa.CheckConstraint(
            "new_end_date > previous_end_date", name=op.f("ck_warranty_extensions_new_end_after_previous")
        ),
        sa.CheckConstraint("price >= 0", name=op.f("ck_warranty_extensions_price_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["app.orders.organization_id", "app.orders.id"],
            name=op.f("fk_warranty_extensions_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "warranty_id"],
            ["app.warranties.organization_id", "app.warranties.id"],
            name=op.f("fk_warranty_extensions_warranty_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_warranty_extensions_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_warranty_extensions")),
        schema="app",
        comment="Warranty extensions bought by customers: months added, new end date and price.",
    )
    op.create_index(
        op.f("ix_warranty_extensions_warranty_id"),
        "warranty_extensions",
        ["organization_id", "warranty_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "csat_responses",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("issue_id", sa.BigInteger(), nullable=True, comment="Ticket the survey was about."),
        sa.Column("job_id", sa.BigInteger(), nullable=True, comment="Field job the survey was about."),
        sa.Column("customer_id", sa.BigInteger(), nullable=False, comment="Customer who answered."),
        sa.Column("contact_id", sa.BigInteger(), nullable=True, comment="Contact person who answered."),
        sa.Column(
            "score", sa.Integer(), nullable=False, comment="Satisfaction score from 1 (very unhappy) to 5 (very happy)."
        ),
        sa.Column("comment", sa.Text(), nullable=True, comment="Free-text feedback."),
        sa.Column(
            "responded_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the survey was answered.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("num_nonnulls(issue_id, job_id) >= 1", name=op.f("ck_csat_responses_issue_or_job")),
        sa.CheckConstraint("score between 1 and 5", name=op.f("ck_csat_responses_score_range")),
        sa.ForeignKeyConstraint(
            ["organization_id", "contact_id"],
            ["app.contacts.organization_id", "app.contacts.id"],
            name=op.f("fk_csat_responses_contact_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_csat_responses_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "issue_id"],
            ["app.issues.organization_id", "app.issues.id"],
            name=op.f("fk_csat_responses_issue_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "job_id"],
            ["app.jobs.organization_id", "app.jobs.id"],
            name=op.f("fk_csat_responses_job_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_csat_responses_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_csat_responses")),
        schema="app",
        comment="Customer satisfaction (CSAT) survey answers, scored 1-5, per ticket or job.",
    )
    op.create_index(
        op.f("ix_csat_responses_responded_at"),
        "csat_responses",
        ["organization_id", "responded_at"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "email_history",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "direction",
            sa.String(length=40),
            server_default="outbound",
            nullable=False,
            comment="Sent by us or received. One of: inbound, outbound.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="queued",
            nullable=False,
            comment="Delivery state; 'received' for inbound mail. One of: queued, sent, delivered, opened, clicked, bounced, failed, received.",
        ),
        sa.Column("customer_id", sa.BigInteger(), nullable=True, comment="Customer the e-mail concerns."),
        sa.Column("contact_id", sa.BigInteger(), nullable=True, comment="Contact the e-mail was exchanged with."),
        sa.Column("opportunity_id", sa.BigInteger(), nullable=True, comment="Opportunity the e-mail concerns."),
        sa.Column("quote_id", sa.BigInteger(), nullable=True, comment="Quote the e-mail sent or discusses."),
        sa.Column("order_id", sa.BigInteger(), nullable=True, comment="Order the e-mail concerns."),
        sa.Column("issue_id", sa.BigInteger(), nullable=True, comment="Support issue the e-mail concerns."),
        sa.Column("campaign_id", sa.BigInteger(), nullable=True, comment="Campaign the e-mail belongs to."),
        sa.Column("template_id", sa.BigInteger(), nullable=True, comment="Template the e-mail was rendered from."),
        sa.Column(
            "user_id", sa.BigInteger(), nullable=True, comment="Staff member who sent it or whose mailbox received it."
        ),
        sa.Column("from_address", sa.String(length=320), nullable=False),
        sa.Column("to_address", sa.String(length=320), nullable=False, comment="Main recipient."),
        sa.Column(
            "cc_addresses",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
            comment="Further recipients.",
        ),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column(
            "message_ref", sa.String(length=300), nullable=True, comment="Message-ID / provider message identifier."
        ),
        sa.Column("thread_ref", sa.String(length=300), nullable=True, comment="Conversation thread identifier."),
        sa.Column(
            "sent_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When it was sent (outbound) or received (inbound).",
        ),
        sa.Column("delivered_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column(
            "opened_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="First open of an outbound e-mail."
        ),
        sa.Column(
            "clicked_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="First click in an outbound e-mail.",
        ),
        sa.Column("error_message", sa.Text(), nullable=True, comment="Bounce or failure reason."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "(direction = 'inbound') = (status = 'received')", name=op.f("ck_email_history_inbound_iff_received")
        ),
        sa.CheckConstraint("direction in ('inbound', 'outbound')", name=op.f("ck_email_history_direction_allowed")),
        sa.CheckConstraint(
            "status in ('queued', 'failed') or sent_at is not null", name=op.f("ck_email_history_sent_has_sent_at")
        ),
        sa.CheckConstraint(
            "status in ('queued', 'sent', 'delivered', 'opened', 'clicked', 'bounced', 'failed', 'received')",
            name=op.f("ck_email_history_status_allowed"),
        ),
        sa.CheckConstraint(
            "clicked_at is null or (sent_at is not null and clicked_at >= sent_at)",
            name=op.f("ck_email_history_clicked_after_sent"),
        ),
        sa.CheckConstraint(
            "opened_at is null or (sent_at is not null and opened_at >= sent_at)",
            name=op.f("ck_email_history_opened_after_sent"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "campaign_id"],
            ["app.email_campaigns.organization_id", "app.email_campaigns.id"],
            name=op.f("fk_email_history_campaign_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "contact_id"],
            ["app.contacts.organization_id", "app.contacts.id"],
            name=op.f("fk_email_history_contact_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_email_history_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "issue_id"],
            ["app.issues.organization_id", "app.issues.id"],
            name=op.f("fk_email_history_issue_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "opportunity_id"],
            ["app.opportunities.organization_id", "app.opportunities.id"],
            name=op.f("fk_email_history_opportunity_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["app.orders.organization_id", "app.orders.id"],
            name=op.f("fk_email_history_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "quote_id"],
            ["app.quotes.organization_id", "app.quotes.id"],
            name=op.f("fk_email_history_quote_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "template_id"],
            ["app.email_templates.organization_id", "app.email_templates.id"],
            name=op.f("fk_email_history_template_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_email_history_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_email_history_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_email_history")),
        schema="app",
        comment="Log of e-mails sent to and received from customers.",
    )
    op.create_index(
        op.f("ix_email_history_customer_id"),
        "email_history",
        ["organization_id", "customer_id"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_email_history_sent_at"), "email_history", ["organization_id", "sent_at"], unique=False, schema="app"
    )
    op.create_table(
        "escalation_history",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("issue_id", sa.BigInteger(), nullable=False, comment="Escalated ticket."),
        sa.Column(
            "escalation_rule_id", sa.BigInteger(), nullable=True, comment="Rule that fired; NULL for manual escalation."
        ),
        sa.Column(
            "escalated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the ticket was escalated.",
        ),
        sa.Column("from_user_id", sa.BigInteger(), nullable=True, comment="Owner before the escalation."),
        sa.Column("to_user_id", sa.BigInteger(), nullable=True, comment="Owner after the escalation."),
        sa.Column("to_group_id", sa.BigInteger(), nullable=True, comment="Team escalated to, if a team."),
        sa.Column(
            "level",
            sa.Integer(),
            server_default="1",
            nullable=False,
            comment="Escalation level: 1 for the first escalation, 2 for the next, ...",
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("level >= 0", name=op.f("ck_escalation_history_level_non_negative")),
        sa.CheckConstraint("level >= 1", name=op.f("ck_escalation_history_level_positive")),
        sa.ForeignKeyConstraint(
            ["organization_id", "escalation_rule_id"],
            ["app.escalation_rules.organization_id", "app.escalation_rules.id"],
            name=op.f("fk_escalation_history_escalation_rule_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "from_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_escalation_history_from_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "issue_id"],
            ["app.issues.organization_id", "app.issues.id"],
            name=op.f("fk_escalation_history_issue_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "to_group_id"],
            ["app.user_groups.organization_id", "app.user_groups.id"],
            name=op.f("fk_escalation_history_to_group_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "to_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_escalation_history_to_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_escalation_history_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_escalation_history")),
        schema="app",
        comment="Escalations of tickets: when, why, from whom to whom, at which level.",
    )
    op.create_index(
        op.f("ix_escalation_history_escalated_at"),
        "escalation_history",
        ["organization_id", "escalated_at"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_escalation_history_issue_id"),
        "escalation_history",
        ["organization_id", "issue_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "return_authorizations",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "rma_number", sa.String(length=40), nullable=False, comment="Human RMA number, unique per organization."
        ),
        sa.Column("customer_id", sa.BigInteger(), nullable=False, comment="Customer returning the goods."),
        sa.Column("order_id", sa.BigInteger(), nullable=True, comment="Order the goods were bought on."),
        sa.Column("issue_id", sa.BigInteger(), nullable=True, comment="Support ticket that led to the return, if any."),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="requested",
            nullable=False,
            comment="RMA lifecycle. One of: requested, approved, received, refunded, replaced, rejected.",
        ),
        sa.Column(
            "requested_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the customer asked to return goods.",
        ),
        sa.Column(
            "approved_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the return was approved."
        ),
        sa.Column(
            "received_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the returned goods arrived.",
        ),
        sa.Column(
            "refund_amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Amount refunded to the customer; 0 for replacements and rejections.",
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 currency code of the amounts on this row.",
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_return_authorizations_currency_iso4217")),
        sa.CheckConstraint(
            "status in ('requested', 'approved', 'received', 'refunded', 'replaced', 'rejected')",
            name=op.f("ck_return_authorizations_status_allowed"),
        ),
        sa.CheckConstraint(
            "approved_at is null or approved_at >= requested_at",
            name=op.f("ck_return_authorizations_approved_after_request"),
        ),
        sa.CheckConstraint(
            "received_at is null or received_at >= requested_at",
            name=op.f("ck_return_authorizations_received_after_request"),
        ),
        sa.CheckConstraint("refund_amount >= 0", name=op.f("ck_return_authorizations_refund_amount_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_return_authorizations_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "issue_id"],
            ["app.issues.organization_id", "app.issues.id"],
            name=op.f("fk_return_authorizations_issue_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["app.orders.organization_id", "app.orders.id"],
            name=op.f("fk_return_authorizations_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_return_authorizations_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_return_authorizations")),
        sa.UniqueConstraint("organization_id", "rma_number", name=op.f("uq_return_authorizations_rma_number")),
        schema="app",
        comment="Return merchandise authorizations (RMAs): returns requested, received, refunded or replaced.",
    )
    op.create_index(
        op.f("ix_return_authorizations_customer_id"),
        "return_authorizations",
        ["organization_id", "customer_id"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_return_authorizations_requested_at"),
        "return_authorizations",
        ["organization_id", "requested_at"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "revenue_recognition",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "order_line_item_id", sa.BigInteger(), nullable=True, comment="Line recognized; NULL for whole order."
        ),
        sa.Column(
            "deferred_revenue_id",
            sa.BigInteger(),
            nullable=True,
            comment="Deferral this entry releases, for ratable/milestone recognition.",
        ),
        sa.Column("recognized_on", sa.Date(), nullable=False, comment="Accounting date the revenue is recognized on."),
        sa.Column(
            "amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Revenue recognized.",
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 currency code of the amounts on this row.",
        ),
        sa.Column(
            "recognition_method",
            sa.String(length=40),
            server_default="point_in_time",
            nullable=False,
            comment="How the revenue is recognized. One of: point_in_time, ratably, milestone.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_revenue_recognition_currency_iso4217")),
        sa.CheckConstraint(
            "recognition_method in ('point_in_time', 'ratably', 'milestone')",
            name=op.f("ck_revenue_recognition_recognition_method_allowed"),
        ),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_revenue_recognition_amount_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "deferred_revenue_id"],
            ["app.deferred_revenue.organization_id", "app.deferred_revenue.id"],
            name=op.f("fk_revenue_recognition_deferred_revenue_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["app.orders.organization_id", "app.orders.id"],
            name=op.f("fk_revenue_recognition_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_line_item_id"],
            ["app.order_line_items.organization_id", "app.order_line_items.id"],
            name=op.f("fk_revenue_recognition_order_line_item_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_revenue_recognition_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_revenue_recognition")),
        schema="app",
        comment="Revenue recognition entries: what revenue was recognized when, per order line.",
    )
    op.create_index(
        op.f("ix_revenue_recognition_order_id"),
        "revenue_recognition",
        ["organization_id", "order_id"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_revenue_recognition_recognized_on"),
        "revenue_recognition",
        ["organization_id", "recognized_on"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "sla_tracking",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("issue_id", sa.BigInteger(), nullable=False, comment="The ticket; one tracking row per ticket."),
        sa.Column("sla_configuration_id", sa.BigInteger(), nullable=False, comment="SLA being tracked."),
        sa.Column(
            "started_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the SLA clock started (normally issues.opened_at).",
        ),
        sa.Column(
            "response_due_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=False,
            comment="Deadline for the first response, pauses included.",
        ),
        sa.Column(
            "response_met_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the first response was given.",
        ),
        sa.Column(
            "response_breached",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="First response came too late.",
        ),
        sa.Column(
            "resolution_due_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=False,
            comment="Deadline for resolution, pauses included.",
        ),
        sa.Column(
            "resolution_met_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the ticket was resolved.",
        ),
        sa.Column(
            "resolution_breached",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="Resolution came too late.",
        ),
        sa.Column(
            "paused_minutes",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="Total minutes the clock was paused (e.g. waiting on the customer).",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="active",
            nullable=False,
            comment="Clock state. One of: active, paused, met, breached.",
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "status <> 'breached' or response_breached or resolution_breached",
            name=op.f("ck_sla_tracking_breached_has_breach"),
        ),
        sa.CheckConstraint(
            "status in ('active', 'paused', 'met', 'breached')", name=op.f("ck_sla_tracking_status_allowed")
        ),
        sa.CheckConstraint("paused_minutes >= 0", name=op.f("ck_sla_tracking_paused_minutes_non_negative")),
        sa.CheckConstraint(
            "resolution_due_at >= response_due_at", name=op.f("ck_sla_tracking_resolution_due_after_response_due")
        ),
        sa.CheckConstraint(
            "resolution_met_at is null or resolution_met_at >= started_at",
            name=op.f("ck_sla_tracking_resolution_met_after_start"),
        ),
        sa.CheckConstraint("response_due_at >= started_at", name=op.f("ck_sla_tracking_response_due_after_start")),
        sa.CheckConstraint(
            "response_met_at is null or response_met_at >= started_at",
            name=op.f("ck_sla_tracking_response_met_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "issue_id"],
            ["app.issues.organization_id", "app.issues.id"],
            name=op.f("fk_sla_tracking_issue_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "sla_configuration_id"],
            ["app.sla_configurations.organization_id", "app.sla_configurations.id"],
            name=op.f("fk_sla_tracking_sla_configuration_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_sla_tracking_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_sla_tracking")),
        sa.UniqueConstraint("organization_id", "issue_id", name=op.f("uq_sla_tracking_issue_id")),
        schema="app",
        comment="One row per ticket: SLA due times, met times, breaches and paused time.",
    )
    op.create_index(
        op.f("ix_sla_tracking_sla_configuration_id"),
        "sla_tracking",
        ["organization_id", "sla_configuration_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "warranty_claims",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "claim_number", sa.String(length=40), nullable=False, comment="Human claim number, unique per organization."
        ),
        sa.Column("warranty_id", sa.BigInteger(), nullable=False, comment="Warranty claimed against."),
        sa.Column("customer_id", sa.BigInteger(), nullable=False, comment="Customer making the claim."),
        sa.Column("issue_id", sa.BigInteger(), nullable=True, comment="Support ticket that led to the claim, if any."),
        sa.Column("job_id", sa.BigInteger(), nullable=True, comment="Service job that carried out the repair, if any."),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="submitted",
            nullable=False,
            comment="Claim lifecycle. One of: submitted, under_review, approved, rejected, resolved, cancelled.",
        ),
        sa.Column(
            "claim_date",
            sa.Date(),
            nullable=False,
            comment="Date the failure was reported; must fall inside the warranty period (checked by data tests).",
        ),
        sa.Column(
            "submitted_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the claim was submitted.",
        ),
        sa.Column(
            "approved_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the claim was approved."
        ),
        sa.Column(
            "rejected_at", postgresql.TIMESTAMP(timezone=True), nullable=True, comment="When the claim was rejected."
        ),
        sa.Column(
            "resolved_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the repair or replacement was completed.",
        ),
        sa.Column(
            "claimed_amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Amount the customer or technician claimed.",
        ),
        sa.Column(
            "approved_amount",
            sa.Numeric(precision=14, scale=2),
            nullable=True,
            comment="Amount approved for payment; NULL until decided.",
        ),
        sa.Column(
            "parts_cost",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Cost of parts used for the warranty repair.",
        ),
        sa.Column(
            "labour_cost",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Cost of labour spent on the warranty repair.",
        ),
        sa.Column(
            "failure_type",
            sa.String(length=40),
            nullable=True,
            comment="Diagnosed kind of failure; NULL until diagnosed. One of: manufacturing_defect, component_failure, installation_error, wear_and_tear, accidental_damage, software, no_fault_found, other.",
        ),
        sa.Column("rejection_reason", sa.Text(), nullable=True, comment="Why the claim was rejected."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint(
            "failure_type in ('manufacturing_defect', 'component_failure', 'installation_error', 'wear_and_tear', 'accidental_damage', 'software', 'no_fault_found', 'other')",
            name=op.f("ck_warranty_claims_failure_type_allowed"),
        ),
        sa.CheckConstraint(
            "status <> 'approved' or approved_at is not null", name=op.f("ck_warranty_claims_approved_has_date")
        ),
        sa.CheckConstraint(
            "status <> 'rejected' or rejected_at is not null", name=op.f("ck_warranty_claims_rejected_has_date")
        ),
        sa.CheckConstraint(
            "status in ('submitted', 'under_review', 'approved', 'rejected', 'resolved', 'cancelled')",
            name=op.f("ck_warranty_claims_status_allowed"),
        ),
        sa.CheckConstraint("approved_amount >= 0", name=op.f("ck_warranty_claims_approved_amount_non_negative")),
        sa.CheckConstraint(
            "approved_amount is null or approved_amount <= claimed_amount",
            name=op.f("ck_warranty_claims_approved_within_claimed"),
        ),
        sa.CheckConstraint(
            "approved_at is null or approved_at >= submitted_at", name=op.f("ck_warranty_claims_approved_after_submit")
        ),
        sa.CheckConstraint("claimed_amount >= 0", name=op.f("ck_warranty_claims_claimed_amount_non_negative")),
        sa.CheckConstraint("labour_cost >= 0", name=op.f("ck_warranty_claims_labour_cost_non_negative")),
        sa.CheckConstraint(
            "num_nonnulls(approved_at, rejected_at) <= 1", name=op.f("ck_warranty_claims_approved_or_rejected")
        ),
        sa.CheckConstraint("parts_cost >= 0", name=op.f("ck_warranty_claims_parts_cost_non_negative")),
        sa.CheckConstraint(
            "rejected_at is null or rejected_at >= submitted_at", name=op.f("ck_warranty_claims_rejected_after_submit")
        ),
        sa.CheckConstraint(
            "resolved_at is null or resolved_at >= submitted_at", name=op.f("ck_warranty_claims_resolved_after_submit")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_warranty_claims_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "issue_id"],
            ["app.issues.organization_id", "app.issues.id"],
            name=op.f("fk_warranty_claims_issue_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "job_id"],
            ["app.jobs.organization_id", "app.jobs.id"],
            name=op.f("fk_warranty_claims_job_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "warranty_id"],
            ["app.warranties.organization_id", "app.warranties.id"],
            name=op.f("fk_warranty_claims_warranty_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_warranty_claims_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_warranty_claims")),
        sa.UniqueConstraint("organization_id", "claim_number", name=op.f("uq_warranty_claims_claim_number")),
        schema="app",
        comment="Warranty claims: failures reported under a warranty, decisions and repair costs.",
    )
    op.create_index(
        op.f("ix_warranty_claims_claim_date"),
        "warranty_claims",
        ["organization_id", "claim_date"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_warranty_claims_warranty_id"),
        "warranty_claims",
        ["organization_id", "warranty_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "activities",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "activity_type",
            sa.String(length=40),
            server_default="note",
            nullable=False,
            comment="What kind of activity. One of: note, call, email, meeting, task, visit, status_change, assignment, created, updated, system.",
        ),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=True, comment="Details of the activity."),
        sa.Column(
            "user_id", sa.BigInteger(), nullable=True, comment="Who performed the activity; NULL for system activity."
        ),
        sa.Column(
            "occurred_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the activity happened.",
        ),
        sa.Column(
            "details",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
            comment="Structured extras, e.g. call duration or old/new status.",
        ),
        sa.Column("customer_id", sa.BigInteger(), nullable=True, comment="Customer the activity concerns."),
        sa.Column("contact_id", sa.BigInteger(), nullable=True, comment="Contact the activity concerns."),
        sa.Column("opportunity_id", sa.BigInteger(), nullable=True, comment="Opportunity the activity concerns."),
        sa.Column("quote_id", sa.BigInteger(), nullable=True, comment="Quote the activity concerns."),
        sa.Column("order_id", sa.BigInteger(), nullable=True, comment="Order the activity concerns."),
        sa.Column("job_id", sa.BigInteger(), nullable=True, comment="Field job the activity concerns."),
        sa.Column("issue_id", sa.BigInteger(), nullable=True, comment="Support ticket the activity concerns."),
        sa.Column("warranty_claim_id", sa.BigInteger(), nullable=True, comment="Warranty claim the activity concerns."),
        sa.Column("purchase_order_id", sa.BigInteger(), nullable=True, comment="Purchase order the activity concerns."),
        sa.Column("supplier_id", sa.BigInteger(), nullable=True, comment="Supplier the activity concerns."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "activity_type in ('note', 'call', 'email', 'meeting', 'task', 'visit', 'status_change', 'assignment', 'created', 'updated', 'system')",
            name=op.f("ck_activities_activity_type_allowed"),
        ),
        sa.CheckConstraint(
            "num_nonnulls(customer_id, contact_id, opportunity_id, quote_id, order_id, job_id, issue_id, warranty_claim_id, purchase_order_id, supplier_id) >= 1",
            name=op.f("ck_activities_has_parent"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "contact_id"],
            ["app.contacts.organization_id", "app.contacts.id"],
            name=op.f("fk_activities_contact_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_activities_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "issue_id"],
            ["app.issues.organization_id", "app.issues.id"],
            name=op.f("fk_activities_issue_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "job_id"],
            ["app.jobs.organization_id", "app.jobs.id"],
            name=op.f("fk_activities_job_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "opportunity_id"],
            ["app.opportunities.organization_id", "app.opportunities.id"],
            name=op.f("fk_activities_opportunity_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["app.orders.organization_id", "app.orders.id"],
            name=op.f("fk_activities_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "purchase_order_id"],
            ["app.purchase_orders.organization_id", "app.purchase_orders.id"],
            name=op.f("fk_activities_purchase_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "quote_id"],
            ["app.quotes.organization_id", "app.quotes.id"],
            name=op.f("fk_activities_quote_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "supplier_id"],
            ["app.suppliers.organization_id", "app.suppliers.id"],
            name=op.f("fk_activities_supplier_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_activities_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "warranty_claim_id"],
            ["app.warranty_claims.organization_id", "app.warranty_claims.id"],
            name=op.f("fk_activities_warranty_claim_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_activities_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_activities")),
        schema="app",
        comment="Cross-domain activity timeline: what happened, by whom, on which records.",
    )
    op.create_index(
        op.f("ix_activities_customer_id"), "activities", ["organization_id", "customer_id"], unique=False, schema="app"
    )
    op.create_index(
        op.f("ix_activities_occurred_at"), "activities", ["organization_id", "occurred_at"], unique=False, schema="app"
    )
    op.create_index(
        op.f("ix_activities_user_id"), "activities", ["organization_id", "user_id"], unique=False, schema="app"
    )
    op.create_table(
        "credit_notes",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "credit_note_number", sa.String(length=40), nullable=False, comment="Human number, unique per organization."
        ),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=True, comment="The invoiced order being credited."),
        sa.Column("return_authorization_id", sa.BigInteger(), nullable=True, comment="RMA that led to the credit."),
        sa.Column("created_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "reason",
            sa.String(length=40),
            server_default="other",
            nullable=False,
            comment="Why the credit was given. One of: return, pricing_error, damaged_goods, service_issue, goodwill, cancellation, other.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="draft",
            nullable=False,
            comment="Credit note state. One of: draft, issued, applied, void.",
        ),
        sa.Column(
            "issued_date", sa.Date(), nullable=True, comment="Date the credit note was issued; NULL while draft."
        ),
        sa.Column(
            "applied_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="When the credit was applied to the customer's balance.",
        ),
        sa.Column(
            "amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Credit before tax.",
        ),
        sa.Column(
            "tax_amount", sa.Numeric(precision=14, scale=2), server_default="0", nullable=False, comment="Tax credited."
        ),
        sa.Column(
            "total_amount",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="amount + tax_amount.",
        ),
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="USD",
            nullable=False,
            comment="ISO 4217 currency code of the amounts on this row.",
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.Column(
            "deleted_at",
            postgresql.TIMESTAMP(timezone=True),
            nullable=True,
            comment="Set when the row is soft-deleted; NULL while it is live.",
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_credit_notes_currency_iso4217")),
        sa.CheckConstraint(
            "reason in ('return', 'pricing_error', 'damaged_goods', 'service_issue', 'goodwill', 'cancellation', 'other')",
            name=op.f("ck_credit_notes_reason_allowed"),
        ),
        sa.CheckConstraint(
            "status = 'draft' or issued_date is not null", name=op.f("ck_credit_notes_issued_has_issued_date")
        ),
        sa.CheckConstraint(
            "status in ('draft', 'issued', 'applied', 'void')", name=op.f("ck_credit_notes_status_allowed")
        ),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_credit_notes_amount_non_negative")),
        sa.CheckConstraint("tax_amount >= 0", name=op.f("ck_credit_notes_tax_amount_non_negative")),
        sa.CheckConstraint("total_amount = amount + tax_amount", name=op.f("ck_credit_notes_total_adds_up")),
        sa.CheckConstraint("total_amount >= 0", name=op.f("ck_credit_notes_total_amount_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "created_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_credit_notes_created_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_credit_notes_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["app.orders.organization_id", "app.orders.id"],
            name=op.f("fk_credit_notes_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "return_authorization_id"],
            ["app.return_authorizations.organization_id", "app.return_authorizations.id"],
            name=op.f("fk_credit_notes_return_authorization_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_credit_notes_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_credit_notes")),
        sa.UniqueConstraint("organization_id", "credit_note_number", name=op.f("uq_credit_notes_credit_note_number")),
        schema="app",
        comment="Credit notes issued against invoiced orders.",
    )
    op.create_index(
        op.f("ix_credit_notes_customer_id"),
        "credit_notes",
        ["organization_id", "customer_id"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_credit_notes_issued_date"),
        "credit_notes",
        ["organization_id", "issued_date"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_credit_notes_order_id"), "credit_notes", ["organization_id", "order_id"], unique=False, schema="app"
    )
    op.create_table(
        "inventory_movements",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column("location_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "warehouse_location_id", sa.BigInteger(), nullable=True, comment="Bin the stock moved into or out of."
        ),
        sa.Column(
            "movement_type",
            sa.String(length=40),
            nullable=False,
            comment="Why stock moved; return is + for goods back from a customer, - for goods sent back to a supplier. One of: receipt, sale, job_consumption, transfer_in, transfer_out, adjustment, return, count_correction.",
        ),
        sa.Column(
            "quantity",
            sa.Numeric(precision=14, scale=3),
            nullable=False,
            comment="Signed: positive into the location, negative out of it.",
        ),
        sa.Column(
            "unit_cost",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Cost per unit of the moved stock (receipt cost or average cost at issue).",
        ),
        sa.Column(
            "occurred_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the stock physically moved.",
        ),
        sa.Column("transfer_location_id", sa.BigInteger(), nullable=True, comment="Other location of a transfer."),
        sa.Column(
            "order_id",
            sa.BigInteger(),
            nullable=True,
            comment="Sales order the stock was shipped for or returned from.",
        ),
        sa.Column("job_id", sa.BigInteger(), nullable=True, comment="Job the stock was consumed on."),
        sa.Column(
            "purchase_order_id", sa.BigInteger(), nullable=True, comment="Purchase order the stock was received on."
        ),
        sa.Column(
            "stock_count_id", sa.BigInteger(), nullable=True, comment="Stock count that produced a count correction."
        ),
        sa.Column("return_authorization_id", sa.BigInteger(), nullable=True, comment="RMA of a customer return."),
        sa.Column("created_by_user_id", sa.BigInteger(), nullable=True, comment="Who recorded the movement."),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "movement_type <> 'count_correction' or stock_count_id is not null",
            name=op.f("ck_inventory_movements_count_correction_has_count"),
        ),
        sa.CheckConstraint(
            "movement_type in ('receipt', 'sale', 'job_consumption', 'transfer_in', 'transfer_out', 'adjustment', 'return', 'count_correction')",
            name=op.f("ck_inventory_movements_movement_type_allowed"),
        ),
        sa.CheckConstraint(
            "movement_type not in ('receipt', 'transfer_in') or quantity > 0",
            name=op.f("ck_inventory_movements_inbound_positive"),
        ),
        sa.CheckConstraint(
            "movement_type not in ('sale', 'job_consumption', 'transfer_out') or quantity < 0",
            name=op.f("ck_inventory_movements_outbound_negative"),
        ),
        sa.CheckConstraint(
            "movement_type not in ('transfer_in', 'transfer_out') or transfer_location_id is not null",
            name=op.f("ck_inventory_movements_transfer_has_counterpart"),
        ),
        sa.CheckConstraint("quantity <> 0", name=op.f("ck_inventory_movements_quantity_nonzero")),
        sa.CheckConstraint(
            "transfer_location_id is null or transfer_location_id <> location_id",
            name=op.f("ck_inventory_movements_transfer_elsewhere"),
        ),
        sa.CheckConstraint("unit_cost >= 0", name=op.f("ck_inventory_movements_unit_cost_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "created_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_inventory_movements_created_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "job_id"],
            ["app.jobs.organization_id", "app.jobs.id"],
            name=op.f("fk_inventory_movements_job_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "location_id"],
            ["app.locations.organization_id", "app.locations.id"],
            name=op.f("fk_inventory_movements_location_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["app.orders.organization_id", "app.orders.id"],
            name=op.f("fk_inventory_movements_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_inventory_movements_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "purchase_order_id"],
            ["app.purchase_orders.organization_id", "app.purchase_orders.id"],
            name=op.f("fk_inventory_movements_purchase_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "return_authorization_id"],
            ["app.return_authorizations.organization_id", "app.return_authorizations.id"],
            name=op.f("fk_inventory_movements_return_authorization_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "stock_count_id"],
            ["app.stock_counts.organization_id", "app.stock_counts.id"],
            name=op.f("fk_inventory_movements_stock_count_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "transfer_location_id"],
            ["app.locations.organization_id", "app.locations.id"],
            name=op.f("fk_inventory_movements_transfer_location_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "warehouse_location_id"],
            ["app.warehouse_locations.organization_id", "app.warehouse_locations.id"],
            name=op.f("fk_inventory_movements_warehouse_location_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_inventory_movements_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_inventory_movements")),
        schema="app",
        comment="Ledger of stock movements (+ in, - out); inventory is its running sum.",
    )
    op.create_index(
        op.f("ix_inventory_movements_occurred_at"),
        "inventory_movements",
        ["organization_id", "occurred_at"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_inventory_movements_product_id_location_id_occurred_at"),
        "inventory_movements",
        ["organization_id", "product_id", "location_id", "occurred_at"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "reminder_history",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False, comment="Invoiced order reminded about."),
        sa.Column("payment_schedule_id", sa.BigInteger(), nullable=True, comment="Installment reminded about, if any."),
        sa.Column("reminder_template_id", sa.BigInteger(), nullable=True, comment="Template used; NULL for ad-hoc."),
        sa.Column("email_history_id", sa.BigInteger(), nullable=True, comment="The e-mail sent, for email reminders."),
        sa.Column(
            "sent_by_user_id", sa.BigInteger(), nullable=True, comment="Who sent it; NULL when sent automatically."
        ),
        sa.Column(
            "channel",
            sa.String(length=40),
            server_default="email",
            nullable=False,
            comment="How the reminder was sent. One of: email, sms, letter.",
        ),
        sa.Column("recipient", sa.String(length=320), nullable=True, comment="E-mail address, phone or postal name."),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="sent",
            nullable=False,
            comment="Delivery outcome. One of: sent, failed, bounced.",
        ),
        sa.Column("sent_at", postgresql.TIMESTAMP(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("channel in ('email', 'sms', 'letter')", name=op.f("ck_reminder_history_channel_allowed")),
        sa.CheckConstraint("status in ('sent', 'failed', 'bounced')", name=op.f("ck_reminder_history_status_allowed")),
        sa.ForeignKeyConstraint(
            ["organization_id", "email_history_id"],
            ["app.email_history.organization_id", "app.email_history.id"],
            name=op.f("fk_reminder_history_email_history_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["app.orders.organization_id", "app.orders.id"],
            name=op.f("fk_reminder_history_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "payment_schedule_id"],
            ["app.payment_schedules.organization_id", "app.payment_schedules.id"],
            name=op.f("fk_reminder_history_payment_schedule_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "reminder_template_id"],
            ["app.reminder_templates.organization_id", "app.reminder_templates.id"],
            name=op.f("fk_reminder_history_reminder_template_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "sent_by_user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_reminder_history_sent_by_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_reminder_history_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_reminder_history")),
        schema="app",
        comment="Payment reminders sent for invoices, for collections analytics.",
    )
    op.create_index(
        op.f("ix_reminder_history_order_id"),
        "reminder_history",
        ["organization_id", "order_id"],
        unique=False,
        schema="app",
    )
    op.create_index(
        op.f("ix_reminder_history_sent_at"),
        "reminder_history",
        ["organization_id", "sent_at"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "rma_line_items",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("rma_id", sa.BigInteger(), nullable=False, comment="The RMA."),
        sa.Column("order_line_item_id", sa.BigInteger(), nullable=True, comment="Order line the goods were sold on."),
        sa.Column("product_id", sa.BigInteger(), nullable=False, comment="Product returned."),
        sa.Column(
            "quantity",
            sa.Numeric(precision=14, scale=3),
            server_default="0",
            nullable=False,
            comment="Quantity returned, in the product's unit.",
        ),
        sa.Column(
            "reason",
            sa.String(length=40),
            server_default="other",
            nullable=False,
            comment="Why the goods come back. One of: defective, damaged_in_transit, wrong_item, not_as_described, no_longer_needed, other.",
        ),
        sa.Column(
            "condition",
            sa.String(length=40),
            nullable=True,
            comment="Condition found on receipt; NULL until received. One of: new, opened, used, damaged, defective.",
        ),
        sa.Column("reason_notes", sa.Text(), nullable=True, comment="Customer's own words about the return."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "condition in ('new', 'opened', 'used', 'damaged', 'defective')",
            name=op.f("ck_rma_line_items_condition_allowed"),
        ),
        sa.CheckConstraint(
            "reason in ('defective', 'damaged_in_transit', 'wrong_item', 'not_as_described', 'no_longer_needed', 'other')",
            name=op.f("ck_rma_line_items_reason_allowed"),
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_rma_line_items_quantity_positive")),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_rma_line_items_quantity_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "order_line_item_id"],
            ["app.order_line_items.organization_id", "app.order_line_items.id"],
            name=op.f("fk_rma_line_items_order_line_item_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_rma_line_items_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "rma_id"],
            ["app.return_authorizations.organization_id", "app.return_authorizations.id"],
            name=op.f("fk_rma_line_items_rma_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_rma_line_items_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_rma_line_items")),
        schema="app",
        comment="Lines of an RMA: which products, how many, why, and in what condition.",
    )
    op.create_index(
        op.f("ix_rma_line_items_rma_id"), "rma_line_items", ["organization_id", "rma_id"], unique=False, schema="app"
    )
    op.create_table(
        "scheduled_emails",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True, comment="Who scheduled the e-mail."),
        sa.Column("customer_id", sa.BigInteger(), nullable=True, comment="Customer the e-mail is for."),
        sa.Column("contact_id", sa.BigInteger(), nullable=True, comment="Contact the e-mail is for."),
        sa.Column("opportunity_id", sa.BigInteger(), nullable=True, comment="Opportunity the e-mail concerns."),
        sa.Column("quote_id", sa.BigInteger(), nullable=True, comment="Quote the e-mail follows up on."),
        sa.Column("template_id", sa.BigInteger(), nullable=True, comment="Template to render."),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column(
            "scheduled_for",
            postgresql.TIMESTAMP(timezone=True),
            nullable=False,
            comment="When the e-mail is due to go out.",
        ),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default="pending",
            nullable=False,
            comment="Scheduling state. One of: pending, sent, cancelled, failed.",
        ),
        sa.Column("sent_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column("cancelled_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("email_history_id", sa.BigInteger(), nullable=True, comment="The logged e-mail once sent."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "(cancelled_at is not null) = (status = 'cancelled')",
            name=op.f("ck_scheduled_emails_cancelled_at_iff_cancelled"),
        ),
        sa.CheckConstraint(
            "(sent_at is not null) = (status = 'sent')", name=op.f("ck_scheduled_emails_sent_at_iff_sent")
        ),
        sa.CheckConstraint(
            "email_history_id is null or status = 'sent'", name=op.f("ck_scheduled_emails_history_only_when_sent")
        ),
        sa.CheckConstraint(
            "status in ('pending', 'sent', 'cancelled', 'failed')", name=op.f("ck_scheduled_emails_status_allowed")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "contact_id"],
            ["app.contacts.organization_id", "app.contacts.id"],
            name=op.f("fk_scheduled_emails_contact_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "customer_id"],
            ["app.customers.organization_id", "app.customers.id"],
            name=op.f("fk_scheduled_emails_customer_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "email_history_id"],
            ["app.email_history.organization_id", "app.email_history.id"],
            name=op.f("fk_scheduled_emails_email_history_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "opportunity_id"],
            ["app.opportunities.organization_id", "app.opportunities.id"],
            name=op.f("fk_scheduled_emails_opportunity_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "quote_id"],
            ["app.quotes.organization_id", "app.quotes.id"],
            name=op.f("fk_scheduled_emails_quote_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "template_id"],
            ["app.email_templates.organization_id", "app.email_templates.id"],
            name=op.f("fk_scheduled_emails_template_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_scheduled_emails_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_scheduled_emails_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_scheduled_emails")),
        schema="app",
        comment="E-mails scheduled for later sending, and what became of them.",
    )
    op.create_index(
        op.f("ix_scheduled_emails_scheduled_for"),
        "scheduled_emails",
        ["organization_id", "scheduled_for"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "sla_events",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("sla_tracking_id", sa.BigInteger(), nullable=False, comment="The SLA clock."),
        sa.Column(
            "event_type",
            sa.String(length=40),
            nullable=False,
            comment="What happened. One of: started, paused, resumed, response_met, resolution_met, breached, reset.",
        ),
        sa.Column(
            "occurred_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When it happened.",
        ),
        sa.Column("user_id", sa.BigInteger(), nullable=True, comment="Who caused the change; NULL when automatic."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint(
            "event_type in ('started', 'paused', 'resumed', 'response_met', 'resolution_met', 'breached', 'reset')",
            name=op.f("ck_sla_events_event_type_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "sla_tracking_id"],
            ["app.sla_tracking.organization_id", "app.sla_tracking.id"],
            name=op.f("fk_sla_events_sla_tracking_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "user_id"],
            ["app.users.organization_id", "app.users.id"],
            name=op.f("fk_sla_events_user_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_sla_events_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_sla_events")),
        schema="app",
        comment="History of SLA clock changes per ticket.",
    )
    op.create_index(
        op.f("ix_sla_events_sla_tracking_id"),
        "sla_events",
        ["organization_id", "sla_tracking_id"],
        unique=False,
        schema="app",
    )
    op.create_table(
        "inventory_cost_layers",
        sa.Column(
            "organization_id",
            sa.BigInteger(),
            nullable=False,
            comment="Owning organization (the tenant); leads every key so rows distribute by tenant.",
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column("location_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "received_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the layer arrived.",
        ),
        sa.Column(
            "quantity_received",
            sa.Numeric(precision=14, scale=3),
            nullable=False,
            comment="Units received in this layer.",
        ),
        sa.Column(
            "quantity_remaining",
            sa.Numeric(precision=14, scale=3),
            nullable=False,
            comment="Units of this layer not yet consumed.",
        ),
        sa.Column(
            "unit_cost",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
            comment="Landed cost per unit of the layer, in the organization's currency.",
        ),
        sa.Column(
            "purchase_order_id", sa.BigInteger(), nullable=True, comment="Purchase order the layer was received on."
        ),
        sa.Column("inventory_movement_id", sa.BigInteger(), nullable=True, comment="Movement that created the layer."),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row was inserted.",
        ),
        sa.Column(
            "updated_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="When the row last changed; kept current by trigger app.set_updated_at for any writer.",
        ),
        sa.CheckConstraint("quantity_received > 0", name=op.f("ck_inventory_cost_layers_quantity_received_positive")),
        sa.CheckConstraint(
            "quantity_received >= 0", name=op.f("ck_inventory_cost_layers_quantity_received_non_negative")
        ),
        sa.CheckConstraint(
            "quantity_remaining <= quantity_received", name=op.f("ck_inventory_cost_layers_remaining_within_received")
        ),
        sa.CheckConstraint(
            "quantity_remaining >= 0", name=op.f("ck_inventory_cost_layers_quantity_remaining_non_negative")
        ),
        sa.CheckConstraint("unit_cost >= 0", name=op.f("ck_inventory_cost_layers_unit_cost_non_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id", "inventory_movement_id"],
            ["app.inventory_movements.organization_id", "app.inventory_movements.id"],
            name=op.f("fk_inventory_cost_layers_inventory_movement_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "location_id"],
            ["app.locations.organization_id", "app.locations.id"],
            name=op.f("fk_inventory_cost_layers_location_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["app.products.organization_id", "app.products.id"],
            name=op.f("fk_inventory_cost_layers_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "purchase_order_id"],
            ["app.purchase_orders.organization_id", "app.purchase_orders.id"],
            name=op.f("fk_inventory_cost_layers_purchase_order_id"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["app.organizations.id"],
            name=op.f("fk_inventory_cost_layers_organization_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "id", name=op.f("pk_inventory_cost_layers")),
        schema="app",
        comment="FIFO inventory cost layers for cost of goods sold and stock valuation.",
    )
    op.create_index(
        op.f("ix_inventory_cost_layers_product_id_location_id_received_at"),
        "inventory_cost_layers",
        ["organization_id", "product_id", "location_id", "received_at"],
        unique=False,
        schema="app",
    )

    # Keys that close the cycle jobs -> issues / warranty_claims -> jobs, added once both sides exist.
    op.create_foreign_key(
        "fk_jobs_issue_id",
        "jobs",
        "issues",
        ["organization_id", "issue_id"],
        ["organization_id", "id"],
        source_schema="app",
        referent_schema="app",
    )
    op.create_foreign_key(
        "fk_jobs_warranty_claim_id",
        "jobs",
        "warranty_claims",
        ["organization_id", "warranty_claim_id"],
        ["organization_id", "id"],
        source_schema="app",
        referent_schema="app",
    )
    for table in TABLES:
        op.execute(
            f"create trigger set_updated_at before update on app.{table} "
            "for each row execute function app.set_updated_at()"
        )


def downgrade() -> None:
    op.drop_constraint("fk_jobs_warranty_claim_id", "jobs", schema="app", type_="foreignkey")
    op.drop_constraint("fk_jobs_issue_id", "jobs", schema="app", type_="foreignkey")
    op.drop_index(
        op.f("ix_inventory_cost_layers_product_id_location_id_received_at"),
        table_name="inventory_cost_layers",
        schema="app",
    )
    op.drop_table("inventory_cost_layers", schema="app")
    op.drop_index(op.f("ix_sla_events_sla_tracking_id"), table_name="sla_events", schema="app")
    op.drop_table("sla_events", schema="app")
    op.drop_index(op.f("ix_scheduled_emails_scheduled_for"), table_name="scheduled_emails", schema="app")
    op.drop_table("scheduled_emails", schema="app")
    op.drop_index(op.f("ix_rma_line_items_rma_id"), table_name="rma_line_items", schema="app")
    op.drop_table("rma_line_items", schema="app")
    op.drop_index(op.f("ix_reminder_history_sent_at"), table_name="reminder_history", schema="app")
    op.drop_index(op.f("ix_reminder_history_order_id"), table_name="reminder_history", schema="app")
    op.drop_table("reminder_history", schema="app")
    op.drop_index(
        op.f("ix_inventory_movements_product_id_location_id_occurred_at"),
        table_name="inventory_movements",
        schema="app",
    )
    op.drop_index(op.f("ix_inventory_movements_occurred_at"), table_name="inventory_movements", schema="app")
    op.drop_table("inventory_movements", schema="app")
    op.drop_index(op.f("ix_credit_notes_order_id"), table_name="credit_notes", schema="app")
    op.drop_index(op.f("ix_credit_notes_issued_date"), table_name="credit_notes", schema="app")
    op.drop_index(op.f("ix_credit_notes_customer_id"), table_name="credit_notes", schema="app")
    op.drop_table("credit_notes", schema="app")
    op.drop_index(op.f("ix_activities_user_id"), table_name="activities", schema="app")
    op.drop_index(op.f("ix_activities_occurred_at"), table_name="activities", schema="app")
    op.drop_index(op.f("ix_activities_customer_id"), table_name="activities", schema="app")
    op.drop_table("activities", schema="app")
    op.drop_index(op.f("ix_warranty_claims_warranty_id"), table_name="warranty_claims", schema="app")
    op.drop_index(op.f("ix_warranty_claims_claim_date"), table_name="warranty_claims", schema="app")
    op.drop_table("warranty_claims", schema="app")
    op.drop_index(op.f("ix_sla_tracking_sla_configuration_id"), table_name="sla_tracking", schema="app")
    op.drop_table("sla_tracking", schema="app")
    op.drop_index(op.f("ix_revenue_recognition_recognized_on"), table_name="revenue_recognition", schema="app")
    op.drop_index(op.f("ix_revenue_recognition_order_id"), table_name="revenue_recognition", schema="app")
    op.drop_table("revenue_recognition", schema="app")
    op.drop_index(op.f("ix_return_authorizations_requested_at"), table_name="return_authorizations", schema="app")
    op.drop_index(op.f("ix_return_authorizations_customer_id"), table_name="return_authorizations", schema="app")
    op.drop_table("return_authorizations", schema="app")
    op.drop_index(op.f("ix_escalation_history_issue_id"), table_name="escalation_history", schema="app")
    op.drop_index(op.f("ix_escalation_history_escalated_at"), table_name="escalation_history", schema="app")
    op.drop_table("escalation_history", schema="app")
    op.drop_index(op.f("ix_email_history_sent_at"), table_name="email_history", schema="app")
    op.drop_index(op.f("ix_email_history_customer_id"), table_name="email_history", schema="app")
    op.drop_table("email_history", schema="app")
    op.drop_index(op.f("ix_csat_responses_responded_at"), table_name="csat_responses", schema="app")
    op.drop_table("csat_responses", schema="app")
    op.drop_index(op.f("ix_warranty_extensions_warranty_id"), table_name="warranty_extensions", schema="app")
    op.drop_table("warranty_extensions", schema="app")
    op.drop_index(op.f("ix_job_photos_job_id"), table_name="job_photos", schema="app")
    op.drop_table("job_photos", schema="app")
    op.drop_index(op.f("ix_job_checklist_items_job_checklist_id"), table_name="job_checklist_items", schema="app")
    op.drop_table("job_checklist_items", schema="app")
    op.drop_index(op.f("ix_issues_opened_at"), table_name="issues", schema="app")
    op.drop_index(op.f("ix_issues_customer_id"), table_name="issues", schema="app")
    op.drop_index(op.f("ix_issues_assigned_user_id"), table_name="issues", schema="app")
    op.drop_table("issues", schema="app")
    op.drop_index(op.f("ix_deferred_revenue_order_id"), table_name="deferred_revenue", schema="app")
    op.drop_table("deferred_revenue", schema="app")
    op.drop_index(op.f("ix_warranties_start_date"), table_name="warranties", schema="app")
    op.drop_index(op.f("ix_warranties_product_id"), table_name="warranties", schema="app")
    op.drop_index(op.f("ix_warranties_end_date"), table_name="warranties", schema="app")
    op.drop_index(op.f("ix_warranties_customer_id"), table_name="warranties", schema="app")
    op.drop_table("warranties", schema="app")
    op.drop_index(op.f("ix_shipment_items_order_line_item_id"), table_name="shipment_items", schema="app")
    op.drop_table("shipment_items", schema="app")
    op.drop_index(op.f("ix_order_amendments_order_id"), table_name="order_amendments", schema="app")
    op.drop_table("order_amendments", schema="app")
    op.drop_index(op.f("ix_job_time_entries_user_id"), table_name="job_time_entries", schema="app")
    op.drop_index(op.f("ix_job_time_entries_started_at"), table_name="job_time_entries", schema="app")
    op.drop_index(op.f("ix_job_time_entries_job_id"), table_name="job_time_entries", schema="app")
    op.drop_table("job_time_entries", schema="app")
    op.drop_index(op.f("ix_job_tasks_job_id"), table_name="job_tasks", schema="app")
    op.drop_table("job_tasks", schema="app")
    op.drop_index(op.f("ix_job_materials_product_id"), table_name="job_materials", schema="app")
    op.drop_index(op.f("ix_job_materials_job_id"), table_name="job_materials", schema="app")
    op.drop_table("job_materials", schema="app")
    op.drop_index(op.f("ix_job_checklists_job_id"), table_name="job_checklists", schema="app")
    op.drop_table("job_checklists", schema="app")
    op.drop_index(op.f("ix_job_assignments_user_id"), table_name="job_assignments", schema="app")
    op.drop_table("job_assignments", schema="app")
    op.drop_index(op.f("ix_payment_schedules_due_date"), table_name="payment_schedules", schema="app")
    op.drop_table("payment_schedules", schema="app")
    op.drop_index(op.f("ix_order_shipments_shipped_at"), table_name="order_shipments", schema="app")
    op.drop_index(op.f("ix_order_shipments_order_id"), table_name="order_shipments", schema="app")
    op.drop_table("order_shipments", schema="app")
    op.drop_index(op.f("ix_order_line_items_product_id"), table_name="order_line_items", schema="app")
    op.drop_index(op.f("ix_order_line_items_order_id"), table_name="order_line_items", schema="app")
    op.drop_table("order_line_items", schema="app")
    op.drop_index(op.f("ix_jobs_scheduled_start"), table_name="jobs", schema="app")
    op.drop_index(op.f("ix_jobs_order_id"), table_name="jobs", schema="app")
    op.drop_index(op.f("ix_jobs_customer_id"), table_name="jobs", schema="app")
    op.drop_table("jobs", schema="app")
    op.drop_table("quote_versions", schema="app")
    op.drop_index(
        op.f("ix_purchase_order_receipt_items_purchase_order_item_id"),
        table_name="purchase_order_receipt_items",
        schema="app",
    )
    op.drop_table("purchase_order_receipt_items", schema="app")
    op.drop_index(
        op.f("ix_purchase_order_amendments_purchase_order_id"), table_name="purchase_order_amendments", schema="app"
    )
    op.drop_table("purchase_order_amendments", schema="app")
    op.drop_index(
        op.f("ix_price_change_history_product_id_changed_at"), table_name="price_change_history", schema="app"
    )
    op.drop_table("price_change_history", schema="app")
    op.drop_index(op.f("ix_orders_sales_rep_user_id"), table_name="orders", schema="app")
    op.drop_index(op.f("ix_orders_order_date"), table_name="orders", schema="app")
    op.drop_index(op.f("ix_orders_invoice_date"), table_name="orders", schema="app")
    op.drop_index(op.f("ix_orders_customer_id"), table_name="orders", schema="app")
    op.drop_table("orders", schema="app")
    op.drop_index(
        op.f("ix_supplier_price_history_supplier_id_changed_at"), table_name="supplier_price_history", schema="app"
    )
    op.drop_index(op.f("ix_supplier_price_history_product_id"), table_name="supplier_price_history", schema="app")
    op.drop_table("supplier_price_history", schema="app")
    op.drop_index(op.f("ix_stock_count_items_product_id"), table_name="stock_count_items", schema="app")
    op.drop_table("stock_count_items", schema="app")
    op.drop_index(op.f("ix_scheduled_calls_user_id"), table_name="scheduled_calls", schema="app")
    op.drop_index(op.f("ix_scheduled_calls_scheduled_for"), table_name="scheduled_calls", schema="app")
    op.drop_index(op.f("ix_scheduled_calls_customer_id"), table_name="scheduled_calls", schema="app")
    op.drop_table("scheduled_calls", schema="app")
    op.drop_index(op.f("ix_quotes_opportunity_id"), table_name="quotes", schema="app")
    op.drop_index(op.f("ix_quotes_customer_id"), table_name="quotes", schema="app")
    op.drop_table("quotes", schema="app")
    op.drop_index(op.f("ix_purchase_order_receipts_received_at"), table_name="purchase_order_receipts", schema="app")
    op.drop_index(
        op.f("ix_purchase_order_receipts_purchase_order_id"), table_name="purchase_order_receipts", schema="app"
    )
    op.drop_table("purchase_order_receipts", schema="app")
    op.drop_index(op.f("ix_purchase_order_items_product_id"), table_name="purchase_order_items", schema="app")
    op.drop_table("purchase_order_items", schema="app")
    op.drop_index(op.f("ix_purchase_order_costs_purchase_order_id"), table_name="purchase_order_costs", schema="app")
    op.drop_table("purchase_order_costs", schema="app")
    op.drop_index(
        op.f("ix_purchase_order_approvals_purchase_order_id"), table_name="purchase_order_approvals", schema="app"
    )
    op.drop_table("purchase_order_approvals", schema="app")
    op.drop_index(op.f("ix_opportunity_activities_opportunity_id"), table_name="opportunity_activities", schema="app")
    op.drop_index(op.f("ix_opportunity_activities_occurred_at"), table_name="opportunity_activities", schema="app")
    op.drop_table("opportunity_activities", schema="app")
    op.drop_index(op.f("ix_inventory_location_id"), table_name="inventory", schema="app")
    op.drop_table("inventory", schema="app")
    op.drop_table("warehouse_locations", schema="app")
    op.drop_index(op.f("ix_supplier_price_lists_product_id"), table_name="supplier_price_lists", schema="app")
    op.drop_table("supplier_price_lists", schema="app")
    op.drop_index(op.f("ix_stock_counts_location_id"), table_name="stock_counts", schema="app")
    op.drop_table("stock_counts", schema="app")
    op.drop_index(op.f("ix_purchase_orders_supplier_id"), table_name="purchase_orders", schema="app")
    op.drop_index(op.f("ix_purchase_orders_order_date"), table_name="purchase_orders", schema="app")
    op.drop_table("purchase_orders", schema="app")
    op.drop_table("purchase_order_approval_rules", schema="app")
    op.drop_table("product_relations", schema="app")
    op.drop_table("product_price_tiers", schema="app")
    op.drop_index(
        op.f("ix_product_images_product_id"),
        table_name="product_images",
        schema="app",
        postgresql_where=sa.text("is_primary"),
    )
    op.drop_table("product_images", schema="app")
    op.drop_index(op.f("ix_product_bundles_component_product_id"), table_name="product_bundles", schema="app")
    op.drop_table("product_bundles", schema="app")
    op.drop_index(op.f("ix_product_attribute_values_attribute_id"), table_name="product_attribute_values", schema="app")
    op.drop_table("product_attribute_values", schema="app")
    op.drop_index(op.f("ix_price_history_product_id_changed_at"), table_name="price_history", schema="app")
    op.drop_table("price_history", schema="app")
    op.drop_index(op.f("ix_price_agreements_product_id"), table_name="price_agreements", schema="app")
    op.drop_table("price_agreements", schema="app")
    op.drop_table("order_template_items", schema="app")
    op.drop_index(op.f("ix_opportunities_owner_user_id"), table_name="opportunities", schema="app")
    op.drop_index(op.f("ix_opportunities_expected_close_date"), table_name="opportunities", schema="app")
    op.drop_index(op.f("ix_opportunities_customer_id"), table_name="opportunities", schema="app")
    op.drop_table("opportunities", schema="app")
    op.drop_index(op.f("ix_inventory_forecasts_period_start"), table_name="inventory_forecasts", schema="app")
    op.drop_table("inventory_forecasts", schema="app")
    op.drop_index(op.f("ix_inventory_alerts_raised_at"), table_name="inventory_alerts", schema="app")
    op.drop_index(
        op.f("ix_inventory_alerts_product_id_location_id_alert_type"),
        table_name="inventory_alerts",
        schema="app",
        postgresql_where=sa.text("status <> 'resolved'"),
    )
    op.drop_table("inventory_alerts", schema="app")
    op.drop_index(op.f("ix_customer_product_prices_product_id"), table_name="customer_product_prices", schema="app")
    op.drop_table("customer_product_prices", schema="app")
    op.drop_index(op.f("ix_customer_activities_occurred_at"), table_name="customer_activities", schema="app")
    op.drop_index(op.f("ix_customer_activities_customer_id"), table_name="customer_activities", schema="app")
    op.drop_table("customer_activities", schema="app")
    op.drop_index(op.f("ix_campaign_recipients_customer_id"), table_name="campaign_recipients", schema="app")
    op.drop_table("campaign_recipients", schema="app")
    op.drop_table("user_group_members", schema="app")
    op.drop_index(op.f("ix_targets_period_start"), table_name="targets", schema="app")
    op.drop_table("targets", schema="app")
    op.drop_index(
        op.f("ix_supplier_performance_metrics_period_start"), table_name="supplier_performance_metrics", schema="app"
    )
    op.drop_table("supplier_performance_metrics", schema="app")
    op.drop_index(op.f("ix_statement_history_statement_date"), table_name="statement_history", schema="app")
    op.drop_index(op.f("ix_statement_history_customer_id"), table_name="statement_history", schema="app")
    op.drop_table("statement_history", schema="app")
    op.drop_index(op.f("ix_scheduled_reports_next_run_at"), table_name="scheduled_reports", schema="app")
    op.drop_table("scheduled_reports", schema="app")
    op.drop_table("report_favorites", schema="app")
    op.drop_index(op.f("ix_products_category_id"), table_name="products", schema="app")
    op.drop_table("products", schema="app")
    op.drop_table("order_templates", schema="app")
    op.drop_table("locations", schema="app")
    op.drop_table("escalation_rules", schema="app")
    op.drop_table("email_campaigns", schema="app")
    op.drop_index(op.f("ix_customer_tag_assignments_tag_id"), table_name="customer_tag_assignments", schema="app")
    op.drop_table("customer_tag_assignments", schema="app")
    op.drop_table("customer_priorities", schema="app")
    op.drop_index(op.f("ix_customer_merge_audit_merged_customer_id"), table_name="customer_merge_audit", schema="app")
    op.drop_table("customer_merge_audit", schema="app")
    op.drop_index(op.f("ix_customer_health_metrics_metric_date"), table_name="customer_health_metrics", schema="app")
    op.drop_table("customer_health_metrics", schema="app")
    op.drop_index(
        "uq_contacts_primary_per_customer",
        table_name="contacts",
        schema="app",
        postgresql_where=sa.text("is_primary and deleted_at is null"),
    )
    op.drop_index(op.f("ix_contacts_customer_id"), table_name="contacts", schema="app")
    op.drop_table("contacts", schema="app")
    op.drop_index(op.f("ix_audit_logs_occurred_at"), table_name="audit_logs", schema="app")
    op.drop_table("audit_logs", schema="app")
    op.drop_index(
        "uq_addresses_default_per_customer_type",
        table_name="addresses",
        schema="app",
        postgresql_where=sa.text("is_default and deleted_at is null"),
    )
    op.drop_index(op.f("ix_addresses_customer_id"), table_name="addresses", schema="app")
    op.drop_table("addresses", schema="app")
    op.drop_table("user_sessions", schema="app")
    op.drop_table("user_roles", schema="app")
    op.drop_table("user_invitations", schema="app")
    op.drop_table("user_groups", schema="app")
    op.drop_table("suppliers", schema="app")
    op.drop_index(
        "uq_sla_configurations_one_default",
        table_name="sla_configurations",
        schema="app",
        postgresql_where=sa.text("is_default"),
    )
    op.drop_table("sla_configurations", schema="app")
    op.drop_table("organization_holidays", schema="app")
    op.drop_table("kb_articles", schema="app")
    op.drop_table("job_templates", schema="app")
    op.drop_table("email_templates", schema="app")
    op.drop_index(
        "uq_email_signatures_default_per_user",
        table_name="email_signatures",
        schema="app",
        postgresql_where=sa.text("is_default"),
    )
    op.drop_table("email_signatures", schema="app")
    op.drop_index(
        "uq_dashboard_layouts_one_default",
        table_name="dashboard_layouts",
        schema="app",
        postgresql_where=sa.text("is_default"),
    )
    op.drop_table("dashboard_layouts", schema="app")
    op.drop_index(op.f("ix_customers_owner_user_id"), table_name="customers", schema="app")
    op.drop_table("customers", schema="app")
    op.drop_index(op.f("ix_custom_reports_owner_user_id"), table_name="custom_reports", schema="app")
    op.drop_table("custom_reports", schema="app")
    op.drop_table("api_tokens", schema="app")
    op.drop_table("win_loss_reasons", schema="app")
    op.drop_table("warranty_policies", schema="app")
    op.drop_table("users", schema="app")
    op.drop_table("role_permissions", schema="app")
    op.drop_table("reminder_templates", schema="app")
    op.drop_table("product_attributes", schema="app")
    op.drop_table("kb_categories", schema="app")
    op.drop_table("issue_templates", schema="app")
    op.drop_table("customer_tags", schema="app")
    op.drop_table("checklist_templates", schema="app")
    op.drop_table("categories", schema="app")
    op.drop_index(
        "uq_business_hours_config_one_default",
        table_name="business_hours_config",
        schema="app",
        postgresql_where=sa.text("is_default"),
    )
    op.drop_table("business_hours_config", schema="app")
    op.drop_table("roles", schema="app")
    op.drop_table("permissions", schema="app")
    op.drop_table("organizations", schema="app")
