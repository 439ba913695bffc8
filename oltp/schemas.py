"""PostgreSQL schema names: the operational source and the three warehouse layers dbt writes."""

APP_SCHEMA = "app"
STAGING_SCHEMA = "staging"
MARTS_SCHEMA = "marts"
REPORTING_SCHEMA = "reporting"
SNAPSHOTS_SCHEMA = "snapshots"
WAREHOUSE_SCHEMAS = (STAGING_SCHEMA, MARTS_SCHEMA, REPORTING_SCHEMA, SNAPSHOTS_SCHEMA)


def app_tables(conn, largest_first: bool = False) -> list[str]:
    """The tables of the operational schema on a psycopg connection, by name or largest first."""
    order = "pg_relation_size(oid) desc, relname" if largest_first else "relname"
    sql = f"select relname from pg_class where relnamespace = %s::regnamespace and relkind = 'r' order by {order}"
    return [name for (name,) in conn.execute(sql, (APP_SCHEMA,))]
