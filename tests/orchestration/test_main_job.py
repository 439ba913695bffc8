"""`warehouse run` (the main job) and `warehouse doctor` end to end on a real database."""

from __future__ import annotations

from oltp.migrate import head_revisions
from tests.conftest import run_cli


def test_run_migrates_generates_and_prints_a_one_screen_summary(fresh_database_url):
    result = run_cli("run", "--scale", "tiny", env={"DATABASE_URL": fresh_database_url, "COLUMNS": "120"})
    assert result.returncode == 0, result.stderr
    assert "warehouse run: summary" in result.stdout
    assert f"revision {head_revisions()[0]}" in result.stdout
    assert "generated tiny" in result.stdout
    assert "Dagster run" in result.stdout and "checks passed" in result.stdout
    assert "reporting.mv_daily_metrics" in result.stdout
    assert len(result.stdout.splitlines()) <= 40
    again = run_cli("run", "--scale", "tiny", env={"DATABASE_URL": fresh_database_url})
    assert again.returncode == 0, again.stderr
    assert "kept the 2 organization(s) already there" in again.stdout


def test_doctor_is_all_green_on_a_migrated_database(fresh_database_url):
    env = {"DATABASE_URL": fresh_database_url}
    assert run_cli("migrate", env=env).returncode == 0
    result = run_cli("doctor", env=env)
    assert result.returncode == 0, result.stdout
    assert "✗" not in result.stdout
    for check in ("python", "packages", "database", "migrations"):
        assert f"✓ {check}:" in result.stdout


def test_doctor_names_the_failure_and_its_fix(fresh_database_url):
    result = run_cli("doctor", env={"DATABASE_URL": fresh_database_url})
    assert result.returncode == 1
    assert "✗ migrations:" in result.stdout
    assert "fix: run `warehouse migrate`" in result.stdout
