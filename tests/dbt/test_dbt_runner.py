"""The dbt connection comes from the one database setting; dbt arguments are built by a pure function."""

from __future__ import annotations

import json

from orchestration.dbt_runner import DBT_PROJECT_DIR, PASSWORD_VARIABLE, dbt_args, dbt_environment


def test_dbt_environment_is_derived_from_the_database_url_with_an_unusual_password():
    env = dbt_environment("postgresql://analyst:p%40ss%3Aw0rd@db.example:6543/warehouse?sslmode=require")
    assert env == {
        "DBT_PG_HOST": "db.example",
        "DBT_PG_PORT": "6543",
        "DBT_PG_USER": "analyst",
        PASSWORD_VARIABLE: "p@ss:w0rd",
        "DBT_PG_DBNAME": "warehouse",
        "DBT_PG_SSLMODE": "require",
    }


def test_profiles_read_only_the_variables_the_runner_sets():
    profiles = (DBT_PROJECT_DIR / "profiles.yml").read_text()
    for name in dbt_environment("postgresql://u:p@h:5432/d"):
        if name != "DBT_PG_SSLMODE":
            assert f"env_var('{name}')" in profiles, name
    assert "env_var('DATABASE_URL'" not in profiles


def test_dbt_args_pass_a_daily_partition_window_as_vars():
    args = dbt_args("build", select=["tag:daily"], variables={"start_date": "2026-01-02", "end_date": "2026-01-02"})
    assert args[:5] == ["build", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    assert args[args.index("--select") + 1] == "tag:daily"
    assert json.loads(args[args.index("--vars") + 1]) == {"end_date": "2026-01-02", "start_date": "2026-01-02"}


def test_dbt_args_for_a_two_word_command_and_full_refresh():
    args = dbt_args(["docs", "generate"], full_refresh=True)
    assert args[:2] == ["docs", "generate"]
    assert "--full-refresh" in args
