"""Every query the dashboards run: parameterised, cached, through one engine."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import text

from oltp.database import get_engine
from oltp.schemas import APP_SCHEMA


@st.cache_resource
def engine():
    return get_engine()


@st.cache_data(ttl=300)
def operational_table_counts() -> pd.DataFrame:
    """Estimated rows per operational table (from the planner's statistics: instant at any size)."""
    sql = text(
        """
        select c.relname as table_name,
               greatest(c.reltuples, 0)::bigint as estimated_rows,
               obj_description(c.oid, 'pg_class') as description
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = :schema and c.relkind = 'r'
        order by c.relname
        """
    )
    with engine().connect() as conn:
        return pd.read_sql(sql, conn, params={"schema": APP_SCHEMA})
