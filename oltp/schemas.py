"""PostgreSQL schema names: the operational source and the three warehouse layers dbt writes."""

APP_SCHEMA = "app"
STAGING_SCHEMA = "staging"
MARTS_SCHEMA = "marts"
REPORTING_SCHEMA = "reporting"
SNAPSHOTS_SCHEMA = "snapshots"
WAREHOUSE_SCHEMAS = (STAGING_SCHEMA, MARTS_SCHEMA, REPORTING_SCHEMA, SNAPSHOTS_SCHEMA)
